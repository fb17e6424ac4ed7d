import { runWorkflow } from '../harness';
import { mockAmoCrm } from './amocrm-mock';
import { amoCrmNode, chain, isolateEachTest, oauth2Credentials, startNode } from './fixtures';

isolateEachTest();

test("Task > Get, Task > Update and Note > Get chained: each item's IDs and new due time from expressions, in the workflow's time zone", async () => {
	const amo = mockAmoCrm()
		.expect('GET', '/api/v4/tasks/71', {
			status: 200,
			// GET /api/v4/tasks/{id} (crm_platform/tasks-api), shortened.
			body: {
				id: 71,
				text: 'Call back',
				entity_type: 'leads',
				entity_id: 9001,
				task_type_id: 1,
				is_completed: false,
				result: [],
				complete_till: 1795850100,
				responsible_user_id: 501,
			},
		})
		.expect('PATCH', '/api/v4/tasks/71', { status: 200, body: { id: 71, updated_at: 1795849260 } })
		.expect('GET', '/api/v4/leads/notes/76787983', {
			status: 200,
			body: {
				id: 76787983,
				entity_id: 9001,
				created_by: 501,
				updated_by: 501,
				created_at: 1795849000,
				updated_at: 1795849000,
				responsible_user_id: 501,
				group_id: 0,
				note_type: 'common',
				params: { text: 'Asked for a fitting' },
				account_id: 30000001,
			},
		});
	const getTask = amoCrmNode('Get Task', {
		resource: 'task',
		operation: 'get',
		taskId: '={{ $json.taskId }}',
	});
	const updateTask = amoCrmNode('Update Task', {
		resource: 'task',
		operation: 'update',
		taskId: '={{ $json.id }}',
		updateFields: {
			text: '={{ $json.text }} about the fitting',
			dueAt: "={{ $('Start').item.json.moveTo }}",
		},
	});
	const getNote = amoCrmNode('Get Note', {
		resource: 'note',
		operation: 'get',
		entityType: 'deal',
		noteId: "={{ $('Start').item.json.noteId }}",
	});
	const result = await runWorkflow({
		workflow: {
			nodes: [startNode(), getTask, updateTask, getNote],
			connections: chain('Start', 'Get Task', 'Update Task', 'Get Note'),
			settings: { timezone: 'Asia/Tashkent' },
		},
		credentials: oauth2Credentials(),
		items: [{ taskId: 71, moveTo: '2030-01-02T09:30:00', noteId: '76787983' }],
	});

	expect(result.error).toBeUndefined();
	expect(amo.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
		'GET /api/v4/tasks/71',
		'PATCH /api/v4/tasks/71',
		'GET /api/v4/leads/notes/76787983',
	]);
	expect(amo.requests[1].body).toEqual({
		text: 'Call back about the fitting',
		complete_till: Date.parse('2030-01-02T04:30:00Z') / 1000,
	});
	expect(result.outputsByNode['Get Task'][0].json).toMatchObject({
		id: 71,
		text: 'Call back',
		entityType: 'deal',
		url: 'https://e2e.amocrm.ru/leads/detail/9001',
	});
	expect(result.outputsByNode['Update Task'][0].json).toEqual({
		id: 71,
		text: 'Call back about the fitting',
		dueAt: '2030-01-02T04:30:00.000Z',
		completeTill: Date.parse('2030-01-02T04:30:00Z') / 1000,
		updatedAt: '2026-11-28T07:01:00.000Z',
	});
	expect(result.outputsByNode['Get Note']).toEqual([
		{
			json: {
				id: 76787983,
				entityType: 'deal',
				entityId: 9001,
				noteType: 'common',
				text: 'Asked for a fitting',
				params: { text: 'Asked for a fitting' },
				responsibleUserId: 501,
				createdBy: 501,
				createdAt: '2026-11-28T06:56:40.000Z',
				updatedAt: '2026-11-28T06:56:40.000Z',
			},
			pairedItem: { item: 0 },
		},
	]);
});

import { runWorkflow } from '../harness';
import { mockAmoCrm } from './amocrm-mock';
import { amoCrmNode, chain, isolateEachTest, oauth2Credentials, startNode } from './fixtures';

isolateEachTest();

/** A Create Task node as a user fills it in the editor: the deal, the text and the due time mapped from each item. */
const createTask = amoCrmNode(
	'Create Task',
	{
		resource: 'task',
		operation: 'create',
		entityType: 'deal',
		dealId: { __rl: true, mode: 'id', value: '={{ $json.dealId }}' },
		text: '=Call back {{ $json.name }}',
		dueType: '={{ $json.dueAt ? "at" : "in" }}',
		dueIn: '={{ $json.minutes ?? 15 }}',
		dueAt: '={{ $json.dueAt }}',
	},
	{ continueOnFail: true },
);

const workflow = {
	nodes: [startNode(), createTask],
	connections: chain('Start', 'Create Task'),
	// A due date without a zone is read in the workflow's time zone.
	settings: { timezone: 'Asia/Tashkent' },
};

test("Task > Create: each item's deal, text and due time; one batch; a due time in the past becomes that item's error, the others are created", async () => {
	const amo = mockAmoCrm()
		.expect('GET', '/api/v4/account', { status: 200, body: { id: 30000001, current_user_id: 501 } })
		.expect('POST', '/api/v4/tasks', {
			status: 200,
			body: {
				_embedded: {
					tasks: [
						{ id: 501, request_id: '0' },
						{ id: 502, request_id: '1' },
						{ id: 504, request_id: '3' },
					],
				},
			},
		});

	const before = Math.floor(Date.now() / 1000);
	const result = await runWorkflow({
		workflow,
		credentials: oauth2Credentials(),
		items: [
			{ dealId: 9001, name: 'Aziz' },
			{ dealId: '9002', name: 'Malika', minutes: 90 },
			{ dealId: 9003, name: 'Rustam', dueAt: '2020-01-01T10:00:00' },
			{ dealId: 9004, name: 'Dilnoza', dueAt: '2030-01-02T09:30:00' },
		],
	});
	const after = Math.ceil(Date.now() / 1000);

	expect(result.error).toBeUndefined();
	expect(amo.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
		'GET /api/v4/account',
		'POST /api/v4/tasks',
	]);
	const sent = amo.requests[1].body as Array<Record<string, unknown>>;
	// "In" is counted from the moment the node ran.
	for (const [position, minutes] of [
		[0, 15],
		[1, 90],
	]) {
		expect(sent[position].complete_till).toBeGreaterThanOrEqual(before + minutes * 60);
		expect(sent[position].complete_till).toBeLessThanOrEqual(after + minutes * 60);
	}
	const dueOf = (position: number) => sent[position].complete_till as number;
	expect(sent).toEqual([
		{
			text: 'Call back Aziz',
			complete_till: dueOf(0),
			entity_type: 'leads',
			entity_id: 9001,
			task_type_id: 1,
			request_id: '0',
		},
		{
			text: 'Call back Malika',
			complete_till: dueOf(1),
			entity_type: 'leads',
			entity_id: 9002,
			task_type_id: 1,
			request_id: '1',
		},
		{
			text: 'Call back Dilnoza',
			// 09:30 in Tashkent (UTC+5)
			complete_till: Date.parse('2030-01-02T04:30:00Z') / 1000,
			entity_type: 'leads',
			entity_id: 9004,
			task_type_id: 1,
			request_id: '3',
		},
	]);
	const output = result.outputsByNode['Create Task'];
	expect(output.map((item) => item.pairedItem)).toEqual([
		{ item: 0 },
		{ item: 1 },
		{ item: 2 },
		{ item: 3 },
	]);
	expect(output[0].json).toEqual({
		id: 501,
		text: 'Call back Aziz',
		entityType: 'deal',
		entityId: 9001,
		taskTypeId: 1,
		dueAt: new Date(dueOf(0) * 1000).toISOString(),
		completeTill: dueOf(0),
		responsibleUserId: 501,
		isCompleted: false,
		result: null,
		url: 'https://e2e.amocrm.ru/leads/detail/9001',
	});
	expect(output[2]).toMatchObject({
		json: { error: 'Due At is in the past: 2020-01-01T05:00:00.000Z' },
		error: expect.objectContaining({
			name: 'NodeOperationError',
			description:
				"amoCRM would show the task as overdue at once. Pick a later date and time (a time without a zone is read in the workflow's time zone, Asia/Tashkent), or choose Due: In Some Time From Now.",
			context: { itemIndex: 2 },
		}),
	});
	expect(output[3].json).toMatchObject({ id: 504, dueAt: '2030-01-02T04:30:00.000Z' });
});

test('Task > Complete and Get Many in one workflow: the open tasks of a deal are completed with a result', async () => {
	const amo = mockAmoCrm()
		.expect(
			'GET',
			'/api/v4/tasks?filter%5Bis_completed%5D=0&filter%5Bentity_type%5D=leads&filter%5Bentity_id%5D=9001&order%5Bcomplete_till%5D=asc&page=1&limit=50',
			{
				status: 200,
				body: {
					_embedded: {
						tasks: [
							{
								id: 71,
								text: 'Call back',
								entity_type: 'leads',
								entity_id: 9001,
								task_type_id: 1,
								is_completed: false,
								result: [],
								complete_till: 1893475800,
								responsible_user_id: 501,
							},
						],
					},
				},
			},
		)
		.expect('PATCH', '/api/v4/tasks/71', { status: 200, body: { id: 71, updated_at: 1893475000 } });

	const result = await runWorkflow({
		workflow: {
			nodes: [
				startNode(),
				amoCrmNode('Open Tasks', {
					resource: 'task',
					operation: 'getAll',
					entityType: 'deal',
					dealId: { __rl: true, mode: 'url', value: 'https://e2e.amocrm.ru/leads/detail/9001' },
				}),
				amoCrmNode('Complete Task', {
					resource: 'task',
					operation: 'complete',
					taskId: '={{ $json.id }}',
					resultText: '=Done: {{ $json.text }}',
				}),
			],
			connections: chain('Start', 'Open Tasks', 'Complete Task'),
		},
		credentials: oauth2Credentials(),
	});

	expect(result.error).toBeUndefined();
	expect(amo.requests[1].body).toEqual({ is_completed: true, result: { text: 'Done: Call back' } });
	expect(result.outputsByNode['Open Tasks'][0].json).toMatchObject({
		id: 71,
		dueAt: '2030-01-01T05:30:00.000Z',
		url: 'https://e2e.amocrm.ru/leads/detail/9001',
	});
	expect(result.outputsByNode['Complete Task']).toEqual([
		{
			json: {
				id: 71,
				isCompleted: true,
				result: 'Done: Call back',
				updatedAt: '2030-01-01T05:16:40.000Z',
			},
			pairedItem: { item: 0 },
		},
	]);
});

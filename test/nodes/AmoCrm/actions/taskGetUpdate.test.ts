import { FakeAmoCrm } from '../../../fakes/amocrm';
import { AmoCrmScript } from '../../../support/executeContext';
import { runAgainstFake } from '../../../support/fakeAmoCrm';
import { resetTransportState, runNode } from '../../../support/runNode';

beforeEach(() => resetTransportState());

const get = { resource: 'task', operation: 'get' };
const update = { resource: 'task', operation: 'update' };

// GET /api/v4/tasks/{id}, as amoCRM's documentation shows it (crm_platform/tasks-api).
const TASK = {
	id: 4745251,
	created_by: 504141,
	updated_by: 504141,
	created_at: 1588841241,
	updated_at: 1588841241,
	responsible_user_id: 504141,
	group_id: 0,
	entity_id: 9001,
	entity_type: 'leads',
	duration: 0,
	is_completed: false,
	task_type_id: 1,
	text: 'Call back',
	result: [],
	complete_till: 1795850100,
	account_id: 28805383,
	_links: { self: { href: 'https://e2e.amocrm.ru/api/v4/tasks/4745251' } },
};

// PATCH /api/v4/tasks/{id} answers the task's ID and when it was changed (crm_platform/tasks-api).
const patched = (id: number) => ({
	body: { id, updated_at: 1795849260, _links: { self: { href: `/api/v4/tasks/${id}` } } },
});

describe('Task > Get', () => {
	it('reads the task by ID and outputs it as Create and Get Many do', async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/tasks/4745251', { body: TASK });
		const output = await runNode({ script, items: [{ ...get, taskId: ' 4745251 ' }] });
		expect(script.sent.map((request) => `${request.method} ${request.url}`)).toEqual([
			'GET https://e2e.amocrm.ru/api/v4/tasks/4745251',
		]);
		expect(output).toEqual([
			{
				json: {
					id: 4745251,
					text: 'Call back',
					entityType: 'deal',
					entityId: 9001,
					taskTypeId: 1,
					dueAt: '2026-11-28T07:15:00.000Z',
					completeTill: 1795850100,
					responsibleUserId: 504141,
					isCompleted: false,
					result: null,
					url: 'https://e2e.amocrm.ru/leads/detail/9001',
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('fails the item when amoCRM has no such task (its 204), saying what to check', async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/tasks/5', { status: 204 });
		await expect(runNode({ script, items: [{ ...get, taskId: 5 }] })).rejects.toMatchObject({
			message: 'Task 5 was not found in amoCRM',
			description:
				'Check the ID in Task ID: the task may have been deleted. Get Many Tasks lists the IDs of existing tasks.',
			context: { itemIndex: 0 },
		});
	});

	it('refuses a Task ID that is not a number, before any request', async () => {
		const script = new AmoCrmScript();
		await expect(
			runNode({ script, items: [{ ...get, taskId: 'call back' }] }),
		).rejects.toMatchObject({ message: 'Task ID must be a number, not "call back"' });
		expect(script.sent).toEqual([]);
	});
});

describe('Task > Update', () => {
	it('sends only the fields added, and outputs what changed', async () => {
		const script = new AmoCrmScript().on('PATCH', '/api/v4/tasks/4745251', patched(4745251));
		const output = await runNode({
			script,
			timezone: 'Asia/Tashkent',
			items: [
				{
					...update,
					taskId: 4745251,
					updateFields: {
						text: ' Call back about the fitting ',
						dueAt: '2030-01-02T09:30:00',
						responsibleUserId: '502',
						taskTypeId: 2,
						entityType: 'contact',
						entityId: 'https://e2e.amocrm.ru/contacts/detail/40401635',
					},
				},
			],
		});
		expect(script.sent[0].body).toEqual({
			text: 'Call back about the fitting',
			complete_till: Date.parse('2030-01-02T04:30:00Z') / 1000,
			responsible_user_id: 502,
			task_type_id: 2,
			entity_type: 'contacts',
			entity_id: 40401635,
		});
		expect(output[0].json).toEqual({
			id: 4745251,
			text: 'Call back about the fitting',
			dueAt: '2030-01-02T04:30:00.000Z',
			completeTill: Date.parse('2030-01-02T04:30:00Z') / 1000,
			responsibleUserId: 502,
			taskTypeId: 2,
			entityType: 'contact',
			entityId: 40401635,
			updatedAt: '2026-11-28T07:01:00.000Z',
		});
	});

	it('moves only the due time when only Due At is added', async () => {
		const script = new AmoCrmScript().on('PATCH', '/api/v4/tasks/7', patched(7));
		await runNode({
			script,
			items: [{ ...update, taskId: '7', updateFields: { dueAt: '2031-05-01T10:00:00Z' } }],
		});
		expect(script.sent[0].body).toEqual({
			complete_till: Date.parse('2031-05-01T10:00:00Z') / 1000,
		});
	});

	it.each([
		[{}, 'Nothing to update'],
		[{ text: '  ' }, 'Text is empty'],
		[{ dueAt: '2020-01-01T10:00:00Z' }, 'Due At is in the past: 2020-01-01T10:00:00.000Z'],
		[{ dueAt: 'tomorrow-ish' }, 'Due At is not a date and time: "tomorrow-ish"'],
		[{ responsibleUserId: 'Aziz' }, 'Responsible User ID must be a number, not "Aziz"'],
		[{ entityType: 'deal', entityId: '' }, 'Belongs To ID is empty'],
		[
			{ entityType: 'deal', entityId: 'https://e2e.amocrm.ru/contacts/detail/5' },
			'Belongs To ID must be an amoCRM ID or the deal\'s page address, not "https://e2e.amocrm.ru/contacts/detail/5"',
		],
	])('refuses %j before any request: %s', async (updateFields, message) => {
		const script = new AmoCrmScript();
		await expect(
			runNode({ script, items: [{ ...update, taskId: 7, updateFields }] }),
		).rejects.toMatchObject({ message, context: { itemIndex: 0 } });
		expect(script.sent).toEqual([]);
	});

	it('checks a task type other than Call or Meeting against the account, before sending', async () => {
		const taskTypes = {
			body: {
				id: 1,
				_embedded: {
					task_types: [
						{ id: 1, name: 'Follow-up' },
						{ id: 2, name: 'Meeting' },
					],
				},
			},
		};
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/account?with=task_types', taskTypes)
			.on('GET', '/api/v4/account?with=task_types', taskTypes);
		await expect(
			runNode({ script, items: [{ ...update, taskId: 7, updateFields: { taskTypeId: 99 } }] }),
		).rejects.toMatchObject({ message: 'Task Type 99 is not a task type of this amoCRM account' });
		expect(script.sent.filter((request) => request.method === 'PATCH')).toEqual([]);
	});

	it('names the field amoCRM refused', async () => {
		const script = new AmoCrmScript().on('PATCH', '/api/v4/tasks/7', {
			status: 400,
			body: {
				'validation-errors': [
					{
						request_id: '0',
						errors: [
							{
								code: 'NotSupportedChoice',
								path: 'task_type_id',
								detail: 'The value you selected is not a valid choice.',
							},
						],
					},
				],
				title: 'Bad Request',
				type: 'https://httpstatus.es/400',
				status: 400,
				detail: 'Request validation failed',
			},
		});
		await expect(
			runNode({ script, items: [{ ...update, taskId: 7, updateFields: { taskTypeId: 2 } }] }),
		).rejects.toMatchObject({ message: expect.stringContaining('Task Type'), httpCode: '400' });
	});
});

test('against the fake amoCRM: Update moves a task to a contact and a user, Get reads it back', async () => {
	const fake = new FakeAmoCrm({ accessTokens: ['test-token'] });
	const deal = fake.seedLead({ name: 'Order' });
	const contact = fake.seedContact({ name: 'Aziz' });
	const task = fake.seedTask({
		text: 'Call back',
		complete_till: 1900000000,
		entity_type: 'leads',
		entity_id: deal.id,
	});
	const updated = await runAgainstFake(fake, {
		items: [
			{
				...update,
				taskId: task.id,
				updateFields: {
					text: 'Send the offer',
					responsibleUserId: 502,
					entityType: 'contact',
					entityId: contact.id,
				},
			},
		],
	});
	expect(updated[0].json).toMatchObject({
		id: task.id,
		text: 'Send the offer',
		entityId: contact.id,
	});
	expect(fake.task(task.id)).toMatchObject({
		text: 'Send the offer',
		responsible_user_id: 502,
		entity_type: 'contacts',
		entity_id: contact.id,
		complete_till: 1900000000,
	});
	const read = await runAgainstFake(fake, { items: [{ ...get, taskId: task.id }] });
	expect(read[0].json).toEqual({
		id: task.id,
		text: 'Send the offer',
		entityType: 'contact',
		entityId: contact.id,
		taskTypeId: 1,
		dueAt: '2030-03-17T17:46:40.000Z',
		completeTill: 1900000000,
		responsibleUserId: 502,
		isCompleted: false,
		result: null,
		url: `https://e2e.amocrm.ru/contacts/detail/${contact.id}`,
	});
});

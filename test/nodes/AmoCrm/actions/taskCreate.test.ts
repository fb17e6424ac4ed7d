import { AmoCrmScript } from '../../../support/executeContext';
import { resetTransportState, runNode } from '../../../support/runNode';

// 2026-11-28T07:00:00Z: the moment every test here runs at.
const NOW = Date.parse('2026-11-28T07:00:00Z');
const NOW_SECONDS = NOW / 1000;

const base = { resource: 'task', operation: 'create' };
const deal = (id: string) => ({ __rl: true, mode: 'list', value: id });
const created = (...ids: Array<[number, string]>) => ({
	body: {
		_embedded: { tasks: ids.map(([id, requestId]) => ({ id, request_id: requestId })) },
	},
});
const taskTypes = {
	body: {
		id: 30000001,
		_embedded: {
			task_types: [
				{ id: 1, name: 'Follow-up', code: 'FOLLOW_UP' },
				{ id: 2, name: 'Meeting', code: 'MEETING' },
				{ id: 7, name: 'Send the price list', code: null },
			],
		},
	},
};

/** `GET /api/v4/account`: whom amoCRM makes responsible for a task that names nobody. */
const account = { body: { id: 30000001, name: 'E2E', current_user_id: 501, country: 'UZ' } };

beforeEach(() => {
	resetTransportState();
	jest.spyOn(Date, 'now').mockReturnValue(NOW);
});
afterEach(() => jest.restoreAllMocks());

describe('Task > Create', () => {
	it('"call back in 15 minutes" for two deals takes only the deals: one request, Call, due now + 15 min', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/account', account)
			.on('POST', '/api/v4/tasks', created([501, '0'], [502, '1']));
		const output = await runNode({
			script,
			items: [
				{ ...base, dealId: deal('9001') },
				{ ...base, dealId: { __rl: true, mode: 'id', value: ' 9002 ' } },
			],
		});
		expect(script.sent.map((request) => `${request.method} ${request.url}`)).toEqual([
			'GET https://e2e.amocrm.ru/api/v4/account',
			'POST https://e2e.amocrm.ru/api/v4/tasks',
		]);
		expect(script.sent[1].body).toEqual([
			{
				text: 'Call back',
				complete_till: NOW_SECONDS + 900,
				entity_type: 'leads',
				entity_id: 9001,
				task_type_id: 1,
				request_id: '0',
			},
			{
				text: 'Call back',
				complete_till: NOW_SECONDS + 900,
				entity_type: 'leads',
				entity_id: 9002,
				task_type_id: 1,
				request_id: '1',
			},
		]);
		expect(output).toEqual([
			{
				json: {
					id: 501,
					text: 'Call back',
					entityType: 'deal',
					entityId: 9001,
					taskTypeId: 1,
					dueAt: '2026-11-28T07:15:00.000Z',
					completeTill: NOW_SECONDS + 900,
					// amoCRM's default: the user the credential acts as
					responsibleUserId: 501,
					isCompleted: false,
					result: null,
					url: 'https://e2e.amocrm.ru/leads/detail/9001',
				},
				pairedItem: { item: 0 },
			},
			{
				json: expect.objectContaining({
					id: 502,
					entityId: 9002,
					url: 'https://e2e.amocrm.ru/leads/detail/9002',
				}),
				pairedItem: { item: 1 },
			},
		]);
	});

	it('a meeting for a contact pasted as its page address, for a chosen user, in 2 hours', async () => {
		// A responsible user is given: no need to ask amoCRM whom it would choose.
		const script = new AmoCrmScript().on('POST', '/api/v4/tasks', created([601, '0']));
		const output = await runNode({
			script,
			items: [
				{
					...base,
					entityType: 'contact',
					contactId: {
						__rl: true,
						mode: 'url',
						value: 'https://e2e.amocrm.ru/contacts/detail/4040',
					},
					text: ' Meet at the clinic ',
					taskTypeId: 2,
					dueType: 'in',
					dueIn: 2,
					dueInUnit: 'hours',
					additionalFields: { responsibleUserId: 502 },
				},
			],
		});
		expect(script.sent[0].body).toEqual([
			{
				text: 'Meet at the clinic',
				complete_till: NOW_SECONDS + 7200,
				entity_type: 'contacts',
				entity_id: 4040,
				task_type_id: 2,
				responsible_user_id: 502,
				request_id: '0',
			},
		]);
		expect(output[0].json).toEqual({
			id: 601,
			text: 'Meet at the clinic',
			entityType: 'contact',
			entityId: 4040,
			taskTypeId: 2,
			dueAt: '2026-11-28T09:00:00.000Z',
			completeTill: NOW_SECONDS + 7200,
			responsibleUserId: 502,
			isCompleted: false,
			result: null,
			url: 'https://e2e.amocrm.ru/contacts/detail/4040',
		});
	});

	it("a company's task at a picked date and time, read in the workflow's time zone", async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/account', account)
			.on('POST', '/api/v4/tasks', created([701, '0']));
		const output = await runNode({
			script,
			timezone: 'Asia/Tashkent',
			items: [
				{
					...base,
					entityType: 'company',
					companyId: deal('77'),
					text: 'Send the contract',
					dueType: 'at',
					dueAt: '2026-12-01T15:30:00',
				},
			],
		});
		expect(script.sent[1].body).toEqual([
			{
				text: 'Send the contract',
				complete_till: Date.parse('2026-12-01T10:30:00Z') / 1000,
				entity_type: 'companies',
				entity_id: 77,
				task_type_id: 1,
				request_id: '0',
			},
		]);
		expect(output[0].json).toMatchObject({
			entityType: 'company',
			dueAt: '2026-12-01T10:30:00.000Z',
			url: 'https://e2e.amocrm.ru/companies/detail/77',
		});
	});

	it("an account's own task type is checked against the account's list (read once)", async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/account?with=task_types', taskTypes)
			.on('GET', '/api/v4/account', account)
			.on('POST', '/api/v4/tasks', created([801, '0'], [802, '1']));
		await runNode({
			script,
			items: [
				{ ...base, dealId: deal('1'), taskTypeId: 7 },
				{ ...base, dealId: deal('2'), taskTypeId: '7' },
			],
		});
		expect(script.sent.map((request) => `${request.method} ${request.url}`)).toEqual([
			'GET https://e2e.amocrm.ru/api/v4/account?with=task_types',
			'GET https://e2e.amocrm.ru/api/v4/account',
			'POST https://e2e.amocrm.ru/api/v4/tasks',
		]);
		expect(
			(script.sent[2].body as Array<{ task_type_id: number }>).map((task) => task.task_type_id),
		).toEqual([7, 7]);
	});

	it('a task type added in amoCRM since the list was read is found by reading the list again', async () => {
		const withEight = {
			body: {
				_embedded: {
					task_types: [...taskTypes.body._embedded.task_types, { id: 8, name: 'Visit' }],
				},
			},
		};
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/account?with=task_types', taskTypes)
			.on('GET', '/api/v4/account', account)
			.on('POST', '/api/v4/tasks', created([811, '0']))
			.on('GET', '/api/v4/account?with=task_types', withEight)
			.on('POST', '/api/v4/tasks', created([812, '0']));
		await runNode({ script, items: [{ ...base, dealId: deal('1'), taskTypeId: 7 }] });
		// A minute later: the list read then is no longer fresh.
		jest.spyOn(Date, 'now').mockReturnValue(NOW + 60_000);
		const output = await runNode({
			script,
			items: [{ ...base, dealId: deal('1'), taskTypeId: 8 }],
		});
		expect(script.sent.map((request) => request.url.split('/api/v4/')[1])).toEqual([
			'account?with=task_types',
			'account',
			'tasks',
			'account?with=task_types',
			'tasks',
		]);
		expect(output[0].json).toMatchObject({ id: 812, taskTypeId: 8 });
	});

	it('a task type the account does not have is refused, naming the ones it has; nothing is created', async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/account?with=task_types', taskTypes);
		await expect(
			runNode({ script, items: [{ ...base, dealId: deal('1'), taskTypeId: 9 }] }),
		).rejects.toMatchObject({
			message: 'Task Type 9 is not a task type of this amoCRM account',
			description:
				"Choose the task type from the list in Task Type, or map the ID of one of the account's task types: Follow-up (1), Meeting (2), Send the price list (7).",
			context: { itemIndex: 0 },
		});
		expect(script.sent.map((request) => request.method)).toEqual(['GET']);
	});

	it('when amoCRM refuses the read of whom it would make responsible, no task is created', async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/account', {
			status: 401,
			body: { title: 'Unauthorized', status: 401, detail: 'Invalid user name or password' },
		});
		await expect(
			runNode({ script, items: [{ ...base, dealId: deal('1') }] }),
		).rejects.toMatchObject({
			message: 'amoCRM rejected the request: check the Subdomain, then reconnect the credential',
			context: { itemIndex: 0 },
		});
		expect(script.sent.map((request) => request.method)).toEqual(['GET']);
	});

	describe('refuses bad input before any request, naming the field and the fix', () => {
		const cases: Array<[string, Record<string, unknown>, string, string]> = [
			[
				'no deal',
				{ dealId: deal('') },
				'Deal is empty',
				'Choose the deal from the list, paste its amoCRM page address, or map its ID from an earlier node, e.g. {{ $json.id }}.',
			],
			[
				'empty text',
				{ dealId: deal('1'), text: '  ' },
				'Text is empty',
				'Type what the responsible user has to do, e.g. "Call back", or map it from an earlier node.',
			],
			[
				'Due In of 0',
				{ dealId: deal('1'), dueIn: 0 },
				'Due In must be a number above 0, not "0"',
				'Enter how long from now the task is due, e.g. 15 with Unit Minutes, or choose Due: At a Date and Time.',
			],
			[
				'Due In not a number',
				{ dealId: deal('1'), dueIn: 'soon' },
				'Due In must be a number above 0, not "soon"',
				'Enter how long from now the task is due, e.g. 15 with Unit Minutes, or choose Due: At a Date and Time.',
			],
			[
				'empty Due At',
				{ dealId: deal('1'), dueType: 'at', dueAt: '' },
				'Due At is empty',
				'Pick the date and time the task is due, or choose Due: In Some Time From Now.',
			],
			[
				'Due At not a date',
				{ dealId: deal('1'), dueType: 'at', dueAt: 'next Monday' },
				'Due At is not a date and time: "next Monday"',
				"Pick it in the date picker, or map a value such as 2026-12-01T15:30 (read in the workflow's time zone), 2026-12-01T15:30:00+05:00, or {{ $now.plus(2, 'hours') }}.",
			],
			[
				'Due At in the past',
				{ dealId: deal('1'), dueType: 'at', dueAt: '2026-11-28T06:59:00' },
				'Due At is in the past: 2026-11-28T06:59:00.000Z',
				"amoCRM would show the task as overdue at once. Pick a later date and time (a time without a zone is read in the workflow's time zone, UTC), or choose Due: In Some Time From Now.",
			],
			[
				'Due At exactly now',
				{ dealId: deal('1'), dueType: 'at', dueAt: '2026-11-28T07:00:00Z' },
				'Due At is in the past: 2026-11-28T07:00:00.000Z',
				"amoCRM would show the task as overdue at once. Pick a later date and time (a time without a zone is read in the workflow's time zone, UTC), or choose Due: In Some Time From Now.",
			],
			[
				'a responsible user that is no ID',
				{ dealId: deal('1'), additionalFields: { responsibleUserId: 'Anna' } },
				'Responsible User ID must be a number, not "Anna"',
				'amoCRM IDs are whole numbers such as 40401635. If you mapped it from an earlier node, map its "id" field.',
			],
			[
				'a task type that is no ID',
				{ dealId: deal('1'), taskTypeId: 'call' },
				'Task Type ID must be a number, not "call"',
				'amoCRM IDs are whole numbers such as 40401635. If you mapped it from an earlier node, map its "id" field.',
			],
		];
		it.each(cases)('%s', async (_, parameters, message, description) => {
			const script = new AmoCrmScript();
			await expect(runNode({ script, items: [{ ...base, ...parameters }] })).rejects.toMatchObject({
				message,
				description,
				context: { itemIndex: 0 },
			});
			expect(script.sent).toEqual([]);
		});
	});

	it('with Continue On Fail a bad item and a deal amoCRM does not know become error items; the others are created', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/account', account)
			.on('POST', '/api/v4/tasks', {
				status: 400,
				body: {
					'validation-errors': [
						{
							request_id: '2',
							errors: [{ code: 'NotFound', path: 'entity_id', detail: 'Entity not found' }],
						},
					],
					title: 'Bad Request',
					status: 400,
					detail: 'Request validation failed',
				},
			})
			.on('POST', '/api/v4/tasks', created([901, '0']));
		const output = await runNode({
			script,
			continueOnFail: true,
			items: [
				{ ...base, dealId: deal('11') },
				{ ...base, dealId: deal('12'), dueType: 'at', dueAt: '2020-01-01T00:00:00Z' },
				{ ...base, dealId: deal('13') },
			],
		});
		expect(
			script.sent
				.slice(1)
				.map((request) =>
					(request.body as Array<{ entity_id: number }>).map((task) => task.entity_id),
				),
		).toEqual([[11, 13], [11]]);
		expect(output.map((item) => [item.json.id ?? item.json.error, item.pairedItem])).toEqual([
			[901, { item: 0 }],
			['Due At is in the past: 2020-01-01T00:00:00.000Z', { item: 1 }],
			['Deal 13 was not found in amoCRM', { item: 2 }],
		]);
	});
});

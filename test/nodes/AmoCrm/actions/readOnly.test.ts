/** Account > Get, User > Get Many and Pipeline > Get Many: what an AI agent or a user mapping IDs reads. */
import { FakeAmoCrm } from '../../../fakes/amocrm';
import { AmoCrmScript } from '../../../support/executeContext';
import { runAgainstFake } from '../../../support/fakeAmoCrm';
import { resetTransportState, runNode } from '../../../support/runNode';

beforeEach(() => resetTransportState());

describe('Account > Get', () => {
	it('reads /api/v4/account afresh, with the task types when asked', async () => {
		// GET /api/v4/account?with=task_types (crm_platform/account-info), shortened.
		const account = {
			id: 30000001,
			name: 'Shifo Med',
			subdomain: 'e2e',
			created_at: 1700000000,
			current_user_id: 501,
			country: 'UZ',
			currency: 'UZS',
			customers_mode: 'disabled',
			is_unsorted_on: true,
			is_loss_reason_enabled: true,
			is_technical_account: false,
			_links: { self: { href: 'https://e2e.amocrm.ru/api/v4/account' } },
			_embedded: {
				task_types: [
					{ id: 1, name: 'Связаться', color: null, icon_id: null, code: 'FOLLOW_UP' },
					{ id: 2, name: 'Встреча', color: null, icon_id: null, code: 'MEETING' },
				],
			},
		};
		const script = new AmoCrmScript().on('GET', '/api/v4/account?with=task_types', {
			body: account,
		});
		const output = await runNode({
			script,
			items: [{ resource: 'account', operation: 'get', options: { includeTaskTypes: true } }],
		});
		expect(script.sent.map((request) => request.url)).toEqual([
			'https://e2e.amocrm.ru/api/v4/account?with=task_types',
		]);
		expect(output).toEqual([
			{
				json: {
					id: 30000001,
					name: 'Shifo Med',
					subdomain: 'e2e',
					url: 'https://e2e.amocrm.ru',
					currentUserId: 501,
					country: 'UZ',
					currency: 'UZS',
					customersMode: 'disabled',
					isUnsortedOn: true,
					isLossReasonEnabled: true,
					isTechnicalAccount: false,
					createdAt: '2023-11-14T22:13:20.000Z',
					taskTypes: [
						{ id: 1, name: 'Связаться', code: 'FOLLOW_UP' },
						{ id: 2, name: 'Встреча', code: 'MEETING' },
					],
				},
				pairedItem: { item: 0 },
			},
		]);
	});
});

describe('User > Get Many', () => {
	// GET /api/v4/users, amoCRM's example (crm_platform/users-api), one user shortened.
	const users = {
		_total_items: 2,
		_page: 1,
		_page_count: 1,
		_links: { self: { href: 'https://e2e.amocrm.ru/api/v4/users/?page=1&limit=2' } },
		_embedded: {
			users: [
				{
					id: 123123,
					name: 'Пользователь для примера 2',
					email: 'example2@mail.com',
					lang: 'en',
					rights: {
						mail_access: false,
						catalog_access: false,
						is_admin: false,
						is_free: false,
						is_active: true,
						group_id: null,
						role_id: null,
					},
				},
				{
					id: 321321,
					name: 'Admin',
					email: 'admin@mail.com',
					lang: 'ru',
					rights: { is_admin: true, is_free: false, is_active: true, group_id: 7, role_id: 3 },
				},
			],
		},
	};

	it('lists users up to Limit, one item each', async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/users?page=1&limit=2', { body: users });
		const output = await runNode({
			script,
			items: [{ resource: 'user', operation: 'getAll', returnAll: false, limit: 2 }],
		});
		expect(output.map((item) => item.json)).toEqual([
			{
				id: 123123,
				name: 'Пользователь для примера 2',
				email: 'example2@mail.com',
				lang: 'en',
				isAdmin: false,
				isActive: true,
				isFree: false,
				groupId: null,
				roleId: null,
			},
			{
				id: 321321,
				name: 'Admin',
				email: 'admin@mail.com',
				lang: 'ru',
				isAdmin: true,
				isActive: true,
				isFree: false,
				groupId: 7,
				roleId: 3,
			},
		]);
	});

	it('says a 403 means only administrators can list users', async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/users?page=1&limit=250', {
			status: 403,
			body: {
				title: 'Forbidden',
				type: 'https://httpstatus.es/403',
				status: 403,
				detail: 'Access denied',
			},
		});
		await expect(
			runNode({ script, items: [{ resource: 'user', operation: 'getAll', returnAll: true }] }),
		).rejects.toMatchObject({
			message: 'Only amoCRM administrators can list users',
			description:
				'amoCRM lists its users only to an administrator. Connect the credential as an administrator of the account, or map the user IDs another way (the responsible user of a deal, Account > Get for the user the node acts as). amoCRM said: Access denied.',
			httpCode: '403',
		});
		expect(script.sent).toHaveLength(1);
	});

	it('keeps the block message for a 403 page (amoCRM blocked the account)', async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/users?page=1&limit=250', {
			status: 403,
			body: '<html><body>403 Forbidden</body></html>',
		});
		await expect(
			runNode({ script, items: [{ resource: 'user', operation: 'getAll', returnAll: true }] }),
		).rejects.toMatchObject({ message: 'amoCRM refused access: no rights, or API access blocked' });
	});

	it('refuses a Limit below 1 before any request', async () => {
		const script = new AmoCrmScript();
		await expect(
			runNode({ script, items: [{ resource: 'user', operation: 'getAll', limit: 0 }] }),
		).rejects.toMatchObject({ message: 'Limit must be a whole number of 1 or more, not "0"' });
		expect(script.sent).toEqual([]);
	});
});

describe('Pipeline > Get Many', () => {
	it('lists each pipeline with its stages, archived ones only when asked', async () => {
		// GET /api/v4/leads/pipelines (crm_platform/leads_pipelines), shortened.
		const answer = {
			_total_items: 2,
			_links: { self: { href: 'https://e2e.amocrm.ru/api/v4/leads/pipelines' } },
			_embedded: {
				pipelines: [
					{
						id: 3177727,
						name: 'Sales',
						sort: 1,
						is_main: true,
						is_unsorted_on: true,
						is_archive: false,
						account_id: 28805383,
						_embedded: {
							statuses: [
								{
									id: 32392156,
									name: 'Incoming leads',
									sort: 10,
									is_editable: false,
									pipeline_id: 3177727,
									color: '#c1c1c1',
									type: 1,
									account_id: 28805383,
								},
								{
									id: 142,
									name: 'Won',
									sort: 10000,
									is_editable: false,
									pipeline_id: 3177727,
									color: '#CCFF66',
									type: 0,
									account_id: 28805383,
								},
							],
						},
					},
					{
						id: 3177728,
						name: 'Old',
						sort: 2,
						is_main: false,
						is_unsorted_on: false,
						is_archive: true,
						_embedded: { statuses: [] },
					},
				],
			},
		};
		const script = new AmoCrmScript().on('GET', '/api/v4/leads/pipelines?page=1&limit=250', {
			body: answer,
		});
		const active = await runNode({
			script,
			items: [{ resource: 'pipeline', operation: 'getAll', includeArchived: false }],
		});
		expect(active.map((item) => item.json)).toEqual([
			{
				id: 3177727,
				name: 'Sales',
				sort: 1,
				isMain: true,
				isUnsortedOn: true,
				isArchive: false,
				stages: [
					{
						id: 32392156,
						name: 'Incoming leads',
						sort: 10,
						type: 1,
						color: '#c1c1c1',
						isEditable: false,
					},
					{ id: 142, name: 'Won', sort: 10000, type: 0, color: '#CCFF66', isEditable: false },
				],
			},
		]);
		const all = await runNode({ script, items: [{ resource: 'pipeline', operation: 'getAll' }] });
		expect(all.map((item) => item.json.name)).toEqual(['Sales', 'Old']);
		// Lists read in the last 10 seconds count as fresh: the items of one run share one read.
		expect(script.sent).toHaveLength(1);
	});
});

test('against the fake amoCRM: the account, its users (403 for a user who is not an administrator) and its pipelines', async () => {
	const fake = new FakeAmoCrm({ accessTokens: ['test-token'] });
	const [account] = await runAgainstFake(fake, {
		items: [{ resource: 'account', operation: 'get' }],
	});
	expect(account.json).toMatchObject({ subdomain: 'e2e', currentUserId: 501, country: 'RU' });
	const users = await runAgainstFake(fake, {
		items: [{ resource: 'user', operation: 'getAll', returnAll: true }],
	});
	expect(users.map((item) => [item.json.id, item.json.name, item.json.isAdmin])).toEqual(
		fake.users.map((user) => [user.id, user.name, user.is_admin]),
	);
	const pipelines = await runAgainstFake(fake, {
		items: [{ resource: 'pipeline', operation: 'getAll' }],
	});
	expect(pipelines.map((item) => [item.json.id, (item.json.stages as unknown[]).length])).toEqual(
		fake.pipelines.map((pipeline) => [pipeline.id, pipeline.statuses.length]),
	);
	fake.usersForbidden = true;
	const refused = await runAgainstFake(fake, {
		continueOnFail: true,
		items: [{ resource: 'user', operation: 'getAll', returnAll: true }],
	});
	expect(refused[0].json.error).toBe('Only amoCRM administrators can list users');
});

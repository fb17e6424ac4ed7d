import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { AmoCrm } from '../../../../nodes/AmoCrm/AmoCrm.node';
import * as listSearch from '../../../../nodes/AmoCrm/methods/listSearch';
import * as loadOptions from '../../../../nodes/AmoCrm/methods/loadOptions';
import { AmoCrmScript, LONG_LIVED_CREDENTIALS, NODE } from '../../../support/executeContext';
import { catalogsAnswer } from '../../../support/productAnswers';
import { resetTransportState } from '../../../support/runNode';

function loadOptionsContext(
	script: AmoCrmScript,
	current: Record<string, unknown> = {},
): ILoadOptionsFunctions {
	return {
		getNode: () => NODE,
		getCredentials: async () => LONG_LIVED_CREDENTIALS,
		getCurrentNodeParameter: (name: string) =>
			name === 'authentication' ? 'longLivedToken' : current[name],
		getNodeParameter: (_name: string, fallback: unknown) => fallback,
		helpers: {
			httpRequestWithAuthentication: async (type: string, options: never) =>
				await script.handle(NODE, type, options),
		},
	} as unknown as ILoadOptionsFunctions;
}

const pipelines = {
	body: {
		_embedded: {
			pipelines: [
				{
					id: 1002,
					name: 'Wholesale',
					sort: 2,
					is_main: false,
					_embedded: {
						statuses: [
							{ id: 2102, name: 'Contacted', sort: 20 },
							{ id: 2101, name: 'New', sort: 10 },
						],
					},
				},
				{
					id: 1001,
					name: 'Sales',
					sort: 1,
					is_main: true,
					_embedded: { statuses: [{ id: 2002, name: 'New lead', sort: 10 }] },
				},
				{
					id: 1003,
					name: 'Old',
					sort: 3,
					is_main: false,
					is_archive: true,
					_embedded: { statuses: [] },
				},
			],
		},
	},
};

beforeEach(() => resetTransportState());

describe('dropdowns', () => {
	it('lists every pipeline\'s stages as "Pipeline → Stage", whatever Pipeline holds, each value naming both', async () => {
		const script = new AmoCrmScript().on(
			'GET',
			'/api/v4/leads/pipelines?page=1&limit=250',
			pipelines,
		);
		const all = {
			results: [
				{ name: 'Sales → New lead', value: '1001:2002' },
				{ name: 'Wholesale → New', value: '1002:2101' },
				{ name: 'Wholesale → Contacted', value: '1002:2102' },
			],
		};
		expect(
			await listSearch.searchStages.call(
				loadOptionsContext(script, { pipelineId: '={{ $json.pipeline }}' }),
			),
		).toEqual(all);
		expect(
			await listSearch.searchStages.call(
				loadOptionsContext(script, { pipelineId: { __rl: true, mode: 'list', value: '1001' } }),
			),
		).toEqual(all);
		expect(await listSearch.searchStages.call(loadOptionsContext(script), 'wholesale → c')).toEqual(
			{ results: [{ name: 'Wholesale → Contacted', value: '1002:2102' }] },
		);
	});

	it('lists active users by name', async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/users?page=1&limit=250', {
			body: {
				_embedded: {
					users: [
						{ id: 502, name: 'Sales Manager', email: 's@x.uz', rights: { is_active: true } },
						{ id: 501, name: 'Admin', email: 'a@x.uz', rights: { is_active: true } },
						{ id: 503, name: 'Gone', email: 'g@x.uz', rights: { is_active: false } },
					],
				},
			},
		});
		expect(await loadOptions.getUsers.call(loadOptionsContext(script))).toEqual([
			{ name: 'Admin', value: 501, description: 'a@x.uz' },
			{ name: 'Sales Manager', value: 502, description: 's@x.uz' },
		]);
	});

	it("offers the integration's own user (the empty default) before the users who can accept or decline an incoming lead", async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/users?page=1&limit=250', {
			body: {
				_embedded: {
					users: [
						{ id: 502, name: 'Sales Manager', email: 's@x.uz', rights: { is_active: true } },
						{ id: 503, name: 'Gone', email: 'g@x.uz', rights: { is_active: false } },
					],
				},
			},
		});
		expect(await loadOptions.getIncomingLeadUsers.call(loadOptionsContext(script))).toEqual([
			{
				name: 'The User Who Connected the Integration',
				value: '',
				description: 'The user whose access the credential holds; amoCRM acts on their behalf',
			},
			{ name: 'Sales Manager', value: 502, description: 's@x.uz' },
		]);
	});

	it("lists the account's task types by name, built-in and its own", async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/account?with=task_types', {
			body: {
				id: 30000001,
				_embedded: {
					task_types: [
						{ id: 2, name: 'Meeting', color: null, icon_id: null, code: 'MEETING' },
						{ id: 1, name: 'Follow-up', color: null, icon_id: null, code: 'FOLLOW_UP' },
						{ id: 7, name: 'Send the price list', color: '#ff0000', icon_id: 3, code: null },
					],
				},
			},
		});
		expect(await loadOptions.getTaskTypes.call(loadOptionsContext(script))).toEqual([
			{ name: 'Follow-up', value: 1, description: 'ID 1' },
			{ name: 'Meeting', value: 2, description: 'ID 2' },
			{ name: 'Send the price list', value: 7, description: 'ID 7' },
		]);
	});

	it('lists custom fields from every page, without phone and email, a list field with its choices', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/contacts/custom_fields?page=1&limit=250', {
				body: {
					_embedded: {
						custom_fields: [
							{ id: 3001, name: 'Phone', type: 'multitext', code: 'PHONE' },
							{ id: 3003, name: 'Position', type: 'text', code: null },
							{
								id: 3006,
								name: 'Customer type',
								type: 'select',
								code: null,
								enums: [
									{ id: 1, value: 'Retail' },
									{ id: 2, value: 'Wholesale' },
								],
							},
						],
					},
					_links: { next: { href: 'next' } },
				},
			})
			.on('GET', '/api/v4/contacts/custom_fields?page=2&limit=250', {
				body: {
					_embedded: {
						custom_fields: [
							{ id: 3010, name: 'Age', type: 'numeric', code: null },
							{
								id: 3011,
								name: 'Interests',
								type: 'multiselect',
								code: null,
								enums: [
									{ id: 5, value: 'Audio' },
									{ id: 6, value: 'Video' },
								],
							},
						],
					},
				},
			});
		expect(await listSearch.searchContactCustomFields.call(loadOptionsContext(script))).toEqual({
			results: [
				{ name: 'Age', value: '3010' },
				{ name: 'Customer type (one of: Retail, Wholesale)', value: '3006' },
				{ name: 'Interests (one or more of: Audio, Video)', value: '3011' },
				{ name: 'Position', value: '3003' },
			],
		});
	});

	it("lists the company fields from amoCRM's companies endpoint, without Phone and Email", async () => {
		const script = new AmoCrmScript().on(
			'GET',
			'/api/v4/companies/custom_fields?page=1&limit=250',
			{
				body: {
					_embedded: {
						custom_fields: [
							{ id: 5001, name: 'Phone', type: 'multitext', code: 'PHONE' },
							{ id: 5002, name: 'Email', type: 'multitext', code: 'EMAIL' },
							{ id: 5003, name: 'TIN', type: 'text', code: null },
							{
								id: 5004,
								name: 'Segment',
								type: 'select',
								code: null,
								enums: [
									{ id: 7, value: 'Clinic' },
									{ id: 8, value: 'Pharmacy' },
								],
							},
						],
					},
				},
			},
		);
		expect(await listSearch.searchCompanyCustomFields.call(loadOptionsContext(script))).toEqual({
			results: [
				{ name: 'Segment (one of: Clinic, Pharmacy)', value: '5004' },
				{ name: 'TIN', value: '5003' },
			],
		});
		expect(script.pending()).toEqual([]);
	});

	it('explains when a non-admin cannot list users', async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/users?page=1&limit=250', {
			status: 403,
			body: { title: 'Forbidden', status: 403, detail: 'Access denied' },
		});
		await expect(loadOptions.getUsers.call(loadOptionsContext(script))).rejects.toMatchObject({
			message:
				'Only amoCRM administrators can list users: choose the user by ID, or connect the integration as an administrator',
		});
	});

	describe('keeps the Responsible User already chosen, which n8n resets when its list lacks it', () => {
		const users = {
			body: {
				_embedded: {
					users: [
						{ id: 502, name: 'Sales Manager', email: 's@x.uz', rights: { is_active: true } },
						{ id: 501, name: 'Admin', email: 'a@x.uz', rights: { is_active: true } },
					],
				},
			},
		};

		it('in the form it was stored (n8n compares values strictly)', async () => {
			const script = new AmoCrmScript().on('GET', '/api/v4/users?page=1&limit=250', users);
			expect(
				await loadOptions.getUsers.call(
					loadOptionsContext(script, { '&responsibleUserId': '502' }),
				),
			).toEqual([
				{ name: 'Admin', value: 501, description: 'a@x.uz' },
				{ name: 'Sales Manager', value: '502', description: 's@x.uz' },
			]);
		});

		it('named as not a user of this account when the list lacks it', async () => {
			const script = new AmoCrmScript().on('GET', '/api/v4/users?page=1&limit=250', users);
			expect(
				await loadOptions.getUsers.call(loadOptionsContext(script, { '&responsibleUserId': 777 })),
			).toEqual([
				{
					name: 'User 777 (not an active user of this account: choose again)',
					value: 777,
					description: 'The credential chosen reaches another account, or the user was deactivated',
				},
				{ name: 'Admin', value: 501, description: 'a@x.uz' },
				{ name: 'Sales Manager', value: 502, description: 's@x.uz' },
			]);
		});

		it("as the only option, with amoCRM's reason, when the list cannot load", async () => {
			const script = new AmoCrmScript().on('GET', '/api/v4/users?page=1&limit=250', {
				status: 403,
				body: { title: 'Forbidden', status: 403, detail: 'Access denied' },
			});
			expect(
				await loadOptions.getUsers.call(loadOptionsContext(script, { '&responsibleUserId': 502 })),
			).toEqual([
				{
					name: 'User 502 (kept: the user list could not be loaded)',
					value: 502,
					description:
						'Only amoCRM administrators can list users: choose the user by ID, or connect the integration as an administrator',
				},
			]);
		});

		it('not for an expression', async () => {
			const script = new AmoCrmScript().on('GET', '/api/v4/users?page=1&limit=250', users);
			expect(
				await loadOptions.getUsers.call(
					loadOptionsContext(script, { '&responsibleUserId': '={{ $json.manager }}' }),
				),
			).toHaveLength(2);
		});
	});

	describe("a custom field row's Choices", () => {
		const leadFields = {
			body: {
				_embedded: {
					custom_fields: [
						{ id: 4001, name: 'Source', type: 'text', code: null },
						{
							id: 4003,
							name: 'Channel',
							type: 'select',
							code: null,
							enums: [
								{ id: 4101, value: 'Website' },
								{ id: 4102, value: 'Telegram' },
							],
						},
					],
				},
			},
		};

		it("are the choices of the field chosen in the same row, in amoCRM's order, by enum ID", async () => {
			const script = new AmoCrmScript().on(
				'GET',
				'/api/v4/leads/custom_fields?page=1&limit=250',
				leadFields,
			);
			expect(
				await loadOptions.getDealCustomFieldChoices.call(
					loadOptionsContext(script, {
						'&fieldId': { __rl: true, mode: 'list', value: '4003' },
					}),
				),
			).toEqual([
				{ name: 'Website', value: 4101 },
				{ name: 'Telegram', value: 4102 },
			]);
		});

		it('are none for a field without choices, a field by ID the account lacks, or no field yet (then nothing is asked)', async () => {
			const script = new AmoCrmScript().on(
				'GET',
				'/api/v4/leads/custom_fields?page=1&limit=250',
				leadFields,
			);
			for (const fieldId of [{ __rl: true, mode: 'id', value: '4001' }, '4999']) {
				expect(
					await loadOptions.getDealCustomFieldChoices.call(
						loadOptionsContext(script, { '&fieldId': fieldId }),
					),
				).toEqual([]);
			}
			resetTransportState();
			const untouched = new AmoCrmScript();
			expect(
				await loadOptions.getDealCustomFieldChoices.call(
					loadOptionsContext(untouched, { '&fieldId': { __rl: true, mode: 'list', value: '' } }),
				),
			).toEqual([]);
			expect(untouched.sent).toEqual([]);
		});
	});
});

describe('deal, contact and company lists', () => {
	beforeEach(() => resetTransportState());

	it('show a page of deals, newest first, with their IDs and pages, and the next page', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/leads?page=1&limit=50&order%5Bupdated_at%5D=desc', {
				body: {
					_page: 1,
					_links: { next: { href: 'https://e2e.amocrm.ru/api/v4/leads?page=2' } },
					_embedded: {
						leads: [
							{ id: 7001, name: 'Hearing aid for Anvar' },
							{ id: 7002, name: '' },
						],
					},
				},
			})
			.on('GET', '/api/v4/leads?page=2&limit=50&order%5Bupdated_at%5D=desc', {
				body: { _page: 2, _embedded: { leads: [{ id: 7003, name: 'Batteries' }] } },
			});
		const context = loadOptionsContext(script);
		expect(await listSearch.searchDeals.call(context)).toEqual({
			results: [
				{
					name: 'Hearing aid for Anvar (#7001)',
					value: '7001',
					url: 'https://e2e.amocrm.ru/leads/detail/7001',
				},
				{
					name: '(no name) (#7002)',
					value: '7002',
					url: 'https://e2e.amocrm.ru/leads/detail/7002',
				},
			],
			paginationToken: '2',
		});
		expect(await listSearch.searchDeals.call(context, undefined, '2')).toEqual({
			results: [
				{
					name: 'Batteries (#7003)',
					value: '7003',
					url: 'https://e2e.amocrm.ru/leads/detail/7003',
				},
			],
			paginationToken: undefined,
		});
	});

	it('search amoCRM for what is typed; nothing found is an empty list', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/contacts?page=1&limit=50&order%5Bupdated_at%5D=desc&query=Anvar', {
				body: { _embedded: { contacts: [{ id: 3001, name: 'Anvar' }] } },
			})
			.on('GET', '/api/v4/companies?page=1&limit=50&order%5Bupdated_at%5D=desc&query=Nobody', {
				status: 204,
			});
		const context = loadOptionsContext(script);
		expect((await listSearch.searchContacts.call(context, ' Anvar ')).results).toEqual([
			{ name: 'Anvar (#3001)', value: '3001', url: 'https://e2e.amocrm.ru/contacts/detail/3001' },
		]);
		expect(await listSearch.searchCompanies.call(context, 'Nobody')).toEqual({
			results: [],
			paginationToken: undefined,
		});
	});
});

describe('getIncomingLeadPipelines', () => {
	beforeEach(() => resetTransportState());

	it('lists "Main Pipeline" (the empty default), then only the pipelines with an Incoming leads stage (type 1), main first, archived left out', async () => {
		const withIncoming = {
			body: {
				_embedded: {
					pipelines: [
						{
							id: 1002,
							name: 'Wholesale',
							sort: 2,
							is_main: false,
							_embedded: { statuses: [{ id: 2101, name: 'New', sort: 10, type: 0 }] },
						},
						{
							id: 1003,
							name: 'Dealers',
							sort: 3,
							is_main: false,
							_embedded: { statuses: [{ id: 2201, name: 'Incoming', sort: 10, type: 1 }] },
						},
						{
							id: 1001,
							name: 'Sales',
							sort: 1,
							is_main: true,
							_embedded: { statuses: [{ id: 2001, name: 'Incoming', sort: 10, type: 1 }] },
						},
						{
							id: 1004,
							name: 'Old',
							sort: 4,
							is_main: false,
							is_archive: true,
							_embedded: { statuses: [{ id: 2301, name: 'Incoming', sort: 10, type: 1 }] },
						},
					],
				},
			},
		};
		const script = new AmoCrmScript().on(
			'GET',
			'/api/v4/leads/pipelines?page=1&limit=250',
			withIncoming,
		);
		expect(await loadOptions.getIncomingLeadPipelines.call(loadOptionsContext(script))).toEqual([
			{
				name: 'Main Pipeline',
				value: '',
				description: "The account's main pipeline, whichever it is when the lead is sent",
			},
			{ name: 'Sales (main)', value: 1001, description: 'ID 1001' },
			{ name: 'Dealers', value: 1003, description: 'ID 1003' },
		]);
	});
});

describe('dropdowns a new node shows (outside any collection)', () => {
	beforeEach(() => resetTransportState());

	// n8n's editor marks a value its list lacks as "not supported": a field left at its default
	// would look broken on every new node, and hold Publish back.
	it.each(
		new AmoCrm().description.properties
			.filter((property) => property.type === 'options' && property.typeOptions?.loadOptionsMethod)
			.map((property) => [
				`${property.displayOptions?.show?.resource}/${property.displayOptions?.show?.operation} ${property.name}`,
				property,
			]),
	)('%s: its list offers its default', async (_name, property) => {
		const method = property.typeOptions?.loadOptionsMethod as keyof typeof loadOptions;
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/leads/pipelines?page=1&limit=250', pipelines)
			.on('GET', '/api/v4/users?page=1&limit=250', {
				body: { _embedded: { users: [{ id: 502, name: 'Sales Manager', email: 's@x.uz' }] } },
			})
			.on('GET', '/api/v4/account?with=task_types', {
				body: { id: 30000001, _embedded: { task_types: [{ id: 1, name: 'Call', code: 'CALL' }] } },
			})
			.on('GET', '/api/v4/catalogs?page=1&limit=250', catalogsAnswer)
			.on('GET', '/api/v4/catalogs/4521/custom_fields?page=1&limit=250', catalogFields);
		const options = await (
			loadOptions[method] as (this: ILoadOptionsFunctions) => Promise<INodePropertyOptions[]>
		).call(loadOptionsContext(script));
		expect(options.map((option) => option.value)).toContain(property.default);
	});
});

// GET /api/v4/catalogs/{id}/custom_fields: the products list's own fields (crm_platform/catalogs-api
// element example: SKU text, PRICE numeric) and a field of type `price` (custom-fields: "price | Цена").
const catalogFields = {
	body: {
		_embedded: {
			custom_fields: [
				{ id: 271207, name: 'Артикул', type: 'text', code: 'SKU', enums: null },
				{ id: 271211, name: 'Цена', type: 'numeric', code: 'PRICE', enums: null },
				{ id: 2930681, name: 'Оптовая цена', type: 'price', code: null, enums: null },
			],
		},
	},
};

describe('product lists', () => {
	beforeEach(() => resetTransportState());

	it('lists the catalogs after "Products" (the empty default), leaving invoices out', async () => {
		const script = new AmoCrmScript().on(
			'GET',
			'/api/v4/catalogs?page=1&limit=250',
			catalogsAnswer,
		);
		expect(await loadOptions.getCatalogs.call(loadOptionsContext(script))).toEqual([
			{
				name: 'Products',
				value: '',
				description: "The account's products list (Settings > General settings > Products)",
			},
			{ name: 'Просто список', value: 4589, description: 'ID 4589' },
			{ name: 'Товары (products)', value: 4521, description: 'ID 4521' },
		]);
	});

	it("lists the chosen catalog's price fields after the product's own price", async () => {
		const script = new AmoCrmScript().on(
			'GET',
			'/api/v4/catalogs/4521/custom_fields?page=1&limit=250',
			catalogFields,
		);
		expect(
			await loadOptions.getCatalogPriceFields.call(
				loadOptionsContext(script, { '&catalogId': 4521 }),
			),
		).toEqual([
			{ name: "Product's Own Price", value: '', description: "The product's Price field" },
			{ name: 'Оптовая цена', value: 2930681, description: 'ID 2930681' },
		]);
		expect(script.sent.map((request) => request.url)).toEqual([
			'https://e2e.amocrm.ru/api/v4/catalogs/4521/custom_fields?page=1&limit=250',
		]);
	});

	it('searches the products of the products list when no catalog is chosen', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/catalogs?page=1&limit=250', catalogsAnswer)
			.on('GET', '/api/v4/catalogs/4521/elements?page=1&limit=50&query=HA', {
				body: {
					_page: 1,
					_links: { next: { href: 'https://e2e.amocrm.ru/api/v4/catalogs/4521/elements?page=2' } },
					_embedded: { elements: [{ id: 525439, name: 'Hearing aid HA-200', catalog_id: 4521 }] },
				},
			});
		expect(
			await listSearch.searchProducts.call(loadOptionsContext(script, { catalogId: '' }), ' HA '),
		).toEqual({
			results: [{ name: 'Hearing aid HA-200 (#525439)', value: '525439' }],
			paginationToken: '2',
		});
	});
});

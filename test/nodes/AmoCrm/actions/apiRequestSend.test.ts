import { readApiPath } from '../../../../nodes/AmoCrm/actions/apiRequest/send.operation';
import { AmoCrmScript } from '../../../support/executeContext';
import { resetTransportState, runNode } from '../../../support/runNode';

const base = { resource: 'apiRequest', operation: 'send' };

beforeEach(() => resetTransportState());

// GET /api/v4/leads/pipelines, as amoCRM documents it (crm_platform/leads_pipelines), shortened.
const PIPELINES = {
	_total_items: 1,
	_links: { self: { href: 'https://e2e.amocrm.ru/api/v4/leads/pipelines' } },
	_embedded: {
		pipelines: [
			{
				id: 3177727,
				name: 'Воронка',
				sort: 1,
				is_main: true,
				is_unsorted_on: true,
				is_archive: false,
				account_id: 28805383,
				_embedded: { statuses: [{ id: 32392156, name: 'Неразобранное', type: 1 }] },
			},
			{ id: 3177728, name: 'Wholesale', sort: 2, is_main: false, _embedded: { statuses: [] } },
		],
	},
};

describe('API Request > Send', () => {
	it('sends a GET with its query to /api/v4/<path> and outputs the whole answer as one item', async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/leads/pipelines?with=statuses', {
			body: PIPELINES,
		});
		const output = await runNode({
			script,
			items: [
				{
					...base,
					method: 'GET',
					path: 'leads/pipelines',
					queryParameters: { parameter: [{ name: 'with', value: 'statuses' }] },
				},
			],
		});
		expect(script.sent).toEqual([
			{
				credentialType: 'amoCrmApi',
				method: 'GET',
				url: 'https://e2e.amocrm.ru/api/v4/leads/pipelines?with=statuses',
				qs: { with: 'statuses' },
				body: undefined,
			},
		]);
		expect(output).toEqual([{ json: PIPELINES, pairedItem: { item: 0 } }]);
	});

	it('splits a list answer into one item per entity with Output "One Item per Listed Entity"', async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/leads/pipelines', { body: PIPELINES });
		const output = await runNode({
			script,
			items: [{ ...base, method: 'GET', path: '/api/v4/leads/pipelines', output: 'split' }],
		});
		expect(output.map((item) => item.json)).toEqual(PIPELINES._embedded.pipelines);
	});

	it("takes a query after ? in Path and this account's full address", async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/leads/9001?with=contacts', {
			body: { id: 9001, name: 'Order' },
		});
		const output = await runNode({
			script,
			items: [
				{ ...base, method: 'GET', path: 'https://e2e.amocrm.ru/api/v4/leads/9001?with=contacts' },
			],
		});
		expect(script.sent[0].url).toBe('https://e2e.amocrm.ru/api/v4/leads/9001?with=contacts');
		expect(output[0].json).toEqual({ id: 9001, name: 'Order' });
	});

	it('sends the JSON Body of a POST and outputs each element of a bare array answer', async () => {
		// POST /api/v4/leads/complex answers a bare array (developers.kommo.com/reference/complex-leads).
		const answer = [
			{ id: 9001, contact_id: 40401635, company_id: null, request_id: ['0'], merged: false },
		];
		const script = new AmoCrmScript().on('POST', '/api/v4/leads/complex', { body: answer });
		const output = await runNode({
			script,
			items: [
				{
					...base,
					method: 'POST',
					path: 'leads/complex',
					body: '[{ "name": "Order", "_embedded": { "contacts": [{ "first_name": "Aziz" }] } }]',
				},
			],
		});
		expect(script.sent[0].body).toEqual([
			{ name: 'Order', _embedded: { contacts: [{ first_name: 'Aziz' }] } },
		]);
		expect(output.map((item) => item.json)).toEqual(answer);
	});

	it('outputs one empty item for a 204 (whole answer) and no item with One Item per Listed Entity', async () => {
		const script = new AmoCrmScript()
			.on('POST', '/api/v4/leads/9001/unlink', { status: 204 })
			.on('GET', '/api/v4/contacts?query=nobody', { status: 204 });
		const output = await runNode({
			script,
			items: [
				{
					...base,
					method: 'POST',
					path: 'leads/9001/unlink',
					body: '[{ "to_entity_id": 5, "to_entity_type": "contacts" }]',
				},
				{ ...base, method: 'GET', path: 'contacts?query=nobody', output: 'split' },
			],
		});
		expect(output).toEqual([{ json: {}, pairedItem: { item: 0 } }]);
	});

	it.each([
		[
			'https://evil.example.com/api/v4/leads',
			"Path leads to https://evil.example.com, not to this credential's account https://e2e.amocrm.ru",
		],
		[
			'https://e2e.amocrm.ru.evil.example.com/api/v4/leads',
			"Path leads to https://e2e.amocrm.ru.evil.example.com, not to this credential's account https://e2e.amocrm.ru",
		],
		[
			'//evil.example.com/api/v4/leads',
			"Path leads to https://evil.example.com, not to this credential's account https://e2e.amocrm.ru",
		],
		[
			'http://e2e.amocrm.ru/api/v4/leads',
			"Path leads to http://e2e.amocrm.ru, not to this credential's account https://e2e.amocrm.ru",
		],
		[
			'/oauth2/access_token',
			'Path must lead to amoCRM\'s API v4 (/api/v4/…), not "/oauth2/access_token"',
		],
		['api/v2/account', 'Path must lead to amoCRM\'s API v4 (/api/v4/…), not "api/v2/account"'],
		[
			'leads/../../oauth2/access_token',
			'Path "leads/../../oauth2/access_token" is not a path of amoCRM\'s API',
		],
		[
			'leads/%2e%2e/%2e%2e/private',
			'Path "leads/%2e%2e/%2e%2e/private" is not a path of amoCRM\'s API',
		],
		['leads\\..\\x', 'Path "leads\\..\\x" is not a path of amoCRM\'s API'],
		['', 'Path is empty'],
	])('refuses the path %j before any request', async (path, message) => {
		const script = new AmoCrmScript();
		await expect(
			runNode({ script, items: [{ ...base, method: 'GET', path }] }),
		).rejects.toMatchObject({ message, context: { itemIndex: 0 } });
		expect(script.sent).toEqual([]);
	});

	it('says the token only goes to the account when a path leads elsewhere', async () => {
		const script = new AmoCrmScript();
		await expect(
			runNode({ script, items: [{ ...base, method: 'GET', path: 'https://evil.example.com/x' }] }),
		).rejects.toMatchObject({
			description:
				"The node sends the credential's token with the request, so it only talks to https://e2e.amocrm.ru/api/v4/. Enter the part after /api/v4/ in amoCRM's documentation, e.g. leads/pipelines; query parameters may follow a ?.",
		});
	});

	it('refuses a JSON Body that is not JSON, a repeated query parameter and an unknown method, before any request', async () => {
		const script = new AmoCrmScript();
		const run = (item: Record<string, unknown>) =>
			runNode({ script, items: [{ ...base, path: 'leads', ...item }] });
		await expect(run({ method: 'POST', body: '[{ name: ' })).rejects.toMatchObject({
			message: expect.stringMatching(/^JSON Body is not valid JSON: /),
		});
		await expect(
			run({
				method: 'GET',
				queryParameters: {
					parameter: [
						{ name: 'filter[id]', value: '1' },
						{ name: 'filter[id]', value: '2' },
					],
				},
			}),
		).rejects.toMatchObject({
			message: 'Query Parameters: "filter[id]" is given twice',
			description:
				"Number a list parameter, e.g. filter[id][0] and filter[id][1], as amoCRM's documentation does.",
		});
		await expect(run({ method: 'PUT' })).rejects.toMatchObject({
			message: 'Method must be GET, POST, PATCH or DELETE, not "PUT"',
		});
		expect(script.sent).toEqual([]);
	});

	it("maps amoCRM's errors as every operation does (a 403, not retried)", async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/users', {
			status: 403,
			body: {
				title: 'Forbidden',
				type: 'https://httpstatus.es/403',
				status: 403,
				detail: 'Access denied',
			},
		});
		await expect(
			runNode({ script, items: [{ ...base, method: 'GET', path: 'users' }] }),
		).rejects.toMatchObject({
			message: 'amoCRM refused access: no rights, or API access blocked',
			httpCode: '403',
		});
		expect(script.sent).toHaveLength(1);
	});

	it("with Continue On Fail a refused path is that item's error and the other items are sent", async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/account', { body: { id: 1 } });
		const output = await runNode({
			script,
			continueOnFail: true,
			items: [
				{ ...base, method: 'GET', path: 'https://evil.example.com/api/v4/account' },
				{ ...base, method: 'GET', path: 'account' },
			],
		});
		expect(output.map((item) => item.json)).toEqual([
			{
				error:
					"Path leads to https://evil.example.com, not to this credential's account https://e2e.amocrm.ru",
				description:
					"The node sends the credential's token with the request, so it only talks to https://e2e.amocrm.ru/api/v4/. Enter the part after /api/v4/ in amoCRM's documentation, e.g. leads/pipelines; query parameters may follow a ?.",
			},
			{ id: 1 },
		]);
	});
});

describe('readApiPath', () => {
	it.each([
		['leads', 'leads'],
		['/api/v4/leads/', 'leads/'],
		['api/v4/catalogs/1001/elements', 'catalogs/1001/elements'],
		['https://e2e.amocrm.ru/api/v4/leads/unsorted/abc123/accept', 'leads/unsorted/abc123/accept'],
	])('%j is %j below /api/v4/', (typed, path) => {
		expect(readApiPath(typed, 'https://e2e.amocrm.ru')).toMatchObject({ path });
	});
});

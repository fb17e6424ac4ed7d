/**
 * What a site's lead meets in amoCRM, run through n8n-core: a phone typed without a country
 * code, a public form's contact matching, a deal amoCRM merged, and pipelines that changed
 * in amoCRM since the node last read them.
 */
import { runWorkflow } from '../harness';
import { validationRefusal } from '../support/amoCrmAnswers';
import { mockAmoCrm } from './amocrm-mock';
import {
	amoCrmNode,
	chain,
	isolateEachTest,
	longLivedTokenCredentials,
	startNode,
} from './fixtures';

isolateEachTest();

const accountRu = {
	status: 200,
	body: {
		id: 30000001,
		name: 'E2E Test Account',
		subdomain: 'e2e',
		current_user_id: 501,
		country: 'RU',
		currency: 'RUB',
		is_unsorted_on: true,
		_links: { self: { href: 'https://e2e.amocrm.ru/api/v4/account' } },
	},
};
const phoneField = (value: string) => ({
	field_id: 3001,
	field_name: 'Телефон',
	field_code: 'PHONE',
	field_type: 'multitext',
	values: [{ value, enum_id: 5001, enum_code: 'WORK' }],
});

test('a Russian account: "8 901 555-00-11" from the form finds the contact stored as +79015550011, no second contact', async () => {
	const amo = mockAmoCrm()
		.expect('GET', '/api/v4/account', accountRu)
		.expect('GET', '/api/v4/contacts?query=015550011&limit=50', {
			status: 200,
			body: {
				_page: 1,
				_links: {},
				_embedded: {
					contacts: [
						{
							id: 40401635,
							name: 'Иван Петров',
							custom_fields_values: [phoneField('+79015550011')],
						},
					],
				},
			},
		});
	const workflow = {
		nodes: [
			startNode(),
			amoCrmNode('Create Contact', {
				authentication: 'longLivedToken',
				resource: 'contact',
				operation: 'create',
				name: '={{ $json.name }}',
				phones: { phone: [{ number: '={{ $json.phone }}', type: 'MOB' }] },
			}),
		],
		connections: chain('Start', 'Create Contact'),
	};
	const result = await runWorkflow({
		workflow,
		credentials: longLivedTokenCredentials(),
		items: [{ name: 'Иван', phone: '8 901 555-00-11' }],
	});
	expect(result.error).toBeUndefined();
	expect(amo.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
		'GET /api/v4/account',
		'GET /api/v4/contacts?query=015550011&limit=50',
	]);
	expect(result.outputsByNode['Create Contact']).toEqual([
		{
			json: {
				id: 40401635,
				name: 'Иван Петров',
				reused: true,
				url: 'https://e2e.amocrm.ru/contacts/detail/40401635',
			},
			pairedItem: { item: 0 },
		},
	]);
});

test('a public form (Match Existing Contacts By: Phone Only): a known email does not attach the deal to its contact; a deal amoCRM merged comes out as merged', async () => {
	const amo = mockAmoCrm()
		.expect('GET', '/api/v4/contacts?query=901234567&limit=50', { status: 204 })
		.expect('POST', '/api/v4/leads/complex', {
			status: 200,
			body: [{ id: 8001, contact_id: 40401700, company_id: null, request_id: ['0'], merged: true }],
		});
	const workflow = {
		nodes: [
			startNode(),
			amoCrmNode('Create Deal', {
				authentication: 'longLivedToken',
				resource: 'deal',
				operation: 'create',
				name: '=Site: {{ $json.name }}',
				// An expression giving no stage: amoCRM's default, with no pipeline check.
				statusId: '={{ $json.stage ?? "" }}',
				contactMode: 'new',
				newContactName: '={{ $json.name }}',
				newContactPhone: '={{ $json.phone }}',
				newContactEmail: '={{ $json.email }}',
				options: { defaultCountryCode: '998', matchContactsBy: 'phone' },
			}),
		],
		connections: chain('Start', 'Create Deal'),
	};
	const result = await runWorkflow({
		workflow,
		credentials: longLivedTokenCredentials(),
		items: [{ name: 'Someone', phone: '90 123 45 67', email: 'known.customer@example.uz' }],
	});
	expect(result.error).toBeUndefined();
	expect(amo.requests).toEqual([
		{
			method: 'GET',
			path: '/api/v4/contacts?query=901234567&limit=50',
			authorization: 'Bearer long-lived-1',
			body: undefined,
		},
		{
			method: 'POST',
			path: '/api/v4/leads/complex',
			authorization: 'Bearer long-lived-1',
			body: [
				{
					name: 'Site: Someone',
					_embedded: {
						contacts: [
							{
								name: 'Someone',
								custom_fields_values: [
									{ field_code: 'PHONE', values: [{ value: '+998901234567', enum_code: 'MOB' }] },
									{
										field_code: 'EMAIL',
										values: [{ value: 'known.customer@example.uz', enum_code: 'WORK' }],
									},
								],
							},
						],
					},
					request_id: '0',
				},
			],
		},
	]);
	expect(result.outputsByNode['Create Deal']).toEqual([
		{
			json: {
				id: 8001,
				name: 'Site: Someone',
				price: 0,
				pipelineId: null,
				statusId: null,
				contactId: 40401700,
				url: 'https://e2e.amocrm.ru/leads/detail/8001',
				contactReused: true,
				merged: true,
			},
			pairedItem: { item: 0 },
		},
	]);
});

test('pipelines are read once for many executions; when amoCRM refuses the stage they are read again and the item names the stage to pick', async () => {
	const pipelines = (statuses: Array<{ id: number; name: string }>) => ({
		status: 200,
		body: {
			_total_items: 1,
			_embedded: {
				pipelines: [
					{
						id: 1001,
						name: 'Sales',
						sort: 1,
						is_main: true,
						is_archive: false,
						_embedded: {
							statuses: statuses.map((status, i) => ({
								...status,
								sort: 10 * (i + 1),
								pipeline_id: 1001,
								type: 0,
							})),
						},
					},
				],
			},
		},
	});
	const refusedStage = validationRefusal('status_id');
	const amo = mockAmoCrm()
		.expect(
			'GET',
			'/api/v4/leads/pipelines?page=1&limit=250',
			pipelines([
				{ id: 2002, name: 'New lead' },
				{ id: 2003, name: 'Qualified' },
			]),
		)
		.expect('POST', '/api/v4/leads', {
			status: 200,
			body: { _embedded: { leads: [{ id: 1, request_id: '0' }] } },
		})
		.expect('POST', '/api/v4/leads', {
			status: 200,
			body: { _embedded: { leads: [{ id: 2, request_id: '0' }] } },
		})
		// "Qualified" is deleted in amoCRM
		.expect('POST', '/api/v4/leads', refusedStage)
		.expect(
			'GET',
			'/api/v4/leads/pipelines?page=1&limit=250',
			pipelines([{ id: 2002, name: 'New lead' }]),
		);
	const workflow = {
		nodes: [
			startNode(),
			amoCrmNode(
				'Create Deal',
				{
					authentication: 'longLivedToken',
					resource: 'deal',
					operation: 'create',
					name: '={{ $json.name }}',
					statusId: '1001:2003',
				},
				{ onError: 'continueRegularOutput' },
			),
		],
		connections: chain('Start', 'Create Deal'),
	};
	const run = async (name: string) =>
		await runWorkflow({ workflow, credentials: longLivedTokenCredentials(), items: [{ name }] });
	expect((await run('First')).outputsByNode['Create Deal'][0].json).toMatchObject({
		id: 1,
		statusId: 2003,
	});
	expect((await run('Second')).outputsByNode['Create Deal'][0].json).toMatchObject({
		id: 2,
		statusId: 2003,
	});
	const third = await run('Third');
	expect(third.outputsByNode['Create Deal']).toEqual([
		{
			// n8n-core keeps only the message in the json of an item that carries its error
			json: { error: 'Stage 2003 is not a stage of pipeline "Sales"' },
			error: expect.objectContaining({
				name: 'NodeOperationError',
				description:
					'Choose Pipeline and Stage from the list again. "Sales" has: "New lead" (2002).',
				context: { itemIndex: 0 },
			}),
			pairedItem: { item: 0 },
		},
	]);
	expect(amo.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
		'GET /api/v4/leads/pipelines?page=1&limit=250',
		'POST /api/v4/leads',
		'POST /api/v4/leads',
		'POST /api/v4/leads',
		'GET /api/v4/leads/pipelines?page=1&limit=250',
	]);
	expect(amo.isDone()).toBe(true);
});

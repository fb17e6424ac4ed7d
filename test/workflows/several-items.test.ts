import { runWorkflow } from '../harness';
import { mockAmoCrm } from './amocrm-mock';
import { amoCrmNode, chain, isolateEachTest, oauth2Credentials, startNode } from './fixtures';

isolateEachTest();

const createContact = amoCrmNode('Create Contact', {
	resource: 'contact',
	operation: 'create',
	name: '={{ $json.name }}',
	phones: { phone: [{ number: '={{ $json.phone }}', type: 'MOB' }] },
	emails: { email: [{ address: '={{ $json.email }}', type: 'WORK' }] },
	additionalFields: { tags: '={{ $json.source }}' },
	options: { defaultCountryCode: '998' },
	// avoidDuplicates is left at its default (on)
});

const workflow = {
	nodes: [startNode(), createContact],
	connections: chain('Start', 'Create Contact'),
};

test("several items: each item's own name, phone, email and tags go to amoCRM in one batch; each is checked for duplicates, in amoCRM and among the run's items", async () => {
	const amo = mockAmoCrm()
		// item 0: nobody has this phone or email -> created
		.expect('GET', '/api/v4/contacts?query=712021441&limit=50', { status: 204 })
		.expect('GET', '/api/v4/contacts?query=Aziz%40Example.uz&limit=50', { status: 204 })
		// item 1: amoCRM's full-text search finds a contact whose phone is the same number -> reused
		.expect('GET', '/api/v4/contacts?query=901234567&limit=50', {
			status: 200,
			body: {
				_embedded: {
					contacts: [
						{
							id: 333,
							name: 'Malika Y.',
							custom_fields_values: [
								{
									field_code: 'PHONE',
									values: [{ value: '8 (90) 123-45-67' }, { value: '+998 90 123 45 67' }],
								},
							],
						},
					],
				},
			},
		})
		// item 2: the search finds someone whose other field merely contains the digits -> created
		.expect('GET', '/api/v4/contacts?query=935550011&limit=50', {
			status: 200,
			body: {
				_embedded: {
					contacts: [
						{
							id: 444,
							name: 'Order 935550011',
							custom_fields_values: [{ field_code: 'PHONE', values: [{ value: '+998711111111' }] }],
						},
					],
				},
			},
		})
		.expect('GET', '/api/v4/contacts?query=rustam%40example.uz&limit=50', { status: 204 })
		// item 3 has item 0's number, typed differently: no search, it becomes item 0's contact
		// the new contacts go in one request, each tagged with its item's index
		.expect('POST', '/api/v4/contacts', {
			status: 200,
			body: {
				_embedded: {
					contacts: [
						{ id: 601, request_id: '0' },
						{ id: 603, request_id: '2' },
					],
				},
			},
		});

	const result = await runWorkflow({
		workflow,
		credentials: oauth2Credentials(),
		items: [
			{
				name: 'Aziz Karimov',
				phone: '+998 71 202-14-41',
				email: 'Aziz@Example.uz',
				source: 'site',
			},
			{
				name: 'Malika Yusupova',
				phone: '90 123 45 67',
				email: 'malika@example.uz',
				source: 'instagram',
			},
			{
				name: 'Rustam Aliev',
				phone: '93-555-00-11',
				email: 'rustam@example.uz',
				source: 'site, promo',
			},
			{ name: 'Aziz (again)', phone: '998712021441', email: '', source: 'site' },
		],
	});

	expect(result.error).toBeUndefined();
	expect(amo.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
		'GET /api/v4/contacts?query=712021441&limit=50',
		'GET /api/v4/contacts?query=Aziz%40Example.uz&limit=50',
		'GET /api/v4/contacts?query=901234567&limit=50',
		'GET /api/v4/contacts?query=935550011&limit=50',
		'GET /api/v4/contacts?query=rustam%40example.uz&limit=50',
		'POST /api/v4/contacts',
	]);
	expect(amo.requests[5].body).toEqual([
		{
			name: 'Aziz Karimov',
			custom_fields_values: [
				{ field_code: 'PHONE', values: [{ value: '+998712021441', enum_code: 'MOB' }] },
				{ field_code: 'EMAIL', values: [{ value: 'Aziz@Example.uz', enum_code: 'WORK' }] },
			],
			_embedded: { tags: [{ name: 'site' }] },
			request_id: '0',
		},
		{
			name: 'Rustam Aliev',
			custom_fields_values: [
				{ field_code: 'PHONE', values: [{ value: '+998935550011', enum_code: 'MOB' }] },
				{ field_code: 'EMAIL', values: [{ value: 'rustam@example.uz', enum_code: 'WORK' }] },
			],
			_embedded: { tags: [{ name: 'site' }, { name: 'promo' }] },
			request_id: '2',
		},
	]);
	expect(result.outputsByNode['Create Contact']).toEqual([
		{
			json: {
				id: 601,
				name: 'Aziz Karimov',
				reused: false,
				url: 'https://e2e.amocrm.ru/contacts/detail/601',
			},
			pairedItem: { item: 0 },
		},
		{
			json: {
				id: 333,
				name: 'Malika Y.',
				reused: true,
				url: 'https://e2e.amocrm.ru/contacts/detail/333',
			},
			pairedItem: { item: 1 },
		},
		{
			json: {
				id: 603,
				name: 'Rustam Aliev',
				reused: false,
				url: 'https://e2e.amocrm.ru/contacts/detail/603',
			},
			pairedItem: { item: 2 },
		},
		{
			json: {
				id: 601,
				name: 'Aziz Karimov',
				reused: true,
				url: 'https://e2e.amocrm.ru/contacts/detail/601',
			},
			pairedItem: { item: 3 },
		},
	]);
	expect(amo.isDone()).toBe(true);
});

test("several items: each deal goes to its own item's pipeline and stage, checked against the account's pipelines (read once)", async () => {
	const pipelines = {
		_embedded: {
			pipelines: [
				{
					id: 10,
					name: 'Sales',
					sort: 1,
					is_main: true,
					_embedded: { statuses: [{ id: 101, name: 'New', sort: 10, pipeline_id: 10 }] },
				},
				{
					id: 20,
					name: 'Service',
					sort: 2,
					is_main: false,
					_embedded: {
						statuses: [
							{ id: 201, name: 'Request', sort: 10, pipeline_id: 20 },
							{ id: 202, name: 'Visit', sort: 20, pipeline_id: 20 },
						],
					},
				},
			],
		},
	};
	const amo = mockAmoCrm()
		.expect('GET', '/api/v4/leads/pipelines?page=1&limit=250', { status: 200, body: pipelines })
		.expect('POST', '/api/v4/leads', {
			status: 200,
			body: {
				_embedded: {
					leads: [
						{ id: 1, request_id: '0' },
						{ id: 2, request_id: '1' },
					],
				},
			},
		});
	const createDeal = amoCrmNode('Create Deal', {
		resource: 'deal',
		operation: 'create',
		name: '={{ $json.title }}',
		price: '={{ $json.price }}',
		pipelineId: '={{ $json.pipeline }}',
		statusId: '={{ $json.stage }}',
		additionalFields: { responsibleUserId: '={{ $json.manager }}' },
	});

	const result = await runWorkflow({
		workflow: { nodes: [startNode(), createDeal], connections: chain('Start', 'Create Deal') },
		credentials: oauth2Credentials(),
		items: [
			{ title: 'Hearing aid', price: 1500000, pipeline: 10, stage: 101, manager: 7 },
			{ title: 'Repair', price: 0, pipeline: '20', stage: '202', manager: '8' },
		],
	});

	expect(result.error).toBeUndefined();
	expect(amo.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
		'GET /api/v4/leads/pipelines?page=1&limit=250',
		'POST /api/v4/leads',
	]);
	expect(amo.requests[1].body).toEqual([
		{
			name: 'Hearing aid',
			price: 1500000,
			pipeline_id: 10,
			status_id: 101,
			responsible_user_id: 7,
			request_id: '0',
		},
		{ name: 'Repair', pipeline_id: 20, status_id: 202, responsible_user_id: 8, request_id: '1' },
	]);
	expect(result.jsonByNode['Create Deal']).toEqual([
		{
			id: 1,
			name: 'Hearing aid',
			price: 1500000,
			pipelineId: 10,
			statusId: 101,
			contactId: null,
			url: 'https://e2e.amocrm.ru/leads/detail/1',
		},
		{
			id: 2,
			name: 'Repair',
			price: 0,
			pipelineId: 20,
			statusId: 202,
			contactId: null,
			url: 'https://e2e.amocrm.ru/leads/detail/2',
		},
	]);
});

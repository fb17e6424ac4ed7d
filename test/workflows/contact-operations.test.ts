import { runWorkflow } from '../harness';
import { mockAmoCrm } from './amocrm-mock';
import { amoCrmNode, chain, isolateEachTest, oauth2Credentials, startNode } from './fixtures';

isolateEachTest();

const contactUrl = (id: number) => `https://e2e.amocrm.ru/contacts/detail/${id}`;

test("Contact > Update: each item's own contact (locator or plain ID from an expression) and phones; phones added to the stored ones; with Continue On Fail a bad item is an error item and the others go in one batch", async () => {
	const amo = mockAmoCrm()
		.expect('GET', '/api/v4/contacts?filter%5Bid%5D%5B0%5D=601&page=1&limit=250', {
			status: 200,
			body: {
				_embedded: {
					contacts: [
						{
							id: 601,
							name: 'Aziz Karimov',
							custom_fields_values: [
								{
									field_id: 3,
									field_code: 'PHONE',
									values: [{ value: '+998712021441', enum_id: 1, enum_code: 'MOB' }],
								},
							],
						},
					],
				},
			},
		})
		.expect('PATCH', '/api/v4/contacts', {
			status: 200,
			body: {
				_embedded: {
					contacts: [
						{ id: 601, updated_at: 1764288000, request_id: '0' },
						{ id: 603, updated_at: 1764288000, request_id: '2' },
					],
				},
			},
		});
	const update = amoCrmNode(
		'Update Contact',
		{
			resource: 'contact',
			operation: 'update',
			contactId: { __rl: true, mode: 'id', value: '={{ $json.contactId }}' },
			updateFields: { name: '={{ $json.name }}' },
			phones: { phone: [{ number: '={{ $json.phone }}', type: 'MOB' }] },
			options: { defaultCountryCode: '998' },
		},
		{ continueOnFail: true },
	);
	const result = await runWorkflow({
		workflow: { nodes: [startNode(), update], connections: chain('Start', 'Update Contact') },
		credentials: oauth2Credentials(),
		items: [
			{ contactId: 601, name: '', phone: '90 123 45 67' },
			{ contactId: 'Aziz', name: 'Aziz', phone: '' },
			{ contactId: contactUrl(603), name: 'Rustam Aliev', phone: '' },
		],
	});

	expect(result.error).toBeUndefined();
	expect(amo.requests.map((request) => request.body)).toEqual([
		undefined,
		[
			{
				id: 601,
				custom_fields_values: [
					{
						field_code: 'PHONE',
						values: [
							{ value: '+998712021441', enum_code: 'MOB' },
							{ value: '+998901234567', enum_code: 'MOB' },
						],
					},
				],
				request_id: '0',
			},
			{ id: 603, name: 'Rustam Aliev', request_id: '2' },
		],
	]);
	expect(result.outputsByNode['Update Contact']).toEqual([
		{
			json: { id: 601, updatedAt: '2025-11-28T00:00:00.000Z', url: contactUrl(601) },
			pairedItem: { item: 0 },
		},
		{
			json: { error: 'Contact must be an amoCRM ID or the contact\'s page address, not "Aziz"' },
			error: expect.objectContaining({ name: 'NodeOperationError', context: { itemIndex: 1 } }),
			pairedItem: { item: 1 },
		},
		{
			json: { id: 603, updatedAt: '2025-11-28T00:00:00.000Z', url: contactUrl(603) },
			pairedItem: { item: 2 },
		},
	]);
	expect(amo.isDone()).toBe(true);
});

test('Contact > Get, then Link to Company and Note > Get Many of that company, each item with its own IDs from expressions', async () => {
	const contact = (id: number, companyId: number) => ({
		status: 200,
		body: {
			id,
			name: `Contact ${id}`,
			custom_fields_values: null,
			_embedded: { tags: [], companies: [{ id: companyId }] },
		},
	});
	const linked = { status: 200, body: { _embedded: { links: [] } } };
	const notes = (companyId: number, noteId: number) => ({
		status: 200,
		body: {
			_embedded: {
				notes: [
					{
						id: noteId,
						entity_id: companyId,
						note_type: 'common',
						params: { text: `About ${companyId}` },
					},
				],
			},
		},
	});
	const amo = mockAmoCrm()
		.expect('GET', '/api/v4/contacts/601?with=companies', contact(601, 301))
		.expect('GET', '/api/v4/contacts/602?with=companies', contact(602, 302))
		.expect('POST', '/api/v4/contacts/601/link', linked)
		.expect('POST', '/api/v4/contacts/602/link', linked)
		.expect('GET', '/api/v4/companies/301/notes?page=1&limit=1', notes(301, 11))
		.expect('GET', '/api/v4/companies/302/notes?page=1&limit=1', notes(302, 12));
	const nodes = [
		startNode(),
		amoCrmNode('Get Contact', {
			resource: 'contact',
			operation: 'get',
			contactId: '={{ $json.contactId }}',
			options: { includeCompanies: true },
		}),
		amoCrmNode('Link Company', {
			resource: 'contact',
			operation: 'linkCompany',
			contactId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
			companyId: { __rl: true, mode: 'id', value: '={{ $json.companyIds[0] }}' },
		}),
		amoCrmNode('Company Notes', {
			resource: 'note',
			operation: 'getAll',
			entityType: 'company',
			entityId: { __rl: true, mode: 'id', value: '={{ $json.companyId }}' },
			limit: 1,
		}),
	];
	const result = await runWorkflow({
		workflow: {
			nodes,
			connections: chain('Start', 'Get Contact', 'Link Company', 'Company Notes'),
		},
		credentials: oauth2Credentials(),
		items: [{ contactId: '601' }, { contactId: contactUrl(602) }],
	});

	expect(result.error).toBeUndefined();
	expect(amo.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
		'GET /api/v4/contacts/601?with=companies',
		'GET /api/v4/contacts/602?with=companies',
		'POST /api/v4/contacts/601/link',
		'POST /api/v4/contacts/602/link',
		'GET /api/v4/companies/301/notes?page=1&limit=1',
		'GET /api/v4/companies/302/notes?page=1&limit=1',
	]);
	expect(amo.requests[3].body).toEqual([{ to_entity_id: 302, to_entity_type: 'companies' }]);
	expect(
		result.outputsByNode['Get Contact'].map((item) => [item.json.companyIds, item.pairedItem]),
	).toEqual([
		[[301], { item: 0 }],
		[[302], { item: 1 }],
	]);
	expect(
		result.outputsByNode['Company Notes'].map((item) => [
			item.json.id,
			item.json.text,
			item.pairedItem,
		]),
	).toEqual([
		[11, 'About 301', { item: 0 }],
		[12, 'About 302', { item: 1 }],
	]);
	expect(amo.isDone()).toBe(true);
});

test('Contact > Get Many: each item its own filters (expressions), dates sent as Unix seconds', async () => {
	const amo = mockAmoCrm()
		.expect(
			'GET',
			'/api/v4/contacts?filter%5Bresponsible_user_id%5D=11&filter%5Bcreated_at%5D%5Bfrom%5D=1764547200&page=1&limit=5',
			{
				status: 200,
				body: { _embedded: { contacts: [{ id: 1, name: 'A', custom_fields_values: null }] } },
			},
		)
		.expect('GET', '/api/v4/contacts?filter%5Bresponsible_user_id%5D=22&page=1&limit=5', {
			status: 204,
		});
	const result = await runWorkflow({
		workflow: {
			nodes: [
				startNode(),
				amoCrmNode('Contacts', {
					resource: 'contact',
					operation: 'getAll',
					limit: 5,
					filters: { responsibleUserId: '={{ $json.user }}', createdFrom: '={{ $json.since }}' },
				}),
			],
			connections: chain('Start', 'Contacts'),
		},
		credentials: oauth2Credentials(),
		items: [
			{ user: 11, since: '2025-12-01T00:00:00Z' },
			{ user: 22, since: '' },
		],
	});
	expect(result.error).toBeUndefined();
	expect(result.outputsByNode['Contacts']).toEqual([
		{
			json: expect.objectContaining({ id: 1, name: 'A', url: contactUrl(1) }),
			pairedItem: { item: 0 },
		},
	]);
	expect(amo.isDone()).toBe(true);
});

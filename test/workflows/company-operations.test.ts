import { runWorkflow } from '../harness';
import { mockAmoCrm } from './amocrm-mock';
import { amoCrmNode, chain, isolateEachTest, oauth2Credentials, startNode } from './fixtures';

isolateEachTest();

const createCompany = amoCrmNode(
	'Create Company',
	{
		resource: 'company',
		operation: 'create',
		name: '={{ $json.company }}',
		phones: { phone: [{ number: '={{ $json.phone }}', type: 'WORK' }] },
		emails: { email: [{ address: '={{ $json.email }}', type: 'WORK' }] },
		additionalFields: { tags: '={{ $json.source }}' },
		options: { defaultCountryCode: '998' },
		// avoidDuplicates is left at its default (on)
	},
	{ continueOnFail: true },
);

const updateCompany = amoCrmNode(
	'Update Company',
	{
		resource: 'company',
		operation: 'update',
		companyId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
		updateFields: { tags: '={{ $json.reused ? "repeat" : "new" }}' },
	},
	{ continueOnFail: true },
);

const url = (id: number) => `https://e2e.amocrm.ru/companies/detail/${id}`;
const updated = (...ids: number[]) => ({
	status: 200,
	body: { _embedded: { companies: ids.map((id) => ({ id, updated_at: 1764300000 })) } },
});

test("Company > Create then Update: each item's own name, phone, email and tags; duplicates by name in amoCRM and by phone within the run; bad input becomes an error item and the others go on", async () => {
	const amo = mockAmoCrm()
		// item 0: nobody has this name, phone or email -> created
		.expect('GET', '/api/v4/companies?query=Shifo%20Med%20LLC&limit=50', { status: 204 })
		.expect('GET', '/api/v4/companies?query=712021441&limit=50', { status: 204 })
		.expect('GET', '/api/v4/companies?query=info%40shifomed.uz&limit=50', { status: 204 })
		// item 1: amoCRM has the name in other case -> reused; item 2 fails its email before any request
		.expect('GET', '/api/v4/companies?query=nur%20optika&limit=50', {
			status: 200,
			body: {
				_embedded: {
					companies: [
						{ id: 554, name: 'Nur Optika Service', custom_fields_values: null },
						{ id: 555, name: 'Nur Optika', custom_fields_values: null },
					],
				},
			},
		})
		// item 3 has item 0's number: no search, it is item 0's company
		.expect('POST', '/api/v4/companies', {
			status: 200,
			body: { _embedded: { companies: [{ id: 7001, request_id: '0' }] } },
		})
		// a company named twice goes in a later request
		.expect('PATCH', '/api/v4/companies', updated(7001, 555))
		.expect('PATCH', '/api/v4/companies', updated(7001));

	const result = await runWorkflow({
		workflow: {
			nodes: [startNode(), createCompany, updateCompany],
			connections: chain('Start', 'Create Company', 'Update Company'),
		},
		credentials: oauth2Credentials(),
		items: [
			{
				company: 'Shifo Med LLC',
				phone: '+998 71 202-14-41',
				email: 'info@shifomed.uz',
				source: 'site',
			},
			{ company: 'nur optika', phone: '', email: '', source: 'site' },
			{ company: 'Dori', phone: '', email: 'dori@', source: 'site' },
			{ company: 'Shifo Med Clinic', phone: '71 202 14 41', email: '', source: 'expo' },
		],
	});

	expect(result.error).toBeUndefined();
	expect(amo.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
		'GET /api/v4/companies?query=Shifo%20Med%20LLC&limit=50',
		'GET /api/v4/companies?query=712021441&limit=50',
		'GET /api/v4/companies?query=info%40shifomed.uz&limit=50',
		'GET /api/v4/companies?query=nur%20optika&limit=50',
		'POST /api/v4/companies',
		'PATCH /api/v4/companies',
		'PATCH /api/v4/companies',
	]);
	expect(amo.requests[4].body).toEqual([
		{
			name: 'Shifo Med LLC',
			custom_fields_values: [
				{ field_code: 'PHONE', values: [{ value: '+998712021441', enum_code: 'WORK' }] },
				{ field_code: 'EMAIL', values: [{ value: 'info@shifomed.uz', enum_code: 'WORK' }] },
			],
			_embedded: { tags: [{ name: 'site' }] },
			request_id: '0',
		},
	]);
	expect(result.outputsByNode['Create Company']).toEqual([
		{
			json: { id: 7001, name: 'Shifo Med LLC', reused: false, url: url(7001) },
			pairedItem: { item: 0 },
		},
		{
			json: { id: 555, name: 'Nur Optika', reused: true, url: url(555) },
			pairedItem: { item: 1 },
		},
		{
			json: { error: 'Emails, row 1: "dori@" is not an email address' },
			error: expect.objectContaining({ name: 'NodeOperationError', context: { itemIndex: 2 } }),
			pairedItem: { item: 2 },
		},
		{
			json: { id: 7001, name: 'Shifo Med LLC', reused: true, url: url(7001) },
			pairedItem: { item: 3 },
		},
	]);
	expect(amo.requests[5].body).toEqual([
		{ id: 7001, tags_to_add: [{ name: 'new' }], request_id: '0' },
		{ id: 555, tags_to_add: [{ name: 'repeat' }], request_id: '1' },
	]);
	expect(amo.requests[6].body).toEqual([
		{ id: 7001, tags_to_add: [{ name: 'repeat' }], request_id: '3' },
	]);
	const updatedItem = (id: number, item: number) => ({
		json: { id, updatedAt: '2025-11-28T03:20:00.000Z', url: url(id) },
		pairedItem: { item },
	});
	expect(result.outputsByNode['Update Company']).toEqual([
		updatedItem(7001, 0),
		updatedItem(555, 1),
		{
			// the error item of Create Company has no id
			json: { error: 'Company is empty' },
			error: expect.objectContaining({ name: 'NodeOperationError', context: { itemIndex: 2 } }),
			pairedItem: { item: 2 },
		},
		updatedItem(7001, 3),
	]);
	expect(amo.isDone()).toBe(true);
});

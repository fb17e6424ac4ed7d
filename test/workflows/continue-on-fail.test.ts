import type { INode } from 'n8n-workflow';

import { runWorkflow } from '../harness';
import { mockAmoCrm } from './amocrm-mock';
import { amoCrmNode, chain, isolateEachTest, oauth2Credentials, startNode } from './fixtures';

isolateEachTest();

const contactNode = (more: Partial<INode>) =>
	amoCrmNode(
		'Create Contact',
		{
			resource: 'contact',
			operation: 'create',
			name: '={{ $json.name }}',
			emails: { email: [{ address: '={{ $json.email }}', type: 'WORK' }] },
			avoidDuplicates: false,
		},
		more,
	);

/** An expression giving no stage: amoCRM's default (the main pipeline's first stage), with no pipeline check. */
const STAGE_OR_DEFAULT = '={{ $json.stage ?? "" }}';

const dealNode = (more: Partial<INode>) =>
	amoCrmNode(
		'Create Deal',
		{
			resource: 'deal',
			operation: 'create',
			name: '={{ $json.title }}',
			contactId: '={{ $json.contactId }}',
			statusId: STAGE_OR_DEFAULT,
		},
		more,
	);

const contactItems = [
	{ name: 'Aziz Karimov', email: 'aziz@example.uz' },
	{ name: 'Malika Yusupova', email: 'malika@' },
	{ name: 'Rustam Aliev', email: 'rustam@example.uz' },
];

/** amoCRM's answer to a batch create: each entity with the `request_id` it was sent with. */
const created = (entity: string, ids: Array<[number, string]>) => ({
	status: 200,
	body: { _embedded: { [entity]: ids.map(([id, requestId]) => ({ id, request_id: requestId })) } },
});
const contactUrl = (id: number) => `https://e2e.amocrm.ru/contacts/detail/${id}`;

test('Continue On Fail: an item with bad input becomes an error item paired to its index; nothing is sent for it, the others go through', async () => {
	const amo = mockAmoCrm().expect(
		'POST',
		'/api/v4/contacts',
		created('contacts', [
			[801, '0'],
			[803, '2'],
		]),
	);

	const result = await runWorkflow({
		workflow: {
			nodes: [startNode(), contactNode({ continueOnFail: true })],
			connections: chain('Start', 'Create Contact'),
		},
		credentials: oauth2Credentials(),
		items: contactItems,
	});

	expect(result.error).toBeUndefined();
	expect(amo.requests.map((request) => request.body)).toEqual([
		[
			{
				name: 'Aziz Karimov',
				custom_fields_values: [
					{ field_code: 'EMAIL', values: [{ value: 'aziz@example.uz', enum_code: 'WORK' }] },
				],
				request_id: '0',
			},
			{
				name: 'Rustam Aliev',
				custom_fields_values: [
					{ field_code: 'EMAIL', values: [{ value: 'rustam@example.uz', enum_code: 'WORK' }] },
				],
				request_id: '2',
			},
		],
	]);
	expect(result.outputsByNode['Create Contact']).toEqual([
		{
			json: { id: 801, name: 'Aziz Karimov', reused: false, url: contactUrl(801) },
			pairedItem: { item: 0 },
		},
		{
			// n8n-core keeps only the message in the json of an item that carries its error
			json: { error: 'Emails, row 1: "malika@" is not an email address' },
			error: expect.objectContaining({
				name: 'NodeOperationError',
				description: 'Use an address like name@example.com, or leave it empty.',
				context: { itemIndex: 1 },
			}),
			pairedItem: { item: 1 },
		},
		{
			json: { id: 803, name: 'Rustam Aliev', reused: false, url: contactUrl(803) },
			pairedItem: { item: 2 },
		},
	]);
});

test("Continue On Fail: amoCRM's refusal of one item in a batch becomes an error item naming the field; the others are sent again and go through", async () => {
	const refusal = {
		status: 400,
		body: {
			'validation-errors': [
				{
					request_id: '1',
					errors: [
						{ code: 'NotFound', path: '_embedded.contacts.0.id', detail: 'Contact not found' },
					],
				},
			],
			title: 'Bad Request',
			type: 'https://httpstatus.es/400',
			status: 400,
			detail: 'Request validation failed',
		},
	};
	const amo = mockAmoCrm()
		.expect('POST', '/api/v4/leads', refusal)
		.expect(
			'POST',
			'/api/v4/leads',
			created('leads', [
				[901, '0'],
				[903, '2'],
			]),
		);

	const result = await runWorkflow({
		workflow: {
			nodes: [startNode(), dealNode({ continueOnFail: true })],
			connections: chain('Start', 'Create Deal'),
		},
		credentials: oauth2Credentials(),
		items: [
			{ title: 'Deal A', contactId: 11 },
			{ title: 'Deal B', contactId: 999999 },
			{ title: 'Deal C', contactId: 13 },
		],
	});

	expect(result.error).toBeUndefined();
	const dealA = {
		name: 'Deal A',
		_embedded: { contacts: [{ id: 11, is_main: true }] },
		request_id: '0',
	};
	const dealB = {
		name: 'Deal B',
		_embedded: { contacts: [{ id: 999999, is_main: true }] },
		request_id: '1',
	};
	const dealC = {
		name: 'Deal C',
		_embedded: { contacts: [{ id: 13, is_main: true }] },
		request_id: '2',
	};
	expect(amo.requests.map((request) => request.body)).toEqual([
		[dealA, dealB, dealC],
		[dealA, dealC],
	]);
	const deal = (id: number, name: string, contactId: number) => ({
		id,
		name,
		price: 0,
		pipelineId: null,
		statusId: null,
		contactId,
		url: `https://e2e.amocrm.ru/leads/detail/${id}`,
	});
	expect(result.outputsByNode['Create Deal']).toEqual([
		{ json: deal(901, 'Deal A', 11), pairedItem: { item: 0 } },
		{
			json: { error: 'amoCRM refused the deal: Contact ID: Contact not found' },
			error: expect.objectContaining({
				name: 'NodeApiError',
				description: 'Fix the value of the field named above in this node, then run it again.',
				context: expect.objectContaining({ itemIndex: 1 }),
			}),
			pairedItem: { item: 1 },
		},
		{ json: deal(903, 'Deal C', 13), pairedItem: { item: 2 } },
	]);
});

test('without Continue On Fail the run stops at the bad item, with its index, before anything is sent', async () => {
	const amo = mockAmoCrm();

	const result = await runWorkflow({
		workflow: {
			nodes: [startNode(), contactNode({})],
			connections: chain('Start', 'Create Contact'),
		},
		credentials: oauth2Credentials(),
		items: contactItems,
	});

	expect(result.status).toBe('error');
	expect(result.errorNode).toBe('Create Contact');
	expect(result.error).toMatchObject({
		name: 'NodeOperationError',
		message: 'Emails, row 1: "malika@" is not an email address',
		context: { itemIndex: 1 },
	});
	expect(amo.requests).toEqual([]);
	expect(result.outputsByNode['Create Contact']).toEqual([]);
});

// n8n-core moves an item to the error output only when it carries `item.error`, or a `json`
// with no keys but error/message/details (WorkflowExecute.handleNodeErrorOutput).
test('On Error "continue (using error output)": the failed item leaves by the error output and the next node runs only for the others', async () => {
	const amo = mockAmoCrm()
		.expect(
			'POST',
			'/api/v4/contacts',
			created('contacts', [
				[801, '0'],
				[803, '2'],
			]),
		)
		.expect(
			'POST',
			'/api/v4/leads',
			created('leads', [
				[901, '0'],
				[903, '1'],
			]),
		);
	const logError = {
		id: 'Log Error',
		name: 'Log Error',
		type: 'harness.set',
		typeVersion: 1,
		position: [0, 0] as [number, number],
		parameters: { fields: { field: [{ name: 'failed', value: '={{ true }}' }] } },
	};
	const createDeal = amoCrmNode('Create Deal', {
		resource: 'deal',
		operation: 'create',
		name: "={{ $('Start').item.json.name }}",
		contactId: '={{ $json.id }}',
		statusId: STAGE_OR_DEFAULT,
	});

	const result = await runWorkflow({
		workflow: {
			nodes: [startNode(), contactNode({ onError: 'continueErrorOutput' }), createDeal, logError],
			connections: {
				...chain('Start', 'Create Contact'),
				'Create Contact': {
					main: [
						[{ node: 'Create Deal', type: 'main', index: 0 }],
						[{ node: 'Log Error', type: 'main', index: 0 }],
					],
				},
			},
		},
		credentials: oauth2Credentials(),
		items: contactItems,
	});

	const [success, errors] = result.runData['Create Contact'][0].data?.main ?? [];
	expect(errors).toEqual([
		{
			json: { error: 'Emails, row 1: "malika@" is not an email address' },
			error: expect.objectContaining({ name: 'NodeOperationError', context: { itemIndex: 1 } }),
			pairedItem: { item: 1 },
		},
	]);
	expect(success?.map((item) => item.json.id)).toEqual([801, 803]);
	expect(amo.requests[1].body).toEqual([
		{
			name: 'Aziz Karimov',
			_embedded: { contacts: [{ id: 801, is_main: true }] },
			request_id: '0',
		},
		{
			name: 'Rustam Aliev',
			_embedded: { contacts: [{ id: 803, is_main: true }] },
			request_id: '1',
		},
	]);
	expect(result.jsonByNode['Log Error']).toEqual([
		{ error: 'Emails, row 1: "malika@" is not an email address', failed: true },
	]);
	expect(amo.isDone()).toBe(true);
});

test('Continue On Fail with an OAuth2 credential never connected: nothing is sent, every item is an error item saying so, and the workflow goes on', async () => {
	const amo = mockAmoCrm();
	const result = await runWorkflow({
		workflow: {
			nodes: [startNode(), contactNode({ continueOnFail: true })],
			connections: chain('Start', 'Create Contact'),
		},
		credentials: {
			amoCrmOAuth2Api: {
				subdomain: 'e2e',
				domain: 'amocrm.ru',
				clientId: 'client-id-1',
				clientSecret: 'client-secret-1',
			},
		},
		items: [contactItems[0], contactItems[2]],
	});

	expect(result.error).toBeUndefined();
	expect(amo.requests).toEqual([]);
	const [output] = result.runData['Create Contact'][0].data?.main ?? [];
	expect(output?.map((item) => [item.json.error, item.pairedItem])).toEqual([
		['The amoCRM credential is not connected: "amoCRM account"', { item: 0 }],
		['The amoCRM credential is not connected: "amoCRM account"', { item: 1 }],
	]);
});

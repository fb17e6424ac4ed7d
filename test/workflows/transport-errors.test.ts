/**
 * What amoCRM's less common answers do to a workflow, through n8n-core's own request code:
 * long 429 waits, `errors[]` refusals, a moved account, a token service that is down, and
 * error bodies that echo secrets.
 */
import { CredentialStore, runWorkflow } from '../harness';
import { mockAmoCrm } from './amocrm-mock';
import { amoCrmNode, chain, isolateEachTest, oauth2Credentials, startNode } from './fixtures';

isolateEachTest();

const contactNode = (more: Record<string, unknown> = {}) =>
	amoCrmNode('Create Contact', {
		resource: 'contact',
		operation: 'create',
		name: '={{ $json.name }}',
		avoidDuplicates: false,
		options: { batchSize: 1 },
		...more,
	});
const contactWorkflow = {
	nodes: [startNode(), contactNode()],
	connections: chain('Start', 'Create Contact'),
};
const names = [{ name: 'Aziz Karimov' }, { name: 'Malika Yusupova' }, { name: 'Rustam Aliev' }];
const createdContact = (id: number, requestId: string) => ({
	status: 200,
	body: { _embedded: { contacts: [{ id, request_id: requestId }] } },
});
const unauthorized = {
	status: 401,
	body: {
		title: 'Unauthorized',
		type: 'https://httpstatus.es/401',
		status: 401,
		detail: 'Invalid user name or password',
	},
};

test('a 429 asking for 300 s stops the node at once: the created contact is listed, the rest is not sent', async () => {
	const amo = mockAmoCrm()
		.expect('POST', '/api/v4/contacts', createdContact(801, '0'))
		.expect('POST', '/api/v4/contacts', {
			status: 429,
			body: {
				title: 'Too Many Requests',
				type: 'https://httpstatus.es/429',
				status: 429,
				detail: 'Too many requests',
				retry_after: 300,
			},
		});

	const result = await runWorkflow({
		workflow: contactWorkflow,
		credentials: oauth2Credentials(),
		items: names,
	});

	expect(amo.requests.map((request) => request.body)).toEqual([
		[{ name: 'Aziz Karimov', request_id: '0' }],
		[{ name: 'Malika Yusupova', request_id: '1' }],
	]);
	expect(result.status).toBe('error');
	expect(result.error).toMatchObject({
		message: 'amoCRM asked to wait 300 s before the next request (429 Too Many Requests)',
		context: { itemIndex: 1 },
	});
	expect(result.error?.description).toContain(
		'This node waits at most 30 s, so it stopped at once',
	);
	expect(result.error?.description).toContain(
		'Items 0 were created in amoCRM before this (contact IDs 801): do not send them again. Not created: items 1, 2.',
	);
});

test('notes: a 400 with errors[] "Entity not found" fails only the note of the unknown deal (Continue On Fail)', async () => {
	const entityNotFound = {
		status: 400,
		body: {
			_total_items: 0,
			errors: [{ title: 'Entity not found', status: 400, detail: 'Entity not found' }],
		},
	};
	const note = (id: number, entityId: number, requestId: string) => ({
		status: 200,
		body: { _embedded: { notes: [{ id, entity_id: entityId, request_id: requestId }] } },
	});
	const amo = mockAmoCrm()
		.expect('POST', '/api/v4/leads/notes', entityNotFound)
		.expect('POST', '/api/v4/leads/notes', note(71, 9001, '0'))
		.expect('POST', '/api/v4/leads/notes', entityNotFound);
	const noteNode = amoCrmNode(
		'Add Note',
		{
			resource: 'note',
			operation: 'add',
			entityType: 'deal',
			entityId: '={{ $json.dealId }}',
			text: '={{ $json.text }}',
		},
		{ continueOnFail: true },
	);

	const result = await runWorkflow({
		workflow: { nodes: [startNode(), noteNode], connections: chain('Start', 'Add Note') },
		credentials: oauth2Credentials(),
		items: [
			{ dealId: 9001, text: 'Called back' },
			{ dealId: 9002, text: 'Sent the price list' },
		],
	});

	expect(
		amo.requests.map((request) =>
			(request.body as Array<{ entity_id: number }>).map((sent) => sent.entity_id),
		),
	).toEqual([[9001, 9002], [9001], [9002]]);
	expect(result.error).toBeUndefined();
	expect(
		result.outputsByNode['Add Note'].map((item) => [
			item.json.error ?? item.json.id,
			item.pairedItem,
		]),
	).toEqual([
		[71, { item: 0 }],
		['Deal 9002 was not found in amoCRM', { item: 1 }],
	]);
});

test("a renamed account: amoCRM's redirect is not followed and the message says to update Subdomain", async () => {
	const amo = mockAmoCrm().expect('POST', '/api/v4/contacts', {
		status: 301,
		headers: { location: 'https://www.amocrm.ru/' },
	});

	const result = await runWorkflow({
		workflow: contactWorkflow,
		credentials: oauth2Credentials(),
		items: [names[0]],
	});

	expect(amo.requests).toHaveLength(1);
	expect(result.error).toMatchObject({
		message:
			"amoCRM redirected the request to www.amocrm.ru: the account's address may have changed",
	});
	expect(result.error?.description).toContain(
		"If the account's address was changed in amoCRM, enter the new one as Subdomain in the credential",
	);
});

test.each([
	[
		'a 503',
		{ status: 503, body: '<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>' },
		'HTTP 503',
	],
	[
		'a 500',
		{
			status: 500,
			body: {
				title: 'ErrInternalServer',
				type: 'https://httpstatus.es/500',
				status: 500,
				detail: 'An unknown error occurred.',
			},
		},
		'HTTP 500',
	],
])(
	'renewal answered with %s: "token service unavailable", not "reconnect"; nothing saved',
	async (_name, tokenAnswer, answer) => {
		const amo = mockAmoCrm()
			.expect('POST', '/api/v4/contacts', unauthorized)
			.expect('POST', '/oauth2/access_token', tokenAnswer);

		const result = await runWorkflow({
			workflow: contactWorkflow,
			credentials: oauth2Credentials(),
			items: [names[0]],
		});

		expect(amo.requests.map((request) => request.path)).toEqual([
			'/api/v4/contacts',
			'/oauth2/access_token',
		]);
		expect(result.error).toMatchObject({
			message: "amoCRM's token service is unavailable: nothing was sent, try again later",
			context: { itemIndex: 0 },
		});
		expect(result.error?.description).toContain(`could not do it right now (${answer})`);
		expect(result.credentialWrites).toEqual([]);
	},
);

test('a token endpoint that echoes the renewal request: reconnect is asked, and no secret reaches the stored run', async () => {
	const store = new CredentialStore(oauth2Credentials());
	mockAmoCrm()
		.expect('POST', '/api/v4/contacts', unauthorized)
		.expect('POST', '/oauth2/access_token', {
			status: 400,
			body: {
				hint: 'Token has been revoked',
				title: 'Некорректный запрос',
				type: 'https://developers.amocrm.ru/v3/errors/OAuthProblemJson',
				status: 400,
				detail: 'Invalid grant for client-secret-1 / refresh-1',
				request: {
					client_id: 'client-id-1',
					client_secret: 'client-secret-1',
					grant_type: 'refresh_token',
					refresh_token: 'refresh-1',
				},
				client_secret: 'client-secret-1',
				refresh_token: 'refresh-1',
			},
		});

	const result = await runWorkflow({
		workflow: contactWorkflow,
		credentials: store,
		items: [names[0]],
	});

	expect(result.error).toMatchObject({
		message: 'amoCRM refused to renew the access token: reconnect the credential',
	});
	expect(result.error?.description).toContain(
		"amoCRM's token endpoint answered HTTP 400 (Invalid grant for [hidden] / [hidden]: Token has been revoked)",
	);
	const stored = JSON.stringify(result.run);
	expect(stored).toContain('Invalid grant for [hidden] / [hidden]');
	for (const secret of ['client-secret-1', 'refresh-1', 'access-1'])
		expect(stored).not.toContain(secret);
});

test('an API answer that echoes the bearer token keeps it out of the stored run', async () => {
	mockAmoCrm().expect('POST', '/api/v4/contacts', {
		status: 400,
		body: {
			title: 'Bad Request',
			status: 400,
			detail: 'Request data can not be empty',
			headers: { authorization: 'Bearer access-1' },
			token: 'access-1',
		},
	});

	const result = await runWorkflow({
		workflow: contactWorkflow,
		credentials: oauth2Credentials(),
		items: [names[0]],
	});

	expect(result.error).toMatchObject({
		message: 'amoCRM refused the contact: Request data can not be empty',
	});
	expect(JSON.stringify(result.run)).not.toContain('access-1');
});

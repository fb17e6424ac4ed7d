import { runWorkflow } from '../harness';
import { mockAmoCrm } from './amocrm-mock';
import {
	amoCrmNode,
	chain,
	isolateEachTest,
	longLivedTokenCredentials,
	startNode,
} from './fixtures';

isolateEachTest();

const workflow = {
	nodes: [
		startNode(),
		amoCrmNode('Add Note', {
			authentication: 'longLivedToken',
			resource: 'note',
			operation: 'add',
			entityType: 'contact',
			entityId: '={{ $json.contactId }}',
			text: '={{ $json.text }}',
		}),
	],
	connections: chain('Start', 'Add Note'),
};

test('long-lived token: every request carries it as a Bearer header, to the account host built from a pasted address', async () => {
	const amo = mockAmoCrm().expect('POST', '/api/v4/contacts/notes', {
		status: 200,
		body: { _embedded: { notes: [{ id: 77, entity_id: 4242, request_id: '0' }] } },
	});

	const result = await runWorkflow({
		workflow,
		credentials: {
			amoCrmApi: {
				...longLivedTokenCredentials().amoCrmApi,
				subdomain: 'https://E2E.amocrm.ru/leads/pipeline/1',
			},
		},
		items: [{ contactId: '4242', text: 'Called back, wants a quote' }],
	});

	expect(result.error).toBeUndefined();
	expect(amo.requests).toEqual([
		{
			method: 'POST',
			path: '/api/v4/contacts/notes',
			authorization: 'Bearer long-lived-1',
			body: [
				{
					entity_id: 4242,
					note_type: 'common',
					params: { text: 'Called back, wants a quote' },
					request_id: '0',
				},
			],
		},
	]);
	expect(result.outputsByNode['Add Note']).toEqual([
		{
			json: { id: 77, entityType: 'contact', entityId: 4242, text: 'Called back, wants a quote' },
			pairedItem: { item: 0 },
		},
	]);
	expect(result.credentialWrites).toEqual([]);
});

// n8n-core itself sends a request that got a 401 once more after asking the credential to
// re-authenticate (a no-op for a long-lived token). Harmless: amoCRM did nothing on a 401.
test('long-lived token: a 401 is not refreshed (n8n-core repeats it once with the same token); the user is told to replace the token', async () => {
	const unauthorized = {
		status: 401,
		body: {
			title: 'Unauthorized',
			type: 'https://httpstatus.es/401',
			status: 401,
			detail: 'Invalid user name or password',
		},
	};
	const amo = mockAmoCrm()
		.expect('POST', '/api/v4/contacts/notes', unauthorized)
		.expect('POST', '/api/v4/contacts/notes', unauthorized);

	const result = await runWorkflow({
		workflow,
		credentials: longLivedTokenCredentials(),
		items: [{ contactId: '4242', text: 'hello' }],
	});

	expect(amo.requests.map((request) => [request.path, request.authorization])).toEqual([
		['/api/v4/contacts/notes', 'Bearer long-lived-1'],
		['/api/v4/contacts/notes', 'Bearer long-lived-1'],
	]);
	expect(result.status).toBe('error');
	expect(result.error).toMatchObject({
		name: 'NodeApiError',
		message: 'amoCRM rejected the token: reconnect the credential',
		description: expect.stringContaining('generate a new long-lived token'),
		context: { itemIndex: 0 },
	});
	expect(result.credentialWrites).toEqual([]);
});

import { CredentialStore, runWorkflow } from '../harness';
import { mockAmoCrm } from './amocrm-mock';
import { amoCrmNode, chain, isolateEachTest, startNode } from './fixtures';

isolateEachTest();

const workflow = {
	nodes: [
		startNode(),
		amoCrmNode('Create Contact', {
			authentication: 'oAuth2',
			resource: 'contact',
			operation: 'create',
			name: '={{ $json.name }}',
			avoidDuplicates: false,
			// one contact per request, to show the second request using the renewed token
			options: { batchSize: 1 },
		}),
	],
	connections: chain('Start', 'Create Contact'),
};

const unauthorized = {
	status: 401,
	body: {
		title: 'Unauthorized',
		type: 'https://httpstatus.es/401',
		status: 401,
		detail: 'Invalid user name or password',
	},
};
const tokens = (access: string, refresh: string) => ({
	status: 200,
	body: {
		token_type: 'Bearer',
		expires_in: 86400,
		server_time: 1751621727,
		access_token: access,
		refresh_token: refresh,
	},
});
const createdContact = (id: number, requestId: string) => ({
	status: 200,
	body: { _embedded: { contacts: [{ id, request_id: requestId }] } },
});
const refreshBody = (refreshToken: string) => ({
	refresh_token: refreshToken,
	grant_type: 'refresh_token',
	client_id: 'client-id-1',
	client_secret: 'client-secret-1',
});

test('OAuth2: an expired access token gets a 401, the token is renewed through n8n-core at the account token URL, the request retried, the new tokens saved, and the next renewal uses the new refresh token', async () => {
	const store = new CredentialStore({
		amoCrmOAuth2Api: {
			// pasted as an address: the token URL is built from its normalised subdomain
			subdomain: 'E2E.amocrm.ru',
			domain: 'amocrm.ru',
			clientId: 'client-id-1',
			clientSecret: 'client-secret-1',
			oauthTokenData: {
				token_type: 'Bearer',
				access_token: 'access-1',
				refresh_token: 'refresh-1',
			},
		},
	});

	// Day 1: access-1 has expired.
	const day1 = mockAmoCrm()
		.expect('POST', '/api/v4/contacts', unauthorized)
		.expect('POST', '/oauth2/access_token', tokens('access-2', 'refresh-2'))
		.expect('POST', '/api/v4/contacts', createdContact(101, '0'))
		.expect('POST', '/api/v4/contacts', createdContact(102, '1'));
	const first = await runWorkflow({
		workflow,
		credentials: store,
		items: [{ name: 'Aziz Karimov' }, { name: 'Malika Yusupova' }],
	});

	expect(first.error).toBeUndefined();
	expect(day1.requests).toEqual([
		{
			method: 'POST',
			path: '/api/v4/contacts',
			authorization: 'Bearer access-1',
			body: [{ name: 'Aziz Karimov', request_id: '0' }],
		},
		{
			method: 'POST',
			path: '/oauth2/access_token',
			authorization: null,
			body: refreshBody('refresh-1'),
		},
		{
			method: 'POST',
			path: '/api/v4/contacts',
			authorization: 'Bearer access-2',
			body: [{ name: 'Aziz Karimov', request_id: '0' }],
		},
		// the second item uses the renewed token straight away
		{
			method: 'POST',
			path: '/api/v4/contacts',
			authorization: 'Bearer access-2',
			body: [{ name: 'Malika Yusupova', request_id: '1' }],
		},
	]);
	expect(day1.headers[1]['content-type']).toBe('application/x-www-form-urlencoded');
	expect(first.jsonByNode['Create Contact']).toEqual([
		{
			id: 101,
			name: 'Aziz Karimov',
			reused: false,
			url: 'https://e2e.amocrm.ru/contacts/detail/101',
		},
		{
			id: 102,
			name: 'Malika Yusupova',
			reused: false,
			url: 'https://e2e.amocrm.ru/contacts/detail/102',
		},
	]);
	expect(first.credentialWrites.map((write) => write.kind)).toEqual(['oauthTokenData']);
	expect(first.savedCredentials.amoCrmOAuth2Api).toEqual({
		subdomain: 'E2E.amocrm.ru',
		domain: 'amocrm.ru',
		clientId: 'client-id-1',
		clientSecret: 'client-secret-1',
		oauthTokenData: {
			token_type: 'Bearer',
			expires_in: 86400,
			server_time: 1751621727,
			access_token: 'access-2',
			refresh_token: 'refresh-2',
			n8n_expires_at: expect.stringMatching(/^\d+$/),
		},
	});

	// Day 2: access-2 has expired too; the refresh token saved on day 1 is the one sent.
	const day2 = mockAmoCrm()
		.expect('POST', '/api/v4/contacts', unauthorized)
		.expect('POST', '/oauth2/access_token', tokens('access-3', 'refresh-3'))
		.expect('POST', '/api/v4/contacts', createdContact(103, '0'));
	const second = await runWorkflow({
		workflow,
		credentials: store,
		items: [{ name: 'Rustam Aliev' }],
	});

	expect(second.error).toBeUndefined();
	expect(day2.requests).toEqual([
		{
			method: 'POST',
			path: '/api/v4/contacts',
			authorization: 'Bearer access-2',
			body: [{ name: 'Rustam Aliev', request_id: '0' }],
		},
		{
			method: 'POST',
			path: '/oauth2/access_token',
			authorization: null,
			body: refreshBody('refresh-2'),
		},
		{
			method: 'POST',
			path: '/api/v4/contacts',
			authorization: 'Bearer access-3',
			body: [{ name: 'Rustam Aliev', request_id: '0' }],
		},
	]);
	expect(store.get('amoCrmOAuth2Api').oauthTokenData).toMatchObject({
		access_token: 'access-3',
		refresh_token: 'refresh-3',
	});
});

test('OAuth2: when amoCRM refuses the renewal, the user is told to reconnect and nothing is saved', async () => {
	const amo = mockAmoCrm()
		.expect('POST', '/api/v4/contacts', unauthorized)
		.expect('POST', '/oauth2/access_token', {
			status: 401,
			body: {
				hint: 'Token has been revoked',
				title: 'Некорректный запрос',
				type: 'https://developers.amocrm.ru/v3/errors/OAuthProblemJson',
				status: 401,
				detail: 'В запросе отсутствует ряд параметров или параметры невалидны',
			},
		});
	const store = new CredentialStore({
		amoCrmOAuth2Api: {
			subdomain: 'e2e',
			domain: 'amocrm.ru',
			clientId: 'client-id-1',
			clientSecret: 'client-secret-1',
			oauthTokenData: {
				token_type: 'Bearer',
				access_token: 'access-1',
				refresh_token: 'refresh-used',
			},
		},
	});

	const result = await runWorkflow({
		workflow,
		credentials: store,
		items: [{ name: 'Aziz Karimov' }],
	});

	expect(amo.requests.map((request) => request.path)).toEqual([
		'/api/v4/contacts',
		'/oauth2/access_token',
	]);
	expect(result.status).toBe('error');
	expect(result.error).toMatchObject({
		message: 'amoCRM refused to renew the access token: reconnect the credential',
		context: { itemIndex: 0 },
	});
	expect(result.credentialWrites).toEqual([]);
});

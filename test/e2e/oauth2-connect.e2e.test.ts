/**
 * The amoCRM OAuth2 credential (`amoCrmOAuth2Api`) in a real n8n 2.x, as a user goes through
 * it: create the credential, click Connect (n8n builds the amoCRM consent URL), amoCRM sends
 * the browser back to n8n's callback with a code, n8n exchanges it at the account's token
 * endpoint, then workflows use the token and n8n renews it when amoCRM answers 401.
 *
 * amoCRM is the fake at https://e2e.amocrm.ru (hosts + throwaway CA). The consent page itself
 * (www.amocrm.ru/oauth) is amoCRM's UI: the test plays it by asking the fake for a code bound to
 * the redirect URI, exactly what amoCRM appends to the redirect.
 *
 * How the editor drives these steps (n8n 2.41.1 source):
 * - Connect: `GET /rest/oauth2-credential/auth?id=<credential id>` with the session cookie and the
 *   `browser-id` header; the answer's `data` is the URL the editor opens in a popup.
 * - Callback: `GET /rest/oauth2-credential/callback?code&state&...` is a plain browser navigation
 *   in that popup: the session cookie (n8n checks the state belongs to the same user), no
 *   `browser-id` header (n8n skips that check on this path), and, when browser binding
 *   (N8N_OAUTH_BROWSER_BINDING, off by default) is on, the `n8n-oauth-binding` cookie the Connect
 *   answer set. This instance runs with binding on, the stricter setting.
 * - "Connected": `GET /rest/credentials/<id>?includeData=true` answers `oauthTokenData: true`.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { FakeAmoCrm, type LoggedRequest } from '../fakes/amocrm';
import {
	E2E_AMOCRM,
	nodeOutput,
	serveFakeAmoCrm,
	startN8n,
	type N8nInstance,
	type ServedFakeAmoCrm,
	type WorkflowJson,
} from './harness';

const CLIENT_ID = 'e2e-oauth-integration-id-5c1f';
const CLIENT_SECRET = 'e2e-oauth-secret-key-9d27Qx';
const CREDENTIAL_NAME = 'amoCRM e2e (OAuth2)';
const TOKEN_URL = `https://${E2E_AMOCRM.host}/oauth2/access_token`;

interface StoredOAuthData {
	subdomain: string;
	domain: string;
	clientId: string;
	clientSecret: string;
	oauthTokenData?: {
		access_token: string;
		refresh_token: string;
		token_type: string;
		expires_in: number;
		callbackQueryString?: Record<string, string>;
		[key: string]: unknown;
	};
}

/** A browser's cookies for n8n's origin (names and values; paths are all under /). */
class CookieJar {
	private readonly cookies = new Map<string, string>();
	take(response: Response): string[] {
		const names: string[] = [];
		for (const line of response.headers.getSetCookie()) {
			const [pair] = line.split(';');
			const eq = pair.indexOf('=');
			const name = pair.slice(0, eq).trim();
			this.cookies.set(name, pair.slice(eq + 1).trim());
			names.push(name);
		}
		return names;
	}
	has(name: string): boolean {
		return this.cookies.has(name);
	}
	header(except: string[] = []): string {
		return [...this.cookies]
			.filter(([name]) => !except.includes(name))
			.map(([name, value]) => `${name}=${value}`)
			.join('; ');
	}
}

function createContactWorkflow(credentialId: string): WorkflowJson {
	return {
		name: 'e2e: webhook -> AmoCRM Create Contact (OAuth2)',
		nodes: [
			{
				id: '6a1d3f0e-7c2b-4e59-8f10-000000000001',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: '6a1d3f0e-7c2b-4e59-8f10-0000000000aa',
				parameters: {
					httpMethod: 'POST',
					path: 'e2e-oauth2-contact',
					responseMode: 'lastNode',
					options: {},
				},
			},
			{
				id: '6a1d3f0e-7c2b-4e59-8f10-000000000002',
				name: 'Create Contact',
				type: 'n8n-nodes-amocrm.amoCrm',
				typeVersion: 1,
				position: [220, 0],
				parameters: {
					authentication: 'oAuth2',
					resource: 'contact',
					operation: 'create',
					name: '={{ $json.body.name }}',
					phones: { phone: [{ number: '={{ $json.body.phone }}', type: 'MOB' }] },
				},
				credentials: { amoCrmOAuth2Api: { id: credentialId, name: CREDENTIAL_NAME } },
			},
		],
		connections: { Webhook: { main: [[{ node: 'Create Contact', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

const tokenRequests = (fake: FakeAmoCrm, grantType: string): LoggedRequest[] =>
	fake.requests.filter(
		(request) =>
			request.path === '/oauth2/access_token' &&
			(request.body as Record<string, unknown> | undefined)?.grant_type === grantType,
	);

describe('amoCRM OAuth2 credential: Connect, callback, token use and renewal in a real n8n 2.x', () => {
	let n8n: N8nInstance;
	let amo: ServedFakeAmoCrm;
	const browser = new CookieJar();
	const browserId = randomUUID();
	let credentialId = '';
	let redirectUri = '';
	let state = '';
	let workflowId = '';
	const timings: Record<string, number> = {};
	const timed = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
		const started = Date.now();
		try {
			return await work();
		} finally {
			timings[label] = Date.now() - started;
		}
	};

	/** A REST call as the logged-in editor makes it (session cookie + browser-id). */
	const editor = async (method: string, path: string, body?: unknown): Promise<Response> => {
		const response = await fetch(`${n8n.baseUrl}/rest${path}`, {
			method,
			headers: {
				'browser-id': browserId,
				cookie: browser.header(),
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		browser.take(response);
		return response;
	};
	const editorData = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
		const response = await editor(method, path, body);
		const text = await response.text();
		if (!response.ok) throw new Error(`${method} /rest${path}: ${response.status} ${text}`);
		return (JSON.parse(text) as { data: T }).data;
	};

	/** The credential as n8n stores it, decrypted (`n8n export:credentials --decrypted`). */
	const storedCredential = async (): Promise<StoredOAuthData> => {
		const file = join(n8n.userFolder, `credential-${Date.now()}.json`);
		await n8n.cli([
			'export:credentials',
			`--id=${credentialId}`,
			'--decrypted',
			`--output=${file}`,
		]);
		const [exported] = JSON.parse(readFileSync(file, 'utf8')) as Array<{ data: StoredOAuthData }>;
		return exported.data;
	};

	let phoneCounter = 100;
	const postContacts = async (count: number, label: string) =>
		await Promise.all(
			Array.from({ length: count }, async (_, i) => {
				const response = await n8n.webhook('e2e-oauth2-contact', {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({
						name: `${label} ${i + 1}`,
						phone: `+998 90 ${String(++phoneCounter).padStart(3, '0')}-00-${String(10 + i)}`,
					}),
				});
				return {
					status: response.status,
					body: (await response.json()) as Record<string, unknown>,
				};
			}),
		);

	beforeAll(async () => {
		amo = await serveFakeAmoCrm(
			// No access token is valid until n8n obtains one through the OAuth flow.
			new FakeAmoCrm({
				subdomain: E2E_AMOCRM.subdomain,
				clientId: CLIENT_ID,
				clientSecret: CLIENT_SECRET,
				accessTokens: [],
			}),
		);
		n8n = await timed(
			'n8n start',
			async () => await startN8n({ env: { ...amo.n8nEnv, N8N_OAUTH_BROWSER_BINDING: 'true' } }),
		);
		// The user signs in to the editor: that browser's session cookie.
		await editorData('POST', '/login', {
			emailOrLdapLoginId: n8n.owner.email,
			password: n8n.owner.password,
		});
		expect(browser.has('n8n-auth')).toBe(true);
	});

	afterAll(async () => {
		process.stdout.write(`oauth2-connect timings (ms): ${JSON.stringify(timings)}\n`);
		await n8n?.stop();
		await amo?.stop();
	});

	it('Connect: n8n sends the user to amoCRM’s consent page with client_id, state, mode=post_message and its redirect URI', async () => {
		const created = await editorData<{ id: string; type: string }>('POST', '/credentials', {
			name: CREDENTIAL_NAME,
			type: 'amoCrmOAuth2Api',
			data: {
				subdomain: E2E_AMOCRM.subdomain,
				domain: E2E_AMOCRM.domain,
				clientId: CLIENT_ID,
				clientSecret: CLIENT_SECRET,
			},
		});
		credentialId = created.id;
		expect(created.type).toBe('amoCrmOAuth2Api');

		// The OAuth Redirect URL the credential form shows (and the user pastes into amoCRM).
		const settings = await editorData<{ oauthCallbackUrls: { oauth2: string } }>(
			'GET',
			'/settings',
		);
		redirectUri = settings.oauthCallbackUrls.oauth2;
		expect(redirectUri).toBe(`${n8n.baseUrl}/rest/oauth2-credential/callback`);

		const response = await timed(
			'connect url',
			async () => await editor('GET', `/oauth2-credential/auth?id=${credentialId}`),
		);
		const text = await response.text();
		expect(response.status).toBe(200);
		const url = new URL((JSON.parse(text) as { data: string }).data);
		process.stdout.write(`Connect URL: ${url.toString()}\n`);

		expect(`${url.origin}${url.pathname}`).toBe('https://www.amocrm.ru/oauth');
		expect(url.searchParams.get('client_id')).toBe(CLIENT_ID);
		expect(url.searchParams.get('mode')).toBe('post_message');
		expect(url.searchParams.get('redirect_uri')).toBe(redirectUri);
		expect(url.searchParams.get('response_type')).toBe('code');
		state = url.searchParams.get('state') ?? '';
		expect(state).not.toBe('');
		// n8n's state: base64 JSON with its CSRF token (the flow itself is kept server-side).
		expect(JSON.parse(Buffer.from(state, 'base64').toString('utf8'))).toMatchObject({
			token: expect.any(String),
		});
		// Browser binding: the Connect answer set the cookie the callback must come back with.
		expect(browser.has('n8n-oauth-binding')).toBe(true);
		// Nothing has talked to amoCRM yet.
		expect(amo.fake.requests).toEqual([]);
	});

	it('callback: n8n exchanges amoCRM’s code once at the account’s token endpoint (credentials in the body) and reports the credential connected', async () => {
		expect(state).not.toBe('');
		const code = amo.fake.issueAuthorizationCode(redirectUri);
		const query = new URLSearchParams({ code, state, referer: E2E_AMOCRM.host, platform: '1' });
		const callback = `${n8n.baseUrl}/rest/oauth2-credential/callback?${query}`;

		// The same URL opened in another browser (session but no binding cookie) is refused,
		// before any token request and without spending the state.
		const foreign = await fetch(callback, {
			headers: { cookie: browser.header(['n8n-oauth-binding']) },
		});
		expect(foreign.status).toBe(200);
		expect(await foreign.text()).toContain('started in a different browser');
		expect(amo.fake.requests).toEqual([]);

		// amoCRM redirects the popup: a navigation with the browser's cookies, no browser-id header.
		const response = await timed(
			'callback',
			async () => await fetch(callback, { headers: { cookie: browser.header() } }),
		);
		const page = await response.text();
		expect(response.status).toBe(200);
		expect(page).toContain('Connection successful');
		expect(page).not.toContain('Error:');

		expect(amo.fake.grants).toEqual({ authorizationCode: 1, refreshToken: 0, rejected: 0 });
		const exchanges = amo.fake.requests.filter(
			(request) => request.path === '/oauth2/access_token',
		);
		expect(exchanges).toHaveLength(1);
		const [exchange] = exchanges;
		expect(`https://${exchange.headers.host}${exchange.path}`).toBe(TOKEN_URL);
		expect(exchange.method).toBe('POST');
		expect(exchange.status).toBe(200);
		expect(exchange.headers.authorization).toBeUndefined();
		expect(exchange.body).toEqual(
			expect.objectContaining({
				grant_type: 'authorization_code',
				code,
				redirect_uri: redirectUri,
				client_id: CLIENT_ID,
				client_secret: CLIENT_SECRET,
			}),
		);
		expect(amo.fake.requests).toHaveLength(1);

		// What the editor reads to show "Account connected".
		const credential = await editorData<{ data: Record<string, unknown> }>(
			'GET',
			`/credentials/${credentialId}?includeData=true`,
		);
		expect(credential.data.oauthTokenData).toBe(true);

		const stored = await storedCredential();
		expect(stored.oauthTokenData).toMatchObject({ token_type: 'Bearer', expires_in: 86400 });
		expect(amo.fake.isValidAccessToken(stored.oauthTokenData?.access_token ?? '')).toBe(true);
		expect(stored.oauthTokenData?.refresh_token).toMatch(/^def502/);
		// amoCRM's extra redirect parameters stay with the token (the account's domain).
		expect(stored.oauthTokenData?.callbackQueryString).toEqual({
			referer: E2E_AMOCRM.host,
			platform: '1',
		});

		// The state is single-use: replaying the callback is refused and asks amoCRM nothing.
		const replay = await fetch(callback, { headers: { cookie: browser.header() } });
		expect(await replay.text()).toContain('Error:');
		expect(amo.fake.requests).toHaveLength(1);
	});

	it('a workflow creates a contact with the token n8n obtained', async () => {
		expect(amo.fake.grants.authorizationCode).toBe(1);
		workflowId = await n8n.importWorkflow(createContactWorkflow(credentialId));
		await n8n.activate(workflowId);
		amo.fake.clearRequests();

		const [answer] = await timed('first contact', async () => await postContacts(1, 'OAuth First'));
		expect(answer.status).toBe(200);
		expect(amo.fake.contacts).toHaveLength(1);
		const [contact] = amo.fake.contacts;
		expect(contact.name).toBe('OAuth First 1');
		expect(answer.body).toMatchObject({ id: contact.id, name: 'OAuth First 1', reused: false });
		// Only the token from the code exchange is valid at the fake: every API call carried it.
		const apiCalls = amo.fake.requests.filter((request) => request.path.startsWith('/api/v4/'));
		expect(apiCalls.length).toBeGreaterThan(0);
		expect(
			apiCalls.every(
				(request) => request.headers.authorization === 'Bearer ***' && request.status < 300,
			),
		).toBe(true);
		expect(amo.fake.grants).toEqual({ authorizationCode: 1, refreshToken: 0, rejected: 0 });

		const [execution] = await n8n.waitForExecutions(workflowId, 1);
		expect(execution.status).toBe('success');
		expect(nodeOutput(execution, 'Create Contact')).toEqual([answer.body]);
	});

	it('after the access token expires, 5 leads at once renew it exactly once and all get their contact; the rotated refresh token is stored', async () => {
		expect(workflowId).not.toBe('');
		const before = await storedCredential();
		const contactsBefore = amo.fake.contacts.length;
		amo.fake.expireAccessTokens();
		amo.fake.clearRequests();

		const answers = await timed(
			'5 leads with renewal',
			async () => await postContacts(5, 'OAuth Burst'),
		);
		expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
		expect(amo.fake.contacts).toHaveLength(contactsBefore + 5);
		expect(
			amo.fake.contacts
				.slice(contactsBefore)
				.map((c) => c.name)
				.sort(),
		).toEqual([
			'OAuth Burst 1',
			'OAuth Burst 2',
			'OAuth Burst 3',
			'OAuth Burst 4',
			'OAuth Burst 5',
		]);
		expect(amo.fake.grants).toEqual({ authorizationCode: 1, refreshToken: 1, rejected: 0 });

		const refreshes = tokenRequests(amo.fake, 'refresh_token');
		expect(refreshes).toHaveLength(1);
		const [refresh] = refreshes;
		expect(`https://${refresh.headers.host}${refresh.path}`).toBe(TOKEN_URL);
		expect(refresh.status).toBe(200);
		expect(refresh.headers.authorization).toBeUndefined();
		expect(refresh.body).toEqual(
			expect.objectContaining({
				refresh_token: before.oauthTokenData?.refresh_token,
				client_id: CLIENT_ID,
				client_secret: CLIENT_SECRET,
			}),
		);

		const after = await storedCredential();
		expect(after.oauthTokenData?.refresh_token).toMatch(/^def502/);
		expect(after.oauthTokenData?.refresh_token).not.toBe(before.oauthTokenData?.refresh_token);
		expect(amo.fake.isValidAccessToken(after.oauthTokenData?.access_token ?? '')).toBe(true);
		// The callback's extras survive the renewal.
		expect(after.oauthTokenData?.callbackQueryString).toEqual({
			referer: E2E_AMOCRM.host,
			platform: '1',
		});

		const executions = await n8n.waitForExecutions(workflowId, 6);
		expect(executions.map((e) => e.status)).toEqual(Array(6).fill('success'));

		// A second expiry renews with the rotated refresh token (amoCRM's old one is spent).
		amo.fake.expireAccessTokens();
		amo.fake.clearRequests();
		const [again] = await timed('second renewal', async () => await postContacts(1, 'OAuth Again'));
		expect(again.status).toBe(200);
		expect(amo.fake.contacts).toHaveLength(contactsBefore + 6);
		expect(amo.fake.grants).toEqual({ authorizationCode: 1, refreshToken: 2, rejected: 0 });
		const [second] = tokenRequests(amo.fake, 'refresh_token');
		expect(second.body).toEqual(
			expect.objectContaining({ refresh_token: after.oauthTokenData?.refresh_token }),
		);
		expect((await storedCredential()).oauthTokenData?.refresh_token).not.toBe(
			after.oauthTokenData?.refresh_token,
		);
	});

	/**
	 * n8n runs a credential's `test` request on a stand-in node (n8n-nodes-base.noOp), so the
	 * OAuth2 credential cannot use `restrictToSupportedNodes` (n8n would refuse it to that node).
	 * It keeps the HTTP Request node away with n8n's domain restriction fixed to "none" instead:
	 * checked in the next case.
	 */
	it('n8n’s credential test of the OAuth2 credential reaches amoCRM: GET /api/v4/account with the token', async () => {
		expect(credentialId).not.toBe('');
		amo.fake.clearRequests();

		// Public API "test credential by ID" (the stored data, token included).
		const byId = await timed(
			'credential test',
			async () =>
				await n8n.api<{ status: string; message?: string }>(
					'POST',
					`/credentials/${credentialId}/test`,
				),
		);
		expect(byId).toMatchObject({ status: 'OK' });

		// (The editor itself runs no request test for a connected OAuth2 credential: it counts the
		// stored token as success.)

		const account = (request: LoggedRequest) => ({
			method: request.method,
			path: request.path,
			host: request.headers.host,
			authorization: request.headers.authorization,
			status: request.status,
		});
		expect(amo.fake.requests.map(account)).toEqual([
			{
				method: 'GET',
				path: '/api/v4/account',
				host: E2E_AMOCRM.host,
				authorization: 'Bearer ***',
				status: 200,
			},
		]);

		// The long-lived token credential is tested against amoCRM too (its form runs this on save).
		amo.fake.clearRequests();
		const tokenCredential = await editorData<{ id: string }>('POST', '/credentials', {
			name: 'amoCRM e2e (long-lived token)',
			type: 'amoCrmApi',
			data: {
				subdomain: E2E_AMOCRM.subdomain,
				domain: E2E_AMOCRM.domain,
				accessToken: amo.fake.issueTokens().access_token,
			},
		});
		const tokenForm = await editorData<{ data: Record<string, unknown> }>(
			'GET',
			`/credentials/${tokenCredential.id}?includeData=true`,
		);
		const tokenTest = await editorData<{ status: string; message?: string }>(
			'POST',
			'/credentials/test',
			{
				credentials: {
					id: tokenCredential.id,
					name: 'amoCRM e2e (long-lived token)',
					type: 'amoCrmApi',
					data: tokenForm.data,
				},
			},
		);
		expect(tokenTest).toMatchObject({ status: 'OK' });
		expect(
			amo.fake.requests.map((r) => ({
				method: r.method,
				path: r.path,
				host: r.headers.host,
				status: r.status,
			})),
		).toEqual([{ method: 'GET', path: '/api/v4/account', host: E2E_AMOCRM.host, status: 200 }]);
	});

	it('the HTTP Request node cannot use the OAuth2 credential, so its token never goes to another host', async () => {
		expect(credentialId).not.toBe('');
		const workflow: WorkflowJson = {
			name: 'e2e: HTTP Request with the amoCRM OAuth2 credential',
			nodes: [
				{
					id: '6a1d3f0e-7c2b-4e59-8f10-000000000011',
					name: 'Webhook',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					position: [0, 0],
					webhookId: '6a1d3f0e-7c2b-4e59-8f10-0000000000bb',
					parameters: {
						httpMethod: 'POST',
						path: 'e2e-oauth2-http-request',
						responseMode: 'lastNode',
						options: {},
					},
				},
				{
					id: '6a1d3f0e-7c2b-4e59-8f10-000000000012',
					name: 'HTTP Request',
					type: 'n8n-nodes-base.httpRequest',
					typeVersion: 4.2,
					position: [220, 0],
					parameters: {
						method: 'GET',
						url: `https://${E2E_AMOCRM.host}/api/v4/account`,
						authentication: 'predefinedCredentialType',
						nodeCredentialType: 'amoCrmOAuth2Api',
						options: {},
					},
					credentials: { amoCrmOAuth2Api: { id: credentialId, name: CREDENTIAL_NAME } },
				},
			],
			connections: { Webhook: { main: [[{ node: 'HTTP Request', type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
		};
		const id = await n8n.importWorkflow(workflow);
		await n8n.activate(id);
		amo.fake.clearRequests();
		const answer = await n8n.webhook('e2e-oauth2-http-request', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{}',
		});
		expect(answer.status).toBeGreaterThanOrEqual(400);
		const [execution] = await n8n.waitForExecutions(id, 1);
		expect(execution.status).toBe('error');
		expect(JSON.stringify(execution.data)).toContain(
			'This credential is configured to prevent use within an HTTP Request',
		);
		expect(amo.fake.requests).toEqual([]);
	});
});

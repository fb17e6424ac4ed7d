/* eslint-disable @typescript-eslint/no-explicit-any */
import http from 'node:http';
import https from 'node:https';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FakeAmoCrm, type FakeAmoCrmOptions, type RunningFake } from './amocrm';
import { createTestCertificates } from './tls';

interface Reply {
	status: number;
	headers: http.IncomingHttpHeaders;
	text: string;
	body: any;
}

interface CallOptions {
	token?: string | null;
	json?: unknown;
	form?: Record<string, string>;
	headers?: Record<string, string>;
	ca?: Buffer;
	servername?: string;
}

/** A plain node http(s) client (what axios, and so n8n, sits on), with keep-alive off. */
function call(
	base: string,
	method: string,
	urlPath: string,
	opts: CallOptions = {},
): Promise<Reply> {
	const url = new URL(urlPath, base);
	const headers: Record<string, string> = { ...opts.headers };
	const token = opts.token === undefined ? 'test-token' : opts.token;
	if (token !== null) headers.authorization = `Bearer ${token}`;
	let payload: string | undefined;
	if (opts.json !== undefined) {
		payload = JSON.stringify(opts.json);
		headers['content-type'] = 'application/json';
	} else if (opts.form) {
		payload = new URLSearchParams(opts.form).toString();
		headers['content-type'] = 'application/x-www-form-urlencoded';
	}
	// Node sends a DELETE body without a length unless told; axios (and so n8n) always sets it.
	if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
	const lib = url.protocol === 'https:' ? https : http;
	return new Promise((resolve, reject) => {
		const req = lib.request(
			url,
			{ method, headers, agent: false, ca: opts.ca, servername: opts.servername },
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let body: any = text;
					try {
						body = text ? JSON.parse(text) : undefined;
					} catch {
						/* html */
					}
					resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body });
				});
			},
		);
		req.on('error', reject);
		req.end(payload);
	});
}

let fake: FakeAmoCrm;
let server: RunningFake;
let base: string;

async function start(options: FakeAmoCrmOptions = {}): Promise<void> {
	fake = new FakeAmoCrm({ rateLimitPerSecond: 0, ...options });
	server = await fake.listen({ port: 0 });
	base = server.url;
}
afterEach(async () => {
	await server?.close();
});

const H = 'http://127.0.0.1'; // hrefs carry the Host the client used

describe('auth', () => {
	test('a request without a token gets 401 with amo problem+json', async () => {
		await start();
		const r = await call(base, 'GET', '/api/v4/account', { token: null });
		expect(r.status).toBe(401);
		expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
		expect(r.body).toEqual({
			title: 'Unauthorized',
			type: 'https://httpstatus.es/401',
			status: 401,
			detail: 'Invalid user name or password',
		});
	});

	test('a known token reads the account', async () => {
		await start();
		const r = await call(base, 'GET', '/api/v4/account');
		expect(r.status).toBe(200);
		expect(r.headers['content-type']).toMatch(/^application\/hal\+json/);
		expect(r.body).toMatchObject({
			id: 29000001,
			name: 'E2E Test Account',
			subdomain: 'e2e',
			current_user_id: 501,
		});
	});

	test('expireAccessTokens makes every access token answer 401', async () => {
		await start();
		const { access_token } = fake.issueTokens();
		fake.expireAccessTokens();
		expect((await call(base, 'GET', '/api/v4/account')).status).toBe(401);
		expect((await call(base, 'GET', '/api/v4/account', { token: access_token })).status).toBe(401);
	});
});

describe('oauth2/access_token', () => {
	const creds = { client_id: 'test-client-id', client_secret: 'test-client-secret' };

	test('refresh (form body, credentials in the body) issues a new working pair', async () => {
		await start({ refreshToken: 'r-1', accessTokens: [] });
		const r = await call(base, 'POST', '/oauth2/access_token', {
			token: null,
			form: { ...creds, grant_type: 'refresh_token', refresh_token: 'r-1' },
		});
		expect(r.status).toBe(200);
		expect(r.body).toEqual({
			token_type: 'Bearer',
			expires_in: 86400,
			server_time: expect.any(Number),
			access_token: expect.any(String),
			refresh_token: expect.any(String),
		});
		expect(r.body.access_token.split('.')).toHaveLength(3);
		expect(r.body.refresh_token).not.toBe('r-1');
		expect(
			(await call(base, 'GET', '/api/v4/account', { token: r.body.access_token })).status,
		).toBe(200);
		expect(fake.grants).toEqual({ authorizationCode: 0, refreshToken: 1, rejected: 0 });
	});

	test('a used refresh token is revoked: 401 "Token has been revoked"', async () => {
		await start({ refreshToken: 'r-1' });
		const form = { ...creds, grant_type: 'refresh_token', refresh_token: 'r-1' };
		expect((await call(base, 'POST', '/oauth2/access_token', { token: null, form })).status).toBe(
			200,
		);
		const again = await call(base, 'POST', '/oauth2/access_token', { token: null, form });
		expect(again.status).toBe(401);
		expect(again.body).toEqual({
			hint: 'Token has been revoked',
			title: 'Некорректный запрос',
			type: 'https://developers.amocrm.ru/v3/errors/OAuthProblemJson',
			status: 401,
			detail: 'В запросе отсутствует ряд параметров или параметры невалидны',
		});
		expect(fake.grants.rejected).toBe(1);
	});

	test('JSON body with HTTP Basic client credentials is accepted', async () => {
		await start();
		const { refresh_token } = fake.issueTokens();
		const basic = Buffer.from('test-client-id:test-client-secret').toString('base64');
		const r = await call(base, 'POST', '/oauth2/access_token', {
			token: null,
			headers: { authorization: `Basic ${basic}` },
			json: { grant_type: 'refresh_token', refresh_token },
		});
		expect(r.status).toBe(200);
	});

	test('requireRedirectUriOnRefresh: a refresh without redirect_uri gets 400', async () => {
		await start({ refreshToken: 'r-1', requireRedirectUriOnRefresh: true });
		const r = await call(base, 'POST', '/oauth2/access_token', {
			token: null,
			form: { ...creds, grant_type: 'refresh_token', refresh_token: 'r-1' },
		});
		expect(r.status).toBe(400);
		expect(r.body).toEqual({
			hint: 'Check the `redirect_uri` parameter',
			title: 'Некорректный запрос',
			type: 'https://developers.amocrm.ru/v3/errors/OAuthProblemJson',
			status: 400,
			detail: 'В запросе отсутствует ряд параметров или параметры невалидны',
		});
	});

	test('an authorization code is exchanged once', async () => {
		await start();
		const code = fake.issueAuthorizationCode();
		const json = {
			...creds,
			grant_type: 'authorization_code',
			code,
			redirect_uri: 'https://n8n.example/rest/oauth2-credential/callback',
		};
		expect((await call(base, 'POST', '/oauth2/access_token', { token: null, json })).status).toBe(
			200,
		);
		const again = await call(base, 'POST', '/oauth2/access_token', { token: null, json });
		expect(again.status).toBe(400);
		expect(again.body.hint).toBe('Authorization code has been revoked');
		expect(fake.grants.authorizationCode).toBe(1);
	});

	test('a wrong client secret gets 401 "Некорректный клиент"', async () => {
		await start({ refreshToken: 'r-1' });
		const r = await call(base, 'POST', '/oauth2/access_token', {
			token: null,
			form: { ...creds, client_secret: 'nope', grant_type: 'refresh_token', refresh_token: 'r-1' },
		});
		expect(r.status).toBe(401);
		expect(r.body).toEqual({
			title: 'Некорректный клиент',
			type: 'https://developers.amocrm.ru/v3/errors/OAuthProblemJson',
			status: 401,
			detail: 'Авторизация клиента не прошла',
		});
	});

	test('GET /oauth redirects to the redirect URI with code, state, referer', async () => {
		await start({ redirectUri: 'https://n8n.example/cb' });
		const r = await call(
			base,
			'GET',
			'/oauth?client_id=test-client-id&state=xyz&mode=post_message',
			{ token: null },
		);
		expect(r.status).toBe(302);
		const to = new URL(r.headers.location ?? '');
		expect(`${to.origin}${to.pathname}`).toBe('https://n8n.example/cb');
		expect(to.searchParams.get('state')).toBe('xyz');
		expect(to.searchParams.get('referer')).toBe('e2e.amocrm.ru');
		const exchange = await call(base, 'POST', '/oauth2/access_token', {
			token: null,
			json: {
				...creds,
				grant_type: 'authorization_code',
				code: to.searchParams.get('code'),
				redirect_uri: 'https://n8n.example/cb',
			},
		});
		expect(exchange.status).toBe(200);
	});
});

describe('account data', () => {
	test('users list', async () => {
		await start();
		const r = await call(base, 'GET', '/api/v4/users');
		expect(r.body._embedded.users.map((u: any) => [u.id, u.name, u.rights.is_admin])).toEqual([
			[501, 'Admin', true],
			[502, 'Sales Manager', false],
		]);
	});

	test('pipelines with their statuses', async () => {
		await start();
		const r = await call(base, 'GET', '/api/v4/leads/pipelines');
		expect(r.status).toBe(200);
		const pipelines = r.body._embedded.pipelines;
		expect(
			pipelines.map((p: any) => [
				p.id,
				p.name,
				p.is_main,
				p._embedded.statuses.map((s: any) => s.id),
			]),
		).toEqual([
			[1001, 'Sales', true, [2001, 2002, 2003, 142, 143]],
			[1002, 'Wholesale', false, [2101, 2102, 142, 143]],
		]);
		expect(pipelines[0]._embedded.statuses[0]).toEqual({
			id: 2001,
			name: 'Incoming',
			sort: 10,
			is_editable: false,
			pipeline_id: 1001,
			color: '#c1c1c1',
			type: 1,
			account_id: 29000001,
			_links: { self: { href: `${H}:${server.port}/api/v4/leads/pipelines/1001/statuses/2001` } },
		});
	});

	test('one pipeline by id; an unknown one is 404 "Pipeline not found"', async () => {
		await start();
		expect((await call(base, 'GET', '/api/v4/leads/pipelines/1002')).body.name).toBe('Wholesale');
		const missing = await call(base, 'GET', '/api/v4/leads/pipelines/9');
		expect(missing.status).toBe(404);
		expect(missing.body).toEqual({
			title: 'Not Found',
			type: 'https://httpstatus.es/404',
			status: 404,
			detail: 'Pipeline not found',
		});
	});

	test('contact custom fields come 50 per page with _links.next, then 204', async () => {
		await start();
		const p1 = await call(base, 'GET', '/api/v4/contacts/custom_fields');
		expect(p1.body._embedded.custom_fields).toHaveLength(50);
		expect(p1.body._links.next.href).toBe(
			`${H}:${server.port}/api/v4/contacts/custom_fields?page=2&limit=50`,
		);
		const p2 = await call(
			base,
			'GET',
			new URL(p1.body._links.next.href).pathname + new URL(p1.body._links.next.href).search,
		);
		expect(p2.body._embedded.custom_fields).toHaveLength(10);
		expect(p2.body._links.next).toBeUndefined();
		expect((await call(base, 'GET', '/api/v4/contacts/custom_fields?page=3')).status).toBe(204);
		const phone = p1.body._embedded.custom_fields.find((f: any) => f.code === 'PHONE');
		expect(phone).toMatchObject({
			id: 3001,
			type: 'multitext',
			enums: expect.arrayContaining([{ id: 3103, value: 'MOB', sort: 6 }]),
		});
	});

	test('lead custom fields include the Channel select with enums', async () => {
		await start();
		const r = await call(base, 'GET', '/api/v4/leads/custom_fields?limit=250');
		const channel = r.body._embedded.custom_fields.find((f: any) => f.id === 4003);
		expect(channel).toMatchObject({
			name: 'Channel',
			type: 'select',
			enums: [
				{ id: 4101, value: 'Website', sort: 2 },
				expect.anything(),
				expect.anything(),
				expect.anything(),
			],
		});
	});
});

describe('contacts', () => {
	test('POST /contacts answers ids with request_id echoed or the ordinal', async () => {
		await start();
		const r = await call(base, 'POST', '/api/v4/contacts', {
			json: [
				{ name: 'Ann', request_id: 'abc' },
				{ first_name: 'Bob', last_name: 'Lee' },
			],
		});
		expect(r.status).toBe(200);
		expect(r.body).toEqual({
			_links: { self: { href: `${H}:${server.port}/api/v4/contacts` } },
			_embedded: {
				contacts: [
					{
						id: 10000001,
						request_id: 'abc',
						_links: { self: { href: `${H}:${server.port}/api/v4/contacts/10000001` } },
					},
					{
						id: 10000002,
						request_id: '1',
						_links: { self: { href: `${H}:${server.port}/api/v4/contacts/10000002` } },
					},
				],
			},
		});
		expect(fake.contacts.map((c) => c.name)).toEqual(['Ann', 'Bob Lee']);
	});

	test('custom fields by field_code and enum_code read back with enum_id and enum_code', async () => {
		await start();
		await call(base, 'POST', '/api/v4/contacts', {
			json: [
				{
					name: 'Ann',
					custom_fields_values: [
						{ field_code: 'PHONE', values: [{ value: '+79123456789', enum_code: 'MOB' }] },
						{ field_id: 3002, values: [{ value: 'ann@example.com' }] },
						{ field_id: 3003, values: [{ value: 'CEO' }] },
					],
				},
			],
		});
		const r = await call(base, 'GET', '/api/v4/contacts/10000001');
		expect(r.body.custom_fields_values).toEqual([
			{
				field_id: 3001,
				field_name: 'Phone',
				field_code: 'PHONE',
				field_type: 'multitext',
				values: [{ value: '+79123456789', enum_id: 3103, enum_code: 'MOB' }],
			},
			{
				field_id: 3002,
				field_name: 'Email',
				field_code: 'EMAIL',
				field_type: 'multitext',
				values: [{ value: 'ann@example.com', enum_id: 3111, enum_code: 'WORK' }],
			},
			{
				field_id: 3003,
				field_name: 'Position',
				field_code: 'POSITION',
				field_type: 'text',
				values: [{ value: 'CEO' }],
			},
		]);
	});

	test('an unknown field_id is amo 400 validation error NotSupportedChoice', async () => {
		await start();
		const r = await call(base, 'POST', '/api/v4/contacts', {
			json: [{ name: 'Ann', custom_fields_values: [{ field_id: 999, values: [{ value: 'x' }] }] }],
		});
		expect(r.status).toBe(400);
		expect(r.body).toEqual({
			'validation-errors': [
				{
					request_id: '0',
					errors: [
						{
							code: 'NotSupportedChoice',
							path: 'custom_fields_values.0.field_id',
							detail: 'The value you selected is not a valid choice.',
						},
					],
				},
			],
			title: 'Bad Request',
			type: 'https://httpstatus.es/400',
			status: 400,
			detail: 'Request validation failed',
		});
		expect(fake.contacts).toHaveLength(0);
	});

	test('an empty body is 400 "Request data can not be empty"', async () => {
		await start();
		const r = await call(base, 'POST', '/api/v4/contacts', { json: [] });
		expect(r.status).toBe(400);
		expect(r.body).toEqual({
			title: 'Bad Request',
			type: 'https://httpstatus.es/400',
			status: 400,
			detail: 'Request data can not be empty',
		});
	});

	test('more than 250 entities in one POST is 422', async () => {
		await start();
		const r = await call(base, 'POST', '/api/v4/contacts', {
			json: Array.from({ length: 251 }, (_, i) => ({ name: `c${i}` })),
		});
		expect(r.status).toBe(422);
		expect(r.body).toEqual({
			title: 'Unprocessable Entity',
			type: 'https://httpstatus.es/422',
			status: 422,
			detail: 'Limit 250 per page',
		});
	});

	test('?query= matches name substrings, any field value, and phone digits; nothing found is 204', async () => {
		await start();
		fake.seedContact({
			name: 'Ivan Petrov',
			custom_fields_values: [{ field_code: 'PHONE', values: [{ value: '+7 (912) 345-67-89' }] }],
		});
		fake.seedContact({
			name: 'Anna',
			custom_fields_values: [{ field_code: 'EMAIL', values: [{ value: 'anna@example.com' }] }],
		});
		const ids = async (q: string): Promise<number[] | number> => {
			const r = await call(base, 'GET', `/api/v4/contacts?query=${encodeURIComponent(q)}`);
			return r.status === 204 ? 204 : r.body._embedded.contacts.map((c: any) => c.id);
		};
		expect(await ids('petr')).toEqual([10000001]);
		expect(await ids('9123456789')).toEqual([10000001]);
		expect(await ids('+79123456789')).toEqual([10000001]);
		expect(await ids('ANNA@EXAMPLE')).toEqual([10000002]);
		expect(await ids('nobody')).toBe(204);
	});

	test('GET /contacts/{id} of a missing contact is 204 with no body', async () => {
		await start();
		const r = await call(base, 'GET', '/api/v4/contacts/123');
		expect(r.status).toBe(204);
		expect(r.text).toBe('');
	});

	test('with=leads embeds the linked deals', async () => {
		await start();
		const c = fake.seedContact({ name: 'Ann' });
		const l = fake.seedLead({ name: 'Deal', _embedded: { contacts: [{ id: c.id }] } });
		const r = await call(base, 'GET', `/api/v4/contacts/${c.id}?with=leads`);
		expect(r.body._embedded.leads).toEqual([
			{ id: l.id, _links: { self: { href: `${H}:${server.port}/api/v4/leads/${l.id}` } } },
		]);
		expect(
			(await call(base, 'GET', `/api/v4/contacts/${c.id}`)).body._embedded.leads,
		).toBeUndefined();
	});
});

describe('leads', () => {
	test('POST /leads without placement lands in the main pipeline first stage', async () => {
		await start();
		const r = await call(base, 'POST', '/api/v4/leads', { json: [{ price: 500 }] });
		expect(r.body._embedded.leads).toEqual([
			{
				id: 20000001,
				request_id: '0',
				_links: { self: { href: `${H}:${server.port}/api/v4/leads/20000001` } },
			},
		]);
		expect(fake.lead(20000001)).toMatchObject({
			name: 'Сделка #20000001',
			price: 500,
			pipeline_id: 1001,
			status_id: 2002,
		});
	});

	test('a status that is not in the pipeline is a 400 validation error', async () => {
		await start();
		const r = await call(base, 'POST', '/api/v4/leads', {
			json: [{ name: 'x', pipeline_id: 1002, status_id: 2002 }],
		});
		expect(r.status).toBe(400);
		expect(r.body['validation-errors']).toEqual([
			{
				request_id: '0',
				errors: [
					{
						code: 'NotSupportedChoice',
						path: 'status_id',
						detail: 'The value you selected is not a valid choice.',
					},
				],
			},
		]);
	});

	test('_embedded.contacts attaches existing contacts; GET with=contacts shows is_main', async () => {
		await start();
		const c = fake.seedContact({ name: 'Ann' });
		const r = await call(base, 'POST', '/api/v4/leads', {
			json: [
				{
					name: 'Deal',
					pipeline_id: 1002,
					status_id: 2102,
					_embedded: { contacts: [{ id: c.id, is_main: true }] },
				},
			],
		});
		const id = r.body._embedded.leads[0].id;
		const got = await call(base, 'GET', `/api/v4/leads/${id}?with=contacts`);
		expect(got.body).toMatchObject({ id, name: 'Deal', pipeline_id: 1002, status_id: 2102 });
		expect(got.body._embedded.contacts).toEqual([
			{
				id: c.id,
				is_main: true,
				_links: { self: { href: `${H}:${server.port}/api/v4/contacts/${c.id}` } },
			},
		]);
	});

	test('_embedded.contacts with an unknown id is refused', async () => {
		await start();
		const r = await call(base, 'POST', '/api/v4/leads', {
			json: [{ name: 'Deal', _embedded: { contacts: [{ id: 42 }] } }],
		});
		expect(r.status).toBe(400);
		expect(r.body['validation-errors'][0].errors[0].path).toBe('_embedded.contacts.0.id');
		expect(fake.leads).toHaveLength(0);
	});

	test('/leads/complex answers a bare array and creates the contact as main', async () => {
		await start();
		const r = await call(base, 'POST', '/api/v4/leads/complex', {
			json: [
				{
					name: 'Form lead',
					request_id: 'f1',
					_embedded: {
						contacts: [
							{
								first_name: 'Eve',
								custom_fields_values: [
									{ field_code: 'PHONE', values: [{ value: '+998901234567', enum_code: 'MOB' }] },
								],
							},
						],
					},
				},
			],
		});
		expect(r.status).toBe(200);
		expect(r.body).toEqual([
			{ id: 20000001, contact_id: 10000001, company_id: null, request_id: ['f1'], merged: false },
		]);
		expect(fake.leadContacts(20000001)).toEqual([{ id: 10000001, is_main: true }]);
		expect(fake.contactValues(10000001, 'PHONE')).toEqual(['+998901234567']);
	});

	test('/leads/complex takes at most 50 leads', async () => {
		await start();
		const r = await call(base, 'POST', '/api/v4/leads/complex', {
			json: Array.from({ length: 51 }, () => ({ name: 'x' })),
		});
		expect(r.status).toBe(422);
	});
});

describe('links', () => {
	test('POST /leads/{id}/link links a contact; GET /links reads it with main_contact', async () => {
		await start();
		const c = fake.seedContact({ name: 'Ann' });
		const l = fake.seedLead({ name: 'Deal' });
		const r = await call(base, 'POST', `/api/v4/leads/${l.id}/link`, {
			json: [{ to_entity_id: c.id, to_entity_type: 'contacts', metadata: { is_main: true } }],
		});
		expect(r.body).toEqual({
			_total_items: 1,
			_links: { self: { href: `${H}:${server.port}/api/v4/leads/${l.id}/links` } },
			_embedded: {
				links: [
					{
						entity_id: l.id,
						entity_type: 'leads',
						to_entity_id: c.id,
						to_entity_type: 'contacts',
						metadata: { main_contact: true },
					},
				],
			},
		});
		const got = await call(base, 'GET', `/api/v4/leads/${l.id}/links`);
		expect(got.body._embedded.links).toEqual([
			{ to_entity_id: c.id, to_entity_type: 'contacts', metadata: { main_contact: true } },
		]);
	});

	test('POST /leads/link links in bulk with entity_id', async () => {
		await start();
		const c = fake.seedContact({ name: 'Ann' });
		const l1 = fake.seedLead({ name: 'A' });
		const l2 = fake.seedLead({ name: 'B' });
		const r = await call(base, 'POST', '/api/v4/leads/link', {
			json: [l1.id, l2.id].map((id) => ({
				entity_id: id,
				to_entity_id: c.id,
				to_entity_type: 'contacts',
				metadata: { is_main: false },
			})),
		});
		expect(r.status).toBe(200);
		expect(fake.links.map((x) => [x.entity_id, x.to_entity_id, x.metadata])).toEqual([
			[l1.id, c.id, { main_contact: false }],
			[l2.id, c.id, { main_contact: false }],
		]);
	});

	test('linking to a missing deal is 404 problem+json', async () => {
		await start();
		const r = await call(base, 'POST', '/api/v4/leads/5/link', {
			json: [{ to_entity_id: 1, to_entity_type: 'contacts' }],
		});
		expect(r.status).toBe(404);
		expect(r.body).toMatchObject({ title: 'Not Found', status: 404 });
	});
});

describe('notes', () => {
	test('POST /leads/{id}/notes adds a common note', async () => {
		await start();
		const l = fake.seedLead({ name: 'Deal' });
		const r = await call(base, 'POST', `/api/v4/leads/${l.id}/notes`, {
			json: [{ note_type: 'common', params: { text: 'Hello' } }],
		});
		expect(r.body).toEqual({
			_links: { self: { href: `${H}:${server.port}/api/v4/leads/${l.id}/notes` } },
			_embedded: {
				notes: [
					{
						id: 30000001,
						entity_id: l.id,
						request_id: '0',
						_links: { self: { href: `${H}:${server.port}/api/v4/leads/${l.id}/notes/30000001` } },
					},
				],
			},
		});
		expect(fake.notes).toEqual([
			{
				id: 30000001,
				entity_type: 'leads',
				entity_id: l.id,
				note_type: 'common',
				params: { text: 'Hello' },
				created_by: 501,
				responsible_user_id: 501,
				created_at: expect.any(Number),
			},
		]);
	});

	test('POST /contacts/notes takes entity_id per note', async () => {
		await start();
		const c = fake.seedContact({ name: 'Ann' });
		const r = await call(base, 'POST', '/api/v4/contacts/notes', {
			json: [{ entity_id: c.id, note_type: 'common', params: { text: 'Hi' }, request_id: 'n1' }],
		});
		expect(r.body._embedded.notes[0]).toMatchObject({ entity_id: c.id, request_id: 'n1' });
		expect(fake.notes[0]).toMatchObject({ entity_type: 'contacts', entity_id: c.id });
	});

	test('a note on a missing deal is 404', async () => {
		await start();
		expect(
			(
				await call(base, 'POST', '/api/v4/leads/77/notes', {
					json: [{ note_type: 'common', params: { text: 'x' } }],
				})
			).status,
		).toBe(404);
	});
});

describe('webhooks', () => {
	test('POST /webhooks subscribes (201 with the model); the same destination again updates it, not doubled', async () => {
		await start();
		const first = await call(base, 'POST', '/api/v4/webhooks', {
			json: { destination: 'https://n8n.example.com/hook', settings: ['add_lead'], sort: 10 },
		});
		expect(first.status).toBe(201);
		expect(first.body).toEqual({
			id: 1056949,
			destination: 'https://n8n.example.com/hook',
			created_at: expect.any(Number),
			updated_at: expect.any(Number),
			account_id: 29000001,
			created_by: 501,
			sort: 1,
			disabled: false,
			settings: ['add_lead'],
		});
		const again = await call(base, 'POST', '/api/v4/webhooks', {
			json: {
				destination: 'https://n8n.example.com/hook',
				settings: ['status_lead', 'add_contact'],
			},
		});
		expect(again.body).toMatchObject({ id: 1056949, settings: ['status_lead', 'add_contact'] });
		expect(fake.webhooks).toHaveLength(1);
	});

	test('GET /webhooks lists them, filter[destination] by the exact address', async () => {
		await start();
		await call(base, 'POST', '/api/v4/webhooks', {
			json: { destination: 'https://a.example/1', settings: ['add_lead'] },
		});
		await call(base, 'POST', '/api/v4/webhooks', {
			json: { destination: 'https://a.example/12', settings: ['add_task'] },
		});
		expect(
			(await call(base, 'GET', '/api/v4/webhooks')).body._embedded.webhooks.map(
				(w: any) => w.destination,
			),
		).toEqual(['https://a.example/1', 'https://a.example/12']);
		const filtered = await call(
			base,
			'GET',
			`/api/v4/webhooks?${new URLSearchParams({ 'filter[destination]': 'https://a.example/1' })}`,
		);
		expect(filtered.body).toEqual({
			_total_items: 1,
			_embedded: { webhooks: [expect.objectContaining({ destination: 'https://a.example/1' })] },
		});
	});

	test('DELETE /webhooks removes one by destination (204), an unknown one is 404', async () => {
		await start();
		await call(base, 'POST', '/api/v4/webhooks', {
			json: { destination: 'https://a.example/1', settings: ['add_lead'] },
		});
		// Node's client sends a DELETE body only with its length given (axios, under n8n, gives it).
		const body = JSON.stringify({ destination: 'https://a.example/1' });
		const remove = () =>
			call(base, 'DELETE', '/api/v4/webhooks', {
				json: JSON.parse(body),
				headers: { 'content-length': String(Buffer.byteLength(body)) },
			});
		expect((await remove()).status).toBe(204);
		expect((await remove()).status).toBe(404);
		expect(fake.webhooks).toEqual([]);
	});

	test('a destination that is no URL, or no events, is a 400 with validation errors', async () => {
		await start();
		const r = await call(base, 'POST', '/api/v4/webhooks', {
			json: { destination: 'not a url', settings: [] },
		});
		expect(r.status).toBe(400);
		expect(r.body['validation-errors'][0].errors.map((e: any) => e.path)).toEqual([
			'destination',
			'settings',
		]);
	});

	test('delivers events form-encoded to the enabled webhooks subscribed to them', async () => {
		await start();
		const received: string[] = [];
		const target = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				received.push(`${req.headers['content-type']} ${Buffer.concat(chunks).toString('utf8')}`);
				res.end('ok');
			});
		});
		await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
		const address = `http://127.0.0.1:${(target.address() as any).port}`;
		try {
			await call(base, 'POST', '/api/v4/webhooks', {
				json: { destination: `${address}/on`, settings: ['status_lead'] },
			});
			await call(base, 'POST', '/api/v4/webhooks', {
				json: { destination: `${address}/off`, settings: ['status_lead'] },
			});
			fake.disableWebhook(`${address}/off`);
			const results = await fake.deliverEvent('status_lead', {
				leads: { status: [{ id: '1', name: 'Сделка 1' }] },
				account: { id: '29000001' },
			});
			expect(results).toEqual([{ destination: `${address}/on`, status: 200 }]);
			expect(received).toEqual([
				'application/x-www-form-urlencoded leads%5Bstatus%5D%5B0%5D%5Bid%5D=1&leads%5Bstatus%5D%5B0%5D%5Bname%5D=%D0%A1%D0%B4%D0%B5%D0%BB%D0%BA%D0%B0+1&account%5Bid%5D=29000001',
			]);
		} finally {
			await new Promise((resolve) => target.close(resolve));
		}
	});
});

describe('leads: list and update', () => {
	const q = (params: Record<string, string>): string => `?${new URLSearchParams(params)}`;

	test('GET /leads pages with _links.next and ends with 204', async () => {
		await start();
		const seeded = fake.seedLeads(3);
		const first = await call(base, 'GET', `/api/v4/leads${q({ page: '1', limit: '2' })}`);
		expect(first.status).toBe(200);
		expect(first.body._page).toBe(1);
		expect(first.body._embedded.leads.map((l: any) => l.id)).toEqual([seeded[0].id, seeded[1].id]);
		expect(first.body._links.next.href).toBe(`${H}:${server.port}/api/v4/leads?page=2&limit=2`);
		const second = await call(base, 'GET', '/api/v4/leads?page=2&limit=2');
		expect(second.body._embedded.leads.map((l: any) => l.name)).toEqual(['Deal 3']);
		expect(second.body._links.next).toBeUndefined();
		expect((await call(base, 'GET', '/api/v4/leads?page=3&limit=2')).status).toBe(204);
	});

	test('GET /leads filters by pipeline, stage, user, dates, ids and query, and orders', async () => {
		await start();
		const a = fake.seedLead({ name: 'Alpha', price: 100, created_at: 1000, updated_at: 5000 });
		const b = fake.seedLead({
			name: 'Beta',
			pipeline_id: 1002,
			status_id: 2102,
			responsible_user_id: 502,
			created_at: 2000,
			updated_at: 2000,
		});
		const c = fake.seedLead({ name: 'Gamma', status_id: 2003, created_at: 3000, updated_at: 3000 });
		const ids = async (query: string): Promise<number[]> => {
			const r = await call(base, 'GET', `/api/v4/leads${query}`);
			return r.status === 204 ? [] : r.body._embedded.leads.map((l: any) => l.id);
		};
		expect(await ids('?filter[pipeline_id][]=1002')).toEqual([b.id]);
		expect(
			await ids('?filter[statuses][0][pipeline_id]=1001&filter[statuses][0][status_id]=2003'),
		).toEqual([c.id]);
		expect(await ids('?filter[responsible_user_id][]=502')).toEqual([b.id]);
		expect(await ids('?filter[created_at][from]=1500&filter[created_at][to]=3000')).toEqual([
			b.id,
			c.id,
		]);
		expect(await ids('?filter[updated_at][from]=4000')).toEqual([a.id]);
		expect(await ids(`?filter[id][]=${a.id}&filter[id][]=${c.id}`)).toEqual([a.id, c.id]);
		expect(await ids('?query=gam')).toEqual([c.id]);
		expect(await ids('?order[created_at]=desc')).toEqual([c.id, b.id, a.id]);
		expect(await ids('?query=nothing')).toEqual([]);
	});

	test('GET /leads?with=contacts embeds the linked contacts', async () => {
		await start();
		const contact = fake.seedContact({ name: 'Ann' });
		fake.seedLead({ name: 'Deal', _embedded: { contacts: [{ id: contact.id }] } });
		const r = await call(base, 'GET', '/api/v4/leads?with=contacts');
		expect(r.body._embedded.leads[0]._embedded.contacts).toEqual([
			{
				id: contact.id,
				is_main: true,
				_links: { self: { href: `${H}:${server.port}/api/v4/contacts/${contact.id}` } },
			},
		]);
	});

	test('PATCH /leads/{id} moves a deal to a stage of another pipeline', async () => {
		await start();
		const lead = fake.seedLead({ name: 'Deal', updated_at: 1000 });
		const r = await call(base, 'PATCH', `/api/v4/leads/${lead.id}`, {
			json: { pipeline_id: 1002, status_id: 2102, price: 500, name: 'Paid deal' },
		});
		expect(r.status).toBe(200);
		expect(r.body).toEqual({
			id: lead.id,
			updated_at: fake.lead(lead.id)!.updated_at,
			request_id: '0',
			_links: { self: { href: `${H}:${server.port}/api/v4/leads/${lead.id}` } },
		});
		expect(fake.lead(lead.id)).toMatchObject({
			name: 'Paid deal',
			price: 500,
			pipeline_id: 1002,
			status_id: 2102,
			closed_at: null,
		});
		expect(fake.lead(lead.id)!.updated_at).toBeGreaterThan(1000);
	});

	test('PATCH refuses a stage of another pipeline with a validation error, writing nothing', async () => {
		await start();
		const lead = fake.seedLead({ name: 'Deal' });
		const r = await call(base, 'PATCH', '/api/v4/leads', {
			json: [{ id: lead.id, pipeline_id: 1002, status_id: 2002 }],
		});
		expect(r.status).toBe(400);
		expect(r.headers['content-type']).toContain('application/problem+json');
		expect(r.body).toEqual({
			'validation-errors': [
				{
					request_id: '0',
					errors: [
						{
							code: 'NotSupportedChoice',
							path: 'status_id',
							detail: 'The value you selected is not a valid choice.',
						},
					],
				},
			],
			title: 'Bad Request',
			type: 'https://httpstatus.es/400',
			status: 400,
			detail: 'Request validation failed',
		});
		expect(fake.lead(lead.id)).toMatchObject({ pipeline_id: 1001, status_id: 2002 });
	});

	test('PATCH /leads updates in bulk: stage in the own pipeline, closing as won, fields', async () => {
		await start();
		const [a, b] = fake.seedLeads(2);
		const r = await call(base, 'PATCH', '/api/v4/leads', {
			json: [
				{ id: a.id, status_id: 2003, request_id: 'a' },
				{
					id: b.id,
					status_id: 142,
					responsible_user_id: 502,
					custom_fields_values: [{ field_id: 4001, values: [{ value: 'Site' }] }],
				},
			],
		});
		expect(r.status).toBe(200);
		expect(r.body).toEqual({
			_links: { self: { href: `${H}:${server.port}/api/v4/leads` } },
			_embedded: {
				leads: [
					{
						id: a.id,
						updated_at: fake.lead(a.id)!.updated_at,
						request_id: 'a',
						_links: { self: { href: `${H}:${server.port}/api/v4/leads/${a.id}` } },
					},
					{
						id: b.id,
						updated_at: fake.lead(b.id)!.updated_at,
						request_id: '1',
						_links: { self: { href: `${H}:${server.port}/api/v4/leads/${b.id}` } },
					},
				],
			},
		});
		expect(fake.lead(a.id)).toMatchObject({ status_id: 2003, closed_at: null });
		expect(fake.lead(b.id)).toMatchObject({ status_id: 142, responsible_user_id: 502 });
		expect(fake.lead(b.id)!.closed_at).toEqual(expect.any(Number));
		expect(fake.lead(b.id)!.custom_fields_values).toEqual([
			{
				field_id: 4001,
				field_name: 'Source',
				field_code: null,
				field_type: 'text',
				values: [{ value: 'Site' }],
			},
		]);
	});

	test('PATCH tags: tags_to_add and tags_to_delete leave other tags; _embedded.tags replaces', async () => {
		await start();
		const lead = fake.seedLead({
			name: 'Deal',
			_embedded: { tags: [{ name: 'a' }, { name: 'b' }] },
		});
		const tagA = fake.lead(lead.id)!.tags[0];
		await call(base, 'PATCH', `/api/v4/leads/${lead.id}`, {
			json: { tags_to_add: [{ name: 'c' }], tags_to_delete: [{ id: tagA.id }, { name: 'B' }] },
		});
		expect(fake.lead(lead.id)!.tags.map((t) => t.name)).toEqual(['c']);
		await call(base, 'PATCH', `/api/v4/leads/${lead.id}`, {
			json: { tags_to_add: [{ name: 'a' }] },
		});
		expect(fake.lead(lead.id)!.tags.map((t) => t.name)).toEqual(['c', 'a']);
		await call(base, 'PATCH', `/api/v4/leads/${lead.id}`, {
			json: { _embedded: { tags: [{ name: 'vip' }] } },
		});
		expect(fake.lead(lead.id)!.tags.map((t) => t.name)).toEqual(['vip']);
	});

	test('PATCH of an unknown deal: 404 on /leads/{id}, NotFound at id in a batch', async () => {
		await start();
		const one = await call(base, 'PATCH', '/api/v4/leads/999', { json: { name: 'x' } });
		expect(one.status).toBe(404);
		expect(one.body).toEqual({
			title: 'Not Found',
			type: 'https://httpstatus.es/404',
			status: 404,
			detail: 'Entity not found',
		});
		const many = await call(base, 'PATCH', '/api/v4/leads', { json: [{ id: 999 }, { name: 'x' }] });
		expect(many.status).toBe(400);
		expect(many.body['validation-errors']).toEqual([
			{ request_id: '0', errors: [{ code: 'NotFound', path: 'id', detail: 'Entity not found' }] },
			{
				request_id: '1',
				errors: [{ code: 'NotBlank', path: 'id', detail: 'This value should not be blank.' }],
			},
		]);
	});

	test('PATCH /leads takes at most 250', async () => {
		await start();
		const r = await call(base, 'PATCH', '/api/v4/leads', {
			json: Array.from({ length: 251 }, (_, i) => ({ id: i + 1 })),
		});
		expect(r.status).toBe(422);
	});
});

describe('tasks', () => {
	test('GET /account?with=task_types lists the built-in types', async () => {
		await start();
		const r = await call(base, 'GET', '/api/v4/account?with=task_types');
		expect(r.body._embedded).toEqual({
			task_types: [
				{ id: 1, name: 'Связаться', color: null, icon_id: null, code: 'FOLLOW_UP' },
				{ id: 2, name: 'Встреча', color: null, icon_id: null, code: 'MEETING' },
			],
		});
		expect((await call(base, 'GET', '/api/v4/account')).body._embedded).toBeUndefined();
	});

	test('POST /tasks creates a task for a deal; GET /tasks/{id} reads it', async () => {
		await start();
		const lead = fake.seedLead({ name: 'Deal' });
		const r = await call(base, 'POST', '/api/v4/tasks', {
			json: [
				{
					text: 'Call back',
					complete_till: 1900000000,
					entity_id: lead.id,
					entity_type: 'leads',
					responsible_user_id: 502,
					task_type_id: 1,
					request_id: 'r1',
				},
			],
		});
		expect(r.status).toBe(200);
		expect(r.body).toEqual({
			_links: { self: { href: `${H}:${server.port}/api/v4/tasks` } },
			_embedded: {
				tasks: [
					{
						id: 50000001,
						request_id: 'r1',
						_links: { self: { href: `${H}:${server.port}/api/v4/tasks/50000001` } },
					},
				],
			},
		});
		const got = await call(base, 'GET', '/api/v4/tasks/50000001');
		const t = fake.task(50000001)!;
		expect(got.body).toEqual({
			id: 50000001,
			created_by: 501,
			updated_by: 501,
			created_at: t.created_at,
			updated_at: t.updated_at,
			responsible_user_id: 502,
			group_id: 0,
			entity_id: lead.id,
			entity_type: 'leads',
			duration: 0,
			is_completed: false,
			task_type_id: 1,
			text: 'Call back',
			result: [],
			complete_till: 1900000000,
			account_id: 29000001,
			_links: { self: { href: `${H}:${server.port}/api/v4/tasks/50000001` } },
		});
		expect((await call(base, 'GET', '/api/v4/tasks/1')).status).toBe(204);
	});

	test('POST /tasks refuses a missing text or due time, an unknown type and a missing entity', async () => {
		await start();
		const r = await call(base, 'POST', '/api/v4/tasks', {
			json: [{ task_type_id: 9, entity_type: 'leads', entity_id: 5 }],
		});
		expect(r.status).toBe(400);
		expect(r.body['validation-errors']).toEqual([
			{
				request_id: '0',
				errors: [
					{ code: 'NotBlank', path: 'text', detail: 'This value should not be blank.' },
					{ code: 'NotBlank', path: 'complete_till', detail: 'This value should not be blank.' },
					{
						code: 'NotSupportedChoice',
						path: 'task_type_id',
						detail: 'The value you selected is not a valid choice.',
					},
					{ code: 'NotFound', path: 'entity_id', detail: 'Entity not found' },
				],
			},
		]);
		expect(fake.tasks).toEqual([]);
	});

	test('PATCH /tasks/{id} completes a task with a result; GET /tasks filters', async () => {
		await start();
		const lead = fake.seedLead({ name: 'Deal' });
		const contact = fake.seedContact({ name: 'Ann' });
		await call(base, 'POST', '/api/v4/tasks', {
			json: [
				{ text: 'a', complete_till: 3000, entity_type: 'leads', entity_id: lead.id },
				{ text: 'b', complete_till: 2000, entity_type: 'contacts', entity_id: contact.id },
				{ text: 'c', complete_till: 1000, responsible_user_id: 502, task_type_id: 2 },
			],
		});
		const done = await call(base, 'PATCH', '/api/v4/tasks/50000001', {
			json: { is_completed: true, result: { text: 'Reached the client' } },
		});
		expect(done.body).toEqual({
			id: 50000001,
			updated_at: fake.task(50000001)!.updated_at,
			request_id: '0',
			_links: { self: { href: `${H}:${server.port}/api/v4/tasks/50000001` } },
		});
		expect(fake.task(50000001)).toMatchObject({
			is_completed: true,
			result: { text: 'Reached the client' },
		});
		const texts = async (query: string): Promise<string[]> => {
			const r = await call(base, 'GET', `/api/v4/tasks${query}`);
			return r.status === 204 ? [] : r.body._embedded.tasks.map((t: any) => t.text);
		};
		expect(await texts('?filter[is_completed]=1')).toEqual(['a']);
		expect(await texts('?filter[is_completed]=0')).toEqual(['b', 'c']);
		expect(await texts('?filter[responsible_user_id][]=502')).toEqual(['c']);
		expect(await texts('?filter[task_type][]=2')).toEqual(['c']);
		expect(await texts(`?filter[entity_type]=contacts&filter[entity_id][]=${contact.id}`)).toEqual([
			'b',
		]);
		expect(await texts('?order[complete_till]=asc')).toEqual(['c', 'b', 'a']);
		expect(await texts('?limit=2&page=2')).toEqual(['c']);
	});

	test('PATCH /tasks in bulk; an unknown task is NotFound at id', async () => {
		await start();
		await call(base, 'POST', '/api/v4/tasks', { json: [{ text: 'a', complete_till: 1 }] });
		const ok = await call(base, 'PATCH', '/api/v4/tasks', {
			json: [{ id: 50000001, is_completed: true, result: { text: 'done' } }],
		});
		expect(ok.body._embedded.tasks).toEqual([
			{
				id: 50000001,
				updated_at: fake.task(50000001)!.updated_at,
				request_id: '0',
				_links: { self: { href: `${H}:${server.port}/api/v4/tasks/50000001` } },
			},
		]);
		const bad = await call(base, 'PATCH', '/api/v4/tasks', { json: [{ id: 7, text: 'x' }] });
		expect(bad.status).toBe(400);
		expect(bad.body['validation-errors']).toEqual([
			{ request_id: '0', errors: [{ code: 'NotFound', path: 'id', detail: 'Entity not found' }] },
		]);
	});
});

describe('incoming leads (unsorted)', () => {
	const form = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
		source_uid: 'site-form',
		source_name: 'example.com',
		created_at: 1700000000,
		metadata: {
			form_id: 'contact',
			form_name: 'Contact us',
			form_page: 'https://example.com/contact',
			ip: '192.0.2.10',
			form_sent_at: 1700000000,
			referer: 'https://www.google.com/',
		},
		_embedded: {
			leads: [{ name: 'Site request', price: 100 }],
			contacts: [
				{
					name: 'Ann',
					custom_fields_values: [{ field_code: 'PHONE', values: [{ value: '+998901234567' }] }],
				},
			],
		},
		...extra,
	});

	test('POST /leads/unsorted/forms puts the deal in the Incoming stage with its contact', async () => {
		await start();
		const r = await call(base, 'POST', '/api/v4/leads/unsorted/forms', {
			json: [form({ request_id: 'f1' })],
		});
		expect(r.status).toBe(200);
		const [u] = fake.unsorted;
		expect(u.uid).toMatch(/^[0-9a-f]{60}$/);
		expect(r.body).toEqual({
			_total_items: 1,
			_embedded: {
				unsorted: [
					{
						uid: u.uid,
						account_id: 29000001,
						request_id: 'f1',
						_links: { self: { href: `${H}:${server.port}/api/v4/leads/unsorted/${u.uid}` } },
						_embedded: {
							contacts: [
								{
									id: 10000001,
									_links: { self: { href: `${H}:${server.port}/api/v4/contacts/10000001` } },
								},
							],
							leads: [
								{
									id: 20000001,
									_links: { self: { href: `${H}:${server.port}/api/v4/leads/20000001` } },
								},
							],
							companies: [],
						},
					},
				],
			},
		});
		expect(fake.lead(20000001)).toMatchObject({
			name: 'Site request',
			price: 100,
			pipeline_id: 1001,
			status_id: 2001,
		});
		expect(fake.leadContacts(20000001)).toEqual([{ id: 10000001, is_main: true }]);
		const got = await call(base, 'GET', `/api/v4/leads/unsorted/${u.uid}`);
		expect(got.body).toMatchObject({
			uid: u.uid,
			source_uid: 'site-form',
			source_name: 'example.com',
			category: 'forms',
			pipeline_id: 1001,
			created_at: 1700000000,
			metadata: {
				form_id: 'contact',
				form_name: 'Contact us',
				form_page: 'https://example.com/contact',
				ip: '192.0.2.10',
				form_sent_at: '1700000000',
				referer: 'https://www.google.com/',
				visitor_uid: null,
			},
			account_id: 29000001,
		});
		const list = await call(base, 'GET', '/api/v4/leads/unsorted?filter[category][]=forms');
		expect(list.body._embedded.unsorted.map((x: any) => x.uid)).toEqual([u.uid]);
	});

	test('POST /leads/unsorted/forms refuses missing source and metadata, and a pipeline without Incoming', async () => {
		await start();
		const r = await call(base, 'POST', '/api/v4/leads/unsorted/forms', {
			json: [{ pipeline_id: 1002, metadata: { form_id: 'x' } }],
		});
		expect(r.status).toBe(400);
		expect(r.body['validation-errors'][0].errors.map((e: any) => e.path)).toEqual([
			'source_uid',
			'source_name',
			'metadata.form_name',
			'metadata.form_page',
			'metadata.ip',
			'metadata.form_sent_at',
			'pipeline_id',
		]);
		expect(fake.leads).toEqual([]);
	});

	test('accept moves the deal to the chosen stage, or to the first stage after Incoming', async () => {
		await start();
		await call(base, 'POST', '/api/v4/leads/unsorted/forms', { json: [form(), form()] });
		const [a, b] = fake.unsorted;
		const r = await call(base, 'POST', `/api/v4/leads/unsorted/${a.uid}/accept`, {
			json: { user_id: 502, status_id: 2003 },
		});
		expect(r.status).toBe(200);
		expect(r.body).toEqual({
			uid: a.uid,
			pipeline_id: 1001,
			category: 'forms',
			created_at: 1700000000,
			_embedded: {
				leads: [
					{
						id: a.lead_id,
						_links: { self: { href: `${H}:${server.port}/api/v4/leads/${a.lead_id}` } },
					},
				],
				contacts: [
					{
						id: a.contact_ids[0],
						_links: { self: { href: `${H}:${server.port}/api/v4/contacts/${a.contact_ids[0]}` } },
					},
				],
				companies: [],
			},
		});
		expect(fake.lead(a.lead_id)).toMatchObject({ status_id: 2003, updated_by: 502 });
		await call(base, 'POST', `/api/v4/leads/unsorted/${b.uid}/accept`, { json: {} });
		expect(fake.lead(b.lead_id)!.status_id).toBe(2002);
		expect((await call(base, 'GET', '/api/v4/leads/unsorted')).status).toBe(204);
	});

	test('accept refuses an unknown uid (404), a handled one (400) and a stage of another pipeline', async () => {
		await start();
		await call(base, 'POST', '/api/v4/leads/unsorted/forms', { json: [form()] });
		const [u] = fake.unsorted;
		const unknown = await call(base, 'POST', '/api/v4/leads/unsorted/abc123/accept', { json: {} });
		expect(unknown.status).toBe(404);
		expect(unknown.body).toEqual({
			title: 'Not Found',
			type: 'https://httpstatus.es/404',
			status: 404,
			detail: 'Unsorted not found',
		});
		const wrong = await call(base, 'POST', `/api/v4/leads/unsorted/${u.uid}/accept`, {
			json: { status_id: 2102 },
		});
		expect(wrong.status).toBe(400);
		expect(wrong.body['validation-errors']).toEqual([
			{
				request_id: '0',
				errors: [
					{
						code: 'NotSupportedChoice',
						path: 'status_id',
						detail: 'The value you selected is not a valid choice.',
					},
				],
			},
		]);
		expect(fake.lead(u.lead_id)!.status_id).toBe(2001);
		await call(base, 'POST', `/api/v4/leads/unsorted/${u.uid}/accept`, { json: {} });
		const again = await call(base, 'POST', `/api/v4/leads/unsorted/${u.uid}/accept`, { json: {} });
		expect(again.status).toBe(400);
		expect(again.body.detail).toBe('Unsorted already accepted');
		const decline = await call(base, 'DELETE', `/api/v4/leads/unsorted/${u.uid}/decline`, {
			json: {},
		});
		expect(decline.status).toBe(400);
	});

	test('decline moves the deal and its new contact to the trash', async () => {
		await start();
		await call(base, 'POST', '/api/v4/leads/unsorted/forms', { json: [form()] });
		const [u] = fake.unsorted;
		const r = await call(base, 'DELETE', `/api/v4/leads/unsorted/${u.uid}/decline`, {
			json: { user_id: 501 },
		});
		expect(r.status).toBe(200);
		expect(r.body).toEqual({
			uid: u.uid,
			pipeline_id: 1001,
			category: 'forms',
			created_at: 1700000000,
			_embedded: {
				leads: [
					{
						id: u.lead_id,
						_links: { self: { href: `${H}:${server.port}/api/v4/leads/${u.lead_id}` } },
					},
				],
				contacts: [
					{
						id: u.contact_ids[0],
						_links: { self: { href: `${H}:${server.port}/api/v4/contacts/${u.contact_ids[0]}` } },
					},
				],
			},
		});
		expect(fake.leads).toEqual([]);
		expect(fake.contacts).toEqual([]);
		expect(fake.trash.leads.map((l) => l.id)).toEqual([u.lead_id]);
		expect((await call(base, 'GET', `/api/v4/leads/${u.lead_id}`)).status).toBe(204);
		expect((await call(base, 'DELETE', '/api/v4/leads/unsorted/ff/decline')).status).toBe(404);
	});
});

describe('contacts and companies: update, lists, links', () => {
	const phone = (value: string, enum_code = 'WORK') => ({ value, enum_code });

	test('GET /contacts filters by id, responsible user and dates, and orders', async () => {
		await start();
		const a = fake.seedContact({ name: 'Ann', created_at: 1000, updated_at: 1000 });
		const b = fake.seedContact({
			name: 'Bob',
			responsible_user_id: 502,
			created_at: 2000,
			updated_at: 2000,
		});
		const ids = async (query: string): Promise<number[]> => {
			const r = await call(base, 'GET', `/api/v4/contacts${query}`);
			return r.status === 204 ? [] : r.body._embedded.contacts.map((c: any) => c.id);
		};
		expect(await ids('?filter[responsible_user_id][]=502')).toEqual([b.id]);
		expect(await ids(`?filter[id][]=${a.id}`)).toEqual([a.id]);
		expect(await ids('?filter[created_at][to]=1500')).toEqual([a.id]);
		expect(await ids('?filter[updated_at][from]=1500')).toEqual([b.id]);
		expect(await ids('?order[id]=desc')).toEqual([b.id, a.id]);
		expect(await ids('?filter[id][]=1')).toEqual([]);
	});

	test('PATCH /contacts/{id}: PHONE sent replaces the phones, EMAIL stays, tags change', async () => {
		await start();
		const c = fake.seedContact({
			name: 'Ann',
			custom_fields_values: [
				{ field_code: 'PHONE', values: [phone('+998901111111'), phone('+998902222222', 'MOB')] },
				{ field_code: 'EMAIL', values: [{ value: 'ann@example.com' }] },
			],
			tags_to_add: [{ name: 'old' }],
		});
		const r = await call(base, 'PATCH', `/api/v4/contacts/${c.id}`, {
			json: {
				first_name: 'Anna',
				custom_fields_values: [{ field_code: 'PHONE', values: [phone('+998903333333', 'MOB')] }],
				tags_to_add: [{ name: 'vip' }],
			},
		});
		expect(r.body).toEqual({
			id: c.id,
			updated_at: fake.contact(c.id)!.updated_at,
			request_id: '0',
			_links: { self: { href: `${H}:${server.port}/api/v4/contacts/${c.id}` } },
		});
		expect(fake.contactValues(c.id, 'PHONE')).toEqual(['+998903333333']);
		expect(fake.contactValues(c.id, 'EMAIL')).toEqual(['ann@example.com']);
		expect(fake.contact(c.id)).toMatchObject({ name: 'Ann', first_name: 'Anna' });
		expect(fake.contact(c.id)!.tags.map((t) => t.name)).toEqual(['old', 'vip']);
		await call(base, 'PATCH', '/api/v4/contacts', {
			json: [{ id: c.id, custom_fields_values: [{ field_code: 'EMAIL', values: null }] }],
		});
		expect(fake.contactValues(c.id, 'EMAIL')).toEqual([]);
	});

	test('PATCH /contacts refuses an unknown phone type, writing nothing', async () => {
		await start();
		const c = fake.seedContact({ name: 'Ann' });
		const r = await call(base, 'PATCH', '/api/v4/contacts', {
			json: [
				{
					id: c.id,
					name: 'X',
					custom_fields_values: [{ field_code: 'PHONE', values: [phone('1', 'CELL')] }],
				},
			],
		});
		expect(r.status).toBe(400);
		expect(r.body['validation-errors']).toEqual([
			{
				request_id: '0',
				errors: [
					{
						code: 'NotSupportedChoice',
						path: 'custom_fields_values.0.values.0.enum_code',
						detail: 'The value you selected is not a valid choice.',
					},
				],
			},
		]);
		expect(fake.contact(c.id)!.name).toBe('Ann');
	});

	test('POST /companies, GET /companies/{id}?with=contacts,leads after links from both sides', async () => {
		await start();
		const r = await call(base, 'POST', '/api/v4/companies', {
			json: [
				{
					name: 'Acme',
					custom_fields_values: [{ field_code: 'PHONE', values: [{ value: '+998900000000' }] }],
					_embedded: { tags: [{ name: 'partner' }] },
				},
			],
		});
		expect(r.body).toEqual({
			_links: { self: { href: `${H}:${server.port}/api/v4/companies` } },
			_embedded: {
				companies: [
					{
						id: 11000001,
						request_id: '0',
						_links: { self: { href: `${H}:${server.port}/api/v4/companies/11000001` } },
					},
				],
			},
		});
		const contact = fake.seedContact({ name: 'Ann' });
		const lead = fake.seedLead({ name: 'Deal' });
		const link = await call(base, 'POST', `/api/v4/contacts/${contact.id}/link`, {
			json: [{ to_entity_id: 11000001, to_entity_type: 'companies' }],
		});
		expect(link.body).toEqual({
			_total_items: 1,
			_links: { self: { href: `${H}:${server.port}/api/v4/contacts/${contact.id}/links` } },
			_embedded: {
				links: [
					{
						entity_id: contact.id,
						entity_type: 'contacts',
						to_entity_id: 11000001,
						to_entity_type: 'companies',
						metadata: null,
					},
				],
			},
		});
		await call(base, 'POST', '/api/v4/companies/11000001/link', {
			json: [{ to_entity_id: lead.id, to_entity_type: 'leads' }],
		});
		const got = await call(base, 'GET', '/api/v4/companies/11000001?with=contacts,leads');
		expect(got.body).toEqual({
			id: 11000001,
			name: 'Acme',
			responsible_user_id: 501,
			group_id: 0,
			created_by: 501,
			updated_by: 501,
			created_at: fake.company(11000001)!.created_at,
			updated_at: fake.company(11000001)!.updated_at,
			closest_task_at: null,
			is_deleted: false,
			custom_fields_values: [
				{
					field_id: 5001,
					field_name: 'Phone',
					field_code: 'PHONE',
					field_type: 'multitext',
					values: [{ value: '+998900000000', enum_id: 5101, enum_code: 'WORK' }],
				},
			],
			account_id: 29000001,
			_links: { self: { href: `${H}:${server.port}/api/v4/companies/11000001` } },
			_embedded: {
				tags: [{ id: 40001, name: 'partner', color: null }],
				contacts: [
					{
						id: contact.id,
						_links: { self: { href: `${H}:${server.port}/api/v4/contacts/${contact.id}` } },
					},
				],
				leads: [
					{
						id: lead.id,
						_links: { self: { href: `${H}:${server.port}/api/v4/leads/${lead.id}` } },
					},
				],
			},
		});
		const fromContact = await call(base, 'GET', `/api/v4/contacts/${contact.id}`);
		expect(fromContact.body._embedded.companies.map((c: any) => c.id)).toEqual([11000001]);
		const fromLead = await call(base, 'GET', `/api/v4/leads/${lead.id}`);
		expect(fromLead.body._embedded.companies.map((c: any) => c.id)).toEqual([11000001]);
		expect((await call(base, 'GET', '/api/v4/companies/5')).status).toBe(204);
	});

	test('GET /companies searches by query; PATCH /companies updates; linking to a missing company is refused', async () => {
		await start();
		await call(base, 'POST', '/api/v4/companies', { json: [{ name: 'Acme' }, { name: 'Globex' }] });
		const found = await call(base, 'GET', '/api/v4/companies?query=glob');
		expect(found.body._embedded.companies.map((c: any) => c.name)).toEqual(['Globex']);
		const patched = await call(base, 'PATCH', '/api/v4/companies', {
			json: [{ id: 11000001, name: 'Acme Ltd', responsible_user_id: 502 }],
		});
		expect(patched.body._embedded.companies[0]).toMatchObject({ id: 11000001, request_id: '0' });
		expect(fake.company(11000001)).toMatchObject({ name: 'Acme Ltd', responsible_user_id: 502 });
		const contact = fake.seedContact({ name: 'Ann' });
		const bad = await call(base, 'POST', `/api/v4/contacts/${contact.id}/link`, {
			json: [{ to_entity_id: 99, to_entity_type: 'companies' }],
		});
		expect(bad.status).toBe(400);
		expect(bad.body['validation-errors']).toEqual([
			{
				request_id: '0',
				errors: [{ code: 'NotFound', path: 'to_entity_id', detail: 'Entity not found' }],
			},
		]);
		const fields = await call(base, 'GET', '/api/v4/companies/custom_fields');
		expect(fields.body._embedded.custom_fields.map((f: any) => f.code)).toEqual([
			'PHONE',
			'EMAIL',
			'WEB',
			'ADDRESS',
		]);
	});
});

describe('notes and tags: reading', () => {
	test('GET /{type}/notes and /{type}/{id}/notes page and filter by note type and entity', async () => {
		await start();
		const [a, b] = fake.seedLeads(2);
		await call(base, 'POST', '/api/v4/leads/notes', {
			json: [
				{ entity_id: a.id, note_type: 'common', params: { text: 'one' } },
				{
					entity_id: a.id,
					note_type: 'call_in',
					params: { uniq: 'x', duration: 5, source: 's', link: 'l', phone: '1' },
				},
				{ entity_id: b.id, note_type: 'common', params: { text: 'three' } },
			],
		});
		const own = await call(base, 'GET', `/api/v4/leads/${a.id}/notes?filter[note_type]=common`);
		expect(own.body).toEqual({
			_page: 1,
			_links: {
				self: {
					href: `${H}:${server.port}/api/v4/leads/${a.id}/notes?filter%5Bnote_type%5D=common&page=1&limit=50`,
				},
			},
			_embedded: {
				notes: [
					{
						id: 30000001,
						entity_id: a.id,
						created_by: 501,
						updated_by: 501,
						created_at: fake.notes[0].created_at,
						updated_at: fake.notes[0].created_at,
						responsible_user_id: 501,
						group_id: 0,
						note_type: 'common',
						params: { text: 'one' },
						account_id: 29000001,
						_links: { self: { href: `${H}:${server.port}/api/v4/leads/${a.id}/notes/30000001` } },
					},
				],
			},
		});
		const texts = async (query: string): Promise<unknown[]> => {
			const r = await call(base, 'GET', `/api/v4/leads/notes${query}`);
			return r.status === 204 ? [] : r.body._embedded.notes.map((n: any) => n.id);
		};
		expect(await texts('')).toEqual([30000001, 30000002, 30000003]);
		expect(await texts(`?filter[entity_id][]=${b.id}`)).toEqual([30000003]);
		expect(await texts('?filter[note_type][]=call_in')).toEqual([30000002]);
		expect(await texts('?limit=2&page=2')).toEqual([30000003]);
		expect((await call(base, 'GET', '/api/v4/contacts/notes')).status).toBe(204);
	});

	test('notes on companies: POST /companies/{id}/notes, GET /companies/notes; a missing company is 404', async () => {
		await start();
		await call(base, 'POST', '/api/v4/companies', { json: [{ name: 'Acme' }] });
		const r = await call(base, 'POST', '/api/v4/companies/11000001/notes', {
			json: [{ note_type: 'common', params: { text: 'Met at the fair' } }],
		});
		expect(r.body._embedded.notes).toEqual([
			{
				id: 30000001,
				entity_id: 11000001,
				request_id: '0',
				_links: { self: { href: `${H}:${server.port}/api/v4/companies/11000001/notes/30000001` } },
			},
		]);
		const list = await call(base, 'GET', '/api/v4/companies/notes');
		expect(list.body._embedded.notes.map((n: any) => n.params)).toEqual([
			{ text: 'Met at the fair' },
		]);
		const missing = await call(base, 'POST', '/api/v4/companies/5/notes', {
			json: [{ note_type: 'common', params: { text: 'x' } }],
		});
		expect(missing.status).toBe(404);
	});

	test('GET /{type}/tags lists the tags of that entity type, searchable by query', async () => {
		await start();
		fake.seedLead({ name: 'Deal', tags_to_add: [{ name: 'VIP' }, { name: 'wholesale' }] });
		fake.seedContact({ name: 'Ann', tags_to_add: [{ name: 'newsletter' }] });
		const r = await call(base, 'GET', '/api/v4/leads/tags?query=vi');
		expect(r.body).toEqual({
			_page: 1,
			_links: { self: { href: `${H}:${server.port}/api/v4/leads/tags?query=vi&page=1&limit=50` } },
			_embedded: { tags: [{ id: 40001, name: 'VIP', color: null }] },
		});
		const contacts = await call(base, 'GET', '/api/v4/contacts/tags');
		expect(contacts.body._embedded.tags).toEqual([{ id: 40003, name: 'newsletter', color: null }]);
		expect((await call(base, 'GET', '/api/v4/companies/tags')).status).toBe(204);
		expect((await call(base, 'GET', '/api/v4/leads/tags?query=none')).status).toBe(204);
	});
});

describe('incoming leads: what stays hidden, and seeding', () => {
	test("an incoming lead's new contact and company stay out of lists and search until accepted", async () => {
		await start();
		await call(base, 'POST', '/api/v4/leads/unsorted/forms', {
			json: [
				{
					source_uid: 's',
					source_name: 'site',
					metadata: {
						form_id: 'f',
						form_name: 'F',
						form_page: 'p',
						ip: '192.0.2.1',
						form_sent_at: 1,
					},
					_embedded: {
						contacts: [
							{
								name: 'Ann',
								custom_fields_values: [
									{ field_code: 'PHONE', values: [{ value: '+998901234567' }] },
								],
							},
						],
						companies: [{ name: 'Acme' }],
					},
				},
			],
		});
		const [u] = fake.unsorted;
		const contactId = u.contact_ids[0];
		const companyId = u.company_ids[0];
		expect((await call(base, 'GET', '/api/v4/contacts?query=901234567')).status).toBe(204);
		expect((await call(base, 'GET', `/api/v4/contacts/${contactId}`)).status).toBe(204);
		expect((await call(base, 'GET', '/api/v4/companies?query=Acme')).status).toBe(204);
		expect((await call(base, 'GET', `/api/v4/companies/${companyId}`)).status).toBe(204);
		expect(fake.searchContacts('901234567')).toEqual([]);
		await call(base, 'POST', `/api/v4/leads/unsorted/${u.uid}/accept`, { json: {} });
		const found = await call(base, 'GET', '/api/v4/contacts?query=901234567');
		expect(found.body._embedded.contacts.map((c: any) => c.id)).toEqual([contactId]);
		const company = await call(base, 'GET', `/api/v4/companies/${companyId}?with=contacts`);
		expect(company.body._embedded.contacts.map((c: any) => c.id)).toEqual([contactId]);
	});

	test('seedCompany and seedTask create entities as the API would, and refuse invalid ones', async () => {
		await start();
		const company = fake.seedCompany({ name: 'Acme', tags_to_add: [{ name: 'partner' }] });
		const task = fake.seedTask({
			text: 'Call',
			complete_till: 1900000000,
			entity_type: 'companies',
			entity_id: company.id,
		});
		expect(task).toMatchObject({ id: 50000001, entity_type: 'companies', entity_id: company.id });
		const got = await call(
			base,
			'GET',
			`/api/v4/tasks?filter[entity_type]=companies&filter[entity_id][]=${company.id}`,
		);
		expect(got.body._embedded.tasks.map((t: any) => t.text)).toEqual(['Call']);
		expect(fake.tags('companies')).toEqual([{ id: 40001, name: 'partner', color: null }]);
		expect(() => fake.seedTask({ text: 'x' })).toThrow('invalid task');
		expect(() => fake.seedCompany({ responsible_user_id: 9 })).toThrow('invalid company');
	});
});

describe('limits', () => {
	test('more than 7 requests within a second: the 8th gets 429 with amo body', async () => {
		await start({ rateLimitPerSecond: 7, rateLimitAnswer: 'json' });
		const replies = await Promise.all(
			Array.from({ length: 8 }, () => call(base, 'GET', '/api/v4/account')),
		);
		const limited = replies.filter((r) => r.status === 429);
		expect(limited).toHaveLength(1);
		expect(limited[0].body).toEqual({
			title: 'Too Many Requests',
			type: 'https://httpstatus.es/429',
			status: 429,
			detail: 'Too many requests per second',
			retry_after: 1,
		});
		expect(fake.tooManyRequestsCount).toBe(1);
		expect(fake.maxRequestsPerSecond()).toBe(8);
	});

	test('blockAfter429s: after N 429s every request gets an HTML 403', async () => {
		await start({ rateLimitPerSecond: 1, blockAfter429s: 2 });
		const replies = await Promise.all(
			Array.from({ length: 3 }, () => call(base, 'GET', '/api/v4/account')),
		);
		expect(replies.map((r) => r.status).sort()).toEqual([200, 429, 429]);
		const blocked = await call(base, 'POST', '/oauth2/access_token', { token: null, json: {} });
		expect(blocked.status).toBe(403);
		expect(blocked.headers['content-type']).toBe('text/html');
		expect(fake.blocked).toBe(true);
	});
});

describe('failure injection', () => {
	test("setMode('down') resets connections; 'up' serves again", async () => {
		await start();
		fake.setMode('down');
		await expect(call(base, 'GET', '/api/v4/account')).rejects.toMatchObject({
			code: expect.stringMatching(/ECONNRESET/),
		});
		expect(fake.resetConnections).toBeGreaterThan(0);
		fake.setMode('up');
		expect((await call(base, 'GET', '/api/v4/account')).status).toBe(200);
	});

	test("setMode('error500') answers amoCRM's recorded 500", async () => {
		await start();
		fake.setMode('error500');
		const r = await call(base, 'GET', '/api/v4/account');
		expect(r.status).toBe(500);
		expect(r.body).toEqual({
			title: 'Internal Server Error',
			type: 'https://httpstatus.es/500',
			status: 500,
			detail: 'An unknown error occurred.',
		});
	});

	test("setMode('rateLimited') answers 429 to everything", async () => {
		await start();
		fake.setMode('rateLimited');
		expect((await call(base, 'GET', '/api/v4/account')).status).toBe(429);
		expect(
			(await call(base, 'POST', '/oauth2/access_token', { token: null, json: {} })).status,
		).toBe(429);
	});

	test("setMode('html403') answers an nginx HTML 403", async () => {
		await start();
		fake.setMode('html403');
		const r = await call(base, 'GET', '/api/v4/account');
		expect(r.status).toBe(403);
		expect(r.text).toContain('<title>403 Forbidden</title>');
	});

	test('failNext(2, 503) fails exactly the next two requests', async () => {
		await start();
		fake.failNext(2, 503);
		const statuses = [];
		for (let i = 0; i < 3; i++) statuses.push((await call(base, 'GET', '/api/v4/account')).status);
		expect(statuses).toEqual([503, 503, 200]);
	});

	test('dropResponseOfNext performs the write but the client never gets an answer', async () => {
		await start();
		fake.dropResponseOfNext('POST', '/api/v4/contacts');
		await expect(
			call(base, 'POST', '/api/v4/contacts', { json: [{ name: 'Ann' }] }),
		).rejects.toMatchObject({ code: 'ECONNRESET' });
		expect(fake.contacts.map((c) => c.name)).toEqual(['Ann']);
		expect(fake.requests[0]).toMatchObject({
			method: 'POST',
			path: '/api/v4/contacts',
			status: 200,
			dropped: true,
		});
		expect((await call(base, 'POST', '/api/v4/contacts', { json: [{ name: 'Bob' }] })).status).toBe(
			200,
		);
	});

	test('latencyMs delays every answer', async () => {
		await start({ latencyMs: 120 });
		const t0 = Date.now();
		await call(base, 'GET', '/api/v4/account');
		expect(Date.now() - t0).toBeGreaterThanOrEqual(110);
	});

	test('setLatencyFor delays only the answers of that method and path, until set to 0', async () => {
		await start();
		fake.setLatencyFor('GET', '/api/v4/contacts', 2000);
		const timed = async (method: string, path: string) => {
			const t0 = Date.now();
			await call(base, method, path, method === 'POST' ? { json: [{ name: 'Ann' }] } : {});
			return Date.now() - t0;
		};
		expect(await timed('GET', '/api/v4/contacts?query=998')).toBeGreaterThanOrEqual(1990);
		expect(await timed('POST', '/api/v4/contacts')).toBeLessThan(1500);
		expect(await timed('GET', '/api/v4/account')).toBeLessThan(1500);
		fake.setLatencyFor('GET', '/api/v4/contacts', 0);
		expect(await timed('GET', '/api/v4/contacts?query=998')).toBeLessThan(1500);
	});
});

describe('request log', () => {
	test('records method, path, query, redacted headers, parsed body and status', async () => {
		await start();
		await call(base, 'POST', '/api/v4/contacts?x=1', { json: [{ name: 'Ann' }] });
		expect(fake.requests).toEqual([
			{
				method: 'POST',
				path: '/api/v4/contacts',
				query: { x: '1' },
				headers: expect.objectContaining({
					authorization: 'Bearer ***',
					'content-type': 'application/json',
				}),
				body: [{ name: 'Ann' }],
				status: 200,
				at: expect.any(Number),
			},
		]);
	});

	test('reset() restores the initial state', async () => {
		await start();
		fake.seedContact({ name: 'Ann' });
		fake.setMode('error500');
		await call(base, 'GET', '/api/v4/account');
		fake.reset();
		expect(fake.contacts).toEqual([]);
		expect(fake.requests).toEqual([]);
		expect((await call(base, 'GET', '/api/v4/account')).status).toBe(200);
		expect(fake.seedContact({ name: 'Bob' }).id).toBe(10000001);
	});
});

describe('transports', () => {
	test('HTTPS with a throwaway CA: the certificate verifies for e2e.amocrm.ru', async () => {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'fake-amo-tls-'));
		try {
			const certs = await createTestCertificates(dir, { hosts: ['e2e.amocrm.ru', '127.0.0.1'] });
			fake = new FakeAmoCrm();
			server = await fake.listen({ port: 0, tls: { key: certs.key, cert: certs.cert } });
			const ca = readFileSync(certs.caCert);
			const r = await call(`https://127.0.0.1:${server.port}`, 'GET', '/api/v4/account', {
				ca,
				servername: 'e2e.amocrm.ru',
				headers: { host: 'e2e.amocrm.ru' },
			});
			expect(r.status).toBe(200);
			expect(r.body._links.self.href).toBe('https://e2e.amocrm.ru/api/v4/account');
			await expect(
				call(`https://127.0.0.1:${server.port}`, 'GET', '/api/v4/account', {
					servername: 'e2e.amocrm.ru',
				}),
			).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	test('handle() alone: a bare path gets hrefs on https://{subdomain}.amocrm.ru', async () => {
		const f = new FakeAmoCrm({ subdomain: 'acme' });
		const r = await f.handle({
			method: 'GET',
			url: '/api/v4/account',
			headers: { authorization: 'Bearer test-token' },
		});
		expect(r.status).toBe(200);
		expect(JSON.parse(r.body)).toMatchObject({
			subdomain: 'acme',
			_links: { self: { href: 'https://acme.amocrm.ru/api/v4/account' } },
		});
	});
});

describe('through nock', () => {
	let stop: (() => void) | undefined;
	afterEach(() => {
		stop?.();
		stop = undefined;
	});
	// nock patches node's http module, which every test file in this jest worker shares:
	// leaving it active would answer the next file's requests with "no match".
	afterAll(() => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const mod = require('nock') as {
			restore(): void;
			cleanAll(): void;
			default?: { restore(): void; cleanAll(): void };
		};
		const nock = mod.default ?? mod;
		nock.cleanAll();
		nock.restore();
	});

	test('requests to https://e2e.amocrm.ru reach the same fake', async () => {
		const f = new FakeAmoCrm();
		stop = f.interceptWithNock().stop;
		const r = await call('https://e2e.amocrm.ru', 'POST', '/api/v4/contacts', {
			json: [{ name: 'Ann' }],
		});
		expect(r.status).toBe(200);
		expect(r.body._embedded.contacts[0]._links.self.href).toBe(
			'https://e2e.amocrm.ru/api/v4/contacts/10000001',
		);
		expect(f.contacts.map((c) => c.name)).toEqual(['Ann']);
		const search = await call('https://e2e.amocrm.ru', 'GET', '/api/v4/contacts?query=zzz');
		expect(search.status).toBe(204);
	});

	test("setMode('down') surfaces as a connection reset", async () => {
		const f = new FakeAmoCrm();
		stop = f.interceptWithNock().stop;
		f.setMode('down');
		await expect(call('https://e2e.amocrm.ru', 'GET', '/api/v4/account')).rejects.toMatchObject({
			code: 'ECONNRESET',
		});
	});

	test('a lost response still writes the entity', async () => {
		const f = new FakeAmoCrm();
		stop = f.interceptWithNock().stop;
		f.dropResponseOfNext('POST', /^\/api\/v4\/leads$/);
		await expect(
			call('https://e2e.amocrm.ru', 'POST', '/api/v4/leads', { json: [{ name: 'D' }] }),
		).rejects.toMatchObject({ code: 'ECONNRESET' });
		expect(f.leads.map((l) => l.name)).toEqual(['D']);
	});

	test('the OAuth refresh works through nock with a form body', async () => {
		const f = new FakeAmoCrm({ refreshToken: 'r-1' });
		stop = f.interceptWithNock().stop;
		const r = await call('https://e2e.amocrm.ru', 'POST', '/oauth2/access_token', {
			token: null,
			form: {
				client_id: 'test-client-id',
				client_secret: 'test-client-secret',
				grant_type: 'refresh_token',
				refresh_token: 'r-1',
			},
		});
		expect(r.status).toBe(200);
		expect(f.isValidAccessToken(r.body.access_token)).toBe(true);
	});
});

/** The shapes real amoCRM and Kommo accounts gave (each source beside its shape in amocrm.ts). */
describe('answers as the real service gives them', () => {
	const ask = async (
		amo: FakeAmoCrm,
		method: string,
		url: string,
		body?: unknown,
		token = 'test-token',
	) => {
		const res = await amo.handle({
			method,
			url,
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		let parsed: any = res.body;
		try {
			parsed = res.body ? JSON.parse(res.body) : undefined;
		} catch {
			/* html */
		}
		return { status: res.status, headers: res.headers, body: parsed };
	};

	test('429 on amocrm.ru is an HTML page without retry_after; on kommo.com the JSON with retry_after', async () => {
		const ru = new FakeAmoCrm({ rateLimitPerSecond: 0 });
		ru.failNext(1, 429);
		const page = await ask(ru, 'GET', 'https://e2e.amocrm.ru/api/v4/account');
		expect(page.status).toBe(429);
		expect(page.headers['content-type']).toBe('text/html');
		expect(page.body).toContain('429 Too Many Requests');

		const kommo = new FakeAmoCrm({ rateLimitPerSecond: 0, domain: 'kommo.com' });
		kommo.failNext(1, 429);
		const json = await ask(kommo, 'GET', 'https://e2e.kommo.com/api/v4/account');
		expect(json).toMatchObject({ status: 429, body: { status: 429, retry_after: 1 } });
	});

	test('a Kommo account answers on SUB.kommo.com, and another subdomain gets 401 with code 101', async () => {
		const kommo = new FakeAmoCrm({ rateLimitPerSecond: 0, domain: 'kommo.com' });
		expect((await ask(kommo, 'GET', 'https://e2e.kommo.com/api/v4/account')).status).toBe(200);
		expect(await ask(kommo, 'GET', 'https://e2e.amocrm.ru/api/v4/account')).toMatchObject({
			status: 401,
			body: { status: 401, detail: expect.stringMatching(/^Код ошибки 101\./) },
		});
		const ru = new FakeAmoCrm({ rateLimitPerSecond: 0 });
		expect(await ask(ru, 'GET', 'https://typo.amocrm.ru/api/v4/account')).toMatchObject({
			status: 401,
			body: { detail: expect.stringMatching(/^Код ошибки 101\./) },
		});
	});

	test("a PATCH with a loss reason for a deal that is not lost is refused keyed by the deal's ID, nothing changed", async () => {
		const amo = new FakeAmoCrm({ rateLimitPerSecond: 0 });
		const open = amo.seedLead({ name: 'Open' });
		const other = amo.seedLead({ name: 'Other' });
		const res = await ask(amo, 'PATCH', 'https://e2e.amocrm.ru/api/v4/leads', [
			{ id: open.id, loss_reason_id: 1 },
			{ id: other.id, name: 'Renamed' },
		]);
		expect(res).toEqual({
			status: 400,
			headers: expect.anything(),
			body: {
				errors: { [String(open.id)]: 'Loss reason can be specified only for lost lead' },
				title: 'Bad Request',
				type: 'https://httpstatus.es/400',
				status: 400,
				detail: 'Invalid request body',
			},
		});
		expect(amo.leads.find((lead) => lead.id === other.id)?.name).toBe('Other');
	});

	test('refuseNextForRights answers the code-244 refusal', async () => {
		const amo = new FakeAmoCrm({ rateLimitPerSecond: 0 });
		amo.refuseNextForRights();
		expect(
			await ask(amo, 'POST', 'https://e2e.amocrm.ru/api/v4/leads', [{ name: 'A' }]),
		).toMatchObject({
			status: 400,
			body: { title: 'Bad Request', detail: expect.stringMatching(/^Код ошибки 244\./) },
		});
		expect(amo.leads).toHaveLength(0);
	});

	test("a non-administrator's token reads deals but gets 403 on the user list", async () => {
		const amo = new FakeAmoCrm({ rateLimitPerSecond: 0, nonAdminTokens: ['manager-token'] });
		const users = await ask(
			amo,
			'GET',
			'https://e2e.amocrm.ru/api/v4/users',
			undefined,
			'manager-token',
		);
		expect(users).toMatchObject({ status: 403, body: { status: 403, title: 'Forbidden' } });
		const account = await ask(
			amo,
			'GET',
			'https://e2e.amocrm.ru/api/v4/account',
			undefined,
			'manager-token',
		);
		expect(account.status).toBe(200);
	});

	test('every full page has a next link; the page after the last answers 204', async () => {
		const amo = new FakeAmoCrm({ rateLimitPerSecond: 0 });
		amo.seedLeads(4);
		const first = await ask(amo, 'GET', 'https://e2e.amocrm.ru/api/v4/leads?page=1&limit=2');
		const second = await ask(amo, 'GET', 'https://e2e.amocrm.ru/api/v4/leads?page=2&limit=2');
		expect(first.body._links.next).toBeDefined();
		expect(second.body._embedded.leads).toHaveLength(2);
		expect(second.body._links.next.href).toContain('page=3');
		expect(
			(await ask(amo, 'GET', 'https://e2e.amocrm.ru/api/v4/leads?page=3&limit=2')).status,
		).toBe(204);
	});

	test('contacts carry is_unsorted', async () => {
		const amo = new FakeAmoCrm({ rateLimitPerSecond: 0 });
		const contact = amo.seedContact({ name: 'Aziz' });
		const res = await ask(amo, 'GET', `https://e2e.amocrm.ru/api/v4/contacts/${contact.id}`);
		expect(res.body.is_unsorted).toBe(false);
	});
});

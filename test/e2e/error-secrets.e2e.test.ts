/**
 * Secrets and stack traces in what a real n8n 2.x stores and answers (security section of the
 * README). n8n runs as the README says to run it in production (`NODE_ENV=production`).
 *
 * amoCRM here is a server at https://echosecrets.amocrm.ru that echoes what it gets into its error
 * answers, as a misbehaving proxy in front of amoCRM might: the token endpoint answers a renewal
 * with a 400 carrying the client secret and the refresh token, the API answers a request with a
 * 400 carrying the bearer token. The node's errors stop the workflow, so n8n stores them in the
 * execution data and returns them through its public API: neither may contain a secret.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import {
	serveFake,
	type FakeAmoCrm,
	type FakeHttpRequest,
	type FakeHttpResponse,
} from '../fakes/amocrm';
import {
	repoRoot,
	serveFakeAmoCrm,
	startN8n,
	type N8nInstance,
	type ServedFakeAmoCrm,
	type WorkflowJson,
} from './harness';

/** An account of its own on a loopback address of its own, so that this file needs no turn at 127.0.0.1:443. */
const ACCOUNT = {
	subdomain: 'echosecrets',
	domain: 'amocrm.ru',
	host: 'echosecrets.amocrm.ru',
	loopback: '127.0.0.2',
} as const;
const CLIENT_ID = 'e2e-echo-integration-3b7e';
const CLIENT_SECRET = 'e2e-echo-client-secret-Qm72Lx';
const REFRESH_TOKEN = 'def50200e2eEchoRefreshToken9f83c1a7';
const EXPIRED_ACCESS_TOKEN = 'e2e-echo-expired-access-token-5Hd1';
const LONG_LIVED_TOKEN = 'e2e-echo-long-lived-token-Kp40Zw';
const SECRETS = [CLIENT_SECRET, REFRESH_TOKEN, EXPIRED_ACCESS_TOKEN, LONG_LIVED_TOKEN];

const json = (status: number, body: unknown): FakeHttpResponse => ({
	status,
	headers: { 'content-type': 'application/problem+json' },
	body: JSON.stringify(body),
});

/** amoCRM behind something that echoes each request into its error answer. */
async function echoingAmoCrm(request: FakeHttpRequest): Promise<FakeHttpResponse> {
	const path = new URL(request.url, `https://${ACCOUNT.host}`).pathname;
	const raw = request.body === undefined ? '' : request.body.toString();
	const authorization = String(request.headers.authorization ?? '');
	if (path === '/oauth2/access_token') {
		const sent = Object.fromEntries(new URLSearchParams(raw));
		return json(400, {
			hint: 'Token has been revoked',
			title: 'Некорректный запрос',
			type: 'https://developers.amocrm.ru/v3/errors/OAuthProblemJson',
			status: 400,
			detail: `Invalid request: ${raw}`,
			request: { body: sent, headers: { authorization } },
			...sent,
		});
	}
	if (authorization === `Bearer ${EXPIRED_ACCESS_TOKEN}`) {
		return json(401, {
			title: 'Unauthorized',
			type: 'https://httpstatus.es/401',
			status: 401,
			detail: 'Invalid user name or password',
		});
	}
	return json(400, {
		title: 'Bad Request',
		type: 'https://httpstatus.es/400',
		status: 400,
		detail: `Request data can not be empty (${authorization})`,
		'validation-errors': [
			{
				request_id: '0',
				errors: [
					{
						code: 'NotSupportedChoice',
						path: 'name',
						detail: `Echo: ${authorization}`,
						token: authorization,
					},
				],
			},
		],
		request: { headers: { authorization }, body: raw },
	});
}

function contactWorkflow(
	path: string,
	credential: { type: string; id: string; name: string },
): WorkflowJson {
	return {
		name: `e2e: error secrets (${path})`,
		nodes: [
			{
				id: `${path}-webhook`,
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `${path}-hook`,
				parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
			},
			{
				id: `${path}-contact`,
				name: 'Create Contact',
				type: 'n8n-nodes-amocrm.amoCrm',
				typeVersion: 1,
				position: [220, 0],
				parameters: {
					authentication: credential.type === 'amoCrmApi' ? 'longLivedToken' : 'oAuth2',
					resource: 'contact',
					operation: 'create',
					name: '={{ $json.body.name }}',
					avoidDuplicates: false,
				},
				credentials: { [credential.type]: { id: credential.id, name: credential.name } },
			},
		],
		connections: { Webhook: { main: [[{ node: 'Create Contact', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

describe('no secret in stored errors, no stack trace in answers (real n8n 2.x, NODE_ENV=production)', () => {
	let n8n: N8nInstance;
	let amo: ServedFakeAmoCrm;
	const oauth2 = { type: 'amoCrmOAuth2Api', id: 'EchoOAuth2Cred01', name: 'amoCRM echo (OAuth2)' };
	const longLived = { type: 'amoCrmApi', id: 'EchoLongLivedCr1', name: 'amoCRM echo (token)' };

	beforeAll(async () => {
		const echoing = {
			listen: async (options: Parameters<FakeAmoCrm['listen']>[0]) =>
				await serveFake(
					echoingAmoCrm,
					options ?? {},
					() => false,
					() => undefined,
				),
		};
		amo = await serveFakeAmoCrm(echoing as unknown as FakeAmoCrm, ACCOUNT.host, ACCOUNT.loopback);
		n8n = await startN8n({ env: { ...amo.n8nEnv, NODE_ENV: 'production' } });
		await n8n.importCredentials([
			{
				...oauth2,
				data: {
					subdomain: ACCOUNT.subdomain,
					domain: ACCOUNT.domain,
					clientId: CLIENT_ID,
					clientSecret: CLIENT_SECRET,
					oauthTokenData: {
						token_type: 'Bearer',
						access_token: EXPIRED_ACCESS_TOKEN,
						refresh_token: REFRESH_TOKEN,
						expires_in: 86400,
					},
				},
			},
			{
				...longLived,
				data: {
					subdomain: ACCOUNT.subdomain,
					domain: ACCOUNT.domain,
					accessToken: LONG_LIVED_TOKEN,
				},
			},
		]);
	}, 10 * 60_000);

	afterAll(async () => {
		await n8n?.stop();
		await amo?.stop();
	});

	it.each([
		[
			'OAuth2: the token endpoint echoes the renewal request',
			'echo-oauth2',
			oauth2,
			'amoCRM refused to renew the access token: reconnect the credential',
		],
		[
			'long-lived token: the API echoes the bearer token',
			'echo-long-lived',
			longLived,
			'amoCRM refused the contact: Name: Echo: Bearer [hidden]',
		],
	])(
		'%s: the stored execution, the public API and the log hold no secret',
		async (_name, path, credential, message) => {
			const workflowId = await n8n.importWorkflow(contactWorkflow(path, credential));
			await n8n.activate(workflowId);
			expect(
				(
					await n8n.webhook(path, {
						method: 'POST',
						headers: { 'content-type': 'application/json' },
						body: JSON.stringify({ name: 'Aziz Karimov' }),
					})
				).status,
			).toBe(200);

			const [execution] = await n8n.waitForExecutions(workflowId, 1);
			expect(execution.status).toBe('error');
			expect(execution.data?.resultData.error?.message).toBe(message);

			// What GET /api/v1/executions?includeData=true returns, as a client reads it.
			const apiAnswer = await fetch(
				`${n8n.baseUrl}/api/v1/executions/${execution.id}?includeData=true`,
				{ headers: { 'x-n8n-api-key': n8n.apiKey } },
			).then(async (response) => await response.text());
			expect(apiAnswer).toContain(message.replace(/"/g, '\\"'));
			const listAnswer = await fetch(
				`${n8n.baseUrl}/api/v1/executions?workflowId=${workflowId}&includeData=true`,
				{ headers: { 'x-n8n-api-key': n8n.apiKey } },
			).then(async (response) => await response.text());
			// What n8n stored, and every other table of its database.
			const stored = (
				await n8n.postgres.query(
					`select data from execution_data where "executionId" = ${Number(execution.id)}`,
					'n8n',
				)
			).join('\n');
			expect(stored).toContain('refused');
			const bin = execFileSync('bash', [join(repoRoot, 'scripts', 'postgres.sh'), 'bin'], {
				encoding: 'utf8',
			}).trim();
			const dump = execFileSync(
				join(bin, 'pg_dump'),
				['-h', '127.0.0.1', '-p', String(n8n.postgres.port), '-U', 'postgres', 'n8n'],
				{ encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
			);
			for (const secret of SECRETS) {
				expect({ secret, found: apiAnswer.includes(secret) }).toEqual({ secret, found: false });
				expect({ secret, found: listAnswer.includes(secret) }).toEqual({ secret, found: false });
				expect({ secret, found: stored.includes(secret) }).toEqual({ secret, found: false });
				expect({ secret, found: dump.includes(secret) }).toEqual({ secret, found: false });
				expect({ secret, found: n8n.logs().includes(secret) }).toEqual({ secret, found: false });
			}
			await n8n.deactivate(workflowId);
		},
	);

	it("invalid JSON posted to a webhook gets n8n's answer without a stack trace; without NODE_ENV it would carry one", async () => {
		const badJson = async (instance: N8nInstance) => {
			const workflowId = await instance.importWorkflow(contactWorkflow('echo-bad-json', longLived));
			await instance.activate(workflowId);
			const response = await instance.webhook('echo-bad-json', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: '{"name": "Aziz", ',
			});
			return { status: response.status, text: await response.text() };
		};
		const production = await badJson(n8n);
		expect(production.status).toBe(422);
		expect(JSON.parse(production.text)).toEqual({
			code: 422,
			message: 'Failed to parse request body',
			hint: expect.any(String) as string,
		});
		expect(production.text).not.toContain('stacktrace');
		expect(production.text).not.toMatch(/\n\s+at /);
		expect(production.text).not.toContain('node_modules');

		// The same n8n without the setting (n8n counts that as development) answers with its stack.
		const development = await startN8n();
		try {
			const answer = await badJson(development);
			expect(answer.status).toBe(422);
			expect(JSON.parse(answer.text)).toMatchObject({
				message: 'Failed to parse request body',
				stacktrace: expect.stringContaining('node_modules') as string,
			});
		} finally {
			await development.stop();
		}
	});
});

import { NodeApiError, sleep } from 'n8n-workflow';

import { getPipelines } from '../../../../nodes/AmoCrm/transport/catalog';
import {
	amoCrmApiRequest,
	amoCrmApiRequestAllItems,
} from '../../../../nodes/AmoCrm/transport/request';
import {
	AmoCrmScript,
	executeContext,
	LONG_LIVED_CREDENTIALS,
	networkError,
} from '../../../support/executeContext';
import { resetTransportState } from '../../../support/runNode';

jest.mock('n8n-workflow', () => ({
	...jest.requireActual('n8n-workflow'),
	sleep: jest.fn(async () => {}),
}));
const sleepMock = sleep as jest.MockedFunction<typeof sleep>;

beforeEach(() => {
	resetTransportState();
	sleepMock.mockClear();
});

const context = (script: AmoCrmScript, credentials = LONG_LIVED_CREDENTIALS, node = {}) =>
	executeContext({ script, items: [{}], credentials, node });
const tooMany = {
	status: 429,
	body: {
		title: 'Too Many Requests',
		type: 'https://httpstatus.es/429',
		status: 429,
		detail: 'Too many requests',
		retry_after: 1,
	},
};

describe('amoCRM transport', () => {
	it('sends nothing with an OAuth2 credential that was never connected, and says what to click', async () => {
		const script = new AmoCrmScript();
		const oauth2 = executeContext({
			script,
			items: [{}],
			authentication: 'oAuth2',
			credentials: {
				subdomain: 'e2e',
				domain: 'amocrm.ru',
				clientId: 'id',
				clientSecret: 'secret',
			},
			node: { credentials: { amoCrmOAuth2Api: { id: 'cred-2', name: 'amoCRM (OAuth2)' } } },
		});
		await expect(
			amoCrmApiRequest.call(oauth2, { method: 'POST', path: 'leads', body: [{}], subject: 'deal' }),
		).rejects.toMatchObject({
			message: 'The amoCRM credential is not connected: "amoCRM (OAuth2)"',
			description:
				'Nothing was sent to amoCRM. Open the credential "amoCRM (OAuth2)" (Credential field at the top of this node, then the pencil icon next to it), click "Connect" and allow access in amoCRM. Or choose a connected credential in the Credential field.',
		});
		expect(script.sent).toEqual([]);
	});

	it('sends requests to the account host only, from a pasted address', async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/account', { body: { id: 1 } });
		await amoCrmApiRequest.call(
			context(script, { ...LONG_LIVED_CREDENTIALS, subdomain: 'https://E2E.amocrm.ru/leads/' }),
			{ method: 'GET', path: 'account', subject: 'account' },
		);
		expect(script.sent[0].url).toBe('https://e2e.amocrm.ru/api/v4/account');
	});

	it("uses kommo.com accounts' own host", async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/account', { body: {} });
		await amoCrmApiRequest.call(
			context(script, { ...LONG_LIVED_CREDENTIALS, subdomain: 'shop', domain: 'kommo.com' }),
			{ method: 'GET', path: 'account', subject: 'account' },
		);
		expect(script.sent[0].url).toBe('https://shop.kommo.com/api/v4/account');
	});

	it('refuses a subdomain pasted from another domain than the chosen one', async () => {
		await expect(
			amoCrmApiRequest.call(
				context(new AmoCrmScript(), {
					...LONG_LIVED_CREDENTIALS,
					subdomain: 'shop.amocrm.com',
					domain: 'amocrm.ru',
				}),
				{ method: 'GET', path: 'account', subject: 'account' },
			),
		).rejects.toMatchObject({
			message: "The credential's Subdomain names amocrm.com, but its Domain is amocrm.ru",
			description:
				'amocrm.com accounts now live on kommo.com: choose the kommo.com Domain in the credential.',
		});
	});

	it('reads a pasted Kommo webhook address (https://SUB.amocrm.com) as the kommo.com account', async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/account', { body: { id: 1 } });
		await amoCrmApiRequest.call(
			context(script, {
				...LONG_LIVED_CREDENTIALS,
				subdomain: 'https://shop.amocrm.com',
				domain: 'kommo.com',
			}),
			{ method: 'GET', path: 'account', subject: 'account' },
		);
		expect(script.sent[0].url).toBe('https://shop.kommo.com/api/v4/account');
	});

	it('retries a create after 429, waiting what amoCRM asks, and sends it exactly once more', async () => {
		const script = new AmoCrmScript()
			.on('POST', '/api/v4/contacts', tooMany)
			.on('POST', '/api/v4/contacts', { body: { _embedded: { contacts: [{ id: 1 }] } } });
		const body = await amoCrmApiRequest.call(context(script), {
			method: 'POST',
			path: 'contacts',
			body: [{ name: 'A' }],
			subject: 'contact',
		});
		expect(body).toEqual({ _embedded: { contacts: [{ id: 1 }] } });
		expect(script.sent).toHaveLength(2);
		expect(sleepMock.mock.calls).toEqual([[1000]]);
	});

	it('gives up after six 429 answers with a clear message', async () => {
		const script = new AmoCrmScript();
		for (let i = 0; i < 6; i++) script.on('POST', '/api/v4/leads', tooMany);
		await expect(
			amoCrmApiRequest.call(context(script), {
				method: 'POST',
				path: 'leads',
				body: [{}],
				subject: 'deal',
				itemIndex: 3,
			}),
		).rejects.toMatchObject({
			message: 'amoCRM asked to wait before the next request (429 Too Many Requests)',
			httpCode: '429',
			context: { itemIndex: 3 },
		});
		expect(script.sent).toHaveLength(6);
	});

	it('stops at once when amoCRM asks for a longer wait than the node waits, and sends nothing to that account until then', async () => {
		const longWait = {
			status: 429,
			body: {
				title: 'Too Many Requests',
				type: 'https://httpstatus.es/429',
				status: 429,
				detail: 'Too many requests',
				retry_after: 300,
			},
		};
		const script = new AmoCrmScript().on('POST', '/api/v4/leads', longWait);
		await expect(
			amoCrmApiRequest.call(context(script), {
				method: 'POST',
				path: 'leads',
				body: [{}],
				subject: 'deal',
				itemIndex: 0,
			}),
		).rejects.toMatchObject({
			message: 'amoCRM asked to wait 300 s before the next request (429 Too Many Requests)',
			httpCode: '429',
		});
		// Another execution for the same account right after: nothing is sent before amoCRM's time.
		const error = await amoCrmApiRequest
			.call(context(script), { method: 'GET', path: 'account', subject: 'account' })
			.catch((caught: unknown) => caught);
		expect((error as Error).message).toMatch(
			/^amoCRM asked to wait (299|300) s before the next request \(429 Too Many Requests\)$/,
		);
		expect(script.sent).toHaveLength(1);
		expect(sleepMock).not.toHaveBeenCalled();
		// Another account is not held back.
		const other = new AmoCrmScript().on('GET', '/api/v4/account', { body: { id: 2 } });
		expect(
			await amoCrmApiRequest.call(
				context(other, { ...LONG_LIVED_CREDENTIALS, subdomain: 'other' }),
				{ method: 'GET', path: 'account', subject: 'account' },
			),
		).toEqual({ id: 2 });
	});

	it('holds every request of the account until the time amoCRM asked for, not only the refused one', async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/users', {
			status: 429,
			body: { title: 'Too Many Requests', status: 429, retry_after: 5 },
		});
		script
			.on('GET', '/api/v4/users', { body: { ok: 1 } })
			.on('GET', '/api/v4/account', { body: { id: 1 } });
		await amoCrmApiRequest.call(context(script), {
			method: 'GET',
			path: 'users',
			subject: 'user list',
		});
		await amoCrmApiRequest.call(context(script), {
			method: 'GET',
			path: 'account',
			subject: 'account',
		});
		expect(sleepMock.mock.calls[0]).toEqual([5000]);
		// the second request found the account's pause still running (sleep is mocked: no time passed)
		expect(sleepMock.mock.calls).toHaveLength(2);
		expect(sleepMock.mock.calls[1][0]).toBeGreaterThan(4900);
		expect(sleepMock.mock.calls[1][0]).toBeLessThanOrEqual(5000);
	});

	it('gives an HTML 429 the same clear message', async () => {
		const script = new AmoCrmScript();
		for (let i = 0; i < 6; i++)
			script.on('POST', '/api/v4/leads', {
				status: 429,
				body: '<html><head><title>429 Too Many Requests</title></head><body><center><h1>429 Too Many Requests</h1></center><hr><center>nginx</center></body></html>',
			});
		const error = await amoCrmApiRequest
			.call(context(script), { method: 'POST', path: 'leads', body: [{}], subject: 'deal' })
			.catch((caught: unknown) => caught);
		expect(error).toMatchObject({
			message: 'amoCRM asked to wait before the next request (429 Too Many Requests)',
		});
		expect((error as { description: string }).description).toContain(
			'amoCRM answered with a web page that gives no waiting time. We waited as asked and tried 6 times.',
		);
		expect(script.sent).toHaveLength(6);
	});

	it('follows no redirect: a moved account is named, and the request goes nowhere else', async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/account', {
			status: 301,
			headers: { location: 'https://www.amocrm.ru/' },
		});
		await expect(
			amoCrmApiRequest.call(context(script), {
				method: 'GET',
				path: 'account',
				subject: 'account',
			}),
		).rejects.toMatchObject({
			message:
				"amoCRM redirected the request to www.amocrm.ru: the account's address may have changed",
		});
		expect(script.sent).toHaveLength(1);
	});

	it("keeps the credential's own token out of an error whose body echoes it", async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/account', {
			status: 400,
			body: {
				title: 'Bad Request',
				status: 400,
				detail: 'Bad header secret-token',
				echo: { headers: { authorization: 'Bearer secret-token' } },
			},
		});
		const error = await amoCrmApiRequest
			.call(context(script), { method: 'GET', path: 'account', subject: 'account' })
			.catch((caught: unknown) => caught);
		expect(error).toMatchObject({ message: 'amoCRM refused the account: Bad header [hidden]' });
		expect(JSON.stringify(error)).not.toContain('secret-token');
		expect(JSON.stringify(error)).not.toContain('echo');
	});

	it('a renewal that cannot reach the token endpoint says the token service is unavailable, not "reconnect"', async () => {
		const script = new AmoCrmScript().on('POST', '/api/v4/contacts', {
			status: 401,
			body: { title: 'Unauthorized', status: 401, detail: 'Invalid user name or password' },
		});
		const oauth2 = executeContext({
			script,
			items: [{}],
			authentication: 'oAuth2',
			credentials: {
				subdomain: 'e2e',
				domain: 'amocrm.ru',
				clientSecret: 'client-secret-1',
				oauthTokenData: { access_token: 'access-1', refresh_token: 'refresh-1' },
			},
		});
		const refresh = jest.fn(async () => {
			throw new NodeApiError(oauth2.getNode(), networkError('ECONNREFUSED') as never);
		});
		Object.assign(oauth2.helpers, { refreshOAuth2Token: refresh });
		const error = await amoCrmApiRequest
			.call(oauth2, { method: 'POST', path: 'contacts', body: [{}], subject: 'contact' })
			.catch((caught: unknown) => caught);
		expect(error).toMatchObject({
			message: "amoCRM's token service is unavailable: nothing was sent, try again later",
		});
		expect((error as { description: string }).description).toContain(
			'could not do it right now (ECONNREFUSED)',
		);
		expect(refresh).toHaveBeenCalledTimes(1);
		expect(script.sent).toHaveLength(1);
	});

	it('does not re-send a create after a 500', async () => {
		const script = new AmoCrmScript().on('POST', '/api/v4/leads', {
			status: 500,
			body: { title: 'ErrInternalServer', status: 500, detail: 'Internal error', trace_id: 'abc' },
		});
		await expect(
			amoCrmApiRequest.call(context(script), {
				method: 'POST',
				path: 'leads',
				body: [{}],
				subject: 'deal',
			}),
		).rejects.toMatchObject({
			message: 'amoCRM is having trouble (HTTP 500): try again later',
		});
		expect(script.sent).toHaveLength(1);
	});

	it('does not re-send a create whose answer was lost', async () => {
		const script = new AmoCrmScript().on('POST', '/api/v4/leads', { networkError: 'ECONNRESET' });
		await expect(
			amoCrmApiRequest.call(context(script), {
				method: 'POST',
				path: 'leads',
				body: [{}],
				subject: 'deal',
			}),
		).rejects.toMatchObject({
			message: "amoCRM's answer was lost: the deal may have been created",
			description:
				'ECONNRESET. The request was not repeated automatically, so that nothing is created twice: check amoCRM before running it again.',
		});
		expect(script.sent).toHaveLength(1);
	});

	it('retries a read after a 502', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/account', { status: 502, body: '<html>Bad Gateway</html>' })
			.on('GET', '/api/v4/account', { body: { id: 5 } });
		expect(
			await amoCrmApiRequest.call(context(script), {
				method: 'GET',
				path: 'account',
				subject: 'account',
			}),
		).toEqual({ id: 5 });
		expect(script.sent).toHaveLength(2);
	});

	it('never retries a 403', async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/users', {
			status: 403,
			body: '<html><h1>403 Forbidden</h1></html>',
		});
		await expect(
			amoCrmApiRequest.call(context(script), {
				method: 'GET',
				path: 'users',
				subject: 'user list',
			}),
		).rejects.toMatchObject({
			message: 'amoCRM refused access: no rights, or API access blocked',
		});
		expect(script.sent).toHaveLength(1);
		expect(sleepMock).not.toHaveBeenCalled();
	});

	it('maps 401 to reconnecting the credential, without the token in the error', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/account', { body: { id: 1 } })
			.on('GET', '/api/v4/account', {
				status: 401,
				body: { title: 'Unauthorized', status: 401, detail: 'Invalid user name or password' },
			});
		await amoCrmApiRequest.call(context(script), {
			method: 'GET',
			path: 'account',
			subject: 'account',
		});
		const error = await amoCrmApiRequest
			.call(context(script), { method: 'GET', path: 'account', subject: 'account' })
			.catch((caught: unknown) => caught);
		expect(error).toMatchObject({
			message: 'amoCRM rejected the token: reconnect the credential',
			httpCode: '401',
		});
		expect(JSON.stringify(error)).not.toContain(LONG_LIVED_CREDENTIALS.accessToken);
	});

	it('maps 402 to the unpaid account', async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/account', {
			status: 402,
			body: { title: 'Payment Required', status: 402, detail: 'Payment required' },
		});
		await expect(
			amoCrmApiRequest.call(context(script), {
				method: 'GET',
				path: 'account',
				subject: 'account',
			}),
		).rejects.toMatchObject({
			message: 'The amoCRM account is unpaid or its trial ended',
		});
	});

	it('reads every page of a list until amoCRM has no next link', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/leads/custom_fields?page=1&limit=250', {
				body: { _embedded: { custom_fields: [{ id: 1 }] }, _links: { next: { href: 'x' } } },
			})
			.on('GET', '/api/v4/leads/custom_fields?page=2&limit=250', {
				body: { _embedded: { custom_fields: [{ id: 2 }] }, _links: {} },
			});
		expect(
			await amoCrmApiRequestAllItems.call(
				context(script),
				{ path: 'leads/custom_fields', subject: 'fields' },
				'custom_fields',
			),
		).toEqual([{ id: 1 }, { id: 2 }]);
	});

	it('stops paging on 204', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/leads/custom_fields?page=1&limit=250', {
				body: { _embedded: { custom_fields: [{ id: 1 }] }, _links: { next: { href: 'x' } } },
			})
			.on('GET', '/api/v4/leads/custom_fields?page=2&limit=250', { status: 204 });
		expect(
			await amoCrmApiRequestAllItems.call(
				context(script),
				{ path: 'leads/custom_fields', subject: 'fields' },
				'custom_fields',
			),
		).toEqual([{ id: 1 }]);
	});

	it('caches account data per credential, never across accounts', async () => {
		const reply = { body: { _embedded: { pipelines: [] } } };
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/leads/pipelines?page=1&limit=250', reply)
			.on('GET', '/api/v4/leads/pipelines?page=1&limit=250', reply)
			.on('GET', '/api/v4/leads/pipelines?page=1&limit=250', reply);
		await getPipelines.call(context(script));
		await getPipelines.call(context(script));
		await getPipelines.call(context(script, { ...LONG_LIVED_CREDENTIALS, subdomain: 'other' }));
		await getPipelines.call(
			context(script, LONG_LIVED_CREDENTIALS, {
				credentials: { amoCrmApi: { id: 'cred-2', name: 'second' } },
			}),
		);
		expect(script.sent.map((request) => request.url)).toEqual([
			'https://e2e.amocrm.ru/api/v4/leads/pipelines?page=1&limit=250',
			'https://other.amocrm.ru/api/v4/leads/pipelines?page=1&limit=250',
			'https://e2e.amocrm.ru/api/v4/leads/pipelines?page=1&limit=250',
		]);
	});
});

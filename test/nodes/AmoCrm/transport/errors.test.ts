import { AxiosError, AxiosHeaders } from 'axios';
import { ClientOAuth2 } from '@n8n/client-oauth2';
import type { INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import {
	describeFailure,
	hideSecrets,
	readFailure,
} from '../../../../nodes/AmoCrm/transport/errors';
import type { FailureContext, HttpFailure } from '../../../../nodes/AmoCrm/transport/errors';

const node = {
	id: '1',
	name: 'AmoCRM',
	type: 'n8n-nodes-amocrm.amoCrm',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
} as INode;

const context: FailureContext = {
	subject: 'contact',
	method: 'POST',
	accountUrl: 'https://e2e.amocrm.ru',
	credentialType: 'amoCrmApi',
	attempts: 1,
};
const failure = (extra: Partial<HttpFailure>): HttpFailure => ({
	tokenRefresh: false,
	message: 'failed',
	...extra,
});

function axiosFailure(
	status: number,
	data: unknown,
	headers: Record<string, string> = {},
): NodeApiError {
	const axiosHeaders = new AxiosHeaders(headers);
	const error = new AxiosError('Request failed', 'ERR_BAD_REQUEST', undefined, undefined, {
		status,
		statusText: '',
		data,
		headers: axiosHeaders,
		config: { headers: axiosHeaders },
	});
	return new NodeApiError(node, error as never);
}

describe('reading what n8n threw', () => {
	it('reads status, problem body and headers from an API error', () => {
		const read = readFailure(
			axiosFailure(
				429,
				{ title: 'Too Many Requests', status: 429, retry_after: 1 },
				{ 'Retry-After': '1' },
			),
		);
		expect(read).toEqual({
			status: 429,
			problem: { title: 'Too Many Requests', status: 429, retry_after: 1 },
			headers: { 'retry-after': '1' },
			code: undefined,
			tokenRefresh: false,
			message: 'Request failed',
		});
	});

	it('keeps a short text excerpt of an HTML error page', () => {
		const read = readFailure(
			axiosFailure(403, '<html><body><h1>403 Forbidden</h1><p>nginx</p></body></html>'),
		);
		expect(read.status).toBe(403);
		expect(read.text).toBe('403 Forbidden nginx');
		expect(read.problem).toBeUndefined();
	});

	it('reads a network error code', () => {
		const read = readFailure(
			new NodeApiError(
				node,
				new AxiosError('connect ECONNREFUSED 127.0.0.1:443', 'ECONNREFUSED') as never,
			),
		);
		expect(read.status).toBeUndefined();
		expect(read.code).toBe('ECONNREFUSED');
	});

	it('recognises amoCRM refusing a token refresh', () => {
		const refused = Object.assign(new Error('HTTP status 401'), {
			status: 401,
			code: 'ESTATUS',
			body: '{"hint":"Token has been revoked","title":"Некорректный запрос","status":401,"detail":"В запросе отсутствует ряд параметров или параметры невалидны"}',
		});
		const read = readFailure(new NodeApiError(node, refused as never));
		expect(read.tokenRefresh).toBe(true);
		expect(read.status).toBe(401);
		expect(read.problem?.hint).toBe('Token has been revoked');
	});
});

describe('messages for the user', () => {
	it('names the custom field behind a validation error', () => {
		const described = describeFailure(
			failure({
				status: 400,
				problem: {
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
					status: 400,
					detail: 'Request validation failed',
				},
			}),
			{
				...context,
				describePath: (path) =>
					path === 'custom_fields_values.0.field_id'
						? 'custom field "Source" (ID 4001)'
						: undefined,
			},
		);
		expect(described).toEqual({
			message:
				'amoCRM refused the contact: custom field "Source" (ID 4001): The value you selected is not a valid choice.',
			description: 'Fix the value of the field named above in this node, then run it again.',
		});
	});

	it('labels the standard fields of a validation error', () => {
		const described = describeFailure(
			failure({
				status: 400,
				problem: {
					'validation-errors': [
						{
							request_id: '0',
							errors: [
								{
									code: 'InvalidType',
									path: 'status_id',
									detail: 'This value should be of type int.',
								},
							],
						},
					],
				},
			}),
			{ ...context, subject: 'deal' },
		);
		expect(described.message).toBe(
			'amoCRM refused the deal: Stage: This value should be of type int.',
		);
	});

	it('passes on a 400 without validation errors', () => {
		expect(
			describeFailure(
				failure({ status: 400, problem: { detail: 'Request data can not be empty' } }),
				context,
			).message,
		).toBe('amoCRM refused the contact: Request data can not be empty');
	});

	it('tells a long-lived token user to generate a new token on 401', () => {
		const described = describeFailure(
			failure({ status: 401, problem: { detail: 'Invalid user name or password' } }),
			context,
		);
		expect(described.message).toBe('amoCRM rejected the token: reconnect the credential');
		expect(described.description).toContain('generate a new long-lived token');
	});

	it('tells an OAuth2 user to reconnect on 401', () => {
		const described = describeFailure(failure({ status: 401 }), {
			...context,
			credentialType: 'amoCrmOAuth2Api',
		});
		expect(described.description).toContain('click "Reconnect"');
	});

	it("explains a refused token refresh with amoCRM's reason", () => {
		const described = describeFailure(
			failure({
				status: 401,
				tokenRefresh: true,
				problem: { hint: 'Token has been revoked', detail: 'В запросе отсутствует ряд параметров' },
			}),
			{
				...context,
				credentialType: 'amoCrmOAuth2Api',
			},
		);
		expect(described.message).toBe(
			'amoCRM refused to renew the access token: reconnect the credential',
		);
		expect(described.description).toContain(
			'HTTP 401 (В запросе отсутствует ряд параметров: Token has been revoked)',
		);
		expect(described.description).toContain('use the long-lived token credential instead');
	});

	it('explains 402 as an unpaid account', () => {
		expect(describeFailure(failure({ status: 402 }), context).message).toBe(
			'The amoCRM account is unpaid or its trial ended',
		);
	});

	it('explains 403 and says it was not retried', () => {
		const described = describeFailure(
			failure({ status: 403, text: '403 Forbidden nginx' }),
			context,
		);
		expect(described.message).toBe('amoCRM refused access: no rights, or API access blocked');
		expect(described.description).toContain('amoCRM said: 403 Forbidden nginx.');
		expect(described.description).toContain('The request was not retried');
	});

	it("uses the operation's not-found message on 404", () => {
		expect(
			describeFailure(failure({ status: 404, problem: { detail: 'Not found' } }), {
				...context,
				notFound: 'Deal 5 was not found in amoCRM',
			}).message,
		).toBe('Deal 5 was not found in amoCRM');
	});

	it('reports a rate limit that outlasted the retries', () => {
		const described = describeFailure(
			failure({
				status: 429,
				problem: { title: 'Too Many Requests', status: 429, retry_after: 1 },
			}),
			{ ...context, attempts: 6 },
		);
		expect(described).toEqual({
			message: 'amoCRM asked to wait before the next request (429 Too Many Requests)',
			description:
				'amoCRM kept refusing with 429 Too Many Requests. We waited as asked and tried 6 times. Lower "Requests per Second" in the credential if several workflows or n8n workers share this amoCRM account, or run fewer executions at once.',
		});
	});

	it('says how long amoCRM asked to wait when that is longer than the node waits', () => {
		const described = describeFailure(
			failure({
				status: 429,
				problem: {
					title: 'Too Many Requests',
					status: 429,
					detail: 'Too many requests',
					retry_after: 300,
				},
			}),
			{ ...context, attempts: 1 },
		);
		expect(described).toEqual({
			message: 'amoCRM asked to wait 300 s before the next request (429 Too Many Requests)',
			description:
				'This node waits at most 30 s, so it stopped at once and sent nothing more: requests sent before the time amoCRM asked for are what it turns into a block of the whole account. Run it again after 300 s (the lead-intake template re-sends such leads by itself). Lower "Requests per Second" in the credential if several workflows or n8n workers share this amoCRM account, or run fewer executions at once.',
		});
	});

	it('gives an HTML 429 the same clear message, saying it named no time', () => {
		const described = describeFailure(
			failure({ status: 429, text: '429 Too Many Requests nginx' }),
			{ ...context, attempts: 6 },
		);
		expect(described.message).toBe(
			'amoCRM asked to wait before the next request (429 Too Many Requests)',
		);
		expect(described.description).toContain(
			'amoCRM answered with a web page that gives no waiting time. We waited as asked and tried 6 times.',
		);
	});

	it("reads a Retry-After header of a long wait as amoCRM's request", () => {
		expect(
			describeFailure(failure({ status: 429, headers: { 'retry-after': '120' } }), context).message,
		).toBe('amoCRM asked to wait 120 s before the next request (429 Too Many Requests)');
	});

	it('warns that a failed create was not repeated', () => {
		const described = describeFailure(
			failure({ status: 500, problem: { detail: 'ErrInternalServer' } }),
			context,
		);
		expect(described.message).toBe('amoCRM is having trouble (HTTP 500): try again later');
		expect(described.description).toBe(
			'ErrInternalServer. The request was not repeated automatically, so that nothing is created twice: check amoCRM before running it again.',
		);
	});

	it('says which deal a 400 with errors[] "Entity not found" is about', () => {
		const described = describeFailure(
			failure({
				status: 400,
				problem: {
					errors: [
						{ title: 'Entity not found', status: 400, detail: 'Entity not found', request_id: '0' },
					],
				},
			}),
			{ ...context, subject: 'note', notFound: 'Deal 9001 was not found in amoCRM' },
		);
		expect(described).toEqual({
			message: 'Deal 9001 was not found in amoCRM',
			description:
				'amoCRM answered "Entity not found". Check the ID given to this node: the deal or contact may have been deleted or merged.',
		});
	});

	it('names a renamed account address: a redirect, a bare 404 page, an unknown host', () => {
		const renamed =
			"If the account's address was changed in amoCRM, enter the new one as Subdomain in the credential (mycompany for https://mycompany.amocrm.ru); otherwise check Subdomain and Domain there.";
		expect(
			describeFailure(failure({ status: 301, headers: { location: 'www.amocrm.ru' } }), context),
		).toEqual({
			message:
				"amoCRM redirected the request to www.amocrm.ru: the account's address may have changed",
			description: `amoCRM did not answer at https://e2e.amocrm.ru (HTTP 301) and the request was not followed elsewhere, so nothing was sent there. ${renamed}`,
		});
		expect(
			describeFailure(failure({ status: 404, text: '404 Not Found' }), {
				...context,
				notFound: 'Deal 5 was not found in amoCRM',
			}),
		).toEqual({
			message: 'There is no amoCRM account at https://e2e.amocrm.ru',
			description: `amoCRM answered "Not Found" with a web page, not its API. ${renamed}`,
		});
		expect(describeFailure(failure({ code: 'ENOTFOUND' }), context)).toEqual({
			message: 'There is no amoCRM account at https://e2e.amocrm.ru',
			description: `The address does not exist. ${renamed}`,
		});
		expect(describeFailure(failure({ status: 401 }), context).description).toContain(renamed);
	});

	it('says a create may exist when its answer was lost, and not when it was never sent', () => {
		expect(describeFailure(failure({ code: 'ECONNRESET' }), context)).toEqual({
			message: "amoCRM's answer was lost: the contact may have been created",
			description:
				'ECONNRESET. The request was not repeated automatically, so that nothing is created twice: check amoCRM before running it again.',
		});
		expect(describeFailure(failure({ code: 'ETIMEDOUT' }), context).message).toBe(
			'amoCRM did not answer in time: the contact may have been created',
		);
		expect(
			describeFailure(failure({ code: 'ECONNRESET' }), { ...context, method: 'GET', attempts: 3 })
				.message,
		).toBe('Could not reach amoCRM at https://e2e.amocrm.ru');
		expect(describeFailure(failure({ code: 'ECONNREFUSED' }), context).message).toBe(
			'Could not reach amoCRM at https://e2e.amocrm.ru',
		);
		expect(
			describeFailure(failure({ message: 'Unable to sign without access token' }), context).message,
		).toBe('Could not reach amoCRM at https://e2e.amocrm.ru');
	});

	it('names an unreachable account and a missing one', () => {
		expect(describeFailure(failure({ code: 'ECONNREFUSED' }), context).message).toBe(
			'Could not reach amoCRM at https://e2e.amocrm.ru',
		);
		expect(describeFailure(failure({ code: 'ENOTFOUND' }), context).message).toBe(
			'There is no amoCRM account at https://e2e.amocrm.ru',
		);
		expect(
			describeFailure(failure({ code: 'ETIMEDOUT' }), { ...context, method: 'GET', attempts: 3 }),
		).toEqual({
			message: 'amoCRM did not answer in time',
			description: 'ETIMEDOUT. We tried 3 times.',
		});
	});
});

describe('renewing the OAuth2 token', () => {
	const oauth2 = { ...context, credentialType: 'amoCrmOAuth2Api' as const };
	const unavailable = "amoCRM's token service is unavailable: nothing was sent, try again later";

	it.each([
		[
			'a 500',
			{
				status: 500,
				problem: { title: 'ErrInternalServer', status: 500, detail: 'An unknown error occurred.' },
			},
			'HTTP 500',
		],
		['a 503 page', { status: 503, text: '503 Service Temporarily Unavailable' }, 'HTTP 503'],
		['a timeout', { code: 'ETIMEDOUT' }, 'ETIMEDOUT'],
		['a refused connection', { code: 'ECONNREFUSED' }, 'ECONNREFUSED'],
	])(
		'%s of the token endpoint says the token service is unavailable, not "reconnect"',
		(_name, extra, answer) => {
			expect(describeFailure(failure({ ...extra, tokenRefresh: true }), oauth2)).toEqual({
				message: unavailable,
				description: `The access token had to be renewed and amoCRM's token endpoint could not do it right now (${answer}). Nothing was sent to amoCRM, so running again creates nothing twice; the lead-intake template re-sends such leads by itself. The credential is fine: reconnecting it does not help.`,
			});
		},
	);

	it('a 429 of the token endpoint says so, with the wait amoCRM asked for', () => {
		const described = describeFailure(
			failure({
				status: 429,
				tokenRefresh: true,
				problem: { title: 'Too Many Requests', status: 429, retry_after: 300 },
			}),
			oauth2,
		);
		expect(described.message).toBe(unavailable);
		expect(described.description).toContain(
			'(HTTP 429). amoCRM asked to wait 300 s. Nothing was sent',
		);
	});

	it.each([400, 401])("only amoCRM's refusal (%i) asks to reconnect", (status) => {
		const described = describeFailure(
			failure({
				status,
				tokenRefresh: true,
				problem: { hint: 'Token has been revoked', detail: 'Invalid grant' },
			}),
			oauth2,
		);
		expect(described.message).toBe(
			'amoCRM refused to renew the access token: reconnect the credential',
		);
	});

	it('a token endpoint 404 points at the account address', () => {
		expect(
			describeFailure(failure({ status: 404, tokenRefresh: true, text: 'Not Found' }), oauth2)
				.message,
		).toBe('There is no amoCRM account at https://e2e.amocrm.ru');
	});

	it("a token answer n8n cannot read is reported as such, not as amoCRM's HTTP 200", () => {
		// n8n's own OAuth2 client, fed a 200 page that is not a token.
		const oauthClient = new ClientOAuth2({
			clientId: 'id',
			accessTokenUri: 'https://e2e.amocrm.ru',
		});
		let thrown: unknown;
		try {
			(
				oauthClient as unknown as { parseResponseBody(response: object): unknown }
			).parseResponseBody({
				status: 200,
				headers: { 'content-type': 'text/html' },
				data: '<html><body>Maintenance</body></html>',
			});
		} catch (error) {
			thrown = error;
		}
		const read = readFailure(new NodeApiError(node, thrown as never));
		expect(read).toMatchObject({ status: 200, tokenRefresh: true });
		expect(describeFailure(read, oauth2)).toEqual({
			message: "n8n could not read amoCRM's token answer: the access token was not renewed",
			description:
				"amoCRM's token endpoint answered HTTP 200 typed text/html, and this n8n did not accept the answer as a token. Nothing was sent to amoCRM. Check that your n8n is a supported version (see the package's README) and that nothing between n8n and amoCRM (a proxy) changes the answer; or use the long-lived token credential: it needs no renewal.",
		});
		// n8n 1.123.x and 2.0.x (@n8n/client-oauth2 0.33.x, 1.0.0-rc) word it otherwise, same type.
		expect(
			describeFailure(
				failure({
					status: 200,
					tokenRefresh: true,
					message: 'Unsupported content type: text/plain; charset=utf-8',
				}),
				oauth2,
			),
		).toEqual({
			message: "n8n could not read amoCRM's token answer: the access token was not renewed",
			description: expect.stringMatching(
				/^amoCRM's token endpoint answered HTTP 200 typed text\/plain; charset=utf-8, and this n8n did not accept the answer as a token\./,
			),
		});
		// Older n8n says only the status, without the token client's error code.
		for (const tokenRefresh of [true, false]) {
			expect(
				describeFailure(failure({ status: 200, tokenRefresh, message: 'HTTP status 200' }), oauth2)
					.description,
			).toMatch(/^amoCRM's token endpoint answered HTTP 200, and this n8n did not accept/);
		}
	});

	it('a token endpoint 403 is a block or missing rights, not a reason to reconnect', () => {
		expect(
			describeFailure(failure({ status: 403, tokenRefresh: true, text: '403 Forbidden' }), oauth2)
				.message,
		).toBe('amoCRM refused access: no rights, or API access blocked');
	});
});

describe('keeping secrets out of the stored error', () => {
	const echoed = {
		title: 'Bad Request',
		status: 400,
		detail:
			'Invalid request: client_secret=s3cr3t-client-value&refresh_token=def50200aaaabbbbccccddddeeeeffff0000111122223333',
		hint: 'Token has been revoked',
		type: 'https://developers.amocrm.ru/v3/errors/OAuthProblemJson',
		client_id: 'client-id-1',
		client_secret: 's3cr3t-client-value',
		refresh_token: 'def50200aaaabbbbccccddddeeeeffff0000111122223333',
		grant_type: 'refresh_token',
		request: {
			headers: { Authorization: 'Bearer eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl' },
			body: { code: 'def50200-auth-code', password: 'hunter2' },
		},
		'validation-errors': [
			{
				request_id: '0',
				errors: [
					{
						code: 'NotSupportedChoice',
						path: 'custom_fields_values.0.field_id',
						detail: 'The value you selected is not a valid choice.',
						access_token: 'x',
					},
				],
			},
		],
		errors: [
			{
				title: 'Entity not found',
				detail: 'Entity not found',
				request_id: '1',
				code: 'def50200abc123',
				secret: 'nested-secret',
			},
		],
		trace_id: 'abc',
	};

	it("keeps only the fields of amoCRM's error shapes that the messages use", () => {
		const read = readFailure(axiosFailure(400, echoed));
		expect(read.problem).toEqual({
			title: 'Bad Request',
			status: 400,
			detail: 'Invalid request: client_secret=[hidden]&refresh_token=[hidden]',
			hint: 'Token has been revoked',
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
			errors: [{ title: 'Entity not found', detail: 'Entity not found', request_id: '1' }],
		});
	});

	it('keeps no secret of a token endpoint that echoes the renewal request', () => {
		const refused = Object.assign(new Error('HTTP status 400'), {
			status: 400,
			code: 'ESTATUS',
			body: JSON.stringify(echoed),
		});
		const read = readFailure(new NodeApiError(node, refused as never));
		const stored = JSON.stringify(read);
		for (const secret of [
			's3cr3t-client-value',
			'def50200aaaabbbb',
			'def50200-auth-code',
			'hunter2',
			'eyJhbGciOi',
			'nested-secret',
		]) {
			expect(stored).not.toContain(secret);
		}
	});

	it('hides credentials in an HTML page that echoes the request, and cuts it short', () => {
		const page = `<html><body><pre>POST /oauth2/access_token\nclient_secret=s3cr3t-client-value&amp;refresh_token=def50200aaaabbbbccccddddeeeeffff0000111122223333\nAuthorization: Bearer eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl</pre>${'x '.repeat(400)}</body></html>`;
		const read = readFailure(axiosFailure(502, page));
		expect(read.text).toBe(
			`POST /oauth2/access_token client_secret=[hidden]&amp;refresh_token=[hidden] Authorization: [hidden] ${'x '.repeat(200)}`.slice(
				0,
				299,
			) + '…',
		);
	});

	it("leaves amoCRM's own texts readable: paths, field paths, hints", () => {
		const detail =
			'Cannot POST /api/v4/leads/pipelines/5123412/statuses/4223412/notes at custom_fields_values.12.values.10.enum_id';
		expect(hideSecrets(detail)).toBe(detail);
		expect(hideSecrets('Token has been revoked')).toBe('Token has been revoked');
	});

	it('keeps only the headers it reads, and of a redirect only the host', () => {
		const read = readFailure(
			axiosFailure(302, '', {
				Location: 'https://newname.amocrm.ru/api/v4/leads?token=abc',
				'Set-Cookie': 'session=1',
				'Retry-After': '5',
			}),
		);
		expect(read.headers).toEqual({ location: 'newname.amocrm.ru', 'retry-after': '5' });
	});
});

describe('incoming leads (Unsorted) handled twice or unknown', () => {
	const incoming: FailureContext = { ...context, subject: 'incoming lead' };

	it.each([
		['accepted', 'an accepted one is now a deal in its stage, moved like any other deal'],
		['declined', 'a declined one is in the trash'],
	])('a 400 "Unsorted already %s" says so and names Incoming Lead UID', (state, fate) => {
		expect(
			describeFailure(
				failure({
					status: 400,
					problem: { title: 'Bad Request', status: 400, detail: `Unsorted already ${state}` },
				}),
				incoming,
			),
		).toEqual({
			message: `This incoming lead was already ${state} in amoCRM`,
			description: `amoCRM answered "Unsorted already ${state}": an incoming lead (Unsorted) is accepted or declined once, and ${fate}. Check Incoming Lead UID: map the uid of a lead still waiting in the pipeline's Incoming stage, or leave this item out.`,
		});
	});

	it("a 404's fix is the request's own when it gives one, else to check the ID", () => {
		const notFound = failure({
			status: 404,
			problem: { title: 'Not Found', status: 404, detail: 'Unsorted not found' },
		});
		expect(
			describeFailure(notFound, {
				...incoming,
				notFound: 'Incoming lead abc was not found in amoCRM',
				notFoundFix: 'Check Incoming Lead UID.',
			}),
		).toEqual({
			message: 'Incoming lead abc was not found in amoCRM',
			description: 'amoCRM answered "Not Found" (Unsorted not found). Check Incoming Lead UID.',
		});
		expect(describeFailure(notFound, incoming).description).toBe(
			'amoCRM answered "Not Found" (Unsorted not found). Check the ID given to this node.',
		);
	});
});

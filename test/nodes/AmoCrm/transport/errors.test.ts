import { AxiosError, AxiosHeaders } from 'axios';
import type { INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { describeFailure, readFailure } from '../../../../nodes/AmoCrm/transport/errors';
import type { FailureContext, HttpFailure } from '../../../../nodes/AmoCrm/transport/errors';

const node = { id: '1', name: 'AmoCRM', type: 'n8n-nodes-amocrm.amoCrm', typeVersion: 1, position: [0, 0], parameters: {} } as INode;

const context: FailureContext = {
	subject: 'contact',
	method: 'POST',
	accountUrl: 'https://e2e.amocrm.ru',
	credentialType: 'amoCrmApi',
	attempts: 1,
};
const failure = (extra: Partial<HttpFailure>): HttpFailure => ({ tokenRefresh: false, message: 'failed', ...extra });

function axiosFailure(status: number, data: unknown, headers: Record<string, string> = {}): NodeApiError {
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
		const read = readFailure(axiosFailure(429, { title: 'Too Many Requests', status: 429, retry_after: 1 }, { 'Retry-After': '1' }));
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
		const read = readFailure(axiosFailure(403, '<html><body><h1>403 Forbidden</h1><p>nginx</p></body></html>'));
		expect(read.status).toBe(403);
		expect(read.text).toBe('403 Forbidden nginx');
		expect(read.problem).toBeUndefined();
	});

	it('reads a network error code', () => {
		const read = readFailure(new NodeApiError(node, new AxiosError('connect ECONNREFUSED 127.0.0.1:443', 'ECONNREFUSED') as never));
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
						{ request_id: '0', errors: [{ code: 'NotSupportedChoice', path: 'custom_fields_values.0.field_id', detail: 'The value you selected is not a valid choice.' }] },
					],
					title: 'Bad Request',
					status: 400,
					detail: 'Request validation failed',
				},
			}),
			{ ...context, describePath: (path) => (path === 'custom_fields_values.0.field_id' ? 'custom field "Source" (ID 4001)' : undefined) },
		);
		expect(described).toEqual({
			message: 'amoCRM refused the contact: custom field "Source" (ID 4001): The value you selected is not a valid choice.',
			description: 'Fix the value of the field named above in this node, then run it again.',
		});
	});

	it('labels the standard fields of a validation error', () => {
		const described = describeFailure(
			failure({ status: 400, problem: { 'validation-errors': [{ request_id: '0', errors: [{ code: 'InvalidType', path: 'status_id', detail: 'This value should be of type int.' }] }] } }),
			{ ...context, subject: 'deal' },
		);
		expect(described.message).toBe('amoCRM refused the deal: Stage: This value should be of type int.');
	});

	it('passes on a 400 without validation errors', () => {
		expect(describeFailure(failure({ status: 400, problem: { detail: 'Request data can not be empty' } }), context).message).toBe(
			'amoCRM refused the contact: Request data can not be empty',
		);
	});

	it('tells a long-lived token user to generate a new token on 401', () => {
		const described = describeFailure(failure({ status: 401, problem: { detail: 'Invalid user name or password' } }), context);
		expect(described.message).toBe('amoCRM rejected the token: reconnect the credential');
		expect(described.description).toContain('generate a new long-lived token');
	});

	it('tells an OAuth2 user to reconnect on 401', () => {
		const described = describeFailure(failure({ status: 401 }), { ...context, credentialType: 'amoCrmOAuth2Api' });
		expect(described.description).toContain('click "Reconnect"');
	});

	it('explains a refused token refresh with amoCRM\'s reason', () => {
		const described = describeFailure(failure({ status: 401, tokenRefresh: true, problem: { hint: 'Token has been revoked', detail: 'В запросе отсутствует ряд параметров' } }), {
			...context,
			credentialType: 'amoCrmOAuth2Api',
		});
		expect(described.message).toBe('amoCRM refused to renew the access token: reconnect the credential');
		expect(described.description).toContain('HTTP 401 (В запросе отсутствует ряд параметров: Token has been revoked)');
		expect(described.description).toContain('use the long-lived token credential instead');
	});

	it('explains 402 as an unpaid account', () => {
		expect(describeFailure(failure({ status: 402 }), context).message).toBe('The amoCRM account is unpaid or its trial ended');
	});

	it('explains 403 and says it was not retried', () => {
		const described = describeFailure(failure({ status: 403, text: '403 Forbidden nginx' }), context);
		expect(described.message).toBe('amoCRM refused access: no rights, or API access blocked');
		expect(described.description).toContain('amoCRM said: 403 Forbidden nginx.');
		expect(described.description).toContain('The request was not retried');
	});

	it('uses the operation\'s not-found message on 404', () => {
		expect(describeFailure(failure({ status: 404, problem: { detail: 'Not found' } }), { ...context, notFound: 'Deal 5 was not found in amoCRM' }).message).toBe(
			'Deal 5 was not found in amoCRM',
		);
	});

	it('reports a rate limit that outlasted the retries', () => {
		const described = describeFailure(failure({ status: 429 }), { ...context, attempts: 6 });
		expect(described.message).toBe('amoCRM is rate-limiting this account (429 Too Many Requests)');
		expect(described.description).toContain('We waited and tried 6 times.');
	});

	it('warns that a failed create was not repeated', () => {
		const described = describeFailure(failure({ status: 500, problem: { detail: 'ErrInternalServer' } }), context);
		expect(described.message).toBe('amoCRM is having trouble (HTTP 500): try again later');
		expect(described.description).toBe('ErrInternalServer. The request was not repeated automatically, so that nothing is created twice: check amoCRM before running it again.');
	});

	it('names an unreachable account and a missing one', () => {
		expect(describeFailure(failure({ code: 'ECONNREFUSED' }), context).message).toBe('Could not reach amoCRM at https://e2e.amocrm.ru');
		expect(describeFailure(failure({ code: 'ENOTFOUND' }), context).message).toBe('There is no amoCRM account at https://e2e.amocrm.ru');
		expect(describeFailure(failure({ code: 'ETIMEDOUT' }), { ...context, method: 'GET', attempts: 3 })).toEqual({
			message: 'amoCRM did not answer in time',
			description: 'ETIMEDOUT. We tried 3 times.',
		});
	});
});

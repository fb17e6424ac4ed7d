import nock from 'nock';

/** One request the workflow sent to the mocked amoCRM. */
export interface RecordedRequest {
	method: string;
	/** Path with query string, e.g. `/api/v4/contacts?query=712021441&limit=50`. */
	path: string;
	authorization: string | null;
	/** JSON bodies parsed; form bodies (the token endpoint) as an object of strings. */
	body?: unknown;
}

type Reply = { status: number; body?: unknown; headers?: Record<string, string> };

async function readBody(request: Request): Promise<unknown> {
	const text = await request.text();
	if (text === '') return undefined;
	if ((request.headers.get('content-type') ?? '').includes('application/x-www-form-urlencoded')) {
		return Object.fromEntries(new URLSearchParams(text));
	}
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return text;
	}
}

/**
 * nock standing in for amoCRM at one account host. Each `expect` answers one request
 * with that method and exact path (query included), in order; every request is recorded
 * so a test can compare what was sent, exactly, with `requests`.
 */
export function mockAmoCrm(origin = 'https://e2e.amocrm.ru') {
	const requests: RecordedRequest[] = [];
	/** All headers of each request, lower-cased names, same order as `requests`. */
	const headers: Array<Record<string, string>> = [];
	const scope = nock(origin);

	function expect(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, reply: Reply) {
		scope
			.intercept((uri: string) => uri === path, method)
			.reply(async (request: Request) => {
				const url = new URL(request.url);
				headers.push(Object.fromEntries(request.headers));
				requests.push({
					method: request.method,
					path: url.pathname + url.search,
					authorization: request.headers.get('authorization'),
					body: await readBody(request),
				});
				// A string body is a page (amoCRM answers some errors in HTML); anything else is JSON.
				if (typeof reply.body === 'string')
					return [reply.status, reply.body, { 'content-type': 'text/html', ...reply.headers }];
				return [
					reply.status,
					reply.body === undefined ? '' : JSON.stringify(reply.body),
					{
						'content-type':
							reply.status < 400 ? 'application/hal+json' : 'application/problem+json',
						...reply.headers,
					},
				];
			});
		return api;
	}

	const api = {
		requests,
		headers,
		expect,
		/** Whether every expected request arrived. */
		isDone: () => scope.isDone(),
		pending: () => scope.pendingMocks(),
	};
	return api;
}

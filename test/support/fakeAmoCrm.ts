/**
 * Routes the mocked execution context's requests into the FakeAmoCrm (test/fakes),
 * in-process: no sockets, but the fake's own rate limit, batch caps, latency and failure
 * modes, and its arrival log for measuring requests per second. Errors come back the way
 * n8n-core throws them (a NodeApiError wrapping an AxiosError).
 */
import type { IDataObject, IHttpRequestOptions, INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { FakeAmoCrm } from '../fakes/amocrm';
import { executeContext, httpError, networkError } from './executeContext';
import type { ContextOptions } from './executeContext';
import { AmoCrm } from '../../nodes/AmoCrm/AmoCrm.node';

export function fakeTransport(fake: FakeAmoCrm, token = 'test-token') {
	return async (
		node: INode,
		_credentialType: string,
		options: IHttpRequestOptions,
	): Promise<unknown> => {
		const url = new URL(options.url);
		for (const [key, value] of Object.entries(options.qs ?? {}))
			url.searchParams.set(key, String(value));
		const response = await fake.handle({
			method: options.method ?? 'GET',
			url: url.toString(),
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
			body: options.body === undefined ? undefined : JSON.stringify(options.body),
		});
		if (response.dropConnection) throw new NodeApiError(node, networkError('ECONNRESET') as never);
		const body: unknown =
			response.body === ''
				? ''
				: (() => {
						try {
							return JSON.parse(response.body) as unknown;
						} catch {
							return response.body;
						}
					})();
		if (response.status >= 400) {
			throw new NodeApiError(
				node,
				httpError({ status: response.status, body, headers: response.headers }, options) as never,
			);
		}
		return { statusCode: response.status, headers: response.headers, body };
	};
}

/** Runs the node once (one execution) against the fake. */
export async function runAgainstFake(
	fake: FakeAmoCrm,
	options: Omit<ContextOptions, 'script' | 'transport'>,
): Promise<Array<{ json: IDataObject; pairedItem?: unknown }>> {
	const [output] = await new AmoCrm().execute.call(
		executeContext({ ...options, transport: fakeTransport(fake) }),
	);
	return output;
}

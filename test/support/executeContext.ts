/**
 * A mocked n8n execution context for unit tests: per-item parameters, credentials, and
 * an amoCRM stand-in behind `helpers.httpRequestWithAuthentication` that answers from a
 * script of expected requests and fails the test on anything unexpected. Errors are
 * thrown the way n8n-core throws them: a NodeApiError wrapping an AxiosError.
 */
import { AxiosError, AxiosHeaders } from 'axios';
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

export const NODE: INode = {
	id: 'node-1',
	name: 'AmoCRM',
	type: 'n8n-nodes-amocrm.amoCrm',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
	credentials: { amoCrmApi: { id: 'cred-1', name: 'amoCRM account' } },
};

export const LONG_LIVED_CREDENTIALS = {
	subdomain: 'e2e',
	domain: 'amocrm.ru',
	accessToken: 'secret-token',
	requestsPerSecond: 7,
};

export interface SentRequest {
	credentialType: string;
	method: string;
	url: string;
	qs?: IDataObject;
	body?: unknown;
}

export interface Reply {
	status?: number;
	body?: unknown;
	headers?: Record<string, string>;
	/** A network failure instead of an answer, e.g. ECONNRESET. */
	networkError?: string;
}

interface Expectation {
	method: string;
	path: string;
	reply: Reply;
}

function getPath(source: IDataObject, path: string): unknown {
	return path
		.split('.')
		.reduce<unknown>(
			(value, key) =>
				value && typeof value === 'object' ? (value as IDataObject)[key] : undefined,
			source,
		);
}

export function networkError(code: string): AxiosError {
	const error = new AxiosError(`connect ${code}`, code);
	return error;
}

export function httpError(reply: Reply, options: IHttpRequestOptions): AxiosError {
	const status = reply.status ?? 500;
	const headers = new AxiosHeaders(reply.headers ?? {});
	return new AxiosError(
		`Request failed with status code ${status}`,
		status >= 500 ? 'ERR_BAD_RESPONSE' : 'ERR_BAD_REQUEST',
		undefined,
		undefined,
		{
			status,
			statusText: '',
			data: reply.body,
			headers,
			config: { headers, url: options.url, method: options.method },
		},
	);
}

export class AmoCrmScript {
	readonly sent: SentRequest[] = [];
	private readonly expectations: Expectation[] = [];

	/** Expect `METHOD path` (path below https://e2e.amocrm.ru, query string included when given) and answer it. */
	on(method: string, path: string, reply: Reply): this {
		this.expectations.push({ method, path, reply });
		return this;
	}

	pending(): string[] {
		return this.expectations.map((expectation) => `${expectation.method} ${expectation.path}`);
	}

	async handle(
		node: INode,
		credentialType: string,
		options: IHttpRequestOptions,
	): Promise<unknown> {
		const url = new URL(options.url);
		for (const [key, value] of Object.entries(options.qs ?? {}))
			url.searchParams.set(key, String(value));
		const pathWithQuery = `${url.pathname}${url.search}`;
		this.sent.push({
			credentialType,
			method: options.method ?? 'GET',
			url: `${url.origin}${pathWithQuery}`,
			qs: options.qs,
			body: options.body,
		});
		const index = this.expectations.findIndex(
			(expectation) =>
				expectation.method === options.method &&
				(expectation.path === pathWithQuery || expectation.path === url.pathname),
		);
		if (index === -1)
			throw new Error(
				`Unexpected request ${options.method} ${pathWithQuery}; expected: ${this.pending().join(', ') || 'nothing'}`,
			);
		const [{ reply }] = this.expectations.splice(index, 1);
		if (reply.networkError) throw new NodeApiError(node, networkError(reply.networkError) as never);
		const status = reply.status ?? 200;
		if (status >= 400) throw new NodeApiError(node, httpError(reply, options) as never);
		return { statusCode: status, headers: reply.headers ?? {}, body: reply.body ?? '' };
	}
}

export interface ContextOptions {
	/** Parameters of each input item (the node's parameters as n8n resolves them for that item). */
	items: IDataObject[];
	credentials?: IDataObject;
	authentication?: 'longLivedToken' | 'oAuth2';
	continueOnFail?: boolean;
	script?: AmoCrmScript;
	/** Instead of a script: answers each request (e.g. a FakeAmoCrm, see fakeAmoCrm.ts). */
	transport?: (
		node: INode,
		credentialType: string,
		options: IHttpRequestOptions,
	) => Promise<unknown>;
	node?: Partial<INode>;
	/** The workflow's time zone (n8n's getTimezone); UTC when not given. */
	timezone?: string;
}

export function executeContext(options: ContextOptions): IExecuteFunctions {
	const node: INode = { ...NODE, ...options.node };
	const authentication = options.authentication ?? 'longLivedToken';
	const credentials = options.credentials ?? LONG_LIVED_CREDENTIALS;
	const inputData: INodeExecutionData[] = options.items.map((_, index) => ({ json: { index } }));
	const context = {
		getNode: () => node,
		getInputData: () => inputData,
		continueOnFail: () => options.continueOnFail ?? false,
		getCredentials: async () => credentials,
		getTimezone: () => options.timezone ?? 'UTC',
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => {
			if (name === 'authentication') return authentication;
			const value = getPath(options.items[itemIndex] ?? {}, name);
			return value === undefined ? fallback : value;
		},
		helpers: {
			httpRequestWithAuthentication: async (
				credentialType: string,
				requestOptions: IHttpRequestOptions,
			) =>
				options.transport
					? await options.transport(node, credentialType, requestOptions)
					: await (options.script as AmoCrmScript).handle(node, credentialType, requestOptions),
		},
	};
	return context as unknown as IExecuteFunctions;
}

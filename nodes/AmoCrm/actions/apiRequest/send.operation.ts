import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	INodeProperties,
} from 'n8n-workflow';

import { amoCrmApiRequest, getAccount } from '../../transport/request';
import { operationError } from '../common';
import type { OperationResult } from '../operation';

const displayOptions = { show: { resource: ['apiRequest'], operation: ['send'] } };

const METHODS: IHttpRequestMethods[] = ['DELETE', 'GET', 'PATCH', 'POST'];

export const description: INodeProperties[] = [
	{
		displayName: 'Method',
		name: 'method',
		type: 'options',
		options: [
			{ name: 'DELETE', value: 'DELETE' },
			{ name: 'GET', value: 'GET' },
			{ name: 'PATCH', value: 'PATCH' },
			{ name: 'POST', value: 'POST' },
		],
		default: 'GET',
		description: "The HTTP method amoCRM's documentation gives for the request",
		displayOptions,
	},
	{
		displayName: 'Path',
		name: 'path',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'leads/pipelines',
		description:
			"The part after /api/v4/ in amoCRM's documentation, e.g. leads/pipelines or catalogs/1001/elements. /api/v4/leads or this account's full address also work; any other host or API is refused.",
		displayOptions,
	},
	{
		displayName: 'Query Parameters',
		name: 'queryParameters',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Parameter',
		default: {},
		description: 'Parameters added to the address, e.g. with = contacts, or limit = 10',
		displayOptions,
		options: [
			{
				displayName: 'Parameter',
				name: 'parameter',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'with',
						description:
							'The parameter\'s name as amoCRM\'s documentation gives it, e.g. "with" or "limit"',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						placeholder: 'contacts',
						description: 'The value sent under that name, e.g. contacts for with',
					},
				],
			},
		],
	},
	{
		displayName: 'JSON Body',
		name: 'body',
		type: 'json',
		default: '',
		placeholder: '[{ "name": "New deal", "price": 1000 }]',
		description:
			"The request body as JSON (an array for amoCRM's batch methods, an object for one entity). Empty: no body.",
		displayOptions: { show: { ...displayOptions.show, method: ['DELETE', 'PATCH', 'POST'] } },
	},
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{
				name: 'One Item per Listed Entity',
				value: 'split',
				description:
					"Each entity of amoCRM's list (_embedded) becomes an item; an answer without a list is one item; nothing found: no items",
			},
			{
				name: 'Whole Answer',
				value: 'whole',
				description:
					'The answer of amoCRM as one item (an empty item when amoCRM answers with no content)',
			},
		],
		default: 'whole',
		description: 'Whether a list answer stays one item or becomes one item per entity',
		displayOptions,
	},
];

/** What the path field may hold once the /api/v4/ prefix is gone: segments of letters, digits, _ - . and ,. */
const API_PATH = /^[A-Za-z0-9_.,-]+(\/[A-Za-z0-9_.,-]+)*\/?$/;

/**
 * The path below /api/v4/ and the query it carried, from what the user typed: a path relative to
 * /api/v4/, one starting with /api/v4/, or a full address of the credential's own account. The
 * token goes with every request, so anything that leads elsewhere (another host, another API,
 * "..") is refused before a request is made.
 */
export function readApiPath(
	typed: string,
	accountUrl: string,
): { path: string; query: URLSearchParams } | { refused: string; fix: string } {
	let text = typed.trim();
	const fix =
		"Enter the part after /api/v4/ in amoCRM's documentation, e.g. leads/pipelines; query parameters may follow a ?.";
	if (text === '') return { refused: 'Path is empty', fix };
	if (/^[a-z][a-z0-9+.-]*:/i.test(text) || text.startsWith('//')) {
		let url: URL;
		try {
			url = new URL(text.startsWith('//') ? `https:${text}` : text);
		} catch {
			return { refused: `Path is not an address: "${typed}"`, fix };
		}
		if (url.origin !== new URL(accountUrl).origin) {
			return {
				refused: `Path leads to ${url.origin}, not to this credential's account ${accountUrl}`,
				fix: `The node sends the credential's token with the request, so it only talks to ${accountUrl}/api/v4/. ${fix}`,
			};
		}
		text = `${url.pathname}${url.search}`;
	}
	const [pathPart, ...rest] = text.split('?');
	const query = new URLSearchParams(rest.join('?'));
	let path = pathPart;
	if (path.startsWith('/')) {
		if (!path.startsWith('/api/v4/')) {
			return {
				refused: `Path must lead to amoCRM's API v4 (/api/v4/…), not "${pathPart}"`,
				fix,
			};
		}
		path = path.slice('/api/v4/'.length);
	} else if (path.startsWith('api/')) {
		if (!path.startsWith('api/v4/')) {
			return {
				refused: `Path must lead to amoCRM's API v4 (/api/v4/…), not "${pathPart}"`,
				fix,
			};
		}
		path = path.slice('api/v4/'.length);
	}
	let decoded: string;
	try {
		decoded = decodeURIComponent(path);
	} catch {
		decoded = '%';
	}
	if (
		!API_PATH.test(decoded) ||
		decoded.split('/').some((segment) => segment === '.' || segment === '..')
	) {
		return {
			refused: `Path "${pathPart}" is not a path of amoCRM's API`,
			fix: `${fix} It may hold letters, digits, _ - . , and /, but no "..", spaces or other characters.`,
		};
	}
	return { path: decoded, query };
}

/** The JSON Body parameter as a value to send; undefined when empty. */
function readBody(context: IExecuteFunctions, itemIndex: number): unknown {
	const raw = context.getNodeParameter('body', itemIndex, '') as unknown;
	if (raw === undefined || raw === null) return undefined;
	if (typeof raw !== 'string') return raw;
	if (raw.trim() === '') return undefined;
	try {
		return JSON.parse(raw) as unknown;
	} catch (error) {
		throw operationError(
			context,
			itemIndex,
			`JSON Body is not valid JSON: ${(error as Error).message}`,
			'Write the body as JSON, e.g. [{ "name": "New deal" }], or map it with an expression such as {{ JSON.stringify($json.deals) }}.',
		);
	}
}

function readQuery(
	context: IExecuteFunctions,
	itemIndex: number,
	fromPath: URLSearchParams,
): IDataObject {
	const qs: IDataObject = {};
	for (const [name, value] of fromPath) qs[name] = value;
	const rows = context.getNodeParameter('queryParameters.parameter', itemIndex, []) as Array<{
		name?: string;
		value?: unknown;
	}>;
	const named = new Set<string>();
	rows.forEach((row, index) => {
		const name = String(row.name ?? '').trim();
		if (name === '') {
			throw operationError(
				context,
				itemIndex,
				`Query Parameters, row ${index + 1}: the name is empty`,
				'Enter the parameter\'s name, e.g. "with", or remove the row.',
			);
		}
		if (named.has(name)) {
			throw operationError(
				context,
				itemIndex,
				`Query Parameters: "${name}" is given twice`,
				"Number a list parameter, e.g. filter[id][0] and filter[id][1], as amoCRM's documentation does.",
			);
		}
		named.add(name);
		qs[name] = row.value === undefined || row.value === null ? '' : String(row.value);
	});
	return qs;
}

/** The answer's list: a top-level array, or the one list under `_embedded`. */
function listOf(answer: unknown): unknown[] | undefined {
	if (Array.isArray(answer)) return answer;
	if (answer === null || typeof answer !== 'object') return undefined;
	const embedded = (answer as { _embedded?: unknown })._embedded;
	if (embedded === null || typeof embedded !== 'object') return undefined;
	const lists = Object.values(embedded).filter((value) => Array.isArray(value));
	return lists.length === 1 ? (lists[0] as unknown[]) : undefined;
}

function asItem(value: unknown): OperationResult {
	return value !== null && typeof value === 'object' && !Array.isArray(value)
		? (value as OperationResult)
		: { value: value as IDataObject[keyof IDataObject] };
}

/** Sends one request to the account's API v4 through the transport (token, rate limit, retries, errors). */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult[]> {
	const method = String(this.getNodeParameter('method', itemIndex, 'GET')).toUpperCase();
	if (!METHODS.includes(method as IHttpRequestMethods)) {
		throw operationError(
			this,
			itemIndex,
			`Method must be GET, POST, PATCH or DELETE, not "${method}"`,
			"Choose the method amoCRM's documentation gives for the request.",
		);
	}
	const account = await getAccount.call(this);
	const typed = String(this.getNodeParameter('path', itemIndex, '') ?? '');
	const read = readApiPath(typed, account.url);
	if ('refused' in read) throw operationError(this, itemIndex, read.refused, read.fix);
	const qs = readQuery(this, itemIndex, read.query);
	const body = method === 'GET' ? undefined : readBody(this, itemIndex);
	const output = this.getNodeParameter('output', itemIndex, 'whole') as string;
	const answer = await amoCrmApiRequest.call(this, {
		method: method as IHttpRequestMethods,
		path: read.path,
		qs: Object.keys(qs).length > 0 ? qs : undefined,
		body,
		subject: 'request',
		itemIndex,
		notFound: `amoCRM has nothing at /api/v4/${read.path}`,
		notFoundFix: "Check Path against amoCRM's documentation, and the IDs in it.",
	});
	if (output === 'split') {
		if (answer === undefined) return [];
		const list = listOf(answer);
		return list ? list.map(asItem) : [asItem(answer)];
	}
	if (answer === undefined) return [{}];
	// An item holds an object: a bare array (e.g. /leads/complex) becomes one item per element, as n8n's HTTP Request does.
	return Array.isArray(answer) ? answer.map(asItem) : [asItem(answer)];
}

import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { accountHost, conflictingDomain, isValidSubdomain, normaliseSubdomain } from '../helpers/account';
import { describeFailure, readFailure } from './errors';
import { DEFAULT_REQUESTS_PER_SECOND, waitForSlot } from './rateLimiter';
import { retryDelayMs } from './retry';
import type { AmoCrmDomain, EmbeddedList } from './types';

export type AmoCrmContext = IExecuteFunctions | ILoadOptionsFunctions;
export type AmoCrmCredentialType = 'amoCrmOAuth2Api' | 'amoCrmApi';

export interface AmoCrmAccount {
	credentialType: AmoCrmCredentialType;
	/** https://mycompany.amocrm.ru */
	url: string;
	/** Identifies credential + account for caches and the rate limiter. */
	key: string;
	requestsPerSecond: number;
}

const REQUEST_TIMEOUT_MS = 30_000;

export function credentialTypeOf(context: AmoCrmContext): AmoCrmCredentialType {
	const authentication =
		'getCurrentNodeParameter' in context
			? (context.getCurrentNodeParameter('authentication') ?? context.getNodeParameter('authentication', 'oAuth2'))
			: context.getNodeParameter('authentication', 0, 'oAuth2');
	return authentication === 'longLivedToken' ? 'amoCrmApi' : 'amoCrmOAuth2Api';
}

export async function getAccount(this: AmoCrmContext): Promise<AmoCrmAccount> {
	const credentialType = credentialTypeOf(this);
	const credentials = await this.getCredentials(credentialType);
	const domain = (credentials.domain as AmoCrmDomain | undefined) ?? 'amocrm.ru';
	const typed = String(credentials.subdomain ?? '');
	const subdomain = normaliseSubdomain(typed);
	if (!isValidSubdomain(subdomain)) {
		throw new NodeOperationError(this.getNode(), `The credential's Subdomain "${typed}" is not an amoCRM account name`, {
			description: 'Enter the first part of the address you open amoCRM at: mycompany for https://mycompany.amocrm.ru.',
		});
	}
	const other = conflictingDomain(typed, domain);
	if (other !== undefined) {
		throw new NodeOperationError(this.getNode(), `The credential's Subdomain names ${other}, but its Domain is ${domain}`, {
			description:
				other === 'amocrm.com'
					? 'amocrm.com accounts now live on kommo.com: choose the kommo.com Domain in the credential.'
					: 'Choose the matching Domain in the credential, or enter only the subdomain (mycompany).',
		});
	}
	const host = accountHost(subdomain, domain);
	const credentialId = this.getNode().credentials?.[credentialType]?.id ?? 'unsaved';
	const requestsPerSecond = Number(credentials.requestsPerSecond ?? DEFAULT_REQUESTS_PER_SECOND);
	return {
		credentialType,
		url: `https://${host}`,
		key: `${credentialType}:${credentialId}:${host}`,
		requestsPerSecond: Number.isFinite(requestsPerSecond) && requestsPerSecond > 0 ? requestsPerSecond : DEFAULT_REQUESTS_PER_SECOND,
	};
}

export interface AmoCrmRequest {
	method: IHttpRequestMethods;
	/** Path below /api/v4/, e.g. "contacts" or "leads/123/notes". */
	path: string;
	qs?: IDataObject;
	body?: unknown;
	/** What the request is about, for error messages: "contact", "deal", "note". */
	subject: string;
	itemIndex?: number;
	/** The message for a 404, e.g. "Deal 123 was not found in amoCRM". */
	notFound?: string;
	/** Names the field behind a validation-error path (see errors.ts). */
	describePath?: (path: string, requestIndex: number) => string | undefined;
}

/**
 * The one place that talks to amoCRM: account URL, authentication (n8n's helper, which
 * also renews OAuth2 tokens on a 401), rate limit, retries and error mapping.
 * Resolves to the parsed body, or undefined for amoCRM's 204 "nothing here".
 */
export async function amoCrmApiRequest<T>(this: AmoCrmContext, request: AmoCrmRequest): Promise<T | undefined> {
	const account = await getAccount.call(this);
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${account.url}/api/v4/${request.path}`,
		qs: request.qs,
		body: request.body as IDataObject | undefined,
		json: true,
		returnFullResponse: true,
		timeout: REQUEST_TIMEOUT_MS,
		headers: { Accept: 'application/hal+json, application/json' },
	};
	for (let attempt = 1; ; attempt++) {
		await waitForSlot(account.key, account.requestsPerSecond);
		try {
			const response = (await this.helpers.httpRequestWithAuthentication.call(this, account.credentialType, options, {
				// amoCRM documents the client credentials in the body of the refresh request.
				oauth2: { includeCredentialsOnRefreshOnBody: true },
			})) as IN8nHttpFullResponse;
			if (response.statusCode === 204 || response.body === '' || response.body === undefined) return undefined;
			return response.body as T;
		} catch (error) {
			const failure = readFailure(error);
			const delay = failure.tokenRefresh ? undefined : retryDelayMs(failure, request.method, attempt);
			if (delay !== undefined) {
				await sleep(delay);
				continue;
			}
			const { message, description } = describeFailure(failure, {
				subject: request.subject,
				method: request.method,
				accountUrl: account.url,
				credentialType: account.credentialType,
				attempts: attempt,
				describePath: request.describePath,
				notFound: request.notFound,
			});
			throw new NodeApiError(
				this.getNode(),
				// Not under "code": n8n would swap our message for its generic one for network codes.
				{ status: failure.status ?? null, networkError: failure.code ?? null, ...(failure.problem ?? {}) },
				{ message, description, itemIndex: request.itemIndex, httpCode: failure.status ? String(failure.status) : undefined },
			);
		}
	}
}

const PAGE_LIMIT = 250;
const MAX_PAGES = 200;

/** Reads every page of a list (`_embedded.<key>`), 250 per page, until amoCRM has no `next` link. */
export async function amoCrmApiRequestAllItems<T>(
	this: AmoCrmContext,
	request: Omit<AmoCrmRequest, 'method' | 'body'>,
	embeddedKey: string,
): Promise<T[]> {
	const items: T[] = [];
	for (let page = 1; page <= MAX_PAGES; page++) {
		const response = (await amoCrmApiRequest.call(this, {
			...request,
			method: 'GET',
			qs: { ...(request.qs ?? {}), page, limit: PAGE_LIMIT },
		})) as EmbeddedList<string, T> | undefined;
		if (!response) break;
		items.push(...(response._embedded?.[embeddedKey] ?? []));
		if (!response._links?.next) break;
	}
	return items;
}

import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHookFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	IWebhookFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import {
	accountHost,
	conflictingDomain,
	isValidSubdomain,
	normaliseSubdomain,
} from '../helpers/account';
import { askedWaitSeconds, describeFailure, readFailure } from './errors';
import type { FailureDescription, HttpFailure } from './errors';
import { DEFAULT_REQUESTS_PER_SECOND, pauseAccount, pauseLeftMs, waitForSlot } from './rateLimiter';
import { MAX_WAIT_MS, retryDelayMs } from './retry';
import type { AmoCrmDomain, EmbeddedList } from './types';

/** Actions, dropdowns, and the trigger's webhook registration (hook) and deliveries (webhook). */
export type AmoCrmContext =
	IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions | IWebhookFunctions;
export type AmoCrmCredentialType = 'amoCrmOAuth2Api' | 'amoCrmApi';

export interface AmoCrmAccount {
	credentialType: AmoCrmCredentialType;
	/** https://mycompany.amocrm.ru */
	url: string;
	/** Identifies credential + account for caches and the rate limiter. */
	key: string;
	requestsPerSecond: number;
	/** OAuth2 only: the access token stored right now (to tell whether someone renewed it). Never logged or shown. */
	storedAccessToken?: string;
	/** Blanks this credential's own secrets (tokens, client secret) wherever amoCRM's answer echoed them. */
	hideSecrets: (text: string) => string;
}

/** The credential's values that must never appear in an error: tokens and the client secret. */
function secretsOf(credentials: IDataObject): string[] {
	const token = (credentials.oauthTokenData as IDataObject | undefined) ?? {};
	return [
		credentials.accessToken,
		credentials.clientSecret,
		token.access_token,
		token.refresh_token,
	].filter((value): value is string => typeof value === 'string' && value.length >= 6);
}

function secretHider(secrets: string[]): (text: string) => string {
	return (text) => secrets.reduce((hidden, secret) => hidden.split(secret).join('[hidden]'), text);
}

const REQUEST_TIMEOUT_MS = 30_000;

export function credentialTypeOf(context: AmoCrmContext): AmoCrmCredentialType {
	const authentication =
		'getCurrentNodeParameter' in context
			? (context.getCurrentNodeParameter('authentication') ??
				context.getNodeParameter('authentication', 'oAuth2'))
			: 'getInputData' in context
				? context.getNodeParameter('authentication', 0, 'oAuth2')
				: context.getNodeParameter('authentication', 'oAuth2');
	return authentication === 'longLivedToken' ? 'amoCrmApi' : 'amoCrmOAuth2Api';
}

export async function getAccount(this: AmoCrmContext): Promise<AmoCrmAccount> {
	const credentialType = credentialTypeOf(this);
	const credentials = await this.getCredentials(credentialType);
	const domain = (credentials.domain as AmoCrmDomain | undefined) ?? 'amocrm.ru';
	const typed = String(credentials.subdomain ?? '');
	const subdomain = normaliseSubdomain(typed);
	if (!isValidSubdomain(subdomain)) {
		throw new NodeOperationError(
			this.getNode(),
			`The credential's Subdomain "${typed}" is not an amoCRM account name`,
			{
				description:
					'Enter the first part of the address you open amoCRM at: mycompany for https://mycompany.amocrm.ru.',
			},
		);
	}
	const other = conflictingDomain(typed, domain);
	if (other !== undefined) {
		throw new NodeOperationError(
			this.getNode(),
			`The credential's Subdomain names ${other}, but its Domain is ${domain}`,
			{
				description:
					other === 'amocrm.com'
						? 'amocrm.com accounts now live on kommo.com: choose the kommo.com Domain in the credential.'
						: 'Choose the matching Domain in the credential, or enter only the subdomain (mycompany).',
			},
		);
	}
	const host = accountHost(subdomain, domain);
	const chosen = this.getNode().credentials?.[credentialType];
	const storedAccessToken =
		credentialType === 'amoCrmOAuth2Api'
			? String((credentials.oauthTokenData as IDataObject | undefined)?.access_token ?? '')
			: undefined;
	if (storedAccessToken === '') throw notConnectedError(this, chosen?.name);
	const credentialId = chosen?.id ?? 'unsaved';
	const requestsPerSecond = Number(credentials.requestsPerSecond ?? DEFAULT_REQUESTS_PER_SECOND);
	return {
		credentialType,
		url: `https://${host}`,
		key: `${credentialType}:${credentialId}:${host}`,
		requestsPerSecond:
			Number.isFinite(requestsPerSecond) && requestsPerSecond > 0
				? requestsPerSecond
				: DEFAULT_REQUESTS_PER_SECOND,
		storedAccessToken,
		hideSecrets: secretHider(secretsOf(credentials)),
	};
}

/** What an OAuth2 credential's errors start with when Connect was never completed. */
export const NOT_CONNECTED_MESSAGE = 'The amoCRM credential is not connected';

/**
 * An OAuth2 credential saved without completing Connect has no token: n8n could not sign a
 * request ("Unable to sign without access token"), so none is sent. The message says so,
 * rather than reporting a network failure after which a deal might exist.
 */
function notConnectedError(
	context: AmoCrmContext,
	credentialName: string | undefined,
): NodeOperationError {
	const named = credentialName ? ` "${credentialName}"` : '';
	return new NodeOperationError(
		context.getNode(),
		`${NOT_CONNECTED_MESSAGE}${named ? `:${named}` : ''}`,
		{
			description: `Nothing was sent to amoCRM. Open the credential${named} (Credential field at the top of this node, then the pencil icon next to it), click "Connect" and allow access in amoCRM. Or choose a connected credential in the Credential field.`,
		},
	);
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
	/** What to do about a 404, naming the field that gave the ID (see errors.ts). */
	notFoundFix?: string;
	/** Names the field behind a validation-error path (see errors.ts). */
	describePath?: (path: string, requestIndex: number) => string | undefined;
	/** What a 403 of the API means for this request (see errors.ts). */
	forbidden?: FailureDescription;
}

export type SendResult<T> =
	{ ok: true; body: T | undefined } | { ok: false; failure: HttpFailure; attempts: number };

/** n8n-core >= 1.9x: renews a token under its own per-credential lock and saves it. */
type RefreshHelper = (
	this: AmoCrmContext,
	credentialsType: string,
	oAuth2Options?: IDataObject,
) => Promise<unknown>;

function refreshHelperOf(context: AmoCrmContext): RefreshHelper | undefined {
	const helper = (context.helpers as { refreshOAuth2Token?: RefreshHelper }).refreshOAuth2Token;
	return typeof helper === 'function' ? helper : undefined;
}

// amoCRM documents the client credentials in the body of the refresh request.
const OAUTH2_OPTIONS = { includeCredentialsOnRefreshOnBody: true };

const renewals = new Map<string, Promise<HttpFailure | undefined>>();

/**
 * Accounts (credential + host) that answered a request successfully in this process. amoCRM
 * answers a request to a subdomain that does not exist with 401 (its code 101), like a bad
 * token: until a credential has worked once, a 401 may just as well be a mistyped Subdomain.
 */
const workedAccounts = new Set<string>();

/** Forgets which accounts have worked (tests start each case afresh). */
export function forgetWorkedAccounts(): void {
	workedAccounts.clear();
}

/**
 * amoCRM asked the account to wait (a 429): nothing of this process goes before that time.
 * A wait up to MAX_WAIT_MS is slept through; a longer one is returned as the failure at once,
 * without sending anything.
 */
async function waitOutPause(account: AmoCrmAccount): Promise<HttpFailure | undefined> {
	const left = pauseLeftMs(account.key);
	if (left <= 0) return undefined;
	if (left > MAX_WAIT_MS) {
		return {
			status: 429,
			problem: { retry_after: Math.ceil(left / 1000) },
			tokenRefresh: false,
			message: 'amoCRM asked this account to wait',
		};
	}
	await sleep(left);
	return undefined;
}

/** Remembers amoCRM's 429 for the whole account, so that no other request goes before its time. */
function noteRateLimit(
	account: AmoCrmAccount,
	failure: HttpFailure,
	delay: number | undefined,
): void {
	if (failure.status !== 429) return;
	const asked = askedWaitSeconds(failure);
	const waitMs = delay ?? (asked !== undefined ? asked * 1000 : 0);
	if (waitMs > 0) pauseAccount(account.key, Date.now() + waitMs);
}

/**
 * Renews the OAuth2 access token after a 401, once for all executions that hit it together.
 * n8n's `refreshOAuth2Token` does the renewal (its per-credential lock, in Redis in queue
 * mode, and saving the rotated refresh token); we add two things n8n's own retry-on-401
 * lacks: the renewal goes through the rate limiter like every other request, and a renewal
 * amoCRM refused with 429 is tried again (a 429 consumes nothing).
 * Resolves to undefined when the token is fresh, or to the failure of the renewal.
 */
async function renewAccessToken(
	this: AmoCrmContext,
	account: AmoCrmAccount,
	tokenUsed: string | undefined,
	refresh: RefreshHelper,
): Promise<HttpFailure | undefined> {
	const running = renewals.get(account.key);
	if (running) return await running;
	const renewal = (async (): Promise<HttpFailure | undefined> => {
		// Another execution may have renewed it since our request left: then just use it.
		const stored = (await getAccount.call(this)).storedAccessToken;
		if (stored !== tokenUsed) return undefined;
		for (let attempt = 1; ; attempt++) {
			const paused = await waitOutPause(account);
			if (paused) return { ...paused, tokenRefresh: true };
			const release = await waitForSlot(account.key, account.requestsPerSecond);
			let failure: HttpFailure;
			try {
				await refresh.call(this, account.credentialType, OAUTH2_OPTIONS);
				return undefined;
			} catch (error) {
				failure = { ...readFailure(error), tokenRefresh: true };
			} finally {
				release();
			}
			const delay = failure.status === 429 ? retryDelayMs(failure, 'POST', attempt) : undefined;
			noteRateLimit(account, failure, delay);
			if (delay === undefined) return failure;
		}
	})();
	renewals.set(account.key, renewal);
	try {
		return await renewal;
	} finally {
		if (renewals.get(account.key) === renewal) renewals.delete(account.key);
	}
}

/**
 * Sends one request through the rate limiter, with retries (retry.ts) and, for OAuth2, one
 * token renewal on a 401. Never throws for amoCRM's or the network's failures: it returns
 * them, so that a batch can map a failure to its items (batch.ts).
 */
export async function sendToAmoCrm<T>(
	this: AmoCrmContext,
	account: AmoCrmAccount,
	request: AmoCrmRequest,
): Promise<SendResult<T>> {
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${account.url}/api/v4/${request.path}`,
		qs: request.qs,
		body: request.body as IDataObject | undefined,
		json: true,
		returnFullResponse: true,
		timeout: REQUEST_TIMEOUT_MS,
		headers: { Accept: 'application/hal+json, application/json' },
		// A redirect means the account's address changed (or something stands in between):
		// say so rather than send the request, and its token, to another host.
		disableFollowRedirect: true,
	};
	// With n8n's refresh helper at hand we renew tokens ourselves, through the rate limiter;
	// otherwise n8n's helper renews on a 401 and retries within the one slot we booked.
	const refresh = account.credentialType === 'amoCrmOAuth2Api' ? refreshHelperOf(this) : undefined;
	const oauth2 = refresh ? { ...OAUTH2_OPTIONS, skipTokenRefresh: true } : OAUTH2_OPTIONS;
	let tokenUsed = account.storedAccessToken;
	let renewed = false;
	let waited = false;
	for (let attempt = 1; ; attempt++) {
		// After sleeping its own 429 delay a request goes; others wait out the account's pause.
		if (!waited) {
			const paused = await waitOutPause(account);
			if (paused) return { ok: false, failure: paused, attempts: attempt - 1 };
		}
		waited = false;
		const release = await waitForSlot(account.key, account.requestsPerSecond);
		let failure: HttpFailure;
		try {
			const response = (await this.helpers.httpRequestWithAuthentication.call(
				this,
				account.credentialType,
				options,
				{
					oauth2,
				},
			)) as IN8nHttpFullResponse;
			release();
			if (response.statusCode >= 300 && response.statusCode < 400) {
				const location = readFailure({
					response: { status: response.statusCode, headers: response.headers },
				}).headers;
				return {
					ok: false,
					failure: {
						status: response.statusCode,
						headers: location,
						tokenRefresh: false,
						message: 'Redirected',
					},
					attempts: attempt,
				};
			}
			workedAccounts.add(account.key);
			if (response.statusCode === 204 || response.body === '' || response.body === undefined)
				return { ok: true, body: undefined };
			return { ok: true, body: response.body as T };
		} catch (error) {
			release();
			failure = readFailure(error);
		}
		if (refresh && failure.status === 401 && !failure.tokenRefresh && !renewed) {
			// amoCRM did not process a request it answered 401: sending it again is safe.
			renewed = true;
			const refused = await renewAccessToken.call(this, account, tokenUsed, refresh);
			if (refused) return { ok: false, failure: refused, attempts: attempt };
			tokenUsed = undefined;
			attempt--;
			continue;
		}
		const delay = failure.tokenRefresh ? undefined : retryDelayMs(failure, request.method, attempt);
		if (!failure.tokenRefresh) noteRateLimit(account, failure, delay);
		if (delay === undefined) return { ok: false, failure, attempts: attempt };
		await sleep(delay);
		waited = true;
	}
}

function hideInStrings(value: unknown, hide: (text: string) => string): unknown {
	if (typeof value === 'string') return hide(value);
	if (Array.isArray(value)) return value.map((entry) => hideInStrings(entry, hide));
	if (value && typeof value === 'object') {
		return Object.fromEntries(
			Object.entries(value).map(([key, entry]) => [key, hideInStrings(entry, hide)]),
		);
	}
	return value;
}

/** The error the user sees for a failed request. */
export function apiError(
	context: AmoCrmContext,
	account: AmoCrmAccount,
	request: Pick<
		AmoCrmRequest,
		'subject' | 'method' | 'itemIndex' | 'describePath' | 'notFound' | 'notFoundFix' | 'forbidden'
	>,
	failure: HttpFailure,
	attempts: number,
): NodeApiError {
	const { message, description } = describeFailure(failure, {
		subject: request.subject,
		method: request.method,
		accountUrl: account.url,
		credentialType: account.credentialType,
		attempts,
		describePath: request.describePath,
		notFound: request.notFound,
		notFoundFix: request.notFoundFix,
		firstUse: !workedAccounts.has(account.key),
		forbidden: request.forbidden,
	});
	const hide = account.hideSecrets;
	return new NodeApiError(
		context.getNode(),
		// Not under "code": n8n would swap our message for its generic one for network codes.
		hideInStrings(
			{
				status: failure.status ?? null,
				networkError: failure.code ?? null,
				...(failure.problem ?? {}),
			},
			hide,
		) as JsonObject,
		{
			message: hide(message),
			description: hide(description),
			itemIndex: request.itemIndex,
			httpCode: failure.status ? String(failure.status) : undefined,
		},
	);
}

/**
 * The one place that talks to amoCRM: account URL, authentication (n8n's helper; OAuth2
 * tokens are renewed on a 401), rate limit, retries and error mapping.
 * Resolves to the parsed body, or undefined for amoCRM's 204 "nothing here".
 */
export async function amoCrmApiRequest<T>(
	this: AmoCrmContext,
	request: AmoCrmRequest,
): Promise<T | undefined> {
	const account = await getAccount.call(this);
	const result = (await sendToAmoCrm.call(this, account, request)) as SendResult<T>;
	if (result.ok) return result.body;
	throw apiError(this, account, request, result.failure, result.attempts);
}

const PAGE_LIMIT = 250;
const MAX_PAGES = 200;

/**
 * Reads a list (`_embedded.<key>`) page after page until amoCRM has no `next` link, or until
 * `limit` items are read (then pages are only as large as needed).
 */
export async function amoCrmApiRequestAllItems<T>(
	this: AmoCrmContext,
	request: Omit<AmoCrmRequest, 'method' | 'body'>,
	embeddedKey: string,
	limit?: number,
): Promise<T[]> {
	const items: T[] = [];
	const pageSize = limit === undefined ? PAGE_LIMIT : Math.max(1, Math.min(PAGE_LIMIT, limit));
	for (let page = 1; page <= MAX_PAGES; page++) {
		const response = (await amoCrmApiRequest.call(this, {
			...request,
			method: 'GET',
			qs: { ...(request.qs ?? {}), page, limit: pageSize },
		})) as EmbeddedList<string, T> | undefined;
		if (!response) break;
		items.push(...(response._embedded?.[embeddedKey] ?? []));
		if (limit !== undefined && items.length >= limit) return items.slice(0, limit);
		if (!response._links?.next) break;
	}
	return items;
}

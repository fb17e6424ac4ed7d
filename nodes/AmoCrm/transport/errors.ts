import type { AmoCrmProblem } from './types';

/** What we know about a failed request, read from whatever n8n's HTTP helper threw. */
export interface HttpFailure {
	status?: number;
	problem?: AmoCrmProblem;
	/** A non-JSON answer (amoCRM sends HTML for some 403 and 429 answers), shortened. */
	text?: string;
	headers?: Record<string, string>;
	/** Node's network error code (ECONNREFUSED, ETIMEDOUT, ...). */
	code?: string;
	/** The failure came from amoCRM's token endpoint while n8n renewed the OAuth2 token. */
	tokenRefresh: boolean;
	message: string;
}

interface ErrorLike {
	message?: string;
	code?: string;
	httpCode?: string | null;
	status?: number;
	body?: unknown;
	cause?: ErrorLike;
	context?: { data?: unknown };
	response?: { status?: number; data?: unknown; headers?: Record<string, unknown> };
}

function parseBody(data: unknown): { problem?: AmoCrmProblem; text?: string } {
	if (data && typeof data === 'object' && !Array.isArray(data) && !Buffer.isBuffer(data)) {
		return { problem: data as AmoCrmProblem };
	}
	const text = Buffer.isBuffer(data) ? data.toString('utf8') : typeof data === 'string' ? data : undefined;
	if (text === undefined || text.trim() === '') return {};
	try {
		const parsed: unknown = JSON.parse(text);
		if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return { problem: parsed as AmoCrmProblem };
	} catch {
		// Not JSON: amoCRM's HTML error pages. Keep a short, tag-free excerpt.
	}
	return { text: text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200) };
}

function lowerCaseHeaders(headers: Record<string, unknown> | undefined): Record<string, string> | undefined {
	if (!headers) return undefined;
	const result: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) {
		if (typeof value === 'string' || typeof value === 'number') result[name.toLowerCase()] = String(value);
	}
	return result;
}

/**
 * n8n wraps the HTTP client's error in a NodeApiError whose `cause` is the original
 * (an axios error for API calls; client-oauth2's ResponseError/AuthError, code ESTATUS
 * or EAUTH, when the token endpoint refused a refresh).
 */
export function readFailure(error: unknown): HttpFailure {
	const outer = (error ?? {}) as ErrorLike;
	const inner = outer.cause ?? outer;
	const tokenRefresh = inner.code === 'ESTATUS' || inner.code === 'EAUTH';
	const response = inner.response ?? outer.response;
	const httpCode = outer.httpCode ? Number(outer.httpCode) : undefined;
	const status = response?.status ?? (tokenRefresh ? inner.status : undefined) ?? (Number.isFinite(httpCode) ? httpCode : undefined);
	const data = response?.data ?? (tokenRefresh ? inner.body : undefined) ?? outer.context?.data;
	const networkCode = !tokenRefresh && typeof inner.code === 'string' && inner.code !== 'ERR_BAD_REQUEST' && inner.code !== 'ERR_BAD_RESPONSE' ? inner.code : undefined;
	return {
		status,
		...parseBody(data),
		headers: lowerCaseHeaders(response?.headers),
		code: status === undefined ? networkCode : undefined,
		tokenRefresh,
		message: inner.message ?? outer.message ?? 'Unknown error',
	};
}

export interface FailureContext {
	/** What the request was about, in the user's words: "contact", "deal", "note", "link". */
	subject: string;
	method: string;
	accountUrl: string;
	credentialType: 'amoCrmOAuth2Api' | 'amoCrmApi';
	attempts: number;
	/** The message for a 404, e.g. "Deal 123 was not found in amoCRM". */
	notFound?: string;
	/** Names the field behind a validation-error path, e.g. "custom field \"Source\" (ID 4001)". */
	describePath?: (path: string, requestIndex: number) => string | undefined;
}

export interface FailureDescription {
	message: string;
	description: string;
}

const PATH_LABELS: Record<string, string> = {
	name: 'Name',
	first_name: 'First Name',
	last_name: 'Last Name',
	price: 'Price',
	pipeline_id: 'Pipeline',
	status_id: 'Stage',
	responsible_user_id: 'Responsible User',
	to_entity_id: 'Contact ID',
	entity_id: 'ID',
	'params.text': 'Text',
};

export function labelForPath(path: string): string {
	if (PATH_LABELS[path]) return PATH_LABELS[path];
	if (path.startsWith('_embedded.contacts')) return 'Contact ID';
	if (path.startsWith('_embedded.tags')) return 'Tags';
	return path;
}

function reconnectHint(context: FailureContext): string {
	return context.credentialType === 'amoCrmOAuth2Api'
		? 'Open the AmoCRM OAuth2 credential and click "Reconnect". This happens when the integration was switched off in amoCRM, the connecting user lost access, or the credential went unused for three months.'
		: 'The long-lived token was revoked or has expired. In amoCRM open Settings > Integrations > your integration > Keys and scopes, generate a new long-lived token and paste it into the credential.';
}

function detailOf(failure: HttpFailure): string {
	const problem = failure.problem;
	const parts = [problem?.detail, problem?.hint].filter((part): part is string => typeof part === 'string' && part !== '');
	if (parts.length > 0) return parts.join(': ');
	return failure.text ?? failure.message;
}

/** Turns a failure into a message a non-developer can act on. Never includes tokens or secrets. */
export function describeFailure(failure: HttpFailure, context: FailureContext): FailureDescription {
	const { status } = failure;
	if (failure.tokenRefresh) {
		return {
			message: 'amoCRM refused to renew the access token: reconnect the credential',
			description: `amoCRM's token endpoint answered HTTP ${status ?? '?'} (${detailOf(failure)}). ${reconnectHint(context)} If it keeps happening after reconnecting (n8n renews tokens without the redirect_uri some amoCRM accounts require), use the long-lived token credential instead: it needs no renewal.`,
		};
	}
	if (status === undefined) {
		const timedOut = failure.code === 'ETIMEDOUT' || failure.code === 'ECONNABORTED';
		const notFound = failure.code === 'ENOTFOUND';
		const retried = context.method === 'GET' ? ` We tried ${context.attempts} times.` : ' The request was not repeated automatically, so that nothing is created twice: check amoCRM before running it again.';
		if (notFound) {
			return {
				message: `There is no amoCRM account at ${context.accountUrl}`,
				description: 'Check the Subdomain and Domain in the credential: the subdomain is the first part of the address you open amoCRM at (mycompany in mycompany.amocrm.ru).',
			};
		}
		return {
			message: timedOut ? 'amoCRM did not answer in time' : `Could not reach amoCRM at ${context.accountUrl}`,
			description: `${failure.code ?? failure.message}.${retried}`,
		};
	}
	switch (status) {
		case 400:
		case 422: {
			const validation = failure.problem?.['validation-errors'] ?? [];
			const lines = validation.flatMap((entry) =>
				entry.errors.map((error) => {
					const field = context.describePath?.(error.path, Number(entry.request_id)) ?? labelForPath(error.path);
					return `${field}: ${error.detail}`;
				}),
			);
			if (lines.length > 0) {
				return {
					message: `amoCRM refused the ${context.subject}: ${lines.join('; ')}`,
					description: 'Fix the value of the field named above in this node, then run it again.',
				};
			}
			return {
				message: `amoCRM refused the ${context.subject}: ${detailOf(failure)}`,
				description: 'Check the values filled in this node.',
			};
		}
		case 401:
			return { message: 'amoCRM rejected the token: reconnect the credential', description: reconnectHint(context) };
		case 402:
			return {
				message: 'The amoCRM account is unpaid or its trial ended',
				description: 'amoCRM answers "Payment Required" until the account is paid. Pay for the account in amoCRM, then run again.',
			};
		case 403:
			return {
				message: 'amoCRM refused access: no rights, or API access blocked',
				description: `amoCRM said: ${detailOf(failure)}. Either the user who connected the integration lacks rights for this (check the user's rights in amoCRM), or amoCRM has blocked API access to the account after too many requests (only amoCRM support can lift that). The request was not retried: retrying a 403 turns a warning into a ban.`,
			};
		case 404:
			return {
				message: context.notFound ?? `amoCRM has no such ${context.subject}`,
				description: `amoCRM answered "Not Found" (${detailOf(failure)}). Check the ID given to this node.`,
			};
		case 429:
			return {
				message: 'amoCRM is rate-limiting this account (429 Too Many Requests)',
				description: `We waited and tried ${context.attempts} times. Lower "Requests per Second" in the credential if several workflows or n8n workers share this amoCRM account, or run fewer executions at once.`,
			};
		default:
			if (status >= 500) {
				const retried = context.method === 'GET'
					? ` We tried ${context.attempts} times.`
					: ' The request was not repeated automatically, so that nothing is created twice: check amoCRM before running it again.';
				return {
					message: `amoCRM is having trouble (HTTP ${status}): try again later`,
					description: `${detailOf(failure)}.${retried}`,
				};
			}
			return { message: `amoCRM answered HTTP ${status}`, description: detailOf(failure) };
	}
}

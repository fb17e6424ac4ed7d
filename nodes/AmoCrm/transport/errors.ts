import type { AmoCrmProblem, AmoCrmProblemError } from './types';

/** What we know about a failed request, read from whatever n8n's HTTP helper threw. */
export interface HttpFailure {
	status?: number;
	/** amoCRM's error body, reduced to the fields our messages use (see `keepProblem`). */
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

/**
 * n8n stores a node's error in the execution data and returns it through its API, so whatever
 * amoCRM (or a proxy in front of it) echoes must not reach it: a token endpoint that echoes the
 * request would put the client secret and the refresh token there. We keep only the fields of
 * amoCRM's error shapes that our messages use, shortened, and blank out anything that looks like
 * a credential inside them.
 */
export const MAX_TEXT_LENGTH = 300;
const MAX_ENTRIES = 250;
/** Names of things that are or may carry credentials, at any depth of an echoed body. */
const SECRET_NAME =
	/token|secret|code|password|passwd|authori[sz]ation|cookie|api[-_]?key|session|jwt/i;
const REDACTED = '[hidden]';

/** Blanks credential-like parts of a text: `name=value` pairs with a secret-like name, bearer values, JWTs, long opaque strings. */
export function hideSecrets(text: string): string {
	return text
		.replace(
			/(["']?)([\w.-]*(?:token|secret|code|password|passwd|authori[sz]ation|cookie|api[-_]?key|session|jwt)[\w.-]*)\1(\s*[:=]\s*)((?:Bearer|Basic)\s+[^\s&,;"'<>})\]]+|"[^"]*"|'[^']*'|[^\s&,;"'<>})\]]+)/gi,
			(_match, quote: string, name: string, separator: string) =>
				`${quote}${name}${quote}${separator}${REDACTED}`,
		)
		.replace(/\b(Bearer|Basic)\s+[\w.~+/=-]+/gi, `$1 ${REDACTED}`)
		.replace(/\beyJ[\w-]*\.[\w-]*\.[\w-]*/g, REDACTED)
		.replace(/[A-Za-z0-9_\-+=~]{40,}/g, REDACTED);
}

function keepText(value: unknown): string | undefined {
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const text = hideSecrets(String(value).replace(/\s+/g, ' ').trim());
	return text.length > MAX_TEXT_LENGTH ? `${text.slice(0, MAX_TEXT_LENGTH - 1)}…` : text;
}

function keepNumber(value: unknown): number | undefined {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}

/** amoCRM's own error codes are words ("NotSupportedChoice"); anything else under `code` may be an OAuth code. */
function keepErrorCode(value: unknown): string | undefined {
	return typeof value === 'string' && /^[A-Za-z_]{1,60}$/.test(value) ? value : undefined;
}

/** A field path such as `custom_fields_values.0.field_id`, unless it names a credential. */
function keepPath(value: unknown): string | undefined {
	if (typeof value !== 'string' || !/^[\w.\[\]-]{1,120}$/.test(value)) return undefined;
	return SECRET_NAME.test(
		value.replace(/^custom_fields_values/, '').replace(/field_code|enum_code/g, ''),
	)
		? undefined
		: value;
}

function withoutEmpty<T extends object>(value: T): T {
	return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}

function listOf(value: unknown): Array<Record<string, unknown>> {
	return Array.isArray(value)
		? value
				.slice(0, MAX_ENTRIES)
				.filter(
					(entry): entry is Record<string, unknown> =>
						!!entry && typeof entry === 'object' && !Array.isArray(entry),
				)
		: [];
}

/** The fields of amoCRM's error shapes that our messages use; undefined when none is there. */
export function keepProblem(data: Record<string, unknown>): AmoCrmProblem | undefined {
	const validation = listOf(data['validation-errors']).map((entry) => ({
		request_id: keepText(entry.request_id) ?? '',
		errors: listOf(entry.errors).map((error) => ({
			code: keepErrorCode(error.code) ?? '',
			path: keepPath(error.path) ?? '',
			detail: keepText(error.detail) ?? '',
		})),
	}));
	const errors = listOf(data.errors).map((error) =>
		withoutEmpty<AmoCrmProblemError>({
			request_id: keepText(error.request_id),
			title: keepText(error.title),
			detail: keepText(error.detail),
			status: keepNumber(error.status),
			code: keepErrorCode(error.code),
			path: keepPath(error.path),
		}),
	);
	const problem = withoutEmpty<AmoCrmProblem>({
		title: keepText(data.title),
		status: keepNumber(data.status),
		detail: keepText(data.detail),
		hint: keepText(data.hint),
		retry_after: keepNumber(data.retry_after),
		'validation-errors': validation.length > 0 ? validation : undefined,
		errors: errors.length > 0 ? errors : undefined,
	});
	return Object.keys(problem).length > 0 ? problem : undefined;
}

function parseBody(data: unknown): { problem?: AmoCrmProblem; text?: string } {
	let parsed: unknown = data;
	const text = Buffer.isBuffer(data)
		? data.toString('utf8')
		: typeof data === 'string'
			? data
			: undefined;
	if (text !== undefined) {
		if (text.trim() === '') return {};
		try {
			parsed = JSON.parse(text);
		} catch {
			// Not JSON: amoCRM's HTML error pages. Keep a short, tag-free excerpt.
			return { text: keepText(text.replace(/<[^>]*>/g, ' ')) };
		}
	}
	if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
		const problem = keepProblem(parsed as Record<string, unknown>);
		return problem ? { problem } : {};
	}
	return {};
}

/** The answer's headers our messages and retries read; nothing else (a proxy may echo cookies). */
const KEPT_HEADERS = ['retry-after', 'location', 'content-type', 'x-request-id'];

function hostOf(url: string): string {
	try {
		return new URL(url, 'https://unknown.invalid').host;
	} catch {
		return '';
	}
}

function lowerCaseHeaders(
	headers: Record<string, unknown> | undefined,
): Record<string, string> | undefined {
	if (!headers) return undefined;
	const result: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) {
		const key = name.toLowerCase();
		if (!KEPT_HEADERS.includes(key) || (typeof value !== 'string' && typeof value !== 'number'))
			continue;
		// Of a redirect we need only where it leads: the host, without path or query.
		result[key] = key === 'location' ? hostOf(String(value)) : (keepText(value) ?? '');
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
	const status =
		response?.status ??
		(tokenRefresh ? inner.status : undefined) ??
		(Number.isFinite(httpCode) ? httpCode : undefined);
	const data = response?.data ?? (tokenRefresh ? inner.body : undefined) ?? outer.context?.data;
	const networkCode =
		!tokenRefresh &&
		typeof inner.code === 'string' &&
		inner.code !== 'ERR_BAD_REQUEST' &&
		inner.code !== 'ERR_BAD_RESPONSE'
			? inner.code
			: undefined;
	return {
		status,
		...parseBody(data),
		headers: lowerCaseHeaders(response?.headers),
		code: status === undefined ? networkCode : undefined,
		tokenRefresh,
		message: keepText(inner.message ?? outer.message) ?? 'Unknown error',
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
	/** What to do about a 404, naming the field that gave the ID; default: check the ID given. */
	notFoundFix?: string;
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

/** amoCRM lets an account change its address; the old one then stops working for the API and for token renewal. */
const RENAMED_HINT =
	"If the account's address was changed in amoCRM, enter the new one as Subdomain in the credential (mycompany for https://mycompany.amocrm.ru); otherwise check Subdomain and Domain there.";

function detailOf(failure: HttpFailure): string {
	const problem = failure.problem;
	const parts = [problem?.detail, problem?.hint].filter(
		(part): part is string => typeof part === 'string' && part !== '',
	);
	if (parts.length > 0) return parts.join(': ');
	const first = problem?.errors?.[0];
	if (first) return first.detail ?? first.title ?? failure.message;
	return failure.text ?? failure.message;
}

/** amoCRM's "Entity not found" in a 400's `errors[]` (notes or links for a deal or contact that does not exist). */
export function isNotFoundError(error: AmoCrmProblemError): boolean {
	return (
		error.status === 404 ||
		/not ?found/i.test(error.code ?? '') ||
		/not found/i.test(`${error.title ?? ''} ${error.detail ?? ''}`)
	);
}

const SHARED_ACCOUNT_HINT =
	'Lower "Requests per Second" in the credential if several workflows or n8n workers share this amoCRM account, or run fewer executions at once.';

/** The wait amoCRM asked for, in seconds: `retry_after` in its body, else a Retry-After header (seconds or a date). */
export function askedWaitSeconds(
	failure: HttpFailure,
	now: number = Date.now(),
): number | undefined {
	const fromBody = failure.problem?.retry_after;
	if (typeof fromBody === 'number' && Number.isFinite(fromBody) && fromBody >= 0) return fromBody;
	const header = failure.headers?.['retry-after']?.trim();
	if (!header) return undefined;
	if (/^\d+(\.\d+)?$/.test(header)) return Number(header);
	const date = Date.parse(header);
	return Number.isFinite(date) ? Math.max(0, Math.ceil((date - now) / 1000)) : undefined;
}

/** Longest wait the node accepts between attempts; a longer one stops it at once. */
export const MAX_WAIT_SECONDS = 30;

function tooManyRequests(failure: HttpFailure, context: FailureContext): FailureDescription {
	const asked = askedWaitSeconds(failure);
	if (asked !== undefined && asked > MAX_WAIT_SECONDS) {
		const seconds = Math.ceil(asked);
		return {
			message: `amoCRM asked to wait ${seconds} s before the next request (429 Too Many Requests)`,
			description: `This node waits at most ${MAX_WAIT_SECONDS} s, so it stopped at once and sent nothing more: requests sent before the time amoCRM asked for are what it turns into a block of the whole account. Run it again after ${seconds} s (the lead-intake template re-sends such leads by itself). ${SHARED_ACCOUNT_HINT}`,
		};
	}
	const page =
		failure.problem === undefined && failure.text !== undefined
			? ' amoCRM answered with a web page that gives no waiting time.'
			: '';
	return {
		message: 'amoCRM asked to wait before the next request (429 Too Many Requests)',
		description: `amoCRM kept refusing with 429 Too Many Requests.${page} We waited as asked and tried ${context.attempts} times. ${SHARED_ACCOUNT_HINT}`,
	};
}

/** A failure of the OAuth2 token renewal: only amoCRM's refusal (400, 401) asks the user to reconnect. */
function renewalFailure(failure: HttpFailure, context: FailureContext): FailureDescription {
	const { status } = failure;
	// A 403 is a block or missing rights, whichever endpoint said it: reconnecting changes neither.
	if (status === 403) return describeFailure({ ...failure, tokenRefresh: false }, context);
	if (status === 400 || status === 401) {
		return {
			message: 'amoCRM refused to renew the access token: reconnect the credential',
			description: `amoCRM's token endpoint answered HTTP ${status} (${detailOf(failure)}). ${reconnectHint(context)} ${RENAMED_HINT} If it keeps happening after reconnecting (n8n renews tokens without the redirect_uri some amoCRM accounts require), use the long-lived token credential instead: it needs no renewal.`,
		};
	}
	if (
		status === 404 ||
		(status !== undefined && status >= 300 && status < 400) ||
		failure.code === 'ENOTFOUND'
	) {
		return {
			message: `There is no amoCRM account at ${context.accountUrl}`,
			description: `amoCRM's token endpoint for this address answered ${status ? `HTTP ${status}` : failure.code}, so the access token could not be renewed. ${RENAMED_HINT}`,
		};
	}
	const answer = status !== undefined ? `HTTP ${status}` : (failure.code ?? 'no answer');
	const wait =
		status === 429 && askedWaitSeconds(failure) !== undefined
			? ` amoCRM asked to wait ${Math.ceil(askedWaitSeconds(failure) as number)} s.`
			: '';
	return {
		message: "amoCRM's token service is unavailable: nothing was sent, try again later",
		description: `The access token had to be renewed and amoCRM's token endpoint could not do it right now (${answer}).${wait} Nothing was sent to amoCRM, so running again creates nothing twice; the lead-intake template re-sends such leads by itself. The credential is fine: reconnecting it does not help.`,
	};
}

/** amoCRM's refusal to accept or decline an incoming lead (Unsorted) a second time: "Unsorted already accepted". */
const ALREADY_HANDLED = /\balready (accepted|declined)\b/i;

/** Network failures after the request went out: amoCRM may have processed it. */
const IN_FLIGHT_CODES = ['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'ESOCKETTIMEDOUT'];

/** Turns a failure into a message a non-developer can act on. Never includes tokens or secrets. */
export function describeFailure(failure: HttpFailure, context: FailureContext): FailureDescription {
	const { status } = failure;
	if (failure.tokenRefresh) return renewalFailure(failure, context);
	if (status === undefined) {
		const timedOut = failure.code === 'ETIMEDOUT' || failure.code === 'ECONNABORTED';
		const notFound = failure.code === 'ENOTFOUND';
		const retried =
			context.method === 'GET'
				? ` We tried ${context.attempts} times.`
				: ' The request was not repeated automatically, so that nothing is created twice: check amoCRM before running it again.';
		if (notFound) {
			return {
				message: `There is no amoCRM account at ${context.accountUrl}`,
				description: `The address does not exist. ${RENAMED_HINT}`,
			};
		}
		if (
			context.method !== 'GET' &&
			failure.code !== undefined &&
			IN_FLIGHT_CODES.includes(failure.code)
		) {
			// Said in the message: n8n keeps only the message in an error item's data, and a
			// workflow must tell "may exist" apart from "never sent" to know what it may re-send.
			return {
				message: `${timedOut ? 'amoCRM did not answer in time' : "amoCRM's answer was lost"}: the ${context.subject} may have been ${context.method === 'PATCH' ? 'changed' : 'created'}`,
				description: `${failure.code}.${retried}`,
			};
		}
		return {
			message: timedOut
				? 'amoCRM did not answer in time'
				: `Could not reach amoCRM at ${context.accountUrl}`,
			description: `${failure.code ?? failure.message}.${retried}`,
		};
	}
	if (status >= 300 && status < 400) {
		const to = failure.headers?.location ? ` to ${failure.headers.location}` : '';
		return {
			message: `amoCRM redirected the request${to}: the account's address may have changed`,
			description: `amoCRM did not answer at ${context.accountUrl} (HTTP ${status}) and the request was not followed elsewhere, so nothing was sent there. ${RENAMED_HINT}`,
		};
	}
	switch (status) {
		case 400:
		case 422: {
			const validation = failure.problem?.['validation-errors'] ?? [];
			const lines = validation.flatMap((entry) =>
				entry.errors.map((error) => {
					const field =
						context.describePath?.(error.path, Number(entry.request_id)) ??
						labelForPath(error.path);
					return `${field}: ${error.detail}`;
				}),
			);
			if (lines.length > 0) {
				return {
					message: `amoCRM refused the ${context.subject}: ${lines.join('; ')}`,
					description: 'Fix the value of the field named above in this node, then run it again.',
				};
			}
			const handled = ALREADY_HANDLED.exec(detailOf(failure));
			if (handled) {
				const declined = handled[1].toLowerCase() === 'declined';
				return {
					message: `This incoming lead was already ${declined ? 'declined' : 'accepted'} in amoCRM`,
					description: `amoCRM answered "${detailOf(failure)}": an incoming lead (Unsorted) is accepted or declined once, and ${declined ? 'a declined one is in the trash' : 'an accepted one is now a deal in its stage, moved like any other deal'}. Check Incoming Lead UID: map the uid of a lead still waiting in the pipeline's Incoming stage, or leave this item out.`,
				};
			}
			const errors = failure.problem?.errors ?? [];
			if (context.notFound !== undefined && errors.some(isNotFoundError)) {
				return {
					message: context.notFound,
					description: `amoCRM answered "${detailOf(failure)}". ${context.notFoundFix ?? 'Check the ID given to this node: the deal or contact may have been deleted or merged.'}`,
				};
			}
			return {
				message: `amoCRM refused the ${context.subject}: ${detailOf(failure)}`,
				description: 'Check the values filled in this node.',
			};
		}
		case 401:
			return {
				message: 'amoCRM rejected the token: reconnect the credential',
				description: `${reconnectHint(context)} ${RENAMED_HINT}`,
			};
		case 402:
			return {
				message: 'The amoCRM account is unpaid or its trial ended',
				description:
					'amoCRM answers "Payment Required" until the account is paid. Pay for the account in amoCRM, then run again.',
			};
		case 403:
			return {
				message: 'amoCRM refused access: no rights, or API access blocked',
				description: `amoCRM said: ${detailOf(failure)}. Either the user who connected the integration lacks rights for this (check the user's rights in amoCRM), or amoCRM has blocked API access to the account after too many requests (only amoCRM support can lift that). The request was not retried: retrying a 403 turns a warning into a ban.`,
			};
		case 404:
			// amoCRM's API answers a 404 of its own as problem+json; a bare page means no account lives at this address.
			if (failure.problem === undefined) {
				return {
					message: `There is no amoCRM account at ${context.accountUrl}`,
					description: `amoCRM answered "Not Found" with a web page, not its API. ${RENAMED_HINT}`,
				};
			}
			return {
				message: context.notFound ?? `amoCRM has no such ${context.subject}`,
				description: `amoCRM answered "Not Found" (${detailOf(failure)}). ${context.notFoundFix ?? 'Check the ID given to this node.'}`,
			};
		case 429:
			return tooManyRequests(failure, context);
		default:
			if (status >= 500) {
				const retried =
					context.method === 'GET'
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

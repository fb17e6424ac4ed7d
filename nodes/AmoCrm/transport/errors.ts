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

/**
 * amoCRM's third shape of a 400: `errors` as an object keyed by the refused entity's ID, each
 * value its reason. Recorded for a PATCH /api/v4/leads (amocrm/amocrm-api-php#88):
 * `{"errors":{"11062353":"Loss reason can be specified only for lost lead"},"title":"Bad Request",
 * "type":"https://httpstatus.es/400","status":400,"detail":"Invalid request body"}`.
 */
function keyedErrors(value: unknown): AmoCrmProblemError[] {
	if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
	return Object.entries(value as Record<string, unknown>)
		.slice(0, MAX_ENTRIES)
		.flatMap(([key, reason]) => {
			const nested =
				reason && typeof reason === 'object' && !Array.isArray(reason)
					? (reason as Record<string, unknown>)
					: undefined;
			const detail = keepText(nested ? (nested.detail ?? nested.title) : reason);
			if (detail === undefined) return [];
			return [
				withoutEmpty<AmoCrmProblemError>({
					entity_id: /^\d{1,20}$/.test(key) ? key : undefined,
					detail,
				}),
			];
		});
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
	const errors = [
		...listOf(data.errors).map((error) =>
			withoutEmpty<AmoCrmProblemError>({
				request_id: keepText(error.request_id),
				title: keepText(error.title),
				detail: keepText(error.detail),
				status: keepNumber(error.status),
				code: keepErrorCode(error.code),
				path: keepPath(error.path),
			}),
		),
		...keyedErrors(data.errors),
	];
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
	/** No request with this credential has succeeded yet in this n8n process: a 401 may mean a mistyped Subdomain. */
	firstUse?: boolean;
	/**
	 * What a 403 of amoCRM's API (problem+json, not a block page) means for this request, when it
	 * means one thing, e.g. "only administrators can list users".
	 */
	forbidden?: FailureDescription;
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
	// In /leads/complex a new contact travels inside the deal: name its own field, not "Contact ID".
	const contact = /^_embedded\.contacts\.\d+\.(.+)$/.exec(path);
	if (contact && contact[1] !== 'id') {
		if (['name', 'first_name', 'last_name'].includes(contact[1])) return 'Contact Name';
		if (contact[1].startsWith('custom_fields_values')) return "the new contact's Phone or Email";
		return `the new contact's ${labelForPath(contact[1])}`;
	}
	if (path.startsWith('_embedded.contacts')) return 'Contact ID';
	if (path.startsWith('_embedded.tags')) return 'Tags';
	return path;
}

function reconnectHint(context: FailureContext): string {
	return context.credentialType === 'amoCrmOAuth2Api'
		? 'Open the AmoCRM OAuth2 credential and click "Reconnect". This happens when the integration was switched off in amoCRM, the connecting user lost access, or the credential went unused for three months.'
		: 'The long-lived token was revoked or has expired. In amoCRM open amoMarket (Kommo: Settings > Integrations) > your integration > Keys and scopes, generate a new long-lived token and paste it into the credential.';
}

/** amoCRM lets an account change its address; the old one then stops working for the API and for token renewal. */
const RENAMED_HINT =
	"If the account's address was changed in amoCRM, enter the new one as Subdomain in the credential (mycompany for https://mycompany.amocrm.ru); otherwise check Subdomain and Domain there.";

/** amoCRM's own reasons when it keyed its refusal by entity ID; empty otherwise. */
function keyedReasons(failure: HttpFailure): AmoCrmProblemError[] {
	return (failure.problem?.errors ?? []).filter((error) => error.entity_id !== undefined);
}

function detailOf(failure: HttpFailure): string {
	const problem = failure.problem;
	// "Invalid request body" says nothing: the reason keyed by the entity's ID does.
	const keyed = keyedReasons(failure);
	if (keyed.length > 0) return keyed.map((error) => error.detail).join('; ');
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
	if (isNoAccountRefusal(failure)) {
		return describeFailure({ ...failure, tokenRefresh: false }, context);
	}
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
	// A success status whose body n8n did not take as a token (n8n 1.123.x and 2.0.x read a token
	// answer only when it is typed application/json): trying again, or reconnecting, gets the same.
	// n8n's OAuth2 client names the type: "(content-type: text/html)" since 2.x, "Unsupported
	// content type: text/html" in 1.123.x and 2.0.x.
	if (status !== undefined && status >= 200 && status < 300) {
		const type = (/content-type: ([^)]*)\)/i.exec(failure.message) ??
			/^Unsupported content type: (.+)$/i.exec(failure.message))?.[1]?.trim();
		return {
			message: "n8n could not read amoCRM's token answer: the access token was not renewed",
			description: `amoCRM's token endpoint answered HTTP ${status}${type ? ` typed ${type}` : ''}, and this n8n did not accept the answer as a token. Nothing was sent to amoCRM. Check that your n8n is a supported version (see the package's README) and that nothing between n8n and amoCRM (a proxy) changes the answer; or use the long-lived token credential: it needs no renewal.`,
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

/**
 * amoCRM's error code 244, "no rights", in a 400 that names no field. Recorded for
 * POST /api/v4/leads (amocrm/amocrm-api-php#33): `{"title":"Bad Request","type":
 * "https://httpstatus.es/400","status":400,"detail":"Код ошибки 244. В случае повторного
 * возникновения ошибки, обращайтесь в нашу техническую поддержку - support@amocrm.ru"}`;
 * amoCRM's maintainer there: the user lacks rights, or the subscription ended. amoCRM's
 * error-code table (crm_platform/error-codes) lists 244 as "нет прав" for deals, notes and lists.
 */
const NO_RIGHTS_CODE = /(?:код ошибки|error code)\s*244\b/i;

export function isNoRightsRefusal(failure: HttpFailure): boolean {
	return (
		(failure.status === 400 || failure.status === 422) &&
		NO_RIGHTS_CODE.test(failure.problem?.detail ?? '')
	);
}

/**
 * amoCRM's error code 101: a request to an account (subdomain) that does not exist, answered
 * with HTTP 401 (amoCRM's error-code table, crm_platform/error-codes: "101 | 401 Unauthorized |
 * Возникает в случае запроса к несуществующему аккаунту (субдомену)").
 */
const NO_ACCOUNT_CODE = /(?:код ошибки|error code)\s*101\b/i;

function isNoAccountRefusal(failure: HttpFailure): boolean {
	return (
		failure.status === 401 &&
		NO_ACCOUNT_CODE.test(`${failure.problem?.detail ?? ''} ${failure.problem?.hint ?? ''}`)
	);
}

const SUBDOMAIN_HINT =
	'Check Subdomain and Domain in the credential: Subdomain is the first part of the address you open amoCRM at (mycompany for https://mycompany.amocrm.ru), Domain amocrm.ru or kommo.com.';

/** amoCRM's text ends with a full stop of its own ("An unknown error occurred."): one is enough. */
function sentence(text: string): string {
	return `${text.replace(/[.\s]+$/, '')}.`;
}

/** amoCRM's refusal to accept or decline an incoming lead (Unsorted) a second time: "Unsorted already accepted". */
const ALREADY_HANDLED = /\balready (accepted|declined)\b/i;

/** Network failures after the request went out: amoCRM may have processed it. */
const IN_FLIGHT_CODES = ['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'ESOCKETTIMEDOUT'];

/** Turns a failure into a message a non-developer can act on. Never includes tokens or secrets. */
export function describeFailure(failure: HttpFailure, context: FailureContext): FailureDescription {
	const { status } = failure;
	// A success status fails only when n8n could not read the answer: with OAuth2, the token
	// renewal's (older n8n reports it without the token client's error code).
	const unreadable =
		status !== undefined &&
		status >= 200 &&
		status < 300 &&
		context.credentialType === 'amoCrmOAuth2Api';
	if (failure.tokenRefresh || unreadable) return renewalFailure(failure, context);
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
			const keyed = keyedReasons(failure);
			if (keyed.length > 0) {
				const ids = keyed.map((error) => error.entity_id).join(', ');
				return {
					message: `amoCRM refused the ${context.subject}: ${detailOf(failure)}`,
					description: `amoCRM gave this reason for ${context.subject} ${ids}. Change what it names, in amoCRM or in this node, then run this item again.`,
				};
			}
			if (isNoRightsRefusal(failure)) {
				return {
					message: `amoCRM refused the ${context.subject}: the user who connected the integration has no rights for this, or the account's subscription ended`,
					description: `amoCRM said: "${failure.problem?.detail ?? ''}" (its error code 244: no rights). amoCRM named no field, so no value in this node is the cause. In amoCRM check Settings > Users: the user who connected the integration needs the right to do this with ${context.subject}s; and check that the account is paid. Then run again.`,
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
				description:
					'amoCRM named no field and no item, so this node cannot point at a value. If its answer above does not say what to change, ask amoCRM support with that text.',
			};
		}
		case 401:
			if (isNoAccountRefusal(failure)) {
				return {
					message: `There is no amoCRM account at ${context.accountUrl}: check the Subdomain`,
					description: `amoCRM answered 401 with its code 101 (no such account). ${SUBDOMAIN_HINT} Reconnecting does not help while the address is wrong.`,
				};
			}
			if (context.firstUse) {
				return {
					message:
						'amoCRM rejected the request: check the Subdomain, then reconnect the credential',
					description: `This credential has not worked yet in this n8n, so the account's address may be wrong (amoCRM answers a request to an account that does not exist with 401 too). ${SUBDOMAIN_HINT} If they are right: ${reconnectHint(context)}`,
				};
			}
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
			if (context.forbidden && failure.problem !== undefined) {
				return {
					message: context.forbidden.message,
					description: `${context.forbidden.description} amoCRM said: ${detailOf(failure)}.`,
				};
			}
			// amoCRM lists users for administrators only (crm_platform/users-api;
			// amocrm/amocrm-api-php#86, amoCRM's maintainer: "There is no way to get users without admin rights").
			// An HTML 403 is amoCRM's block page (amocrm/amocrm-api-php#434), not a missing right.
			if (context.subject === 'user list' && failure.problem !== undefined) {
				return {
					message:
						'Only amoCRM administrators can list users: choose the user by ID, or connect the integration as an administrator',
					description: `amoCRM said: ${detailOf(failure)}. The user who connected the integration is not an administrator of the account, so amoCRM refuses its user list. Switch the field to an expression and enter the user's ID (in amoCRM: Settings > Users, the number in the user's address), or reconnect the credential as an administrator. If every other list fails with 403 too, amoCRM has blocked API access to the account after too many requests: only amoCRM support can lift that.`,
				};
			}
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
					description: `${sentence(detailOf(failure))}${retried}`,
				};
			}
			return { message: `amoCRM answered HTTP ${status}`, description: detailOf(failure) };
	}
}

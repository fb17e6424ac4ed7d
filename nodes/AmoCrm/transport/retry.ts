import type { IHttpRequestMethods } from 'n8n-workflow';

import type { HttpFailure } from './errors';

/**
 * When to send a request again, and after how long.
 * - 429: amoCRM did not process the request, so any method is retried after
 *   `retry_after` / `Retry-After` (capped) or an exponential backoff with jitter.
 * - 5xx, timeouts, connection errors: only reads. A create whose answer was lost may
 *   have happened; sending it again could make a second deal.
 * - 403 never: amoCRM escalates repeated offences into an account block.
 */
export const MAX_RATE_LIMIT_ATTEMPTS = 6;
export const MAX_READ_ATTEMPTS = 3;
export const MAX_RETRY_AFTER_MS = 30_000;
const BASE_BACKOFF_MS = 500;

const TRANSIENT_NETWORK_CODES = ['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'EAI_AGAIN', 'ECONNREFUSED'];

export function isTransientFailure(failure: HttpFailure): boolean {
	if (failure.status !== undefined) return failure.status >= 500 && failure.status <= 599;
	return failure.code !== undefined && TRANSIENT_NETWORK_CODES.includes(failure.code);
}

function retryAfterMs(failure: HttpFailure): number | undefined {
	const fromBody = failure.problem?.retry_after;
	const header = failure.headers?.['retry-after'];
	const seconds = typeof fromBody === 'number' ? fromBody : header !== undefined ? Number(header) : NaN;
	return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds * 1000, MAX_RETRY_AFTER_MS) : undefined;
}

function backoffMs(attempt: number, random: () => number): number {
	const base = BASE_BACKOFF_MS * 2 ** (attempt - 1);
	return Math.min(base + Math.floor(random() * base), MAX_RETRY_AFTER_MS);
}

/** Milliseconds to wait before attempt `attempt + 1`, or undefined to give up. */
export function retryDelayMs(
	failure: HttpFailure,
	method: IHttpRequestMethods,
	attempt: number,
	random: () => number = Math.random,
): number | undefined {
	if (failure.status === 429) {
		if (attempt >= MAX_RATE_LIMIT_ATTEMPTS) return undefined;
		return retryAfterMs(failure) ?? backoffMs(attempt, random);
	}
	if (method === 'GET' && isTransientFailure(failure) && attempt < MAX_READ_ATTEMPTS) {
		return backoffMs(attempt, random);
	}
	return undefined;
}

import type { IHttpRequestMethods } from 'n8n-workflow';

import { askedWaitSeconds, MAX_WAIT_SECONDS } from './errors';
import type { HttpFailure } from './errors';

/**
 * When to send a request again, and after how long.
 * - 429: amoCRM did not process the request, so any method is retried, never before the
 *   time amoCRM asked for (`retry_after` / `Retry-After`), else after an exponential backoff
 *   with jitter. A wait longer than MAX_WAIT_SECONDS stops at once: coming back early is
 *   what amoCRM escalates into a block of the whole account.
 * - 5xx, timeouts, connection errors: only reads. A create whose answer was lost may
 *   have happened; sending it again could make a second deal.
 * - 403 never: amoCRM escalates repeated offences into an account block.
 */
export const MAX_RATE_LIMIT_ATTEMPTS = 6;
export const MAX_READ_ATTEMPTS = 3;
export const MAX_WAIT_MS = MAX_WAIT_SECONDS * 1000;
const BASE_BACKOFF_MS = 500;

const TRANSIENT_NETWORK_CODES = [
	'ECONNRESET',
	'ETIMEDOUT',
	'ECONNABORTED',
	'EPIPE',
	'EAI_AGAIN',
	'ECONNREFUSED',
];

export function isTransientFailure(failure: HttpFailure): boolean {
	if (failure.status !== undefined) return failure.status >= 500 && failure.status <= 599;
	return failure.code !== undefined && TRANSIENT_NETWORK_CODES.includes(failure.code);
}

function backoffMs(attempt: number, random: () => number): number {
	const base = BASE_BACKOFF_MS * 2 ** (attempt - 1);
	return Math.min(base + Math.floor(random() * base), MAX_WAIT_MS);
}

/** Milliseconds to wait before attempt `attempt + 1`, or undefined to give up. */
export function retryDelayMs(
	failure: HttpFailure,
	method: IHttpRequestMethods,
	attempt: number,
	random: () => number = Math.random,
): number | undefined {
	if (failure.status === 429) {
		const asked = askedWaitSeconds(failure);
		if (asked !== undefined && asked > MAX_WAIT_SECONDS) return undefined;
		if (attempt >= MAX_RATE_LIMIT_ATTEMPTS) return undefined;
		return asked !== undefined ? Math.ceil(asked * 1000) : backoffMs(attempt, random);
	}
	if (method === 'GET' && isTransientFailure(failure) && attempt < MAX_READ_ATTEMPTS) {
		return backoffMs(attempt, random);
	}
	return undefined;
}

import type { HttpFailure } from '../../../../nodes/AmoCrm/transport/errors';
import {
	MAX_RATE_LIMIT_ATTEMPTS,
	MAX_READ_ATTEMPTS,
	retryDelayMs,
} from '../../../../nodes/AmoCrm/transport/retry';

const failure = (extra: Partial<HttpFailure>): HttpFailure => ({
	tokenRefresh: false,
	message: 'failed',
	...extra,
});
const noJitter = () => 0;

describe('retry policy', () => {
	it('waits what amoCRM asks for in retry_after on a 429', () => {
		expect(
			retryDelayMs(failure({ status: 429, problem: { retry_after: 2 } }), 'POST', 1, noJitter),
		).toBe(2000);
	});

	it('reads the Retry-After header when the body has no retry_after', () => {
		expect(
			retryDelayMs(failure({ status: 429, headers: { 'retry-after': '3' } }), 'POST', 1, noJitter),
		).toBe(3000);
	});

	it('never comes back before the time amoCRM asked for: a wait longer than 30 s stops at once', () => {
		expect(
			retryDelayMs(failure({ status: 429, problem: { retry_after: 30 } }), 'GET', 1, noJitter),
		).toBe(30_000);
		expect(
			retryDelayMs(failure({ status: 429, problem: { retry_after: 31 } }), 'GET', 1, noJitter),
		).toBeUndefined();
		expect(
			retryDelayMs(failure({ status: 429, problem: { retry_after: 300 } }), 'POST', 1, noJitter),
		).toBeUndefined();
		expect(
			retryDelayMs(
				failure({ status: 429, headers: { 'retry-after': '300' } }),
				'POST',
				1,
				noJitter,
			),
		).toBeUndefined();
	});

	it('reads a Retry-After header given as a date', () => {
		const inTwoMinutes = new Date(Date.now() + 120_000).toUTCString();
		expect(
			retryDelayMs(
				failure({ status: 429, headers: { 'retry-after': inTwoMinutes } }),
				'POST',
				1,
				noJitter,
			),
		).toBeUndefined();
	});

	it('backs off exponentially with jitter when amoCRM gives no delay', () => {
		expect(
			retryDelayMs(failure({ status: 429, text: 'Too Many Requests' }), 'POST', 1, noJitter),
		).toBe(500);
		expect(retryDelayMs(failure({ status: 429 }), 'POST', 3, noJitter)).toBe(2000);
		expect(retryDelayMs(failure({ status: 429 }), 'POST', 3, () => 0.5)).toBe(3000);
	});

	it('gives up on 429 after the last attempt', () => {
		expect(
			retryDelayMs(failure({ status: 429 }), 'POST', MAX_RATE_LIMIT_ATTEMPTS, noJitter),
		).toBeUndefined();
	});

	it('retries reads after a 5xx or a connection error', () => {
		expect(retryDelayMs(failure({ status: 502 }), 'GET', 1, noJitter)).toBe(500);
		expect(retryDelayMs(failure({ code: 'ECONNRESET' }), 'GET', 2, noJitter)).toBe(1000);
		expect(
			retryDelayMs(failure({ status: 500 }), 'GET', MAX_READ_ATTEMPTS, noJitter),
		).toBeUndefined();
	});

	it('never re-sends a create after a 5xx or a lost answer', () => {
		expect(retryDelayMs(failure({ status: 500 }), 'POST', 1, noJitter)).toBeUndefined();
		expect(retryDelayMs(failure({ code: 'ECONNRESET' }), 'POST', 1, noJitter)).toBeUndefined();
		expect(retryDelayMs(failure({ code: 'ETIMEDOUT' }), 'PATCH', 1, noJitter)).toBeUndefined();
	});

	it('never retries a 403, which amoCRM escalates into a block', () => {
		expect(retryDelayMs(failure({ status: 403 }), 'GET', 1, noJitter)).toBeUndefined();
	});

	it('does not retry client errors', () => {
		for (const status of [400, 401, 402, 404])
			expect(retryDelayMs(failure({ status }), 'GET', 1, noJitter)).toBeUndefined();
	});
});

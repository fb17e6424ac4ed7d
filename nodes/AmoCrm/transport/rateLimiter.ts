import { sleep } from 'n8n-workflow';

/**
 * A sliding-window limiter per amoCRM account, shared by every execution in this n8n
 * process (module state). amoCRM allows 7 requests per second and answers 429, then
 * blocks the account (403 on everything), when pushed repeatedly.
 *
 * A request is stamped right before it is handed to n8n's HTTP helper; it reaches amoCRM
 * a few milliseconds later, after credential decryption and connection set-up. Those
 * delays vary, so two stamps exactly one second apart could arrive less than a second
 * apart: the window is widened by a margin.
 */
export const WINDOW_MS = 1000;
export const ARRIVAL_MARGIN_MS = 60;
export const DEFAULT_REQUESTS_PER_SECOND = 7;

const sent = new Map<string, number[]>();

export interface Clock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

const realClock: Clock = { now: () => Date.now(), sleep: async (ms) => await sleep(ms) };

/** Waits until one more request fits the account's budget, then books it. */
export async function waitForSlot(
	accountKey: string,
	requestsPerSecond: number,
	clock: Clock = realClock,
): Promise<void> {
	const budget = Math.max(1, Math.floor(requestsPerSecond) || DEFAULT_REQUESTS_PER_SECOND);
	const window = WINDOW_MS + ARRIVAL_MARGIN_MS;
	for (;;) {
		const now = clock.now();
		const stamps = (sent.get(accountKey) ?? []).filter((stamp) => stamp > now - window);
		if (stamps.length < budget) {
			stamps.push(now);
			sent.set(accountKey, stamps);
			return;
		}
		sent.set(accountKey, stamps);
		// Checking again after the wait (rather than booking the future slot now) keeps
		// concurrent waiters from all waking into the same slot.
		await clock.sleep(Math.max(1, stamps[stamps.length - budget] + window - now));
	}
}

/** For tests: forget every account's history. */
export function resetRateLimiter(): void {
	sent.clear();
}

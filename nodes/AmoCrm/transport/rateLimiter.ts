import { sleep } from 'n8n-workflow';

/**
 * A rate limiter per amoCRM account, shared by every execution in this n8n process (module
 * state). amoCRM allows 7 requests per second and answers 429, then blocks the account (403
 * on everything), when pushed repeatedly. What counts is when requests ARRIVE at amoCRM.
 *
 * We cannot see the arrival: between our hand-over to n8n's HTTP helper and the arrival lie
 * credential decryption, connection and TLS set-up, all of varying length. What we do know is
 * that a request arrives after it was handed over (`start`) and before its answer came back
 * (`end`). So each request holds its slot from its start until one window after its end (and
 * for as long as it is in flight). A new request goes only when fewer than the budget hold a
 * slot. That is enough, whatever the delays: of the requests arriving within any one window,
 * the one started last found all the others still holding their slots (each arrived, so was
 * started, before it; each ended after its own arrival, less than a window before the last
 * one's arrival, which follows that one's start).
 *
 * The price is the round trip: a sequential flow against an amoCRM that answers in 150 ms
 * gets about 7 requests per 1.15 s instead of 7 per second.
 */
export const WINDOW_MS = 1000;
/** Timer and clock granularity (Date.now() has whole milliseconds; timers fire late, not early). */
export const CLOCK_MARGIN_MS = 5;
export const DEFAULT_REQUESTS_PER_SECOND = 7;

interface Slot {
	start: number;
	/** When the answer came back; undefined while the request is in flight. */
	end?: number;
}

const slots = new Map<string, Slot[]>();

export interface Clock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

const realClock: Clock = { now: () => Date.now(), sleep: async (ms) => await sleep(ms) };

/** Call when the request's answer (or failure) came back. Calling it again does nothing. */
export type ReleaseSlot = () => void;

/**
 * Waits until one more request fits the account's budget, then books it. The request holds
 * its slot until `release()` is called and one window after that.
 */
export async function waitForSlot(
	accountKey: string,
	requestsPerSecond: number,
	clock: Clock = realClock,
): Promise<ReleaseSlot> {
	const budget = Math.max(1, Math.floor(requestsPerSecond) || DEFAULT_REQUESTS_PER_SECOND);
	const hold = WINDOW_MS + CLOCK_MARGIN_MS;
	for (;;) {
		const now = clock.now();
		const held = (slots.get(accountKey) ?? []).filter(
			(slot) => slot.end === undefined || slot.end + hold > now,
		);
		slots.set(accountKey, held);
		if (held.length < budget) {
			const slot: Slot = { start: now };
			held.push(slot);
			return () => {
				slot.end ??= clock.now();
			};
		}
		// The earliest moment a slot can free: when the first finished request's hold ends. A
		// request still in flight holds its slot for at least a whole window from now.
		const frees = held
			.filter((slot) => slot.end !== undefined)
			.map((slot) => (slot.end as number) + hold - now);
		// Checking again after the wait (rather than booking the future slot now) keeps
		// concurrent waiters from all waking into the same slot.
		await clock.sleep(Math.max(1, frees.length > 0 ? Math.min(...frees) : hold));
	}
}

/** Until when (ms since epoch) amoCRM asked each account to send nothing (a 429 with a wait). */
const pauses = new Map<string, number>();

/** amoCRM asked the account to wait: no request of this n8n process goes to it before `until`. */
export function pauseAccount(accountKey: string, until: number): void {
	pauses.set(accountKey, Math.max(pauses.get(accountKey) ?? 0, until));
}

/** Milliseconds left of the account's pause (0 when none). */
export function pauseLeftMs(accountKey: string, now: number = Date.now()): number {
	const until = pauses.get(accountKey);
	if (until === undefined) return 0;
	if (until <= now) pauses.delete(accountKey);
	return Math.max(0, until - now);
}

/** For tests: forget every account's history. */
export function resetRateLimiter(): void {
	slots.clear();
	pauses.clear();
}

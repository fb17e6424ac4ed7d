import {
	CLOCK_MARGIN_MS,
	resetRateLimiter,
	waitForSlot,
	WINDOW_MS,
} from '../../../../nodes/AmoCrm/transport/rateLimiter';
import type { Clock } from '../../../../nodes/AmoCrm/transport/rateLimiter';

const HOLD = WINDOW_MS + CLOCK_MARGIN_MS;

/** A clock that only moves when someone sleeps, so the limiter's timing is exact (one caller at a time). */
function fakeClock(): Clock {
	let now = 1_000_000;
	return {
		now: () => now,
		sleep: async (ms: number) => {
			now += ms;
		},
	};
}

/**
 * A virtual clock for many concurrent callers: sleeps are timers, and `run` moves time to
 * the next timer only once every promise chain has settled.
 */
function virtualClock(): Clock & { run(until: () => boolean): Promise<void> } {
	let now = 0;
	const timers: Array<{ at: number; wake: () => void }> = [];
	const settle = async () => {
		for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
	};
	return {
		now: () => now,
		sleep: async (ms: number) =>
			await new Promise<void>((wake) => timers.push({ at: now + ms, wake })),
		async run(until) {
			await settle();
			while (!until()) {
				if (timers.length === 0) throw new Error('deadlock: nobody is waiting for time to pass');
				timers.sort((a, b) => a.at - b.at);
				const next = timers.shift()!;
				now = Math.max(now, next.at);
				next.wake();
				await settle();
			}
		},
	};
}

function maxInAnyWindow(stamps: number[], windowMs: number): number {
	return Math.max(
		...stamps.map(
			(start) => stamps.filter((stamp) => stamp >= start && stamp < start + windowMs).length,
		),
	);
}

/** Deterministic "random" numbers in [0, 1). */
function seeded(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state * 1103515245 + 12345) % 2147483648;
		return state / 2147483648;
	};
}

describe('rate limiter', () => {
	beforeEach(() => resetRateLimiter());

	it('lets the first 7 requests go at once and holds the 8th until a window after the first answer', async () => {
		const clock = fakeClock();
		const start = clock.now();
		const stamps: number[] = [];
		for (let i = 0; i < 8; i++) {
			const release = await waitForSlot('account-a', 7, clock);
			stamps.push(clock.now());
			release();
		}
		expect(stamps.slice(0, 7)).toEqual(Array(7).fill(start));
		expect(stamps[7]).toBe(start + HOLD);
	});

	it('never books more than the budget in any second over a long run', async () => {
		const clock = fakeClock();
		const stamps: number[] = [];
		for (let i = 0; i < 100; i++) {
			const release = await waitForSlot('account-b', 7, clock);
			stamps.push(clock.now());
			release();
		}
		expect(maxInAnyWindow(stamps, HOLD)).toBe(7);
	});

	it('keeps a slot held while its request is in flight', async () => {
		const clock = virtualClock();
		const releases = await Promise.all(
			Array.from({ length: 7 }, async () => await waitForSlot('account-f', 7, clock)),
		);
		let eighthAt: number | undefined;
		void waitForSlot('account-f', 7, clock).then(() => (eighthAt = clock.now()));
		// The first answer comes back after 300 ms, the others much later.
		void clock.sleep(300).then(() => releases[0]());
		void clock.sleep(5000).then(() => releases.slice(1).forEach((release) => release()));
		await clock.run(() => eighthAt !== undefined);
		expect(eighthAt).toBe(300 + HOLD);
	});

	it('keeps any second at amoCRM within budget, however long requests take to arrive and to be answered', async () => {
		// 10 executions x 30 requests each. Between the hand-over to n8n and the arrival at
		// amoCRM lie 0 to 400 ms (credential lookup, TLS); the answer takes 20 to 300 ms more.
		// The previous limiter (stamped at hand-over, 60 ms margin) let 12 arrive within one second here.
		const clock = virtualClock();
		const random = seeded(42);
		const arrivals: number[] = [];
		let finished = 0;
		const execution = async () => {
			for (let i = 0; i < 30; i++) {
				const release = await waitForSlot('account-g', 7, clock);
				await clock.sleep(Math.floor(random() * 400));
				arrivals.push(clock.now());
				await clock.sleep(20 + Math.floor(random() * 280));
				release();
			}
			finished++;
		};
		for (let e = 0; e < 10; e++) void execution();
		await clock.run(() => finished === 10);
		expect(arrivals).toHaveLength(300);
		expect(maxInAnyWindow(arrivals, WINDOW_MS)).toBeLessThanOrEqual(7);
		// ...and it still goes at close to the limit: 300 requests in well under a minute.
		expect(clock.now()).toBeLessThan(60_000);
	});

	it('keeps separate budgets per account', async () => {
		const clock = fakeClock();
		const start = clock.now();
		for (let i = 0; i < 7; i++) (await waitForSlot('account-c', 7, clock))();
		await waitForSlot('account-d', 7, clock);
		expect(clock.now()).toBe(start);
	});

	it('uses a lower budget when the credential asks for one', async () => {
		const clock = fakeClock();
		const start = clock.now();
		for (let i = 0; i < 4; i++) (await waitForSlot('account-e', 3, clock))();
		expect(clock.now()).toBe(start + HOLD);
	});
});

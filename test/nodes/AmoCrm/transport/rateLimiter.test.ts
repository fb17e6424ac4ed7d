import { ARRIVAL_MARGIN_MS, resetRateLimiter, waitForSlot, WINDOW_MS } from '../../../../nodes/AmoCrm/transport/rateLimiter';
import type { Clock } from '../../../../nodes/AmoCrm/transport/rateLimiter';

/** A clock that only moves when someone sleeps, so the limiter's timing is exact. */
function fakeClock(): Clock & { sent: number[] } {
	let now = 1_000_000;
	return {
		sent: [],
		now: () => now,
		sleep: async (ms: number) => {
			now += ms;
		},
	};
}

function maxInAnyWindow(stamps: number[], windowMs: number): number {
	return Math.max(...stamps.map((start) => stamps.filter((stamp) => stamp >= start && stamp < start + windowMs).length));
}

describe('rate limiter', () => {
	beforeEach(() => resetRateLimiter());

	it('lets the first 7 requests go at once and holds the 8th until the window has passed', async () => {
		const clock = fakeClock();
		const start = clock.now();
		const stamps: number[] = [];
		for (let i = 0; i < 8; i++) {
			await waitForSlot('account-a', 7, clock);
			stamps.push(clock.now());
		}
		expect(stamps.slice(0, 7)).toEqual(Array(7).fill(start));
		expect(stamps[7]).toBe(start + WINDOW_MS + ARRIVAL_MARGIN_MS);
	});

	it('never books more than the budget in any second over a long run', async () => {
		const clock = fakeClock();
		const stamps: number[] = [];
		for (let i = 0; i < 100; i++) {
			await waitForSlot('account-b', 7, clock);
			stamps.push(clock.now());
		}
		expect(maxInAnyWindow(stamps, WINDOW_MS + ARRIVAL_MARGIN_MS)).toBe(7);
	});

	it('keeps separate budgets per account', async () => {
		const clock = fakeClock();
		const start = clock.now();
		for (let i = 0; i < 7; i++) await waitForSlot('account-c', 7, clock);
		await waitForSlot('account-d', 7, clock);
		expect(clock.now()).toBe(start);
	});

	it('uses a lower budget when the credential asks for one', async () => {
		const clock = fakeClock();
		const start = clock.now();
		for (let i = 0; i < 4; i++) await waitForSlot('account-e', 3, clock);
		expect(clock.now()).toBe(start + WINDOW_MS + ARRIVAL_MARGIN_MS);
	});
});

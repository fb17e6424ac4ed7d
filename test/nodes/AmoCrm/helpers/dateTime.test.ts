import {
	isoFromUnix,
	parseDateTime,
	secondsAfter,
} from '../../../../nodes/AmoCrm/helpers/dateTime';

const at = (iso: string) => Date.parse(iso);

describe('parseDateTime', () => {
	it("reads a date picker's value (no zone) in the workflow's time zone", () => {
		expect(parseDateTime('2026-12-01T15:30:00', 'Asia/Tashkent')).toBe(at('2026-12-01T10:30:00Z'));
		expect(parseDateTime('2026-12-01T15:30', 'UTC')).toBe(at('2026-12-01T15:30:00Z'));
		expect(parseDateTime('2026-12-01 15:30:00.250', 'Europe/Moscow')).toBe(
			at('2026-12-01T12:30:00.250Z'),
		);
		expect(parseDateTime('2026-12-01', 'Asia/Tashkent')).toBe(at('2026-11-30T19:00:00Z'));
	});

	it('follows daylight saving time of the zone at that date', () => {
		expect(parseDateTime('2026-07-01T12:00:00', 'Europe/Berlin')).toBe(at('2026-07-01T10:00:00Z'));
		expect(parseDateTime('2026-12-01T12:00:00', 'Europe/Berlin')).toBe(at('2026-12-01T11:00:00Z'));
	});

	it('keeps the zone a value names', () => {
		expect(parseDateTime('2026-12-01T15:30:00+05:00', 'Europe/Berlin')).toBe(
			at('2026-12-01T10:30:00Z'),
		);
		expect(parseDateTime('2026-12-01T15:30:00Z', 'Asia/Tashkent')).toBe(at('2026-12-01T15:30:00Z'));
		expect(parseDateTime('2026-12-01T15:30:00-0330', 'UTC')).toBe(at('2026-12-01T19:00:00Z'));
		expect(parseDateTime('Tue, 01 Dec 2026 10:30:00 GMT', 'Asia/Tashkent')).toBe(
			at('2026-12-01T10:30:00Z'),
		);
	});

	it('takes unix seconds, milliseconds, a Date and a Luxon-like DateTime', () => {
		expect(parseDateTime(1796113800, 'UTC')).toBe(1796113800_000);
		expect(parseDateTime('1796113800', 'UTC')).toBe(1796113800_000);
		expect(parseDateTime(1796113800_000, 'UTC')).toBe(1796113800_000);
		expect(parseDateTime(new Date(1796113800_000), 'UTC')).toBe(1796113800_000);
		expect(parseDateTime({ toMillis: () => 1796113800_000 }, 'UTC')).toBe(1796113800_000);
	});

	it('names no moment for what is not a date', () => {
		for (const value of [
			'tomorrow',
			'2026-02-30T10:00',
			'2026-12-01T25:00',
			'',
			0,
			-5,
			{},
			null,
			true,
		])
			expect(parseDateTime(value, 'UTC')).toBeUndefined();
		expect(parseDateTime('12/01/2026 10:00', 'UTC')).toBeUndefined();
		expect(parseDateTime(new Date('nonsense'), 'UTC')).toBeUndefined();
	});

	it('reads a time without zone as UTC when the time zone is unknown', () => {
		expect(parseDateTime('2026-12-01T15:30', 'Nowhere/Atlantis')).toBe(at('2026-12-01T15:30:00Z'));
	});
});

describe('secondsAfter and isoFromUnix', () => {
	it('adds minutes, hours and days to now, in unix seconds', () => {
		const now = at('2026-11-28T07:00:00.400Z');
		expect(secondsAfter(now, 15, 'minutes')).toBe(at('2026-11-28T07:15:00Z') / 1000);
		expect(secondsAfter(now, 1.5, 'hours')).toBe(at('2026-11-28T08:30:00Z') / 1000);
		expect(secondsAfter(now, 2, 'days')).toBe(at('2026-11-30T07:00:00Z') / 1000);
	});

	it('writes unix seconds as ISO (UTC)', () => {
		expect(isoFromUnix(1796113800)).toBe('2026-12-01T08:30:00.000Z');
	});
});

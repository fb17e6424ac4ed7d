/**
 * Dates as users give them in n8n: a date picker's value ("2026-12-01T15:30:00", no zone: the
 * workflow's time zone), an ISO string with a zone, a unix timestamp, a JS Date, or a Luxon
 * DateTime from an expression such as {{ $now.plus(2, 'hours') }}.
 */

export type DurationUnit = 'minutes' | 'hours' | 'days';

export const SECONDS_PER_UNIT: Record<DurationUnit, number> = {
	minutes: 60,
	hours: 60 * 60,
	days: 24 * 60 * 60,
};

/** Unix seconds `amount` units after `nowMs`. */
export function secondsAfter(nowMs: number, amount: number, unit: DurationUnit): number {
	return Math.round(nowMs / 1000 + amount * SECONDS_PER_UNIT[unit]);
}

// 2026-12-01, 2026-12-01T15:30, 2026-12-01 15:30:00.000, with an optional Z or +05:00.
const ISO_LIKE =
	/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** How far the wall clock in `timeZone` is ahead of UTC at the moment `utcMs`, in ms. */
function zoneOffsetMs(utcMs: number, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(utcMs));
	const part = (type: string) => Number(parts.find((entry) => entry.type === type)?.value);
	const wallClock = Date.UTC(
		part('year'),
		part('month') - 1,
		part('day'),
		part('hour'),
		part('minute'),
		part('second'),
	);
	return wallClock - Math.floor(utcMs / 1000) * 1000;
}

/** The moment a wall-clock time in `timeZone` names (an unknown zone counts as UTC). */
function wallClockToUtc(wallClockMs: number, timeZone: string): number {
	try {
		const first = wallClockMs - zoneOffsetMs(wallClockMs, timeZone);
		// Near a daylight-saving change the offset at the result may differ from the first guess.
		return wallClockMs - zoneOffsetMs(first, timeZone);
	} catch {
		return wallClockMs;
	}
}

function fromNumber(value: number): number | undefined {
	if (!Number.isFinite(value) || value <= 0) return undefined;
	// Unix seconds until the year 5138; milliseconds after that.
	return value < 1e11 ? value * 1000 : value;
}

/**
 * The moment (ms since the epoch) a date value names, or undefined when it names none. A date
 * and time without a zone is read in `timeZone` (the workflow's).
 */
export function parseDateTime(value: unknown, timeZone: string): number | undefined {
	if (typeof value === 'number') return fromNumber(value);
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
	if (value !== null && typeof value === 'object') {
		const toMillis = (value as { toMillis?: unknown }).toMillis;
		if (typeof toMillis === 'function') {
			const ms = Number(toMillis.call(value));
			return Number.isFinite(ms) ? ms : undefined;
		}
		return undefined;
	}
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	if (/^\d+$/.test(text)) return fromNumber(Number(text));
	const match = ISO_LIKE.exec(text);
	if (!match) {
		// Other written forms with a zone, e.g. "Tue, 01 Dec 2026 10:30:00 GMT".
		const parsed = Date.parse(text);
		return /(gmt|utc|z|[+-]\d{2}:?\d{2})\s*(\(.*\))?$/i.test(text) && !Number.isNaN(parsed)
			? parsed
			: undefined;
	}
	const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '0', zone] = match;
	const numbers = [year, month, day, hour, minute, second].map(Number);
	const wallClock = Date.UTC(
		numbers[0],
		numbers[1] - 1,
		numbers[2],
		numbers[3],
		numbers[4],
		numbers[5],
		Number(fraction.padEnd(3, '0')),
	);
	// Date.UTC rolls 2026-02-30 over into March: such a date is not one.
	const check = new Date(wallClock);
	if (
		check.getUTCFullYear() !== numbers[0] ||
		check.getUTCMonth() !== numbers[1] - 1 ||
		check.getUTCDate() !== numbers[2] ||
		check.getUTCHours() !== numbers[3] ||
		check.getUTCMinutes() !== numbers[4] ||
		check.getUTCSeconds() !== numbers[5]
	)
		return undefined;
	if (zone === undefined) return wallClockToUtc(wallClock, timeZone);
	if (zone.toUpperCase() === 'Z') return wallClock;
	const sign = zone.startsWith('-') ? -1 : 1;
	const digits = zone.slice(1).replace(':', '');
	const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4));
	return wallClock - sign * offsetMinutes * 60_000;
}

/** Unix seconds as an ISO string (UTC). */
export function isoFromUnix(seconds: number): string {
	return new Date(seconds * 1000).toISOString();
}

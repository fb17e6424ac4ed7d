import type { CustomFieldValue } from '../transport/types';

/**
 * Custom field values as amoCRM answers them (`custom_fields_values`), made readable for an
 * output item: field name → value (a list when the field holds several), list choices by their
 * text, dates as ISO timestamps (amoCRM keeps a date as the moment its day starts in the
 * account's time zone, so the UTC time shown may fall on the evening before).
 */
export function readableCustomFields(
	values: CustomFieldValue[] | null | undefined,
	skipCodes: string[] = [],
): Record<string, unknown> {
	const readable: Record<string, unknown> = {};
	for (const field of values ?? []) {
		if (field.field_code && skipCodes.includes(field.field_code)) continue;
		const items = (field.values ?? []).map((item) => readableValue(field.field_type, item.value));
		const name = field.field_name ?? `Field ${field.field_id ?? field.field_code}`;
		const key = name in readable ? `${name} (${field.field_id ?? field.field_code})` : name;
		readable[key] = items.length === 1 ? items[0] : items;
	}
	return readable;
}

function readableValue(type: string | undefined, value: unknown): unknown {
	if (type === 'date' || type === 'birthday' || type === 'date_time') {
		const seconds = typeof value === 'number' ? value : Number(value);
		if (typeof value !== 'boolean' && value !== '' && Number.isFinite(seconds)) {
			return new Date(seconds * 1000).toISOString();
		}
	}
	return value ?? null;
}

/** A Unix timestamp in seconds (as amoCRM gives dates) as an ISO timestamp, or null. */
export function isoTime(seconds: number | null | undefined): string | null {
	return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0
		? new Date(seconds * 1000).toISOString()
		: null;
}

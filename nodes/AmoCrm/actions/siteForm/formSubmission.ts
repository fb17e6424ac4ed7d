import type { IDataObject } from 'n8n-workflow';

import { normaliseEmail } from '../../helpers/email';
import { hasCountryCode } from '../../helpers/phone';
import { checkPhone } from '../../helpers/phoneCheck';

/**
 * A site form's post read into a lead: the known fields by their configured names, every other
 * field kept as sent, and for each field that is wrong what to fix. Pure, so each rule is tested
 * directly; the operation (readSubmission.operation.ts) adds the account's country.
 */
export const KNOWN_FIELDS = ['name', 'phone', 'email', 'source', 'message', 'productId'] as const;
export type KnownField = (typeof KNOWN_FIELDS)[number];

/** Longest text kept per field (characters), so a public form cannot fill the table. */
export const MAX_LENGTH: Record<KnownField, number> = {
	name: 200,
	phone: 40,
	email: 254,
	source: 200,
	message: 4000,
	productId: 100,
};
export const MAX_OTHER_LENGTH = 1000;
export const MAX_OTHER_FIELDS = 50;

export const ACCEPTED_TYPES = [
	'application/json',
	'application/x-www-form-urlencoded',
	'multipart/form-data',
];

export interface FormRead {
	errors: Record<string, string>;
	known: Record<KnownField, string>;
	fields: Record<string, string>;
}

/** "Product ID", "product_id" and "productId" are one name: case, spaces, dashes and underscores aside. */
export function fieldKey(name: string): string {
	return name.toLowerCase().replace(/[\s_-]/g, '');
}

/** "name, full_name" -> ['name', 'full_name']; empty: the field's own name. */
export function namesOf(field: KnownField, typed: unknown): string[] {
	const names = String(typed ?? '')
		.split(',')
		.map((name) => name.trim())
		.filter((name) => name !== '');
	return names.length > 0 ? names : [field];
}

/** A form value as trimmed text without control characters; undefined when it is not text. */
function text(value: unknown): string | undefined {
	if (Array.isArray(value)) {
		// Check boxes with one name arrive as a list.
		const parts = value.map(text);
		return parts.every((part) => part !== undefined) ? parts.join(', ') : undefined;
	}
	if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
		return undefined;
	return String(value)
		.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
		.trim();
}

/**
 * Reads the form's fields. `contentType`: the request's Content-Type header ('' when not known:
 * not checked). `names`: the form field names that feed each known field.
 */
export function readFormFields(
	body: unknown,
	contentType: string,
	names: Record<KnownField, string[]>,
	required: KnownField[],
): FormRead {
	const errors: Record<string, string> = {};
	const known = Object.fromEntries(KNOWN_FIELDS.map((field) => [field, ''])) as Record<
		KnownField,
		string
	>;
	const fields: Record<string, string> = {};
	const type = contentType.split(';')[0].trim().toLowerCase();
	if (type !== '' && !ACCEPTED_TYPES.includes(type)) {
		errors['Content-Type'] =
			`send the form as application/json, application/x-www-form-urlencoded or multipart/form-data, not ${type}`;
		return { errors, known, fields };
	}
	if (body === null || typeof body !== 'object' || Array.isArray(body)) {
		errors.body = 'send the form fields (a JSON object or form fields)';
		return { errors, known, fields };
	}
	const owner = new Map<string, KnownField>();
	for (const field of KNOWN_FIELDS)
		for (const name of names[field])
			if (!owner.has(fieldKey(name))) owner.set(fieldKey(name), field);

	for (const [key, value] of Object.entries(body as IDataObject)) {
		const field = owner.get(fieldKey(key));
		if (value === undefined || value === null) continue;
		const typed = text(value);
		if (field !== undefined) {
			// The first non-empty form field of its names wins; an error stays with the known field.
			if (known[field] !== '' || errors[field] !== undefined) continue;
			if (typed === undefined) errors[field] = 'send a single text value';
			else if ([...typed].length > MAX_LENGTH[field])
				errors[field] = `shorten it to ${MAX_LENGTH[field]} characters`;
			else known[field] = typed;
			continue;
		}
		if (typed === undefined) errors[key] = 'send a text value';
		else if ([...typed].length > MAX_OTHER_LENGTH)
			errors[key] = `shorten it to ${MAX_OTHER_LENGTH} characters`;
		else fields[key] = typed;
	}
	if (Object.keys(fields).length > MAX_OTHER_FIELDS) {
		errors.fields = `send at most ${MAX_OTHER_FIELDS} fields besides the known ones`;
	}
	for (const field of required)
		if (known[field] === '' && errors[field] === undefined) errors[field] = 'fill it in';
	if (known.email !== '' && errors.email === undefined && normaliseEmail(known.email) === undefined)
		errors.email = 'type an email address like name@example.com';
	return { errors, known, fields };
}

/** Whether reading this phone needs a country: typed without + or 00, and looks like a number. */
export function phoneNeedsCountry(typed: string): boolean {
	return (
		!hasCountryCode(typed) && /^[\d\s()\-./]+$/.test(typed) && typed.replace(/\D/g, '').length >= 6
	);
}

/**
 * The phone as stored: E.164 when it can be read, or, when the country that completes it is not
 * known (`country` undefined: amoCRM could not be asked), its digits as typed, for the deal's
 * sync to complete with the account's country (`phoneChecked: false`).
 */
export function readFormPhone(
	typed: string,
	country: string | undefined,
): { phone: string; phoneChecked: boolean } | { error: string } {
	if (typed === '') return { phone: '', phoneChecked: true };
	if (country === undefined && phoneNeedsCountry(typed)) {
		const digits = typed.replace(/\D/g, '');
		if (digits.length <= 15) return { phone: digits, phoneChecked: false };
	}
	const checked = checkPhone(typed, country ?? '');
	if ('problem' in checked) return { error: `${checked.problem}. ${checked.fix}` };
	return { phone: checked.phone, phoneChecked: true };
}

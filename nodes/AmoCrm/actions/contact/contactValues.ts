import type { IExecuteFunctions } from 'n8n-workflow';

import { normaliseEmail } from '../../helpers/email';
import { hasCountryCode, normalisePhone, phoneDigits } from '../../helpers/phone';
import { checkPhone } from '../../helpers/phoneCheck';
import { getAccountCountry } from '../../transport/catalog';
import type { CustomFieldValue } from '../../transport/types';
import { operationError } from '../common';

/** Phones and emails as a contact has them, read and checked once for Contact > Create and Deal > Create (New Contact). */
export interface ContactPhone {
	/** E.164, as stored: "+998712021441". */
	value: string;
	/** International digits, for comparing: "998712021441". */
	digits: string;
	type: string;
}

export interface ContactEmail {
	value: string;
	type: string;
}

/**
 * What completes phones typed without a country code: Options > Default Country Code when
 * filled (digits, e.g. "998"), else the account's own country as amoCRM reports it ("UZ"),
 * read only when one of the numbers needs it (and then remembered).
 */
export async function phoneCountry(
	context: IExecuteFunctions,
	option: string | undefined,
	typed: string[],
): Promise<string> {
	const given = String(option ?? '').trim();
	if (given !== '') return given;
	// Only for what could be a number without its country code: text that is no phone number
	// at all fails on its own, before any request.
	const needsCountry = (text: string) =>
		!hasCountryCode(text) &&
		/^[\d\s()\-./]+$/.test(text.trim()) &&
		text.replace(/\D/g, '').length >= 6;
	if (!typed.some(needsCountry)) return '';
	return await getAccountCountry.call(context);
}

/** A typed phone, or an error naming the field (`label`, e.g. "Phones, row 2"). `country`: see phoneCountry. */
export function readPhone(
	context: IExecuteFunctions,
	itemIndex: number,
	label: string,
	typed: string,
	type: string,
	country: string,
): ContactPhone {
	const value = normalisePhone(typed, country);
	const digits = phoneDigits(typed, country);
	if (value === undefined || digits === undefined) {
		throw operationError(
			context,
			itemIndex,
			`${label}: "${typed}" is not a phone number`,
			`Use 7 to 15 digits with an optional +, spaces, dashes or brackets, e.g. +998 71 202-14-41.${country === '' || hasCountryCode(typed) ? '' : ` Read with country ${country}: start a number from another country with + and its code, or set Options > Default Country Code.`}`,
		);
	}
	const checked = checkPhone(typed, country);
	if ('problem' in checked)
		throw operationError(context, itemIndex, `${label}: ${checked.problem}`, checked.fix);
	return { value, digits, type };
}

/** A typed email, or an error naming the field. */
export function readEmail(
	context: IExecuteFunctions,
	itemIndex: number,
	label: string,
	typed: string,
	type: string,
): ContactEmail {
	const value = normaliseEmail(typed);
	if (value === undefined) {
		throw operationError(
			context,
			itemIndex,
			`${label}: "${typed}" is not an email address`,
			'Use an address like name@example.com, or leave it empty.',
		);
	}
	return { value, type };
}

/** amoCRM's standard Phone and Email fields, by field code (never a hard-coded field ID). */
export function phoneAndEmailValues(
	phones: ContactPhone[],
	emails: ContactEmail[],
): CustomFieldValue[] {
	const values: CustomFieldValue[] = [];
	if (phones.length > 0)
		values.push({
			field_code: 'PHONE',
			values: phones.map((phone) => ({ value: phone.value, enum_code: phone.type })),
		});
	if (emails.length > 0)
		values.push({
			field_code: 'EMAIL',
			values: emails.map((email) => ({ value: email.value, enum_code: email.type })),
		});
	return values;
}

/**
 * The Phones and Emails rows of an item (see contactFields.ts), read and checked; empty rows
 * are skipped. `country` is what completed the phones (see phoneCountry).
 */
export async function readPhonesAndEmails(
	context: IExecuteFunctions,
	itemIndex: number,
	defaultCountryCode: string | undefined,
): Promise<{ phones: ContactPhone[]; emails: ContactEmail[]; country: string }> {
	const phoneRows = context.getNodeParameter('phones.phone', itemIndex, []) as Array<{
		number?: string;
		type?: string;
	}>;
	const emailRows = context.getNodeParameter('emails.email', itemIndex, []) as Array<{
		address?: string;
		type?: string;
	}>;
	const country = await phoneCountry(
		context,
		defaultCountryCode,
		phoneRows.map((row) => String(row.number ?? '')),
	);
	const phones: ContactPhone[] = [];
	phoneRows.forEach((row, index) => {
		const typed = String(row.number ?? '').trim();
		if (typed !== '')
			phones.push(
				readPhone(
					context,
					itemIndex,
					`Phones, row ${index + 1}`,
					typed,
					row.type ?? 'MOB',
					country,
				),
			);
	});
	const emails: ContactEmail[] = [];
	emailRows.forEach((row, index) => {
		const typed = String(row.address ?? '').trim();
		if (typed !== '')
			emails.push(
				readEmail(context, itemIndex, `Emails, row ${index + 1}`, typed, row.type ?? 'WORK'),
			);
	});
	return { phones, emails, country };
}

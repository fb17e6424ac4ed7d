import type { IExecuteFunctions } from 'n8n-workflow';

import { isSameEmail } from '../../helpers/email';
import { phoneDigits, phoneSearchQuery } from '../../helpers/phone';
import { phoneCountry } from './contactValues';
import { amoCrmApiRequest } from '../../transport/request';
import type { Contact, EmbeddedList } from '../../transport/types';

/**
 * Finding contacts by phone or email. amoCRM's `query` is a full-text search over every
 * field, so each hit is checked against the contact's PHONE / EMAIL values.
 */
const SEARCH_LIMIT = 50;

export function fieldValues(contact: Contact, code: 'PHONE' | 'EMAIL'): string[] {
	return (contact.custom_fields_values ?? [])
		.filter((field) => field.field_code === code)
		.flatMap((field) => field.values.map((value) => String(value.value ?? '')))
		.filter((value) => value !== '');
}

export async function searchContacts(
	this: IExecuteFunctions,
	query: string,
	itemIndex: number,
	limit = SEARCH_LIMIT,
): Promise<Contact[]> {
	const response = (await amoCrmApiRequest.call(this, {
		method: 'GET',
		path: 'contacts',
		qs: { query, limit },
		subject: 'contact search',
		itemIndex,
	})) as EmbeddedList<'contacts', Contact> | undefined;
	return response?._embedded?.contacts ?? [];
}

/** Contacts that have this number (international digits), however it was typed into amoCRM. */
export async function findContactsByPhone(
	this: IExecuteFunctions,
	digits: string,
	defaultCountryCode: string,
	itemIndex: number,
): Promise<Contact[]> {
	const candidates = await searchContacts.call(this, phoneSearchQuery(digits), itemIndex);
	// Numbers stored without a country code (typed by a manager) are read with the account's country.
	const stored = candidates.flatMap((contact) => fieldValues(contact, 'PHONE'));
	const country = await phoneCountry(this, defaultCountryCode, stored);
	return candidates.filter((contact) =>
		fieldValues(contact, 'PHONE').some((value) => phoneDigits(value, country) === digits),
	);
}

export async function findContactsByEmail(
	this: IExecuteFunctions,
	email: string,
	itemIndex: number,
): Promise<Contact[]> {
	const candidates = await searchContacts.call(this, email, itemIndex);
	return candidates.filter((contact) =>
		fieldValues(contact, 'EMAIL').some((value) => isSameEmail(value, email)),
	);
}

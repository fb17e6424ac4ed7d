import type { IExecuteFunctions } from 'n8n-workflow';

import { isSameEmail } from '../../helpers/email';
import { phoneDigits, phoneSearchQuery } from '../../helpers/phone';
import { phoneCountry } from './contactValues';
import { amoCrmApiRequest } from '../../transport/request';
import type { Contact, EmbeddedList } from '../../transport/types';

/**
 * Finding contacts (or companies, which keep phones and emails the same way) by phone or email.
 * amoCRM's `query` is a full-text search over every field, so each hit is checked against the
 * entity's PHONE / EMAIL values.
 */
const SEARCH_LIMIT = 50;

/** amoCRM's entities with standard Phone and Email fields. */
export type PhoneEmailEntity = 'contacts' | 'companies';

/** A contact or company as a search returns it: what the lookups read. */
export type FoundEntity = Pick<Contact, 'id' | 'name' | 'custom_fields_values'>;

const SEARCH_SUBJECT: Record<PhoneEmailEntity, string> = {
	contacts: 'contact search',
	companies: 'company search',
};

export function fieldValues(entity: FoundEntity, code: 'PHONE' | 'EMAIL'): string[] {
	return (entity.custom_fields_values ?? [])
		.filter((field) => field.field_code === code)
		.flatMap((field) => field.values.map((value) => String(value.value ?? '')))
		.filter((value) => value !== '');
}

/** amoCRM's full-text search over one entity (`GET /api/v4/<entity>?query=`). */
export async function searchEntities(
	this: IExecuteFunctions,
	entity: PhoneEmailEntity,
	query: string,
	itemIndex: number,
	limit = SEARCH_LIMIT,
): Promise<FoundEntity[]> {
	const response = (await amoCrmApiRequest.call(this, {
		method: 'GET',
		path: entity,
		qs: { query, limit },
		subject: SEARCH_SUBJECT[entity],
		itemIndex,
	})) as EmbeddedList<PhoneEmailEntity, FoundEntity> | undefined;
	return response?._embedded?.[entity] ?? [];
}

export async function searchContacts(
	this: IExecuteFunctions,
	query: string,
	itemIndex: number,
	limit = SEARCH_LIMIT,
): Promise<Contact[]> {
	return (await searchEntities.call(this, 'contacts', query, itemIndex, limit)) as Contact[];
}

/** Contacts or companies that have this number (international digits), however it was typed into amoCRM. */
export async function findByPhone(
	this: IExecuteFunctions,
	entity: PhoneEmailEntity,
	digits: string,
	defaultCountryCode: string,
	itemIndex: number,
): Promise<FoundEntity[]> {
	const candidates = await searchEntities.call(this, entity, phoneSearchQuery(digits), itemIndex);
	// Numbers stored without a country code (typed by a manager) are read with the account's country.
	const stored = candidates.flatMap((candidate) => fieldValues(candidate, 'PHONE'));
	const country = await phoneCountry(this, defaultCountryCode, stored);
	return candidates.filter((candidate) =>
		fieldValues(candidate, 'PHONE').some((value) => phoneDigits(value, country) === digits),
	);
}

/** Contacts or companies that have this email, whatever its case. */
export async function findByEmail(
	this: IExecuteFunctions,
	entity: PhoneEmailEntity,
	email: string,
	itemIndex: number,
): Promise<FoundEntity[]> {
	const candidates = await searchEntities.call(this, entity, email, itemIndex);
	return candidates.filter((candidate) =>
		fieldValues(candidate, 'EMAIL').some((value) => isSameEmail(value, email)),
	);
}

/** Contacts that have this number (international digits), however it was typed into amoCRM. */
export async function findContactsByPhone(
	this: IExecuteFunctions,
	digits: string,
	defaultCountryCode: string,
	itemIndex: number,
): Promise<Contact[]> {
	return (await findByPhone.call(
		this,
		'contacts',
		digits,
		defaultCountryCode,
		itemIndex,
	)) as Contact[];
}

export async function findContactsByEmail(
	this: IExecuteFunctions,
	email: string,
	itemIndex: number,
): Promise<Contact[]> {
	return (await findByEmail.call(this, 'contacts', email, itemIndex)) as Contact[];
}

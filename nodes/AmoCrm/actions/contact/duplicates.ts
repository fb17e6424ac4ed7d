import type { IExecuteFunctions } from 'n8n-workflow';

import { isSameEmail } from '../../helpers/email';
import type { MatchContactsBy } from '../common';
import type { ContactEmail, ContactPhone } from './contactValues';
import { fieldValues, findByEmail, findByPhone } from './lookup';
import type { FoundEntity, PhoneEmailEntity } from './lookup';

export type { FoundEntity, PhoneEmailEntity };

/**
 * Avoid Duplicates: whether an item is an entity amoCRM already has, or the same one an earlier
 * item of this run creates. Contact > Create and Deal > Create (New Contact) use it for contacts;
 * another entity gives the finder its own keys and search (a `DuplicateRule`).
 */

/** What Avoid Duplicates decided for an item. */
export type DuplicateDecision =
	| { kind: 'existing'; id: number; name: string }
	| { kind: 'sameAs'; itemIndex: number }
	| { kind: 'create' };

/** What the finder needs of every item. */
export interface DuplicateSubject {
	itemIndex: number;
	avoidDuplicates: boolean;
}

/** How one entity recognises its duplicates. */
export interface DuplicateRule<Q extends DuplicateSubject> {
	/** Keys two items of one run are the same entity by (an item without keys matches no other). */
	keys(question: Q): string[];
	/** The existing entity in amoCRM for this item, if any (its requests name `question.itemIndex`). */
	findExisting(question: Q): Promise<{ id: number; name: string } | undefined>;
}

/**
 * Avoid Duplicates across the items of one run and the account: an item with a key an earlier
 * item of this run has is the same entity (created once); otherwise amoCRM is searched. The
 * entity found is only ever linked or returned, never changed. One finder per run.
 */
export class DuplicateFinder<Q extends DuplicateSubject> {
	private readonly seen = new Map<string, DuplicateDecision & { kind: 'existing' | 'sameAs' }>();

	constructor(private readonly rule: DuplicateRule<Q>) {}

	async decide(question: Q): Promise<DuplicateDecision> {
		const keys = this.rule.keys(question);
		let decision: DuplicateDecision = { kind: 'create' };
		if (question.avoidDuplicates) {
			const earlier = keys.map((key) => this.seen.get(key)).find((found) => found !== undefined);
			if (earlier) decision = earlier;
			else {
				const existing = await this.rule.findExisting(question);
				if (existing) decision = { kind: 'existing', id: existing.id, name: existing.name };
			}
		}
		const remembered =
			decision.kind === 'create'
				? { kind: 'sameAs' as const, itemIndex: question.itemIndex }
				: decision;
		for (const key of keys) if (!this.seen.has(key)) this.seen.set(key, remembered);
		return decision;
	}
}

/** An item's phones and emails, and how Options > Match Existing Contacts By compares them. */
export interface PhoneEmailQuestion extends DuplicateSubject {
	phones: Array<Pick<ContactPhone, 'digits'>>;
	emails: Array<Pick<ContactEmail, 'value'>>;
	/** What completed the phones: Default Country Code, or the account's country (see phoneCountry). */
	defaultCountryCode: string;
	matchBy: MatchContactsBy;
}

/**
 * Keys two items of one run are the same person by (international phone digits, lower-cased
 * email), as Options > Match Existing Contacts By says.
 */
export function duplicateKeys(
	question: Pick<PhoneEmailQuestion, 'phones' | 'emails' | 'matchBy'>,
): string[] {
	const phones = question.phones.map((phone) => phone.digits);
	const emails = question.emails.map((email) => email.value.toLowerCase());
	if (question.matchBy === 'phone') return phones.map((digits) => `phone:${digits}`);
	if (question.matchBy === 'phoneAndEmail')
		return phones.flatMap((digits) => emails.map((email) => `phone:${digits}+email:${email}`));
	return [...phones.map((digits) => `phone:${digits}`), ...emails.map((email) => `email:${email}`)];
}

/** An entity's search by phone and by email; each returns only entities that really have it. */
export interface PhoneEmailSearch {
	byPhone(digits: string, defaultCountryCode: string, itemIndex: number): Promise<FoundEntity[]>;
	byEmail(email: string, itemIndex: number): Promise<FoundEntity[]>;
}

/**
 * The first entity with one of the item's phones (phones first, then emails; one request each),
 * as Match Existing Contacts By says. With "phone and email" both must agree, so an item
 * without both never matches.
 */
export async function findByPhoneOrEmail(
	search: PhoneEmailSearch,
	question: PhoneEmailQuestion,
): Promise<{ id: number; name: string } | undefined> {
	if (
		question.matchBy === 'phoneAndEmail' &&
		(question.phones.length === 0 || question.emails.length === 0)
	)
		return undefined;
	for (const phone of question.phones) {
		const found = await search.byPhone(
			phone.digits,
			question.defaultCountryCode,
			question.itemIndex,
		);
		const existing =
			question.matchBy === 'phoneAndEmail'
				? found.find((entity) =>
						fieldValues(entity, 'EMAIL').some((value) =>
							question.emails.some((email) => isSameEmail(value, email.value)),
						),
					)
				: found[0];
		if (existing) return existing;
	}
	if (question.matchBy !== 'phoneOrEmail') return undefined;
	for (const email of question.emails) {
		const [existing] = await search.byEmail(email.value, question.itemIndex);
		if (existing) return existing;
	}
	return undefined;
}

/** Searching amoCRM's contacts or companies by phone and by email (lookup.ts). */
export function phoneEmailSearch(
	context: IExecuteFunctions,
	entity: PhoneEmailEntity,
): PhoneEmailSearch {
	return {
		byPhone: async (digits, defaultCountryCode, itemIndex) =>
			await findByPhone.call(context, entity, digits, defaultCountryCode, itemIndex),
		byEmail: async (email, itemIndex) => await findByEmail.call(context, entity, email, itemIndex),
	};
}

/** Contacts: the same phone or email (Options > Match Existing Contacts By), searched in amoCRM's contacts. */
export function contactDuplicateRule(
	context: IExecuteFunctions,
): DuplicateRule<PhoneEmailQuestion> {
	const search = phoneEmailSearch(context, 'contacts');
	return {
		keys: duplicateKeys,
		findExisting: async (question) => await findByPhoneOrEmail(search, question),
	};
}

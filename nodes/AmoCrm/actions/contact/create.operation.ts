import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { amoCrmBatchCreate } from '../../transport/batch';
import type { BatchEntry, BatchOutcome, CreatedWithRequestId } from '../../transport/batch';
import { customFieldPathDescriber, getCustomFields } from '../../transport/catalog';
import { getAccount } from '../../transport/request';
import type { ContactCreateRequest } from '../../transport/types';
import {
	asNodeError,
	batchSizeOf,
	batchSizeProperty,
	customFieldsProperty,
	operationError,
	parseEach,
	parseId,
	parseTags,
	readCustomFields,
	responsibleUserProperty,
	tagsProperty,
	defaultCountryCodeProperty,
} from '../common';
import type { ItemResult, OperationResult } from '../common';
import { phoneAndEmailValues, readEmail, readPhone } from './contactValues';
import type { ContactEmail, ContactPhone } from './contactValues';
import { findContactsByEmail, findContactsByPhone } from './lookup';

const displayOptions = { show: { resource: ['contact'], operation: ['create'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		placeholder: 'Aziz Karimov',
		description: 'The contact\'s full name. A contact needs a name, a phone or an email.',
		displayOptions,
	},
	{
		displayName: 'Phones',
		name: 'phones',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Phone',
		default: {},
		description: 'Phone numbers, stored in amoCRM\'s standard Phone field in international format',
		displayOptions,
		options: [
			{
				displayName: 'Phone',
				name: 'phone',
				values: [
					{
						displayName: 'Number',
						name: 'number',
						type: 'string',
						default: '',
						placeholder: '+998 71 202-14-41',
						description: 'The phone number as typed. Numbers without a country code get the Default Country Code from Options.',
					},
					{
						displayName: 'Type',
						name: 'type',
						type: 'options',
						options: [
							{ name: 'Fax', value: 'FAX' },
							{ name: 'Home', value: 'HOME' },
							{ name: 'Mobile', value: 'MOB' },
							{ name: 'Other', value: 'OTHER' },
							{ name: 'Work', value: 'WORK' },
							{ name: 'Work Direct', value: 'WORKDD' },
						],
						default: 'MOB',
						description: 'How amoCRM labels the number',
					},
				],
			},
		],
	},
	{
		displayName: 'Emails',
		name: 'emails',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Email',
		default: {},
		description: 'Email addresses, stored in amoCRM\'s standard Email field',
		displayOptions,
		options: [
			{
				displayName: 'Email',
				name: 'email',
				values: [
					{
						displayName: 'Address',
						name: 'address',
						type: 'string',
						placeholder: 'name@email.com',
						default: '',
						description: 'The email address',
					},
					{
						displayName: 'Type',
						name: 'type',
						type: 'options',
						options: [
							{ name: 'Other', value: 'OTHER' },
							{ name: 'Private', value: 'PRIV' },
							{ name: 'Work', value: 'WORK' },
						],
						default: 'WORK',
						description: 'How amoCRM labels the address',
					},
				],
			},
		],
	},
	{
		displayName: 'Avoid Duplicates',
		name: 'avoidDuplicates',
		type: 'boolean',
		default: true,
		description:
			'Whether to return an existing contact with the same phone or email (marked "reused": true) instead of creating a second one',
		displayOptions,
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions,
		options: [
			{
				displayName: 'First Name',
				name: 'firstName',
				type: 'string',
				default: '',
				description: 'The contact\'s first name, if you keep it apart from the full name',
			},
			{
				displayName: 'Last Name',
				name: 'lastName',
				type: 'string',
				default: '',
				description: 'The contact\'s last name, if you keep it apart from the full name',
			},
			responsibleUserProperty(),
			tagsProperty('contact'),
		],
	},
	customFieldsProperty('contacts', displayOptions),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions,
		options: [
			defaultCountryCodeProperty(
				'Digits of the country code for numbers typed without one (998 for Uzbekistan, 7 for Russia and Kazakhstan). With 998, "71 202-14-41" is stored as +998712021441 and matches it when avoiding duplicates.',
			),
			batchSizeProperty('contacts'),
		],
	},
];

interface PhoneRow {
	number?: string;
	type?: string;
}

interface EmailRow {
	address?: string;
	type?: string;
}

interface AdditionalFields {
	firstName?: string;
	lastName?: string;
	responsibleUserId?: string | number;
	tags?: string;
}

/** One input item, checked and turned into what amoCRM takes. */
export interface PreparedContact {
	itemIndex: number;
	contact: ContactCreateRequest;
	/** The name to report: Name, else First + Last Name. */
	name: string;
	phones: ContactPhone[];
	emails: ContactEmail[];
	avoidDuplicates: boolean;
	defaultCountryCode: string;
	hasCustomFields: boolean;
}

/** Reads and checks one item's contact fields; throws (before any create) when they are wrong. */
export async function prepareContact(this: IExecuteFunctions, itemIndex: number): Promise<PreparedContact> {
	const name = String(this.getNodeParameter('name', itemIndex, '')).trim();
	const phoneRows = this.getNodeParameter('phones.phone', itemIndex, []) as PhoneRow[];
	const emailRows = this.getNodeParameter('emails.email', itemIndex, []) as EmailRow[];
	const avoidDuplicates = this.getNodeParameter('avoidDuplicates', itemIndex, true) as boolean;
	const additional = this.getNodeParameter('additionalFields', itemIndex, {}) as AdditionalFields;
	const { defaultCountryCode = '' } = this.getNodeParameter('options', itemIndex, {}) as { defaultCountryCode?: string };

	const phones: ContactPhone[] = [];
	phoneRows.forEach((row, index) => {
		const typed = String(row.number ?? '').trim();
		if (typed !== '') phones.push(readPhone(this, itemIndex, `Phones, row ${index + 1}`, typed, row.type ?? 'MOB', defaultCountryCode));
	});
	const emails: ContactEmail[] = [];
	emailRows.forEach((row, index) => {
		const typed = String(row.address ?? '').trim();
		if (typed !== '') emails.push(readEmail(this, itemIndex, `Emails, row ${index + 1}`, typed, row.type ?? 'WORK'));
	});
	const firstName = String(additional.firstName ?? '').trim();
	const lastName = String(additional.lastName ?? '').trim();
	if (name === '' && firstName === '' && lastName === '' && phones.length === 0 && emails.length === 0) {
		throw operationError(this, itemIndex, 'The contact has no name, phone or email', 'Fill in Name, or add a phone or an email: amoCRM needs something to recognise the contact by.');
	}
	const responsibleUserId = parseId(this, itemIndex, additional.responsibleUserId, 'Responsible User ID', false);
	const customFields = await readCustomFields(this, itemIndex, 'contacts');

	const contact: ContactCreateRequest = {};
	if (name !== '') contact.name = name;
	if (firstName !== '') contact.first_name = firstName;
	if (lastName !== '') contact.last_name = lastName;
	if (responsibleUserId !== undefined) contact.responsible_user_id = responsibleUserId;
	const values = [...phoneAndEmailValues(phones, emails), ...customFields];
	if (values.length > 0) contact.custom_fields_values = values;
	const tags = parseTags(additional.tags);
	if (tags) contact._embedded = { tags };
	return {
		itemIndex,
		contact,
		name: contact.name ?? [firstName, lastName].filter(Boolean).join(' '),
		phones,
		emails,
		avoidDuplicates,
		defaultCountryCode,
		hasCustomFields: customFields.length > 0,
	};
}

/** Keys two contacts of one run are the same person by: international phone digits, lower-cased email. */
export function duplicateKeys(prepared: Pick<PreparedContact, 'phones' | 'emails'>): string[] {
	return [...prepared.phones.map((phone) => `phone:${phone.digits}`), ...prepared.emails.map((email) => `email:${email.value.toLowerCase()}`)];
}

/** What Avoid Duplicates decided for an item. */
export type DuplicateDecision =
	| { kind: 'existing'; id: number; name: string }
	| { kind: 'sameAs'; itemIndex: number }
	| { kind: 'create' };

/**
 * Avoid Duplicates across the items of one run and the account: an item whose phone or
 * email an earlier item of this run has is the same contact (created once); otherwise
 * amoCRM is searched, phones first, then emails (one request each).
 */
export class DuplicateFinder {
	private readonly seen = new Map<string, DuplicateDecision & { kind: 'existing' | 'sameAs' }>();

	constructor(private readonly context: IExecuteFunctions) {}

	async decide(prepared: Pick<PreparedContact, 'itemIndex' | 'phones' | 'emails' | 'avoidDuplicates' | 'defaultCountryCode'>): Promise<DuplicateDecision> {
		const keys = duplicateKeys(prepared);
		let decision: DuplicateDecision = { kind: 'create' };
		if (prepared.avoidDuplicates) {
			const earlier = keys.map((key) => this.seen.get(key)).find((found) => found !== undefined);
			if (earlier) decision = earlier;
			else decision = await this.search(prepared);
		}
		const remembered = decision.kind === 'create' ? { kind: 'sameAs' as const, itemIndex: prepared.itemIndex } : decision;
		for (const key of keys) if (!this.seen.has(key)) this.seen.set(key, remembered);
		return decision;
	}

	private async search(prepared: Pick<PreparedContact, 'itemIndex' | 'phones' | 'emails' | 'defaultCountryCode'>): Promise<DuplicateDecision> {
		for (const phone of prepared.phones) {
			const [existing] = await findContactsByPhone.call(this.context, phone.digits, prepared.defaultCountryCode, prepared.itemIndex);
			if (existing) return { kind: 'existing', id: existing.id, name: existing.name };
		}
		for (const email of prepared.emails) {
			const [existing] = await findContactsByEmail.call(this.context, email.value, prepared.itemIndex);
			if (existing) return { kind: 'existing', id: existing.id, name: existing.name };
		}
		return { kind: 'create' };
	}
}

/**
 * All items at once: check every item, look for duplicates (Avoid Duplicates), then create
 * the new contacts in batches (Options > Batch Size). Two items with one phone or email
 * make one contact; the later one is returned with `reused: true`.
 */
export async function executeBatch(this: IExecuteFunctions, itemIndexes: number[]): Promise<ItemResult[]> {
	const continueOnFail = this.continueOnFail();
	const prepared = await parseEach(this, itemIndexes, continueOnFail, async (itemIndex) => await prepareContact.call(this, itemIndex));
	const results = new Map<number, ItemResult>();
	const finder = new DuplicateFinder(this);
	const decisions = new Map<number, DuplicateDecision>();
	for (const item of prepared) {
		if (item instanceof Error) continue;
		try {
			decisions.set(item.itemIndex, await finder.decide(item));
		} catch (error) {
			if (!continueOnFail) throw asNodeError(this, error, item.itemIndex);
			results.set(item.itemIndex, error as Error);
		}
	}
	const toCreate = prepared.filter((item): item is PreparedContact => !(item instanceof Error) && decisions.get(item.itemIndex)?.kind === 'create');
	const fields = toCreate.some((item) => item.hasCustomFields) ? await getCustomFields.call(this, 'contacts') : undefined;
	const entries: Array<BatchEntry<ContactCreateRequest>> = toCreate.map((item) => ({
		itemIndex: item.itemIndex,
		body: item.contact,
		describePath: fields ? (path) => customFieldPathDescriber([item.contact], fields)(path, 0) : undefined,
	}));
	const outcomes = (await amoCrmBatchCreate.call(
		this,
		{ path: 'contacts', subject: 'contact', embeddedKey: 'contacts', batchSize: batchSizeOf(this), continueOnFail },
		entries,
	)) as Array<BatchOutcome<CreatedWithRequestId>>;
	const account = await getAccount.call(this);
	const url = (id: number) => `${account.url}/contacts/detail/${id}`;
	const createdByItem = new Map<number, { id: number; name: string } | Error>();
	for (const outcome of outcomes) {
		const item = toCreate.find((candidate) => candidate.itemIndex === outcome.itemIndex) as PreparedContact;
		createdByItem.set(outcome.itemIndex, 'created' in outcome ? { id: outcome.created.id, name: item.name } : outcome.error);
	}
	return itemIndexes.map((itemIndex, position): ItemResult => {
		const item = prepared[position];
		if (item instanceof Error) return item;
		const early = results.get(itemIndex);
		if (early) return early;
		const decision = decisions.get(itemIndex) as DuplicateDecision;
		if (decision.kind === 'existing') return [output(decision.id, decision.name, true, url)];
		const created = createdByItem.get(decision.kind === 'sameAs' ? decision.itemIndex : itemIndex);
		if (created === undefined || created instanceof Error) {
			if (decision.kind === 'create') return created ?? new Error('The contact was not created');
			return operationError(this, itemIndex, `Not created: item ${decision.itemIndex} has the same phone or email and could not be created`, `${created?.message ?? ''} Fix item ${decision.itemIndex}; this item is the same contact.`.trim());
		}
		return [output(created.id, created.name, decision.kind === 'sameAs', url)];
	});
}

function output(id: number, name: string, reused: boolean, url: (id: number) => string): OperationResult {
	return { id, name, reused, url: url(id) };
}

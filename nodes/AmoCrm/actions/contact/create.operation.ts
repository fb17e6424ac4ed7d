import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ContactCreateRequest } from '../../transport/types';
import {
	batchSizeProperty,
	customFieldsProperty,
	operationError,
	parseId,
	parseTags,
	readCustomFields,
	responsibleUserProperty,
	tagsProperty,
	defaultCountryCodeProperty,
	matchContactsByProperty,
} from '../common';
import type { MatchContactsBy } from '../common';
import { createAvoidingDuplicates } from '../createAvoidingDuplicates';
import type { PreparedNewEntity } from '../createAvoidingDuplicates';
import type { ItemResult } from '../operation';
import { emailsProperty, phonesProperty } from './contactFields';
import { readPhonesAndEmails } from './contactValues';
import type { ContactEmail, ContactPhone } from './contactValues';
import { contactBody } from './contactBody';
import { contactDuplicateRule } from './duplicates';

const displayOptions = { show: { resource: ['contact'], operation: ['create'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		placeholder: 'Aziz Karimov',
		description: "The contact's full name. A contact needs a name, a phone or an email.",
		displayOptions,
	},
	phonesProperty(
		"Phone numbers, stored in amoCRM's standard Phone field in international format",
		displayOptions,
	),
	emailsProperty("Email addresses, stored in amoCRM's standard Email field", displayOptions),
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
				description: "The contact's first name, if you keep it apart from the full name",
			},
			{
				displayName: 'Last Name',
				name: 'lastName',
				type: 'string',
				default: '',
				description: "The contact's last name, if you keep it apart from the full name",
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
			batchSizeProperty('contacts'),
			defaultCountryCodeProperty(
				'Digits of the country code for numbers typed without one (998 for Uzbekistan, 7 for Russia and Kazakhstan). With 998, "71 202-14-41" is stored as +998712021441 and matches it when avoiding duplicates. Empty: the country of the amoCRM account (8 901 555-00-11 is +79015550011 in a Russian or Kazakh account, 90 123-45-67 is +998901234567 in an Uzbek one).',
			),
			{ ...matchContactsByProperty(), displayOptions: { show: { '/avoidDuplicates': [true] } } },
		],
	},
];

interface AdditionalFields {
	firstName?: string;
	lastName?: string;
	responsibleUserId?: string | number;
	tags?: string;
}

/** One input item, checked and turned into what amoCRM takes. */
export interface PreparedContact extends PreparedNewEntity<ContactCreateRequest> {
	/** The name to report: Name, else First + Last Name. */
	name: string;
	phones: ContactPhone[];
	emails: ContactEmail[];
	/** What completed the phones: Default Country Code, or the account's country (see phoneCountry). */
	defaultCountryCode: string;
	matchBy: MatchContactsBy;
}

/** Reads and checks one item's contact fields; throws (before any create) when they are wrong. */
export async function prepare(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<PreparedContact> {
	const name = String(this.getNodeParameter('name', itemIndex, '')).trim();
	const avoidDuplicates = this.getNodeParameter('avoidDuplicates', itemIndex, true) as boolean;
	const additional = this.getNodeParameter('additionalFields', itemIndex, {}) as AdditionalFields;
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		defaultCountryCode?: string;
		matchContactsBy?: MatchContactsBy;
	};
	const {
		phones,
		emails,
		country: defaultCountryCode,
	} = await readPhonesAndEmails(this, itemIndex, options.defaultCountryCode);
	const firstName = String(additional.firstName ?? '').trim();
	const lastName = String(additional.lastName ?? '').trim();
	if (
		name === '' &&
		firstName === '' &&
		lastName === '' &&
		phones.length === 0 &&
		emails.length === 0
	) {
		throw operationError(
			this,
			itemIndex,
			'The contact has no name, phone or email',
			'Fill in Name, or add a phone or an email: amoCRM needs something to recognise the contact by.',
		);
	}
	const responsibleUserId = parseId(
		this,
		itemIndex,
		additional.responsibleUserId,
		'Responsible User ID',
		false,
	);
	const customFields = await readCustomFields(this, itemIndex, 'contacts');

	const body = contactBody({
		name,
		firstName,
		lastName,
		responsibleUserId,
		phones,
		emails,
		customFields,
		tags: parseTags(additional.tags),
	});
	return {
		itemIndex,
		body,
		name: body.name ?? [firstName, lastName].filter(Boolean).join(' '),
		phones,
		emails,
		avoidDuplicates,
		defaultCountryCode,
		matchBy: options.matchContactsBy ?? 'phoneOrEmail',
		hasCustomFields: customFields.length > 0,
	};
}

/**
 * Looks for duplicates (Avoid Duplicates), then creates the new contacts in batches (Options >
 * Batch Size). Two items with one phone or email make one contact; the later one is returned
 * with `reused: true`.
 */
export async function send(
	this: IExecuteFunctions,
	prepared: PreparedContact[],
): Promise<ItemResult[]> {
	return await createAvoidingDuplicates(
		this,
		{
			entity: 'contacts',
			subject: 'contact',
			sameBy: 'phone or email',
			rule: contactDuplicateRule(this),
		},
		prepared,
	);
}

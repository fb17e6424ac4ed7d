import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ContactUpdateRequest } from '../../transport/types';
import {
	batchSizeProperty,
	customFieldsProperty,
	defaultCountryCodeProperty,
	operationError,
	parseId,
	parseTags,
	readCustomFields,
	responsibleUserProperty,
} from '../common';
import { entityIdProperty, readEntityId } from '../entityLocator';
import type { ItemResult } from '../operation';
import { emailsProperty, phonesProperty } from './contactFields';
import { readPhonesAndEmails } from './contactValues';
import { sendPhoneEmailUpdates, valuesModeProperty } from './phoneEmailUpdate';
import type { PreparedPhoneEmailUpdate, ValuesMode } from './phoneEmailUpdate';

const displayOptions = { show: { resource: ['contact'], operation: ['update'] } };

export const description: INodeProperties[] = [
	entityIdProperty('contact', {
		name: 'contactId',
		description:
			'The contact to change: choose it from the list, paste its amoCRM page address, or map its ID',
		displayOptions,
	}),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
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
				description: "The contact's new first name",
			},
			{
				displayName: 'Last Name',
				name: 'lastName',
				type: 'string',
				default: '',
				description: "The contact's new last name",
			},
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				placeholder: 'Aziz Karimov',
				description: "The contact's new full name",
			},
			{
				...responsibleUserProperty(),
				description:
					'The amoCRM user to put in charge of the contact. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Tags to Add',
				name: 'tags',
				type: 'string',
				default: '',
				placeholder: 'vip, repeat-customer',
				description:
					'Tags to put on the contact, separated by commas; the tags it already has stay',
			},
		],
	},
	phonesProperty('Phone numbers to give the contact, in international format', displayOptions),
	valuesModeProperty('phonesMode', 'Phones', 'contact', displayOptions),
	emailsProperty('Email addresses to give the contact', displayOptions),
	valuesModeProperty('emailsMode', 'Emails', 'contact', displayOptions),
	customFieldsProperty('contacts', displayOptions),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions,
		options: [
			{
				...batchSizeProperty('contacts'),
				description:
					'How many contacts to change in one request to amoCRM (up to 250; amoCRM recommends 50). 1 sends one request per item.',
			},
			defaultCountryCodeProperty(
				'Digits of the country code for numbers typed without one (998 for Uzbekistan, 7 for Russia and Kazakhstan). Empty: the country of the amoCRM account.',
			),
		],
	},
];

interface UpdateFields {
	name?: string;
	firstName?: string;
	lastName?: string;
	responsibleUserId?: string | number;
	tags?: string;
}

export interface PreparedContactUpdate extends PreparedPhoneEmailUpdate {
	/** What changes besides phones, emails and custom fields (only the fields filled in). */
	body: ContactUpdateRequest;
}

/** Reads and checks one item; throws, naming the field, before anything is sent. */
export async function prepare(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<PreparedContactUpdate> {
	const id = readEntityId(this, itemIndex, 'contact', 'contactId') as number;
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as UpdateFields;
	const { defaultCountryCode } = this.getNodeParameter('options', itemIndex, {}) as {
		defaultCountryCode?: string;
	};
	const { phones, emails, country } = await readPhonesAndEmails(
		this,
		itemIndex,
		defaultCountryCode,
	);

	const body: ContactUpdateRequest = { id };
	for (const [key, value] of [
		['name', fields.name],
		['first_name', fields.firstName],
		['last_name', fields.lastName],
	] as const) {
		const text = String(value ?? '').trim();
		if (text !== '') body[key] = text;
	}
	const responsibleUserId = parseId(
		this,
		itemIndex,
		fields.responsibleUserId,
		'Responsible User ID',
		false,
	);
	if (responsibleUserId !== undefined) body.responsible_user_id = responsibleUserId;
	const tags = parseTags(fields.tags);
	if (tags) body.tags_to_add = tags;
	const customFields = await readCustomFields(this, itemIndex, 'contacts');
	if (
		Object.keys(body).length === 1 &&
		customFields.length === 0 &&
		phones.length === 0 &&
		emails.length === 0
	) {
		throw operationError(
			this,
			itemIndex,
			'Nothing to update',
			'Fill in at least one of Update Fields, Phones, Emails or Custom Fields: only the fields filled in are changed.',
		);
	}
	return {
		itemIndex,
		id,
		body,
		customFields,
		phones,
		emails,
		phonesMode: this.getNodeParameter('phonesMode', itemIndex, 'add') as ValuesMode,
		emailsMode: this.getNodeParameter('emailsMode', itemIndex, 'add') as ValuesMode,
		country,
	};
}

/** Reads the contacts whose phones or emails are added to, then sends the changes in batches. */
export async function send(
	this: IExecuteFunctions,
	prepared: PreparedContactUpdate[],
): Promise<ItemResult[]> {
	return await sendPhoneEmailUpdates(this, 'contacts', prepared, (item, customFields) =>
		customFields.length > 0 ? { ...item.body, custom_fields_values: customFields } : item.body,
	);
}

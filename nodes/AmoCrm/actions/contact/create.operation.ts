import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { normaliseEmail } from '../../helpers/email';
import { normalisePhone, phoneDigits } from '../../helpers/phone';
import { customFieldPathDescriber, getCustomFields } from '../../transport/catalog';
import { amoCrmApiRequest } from '../../transport/request';
import type { ContactCreateRequest, CreatedEntity, CustomFieldValue, EmbeddedList } from '../../transport/types';
import {
	customFieldsProperty,
	entityUrl,
	operationError,
	parseId,
	parseTags,
	readCustomFields,
	responsibleUserProperty,
	tagsProperty,
} from '../common';
import type { OperationResult } from '../common';
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
			{
				displayName: 'Default Country Code',
				name: 'defaultCountryCode',
				type: 'string',
				default: '',
				placeholder: '998',
				description:
					'Digits of the country code for numbers typed without one (998 for Uzbekistan, 7 for Russia and Kazakhstan). With 998, "71 202-14-41" is stored as +998712021441 and matches it when avoiding duplicates.',
			},
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

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult[]> {
	const name = String(this.getNodeParameter('name', itemIndex, '')).trim();
	const phoneRows = this.getNodeParameter('phones.phone', itemIndex, []) as PhoneRow[];
	const emailRows = this.getNodeParameter('emails.email', itemIndex, []) as EmailRow[];
	const avoidDuplicates = this.getNodeParameter('avoidDuplicates', itemIndex, true) as boolean;
	const additional = this.getNodeParameter('additionalFields', itemIndex, {}) as AdditionalFields;
	const { defaultCountryCode = '' } = this.getNodeParameter('options', itemIndex, {}) as { defaultCountryCode?: string };

	const phones: Array<{ value: string; digits: string; type: string }> = [];
	phoneRows.forEach((row, index) => {
		const typed = String(row.number ?? '').trim();
		if (typed === '') return;
		const value = normalisePhone(typed, defaultCountryCode);
		const digits = phoneDigits(typed, defaultCountryCode);
		if (value === undefined || digits === undefined) {
			throw operationError(this, itemIndex, `Phones, row ${index + 1}: "${typed}" is not a phone number`, 'Use 7 to 15 digits with an optional +, spaces, dashes or brackets, e.g. +998 71 202-14-41.');
		}
		phones.push({ value, digits, type: row.type ?? 'MOB' });
	});
	const emails: Array<{ value: string; type: string }> = [];
	emailRows.forEach((row, index) => {
		const typed = String(row.address ?? '').trim();
		if (typed === '') return;
		const value = normaliseEmail(typed);
		if (value === undefined) {
			throw operationError(this, itemIndex, `Emails, row ${index + 1}: "${typed}" is not an email address`, 'Use an address like name@example.com, or leave the row empty.');
		}
		emails.push({ value, type: row.type ?? 'WORK' });
	});
	const firstName = String(additional.firstName ?? '').trim();
	const lastName = String(additional.lastName ?? '').trim();
	if (name === '' && firstName === '' && lastName === '' && phones.length === 0 && emails.length === 0) {
		throw operationError(this, itemIndex, 'The contact has no name, phone or email', 'Fill in Name, or add a phone or an email: amoCRM needs something to recognise the contact by.');
	}
	const responsibleUserId = parseId(this, itemIndex, additional.responsibleUserId, 'Responsible User ID', false);
	const customFields = await readCustomFields(this, itemIndex, 'contacts');

	if (avoidDuplicates) {
		for (const phone of phones) {
			const [existing] = await findContactsByPhone.call(this, phone.digits, defaultCountryCode, itemIndex);
			if (existing) return [await output(this, existing.id, existing.name, true)];
		}
		for (const email of emails) {
			const [existing] = await findContactsByEmail.call(this, email.value, itemIndex);
			if (existing) return [await output(this, existing.id, existing.name, true)];
		}
	}

	const contact: ContactCreateRequest = {};
	if (name !== '') contact.name = name;
	if (firstName !== '') contact.first_name = firstName;
	if (lastName !== '') contact.last_name = lastName;
	if (responsibleUserId !== undefined) contact.responsible_user_id = responsibleUserId;
	const values: CustomFieldValue[] = [];
	if (phones.length > 0) {
		values.push({ field_code: 'PHONE', values: phones.map((phone) => ({ value: phone.value, enum_code: phone.type })) });
	}
	if (emails.length > 0) {
		values.push({ field_code: 'EMAIL', values: emails.map((email) => ({ value: email.value, enum_code: email.type })) });
	}
	values.push(...customFields);
	if (values.length > 0) contact.custom_fields_values = values;
	const tags = parseTags(additional.tags);
	if (tags) contact._embedded = { tags };

	const body = [contact];
	const response = (await amoCrmApiRequest.call(this, {
		method: 'POST',
		path: 'contacts',
		body,
		subject: 'contact',
		itemIndex,
		describePath: customFieldPathDescriber(body, customFields.length > 0 ? await getCustomFields.call(this, 'contacts') : undefined),
	})) as EmbeddedList<'contacts', CreatedEntity> | undefined;
	const created = response?._embedded?.contacts?.[0];
	if (!created) {
		throw operationError(this, itemIndex, 'amoCRM did not return the new contact', 'amoCRM answered without the created contact. Check amoCRM for it before running again.');
	}
	return [await output(this, created.id, contact.name ?? [firstName, lastName].filter(Boolean).join(' '), false)];
}

async function output(context: IExecuteFunctions, id: number, name: string, reused: boolean): Promise<OperationResult> {
	return { id, name, reused, url: await entityUrl(context, 'contacts', id) };
}

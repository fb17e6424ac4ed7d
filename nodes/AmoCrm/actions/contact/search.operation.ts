import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { normaliseEmail } from '../../helpers/email';
import { phoneDigits } from '../../helpers/phone';
import { phoneCountry } from './contactValues';
import type { Contact } from '../../transport/types';
import { defaultCountryCodeProperty, entityUrl, operationError } from '../common';
import type { OperationResult } from '../operation';
import { fieldValues, findContactsByEmail, findContactsByPhone, searchContacts } from './lookup';

const displayOptions = { show: { resource: ['contact'], operation: ['search'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Search By',
		name: 'searchBy',
		type: 'options',
		options: [
			{ name: 'Email', value: 'email', description: 'Contacts with exactly this email address' },
			{
				name: 'Phone',
				value: 'phone',
				description: 'Contacts with this phone number, however it was typed',
			},
			{
				name: 'Text',
				value: 'query',
				description: "Full-text search over names and all fields (amoCRM's own search)",
			},
		],
		default: 'phone',
		description: 'What to look contacts up by',
		displayOptions,
	},
	{
		displayName: 'Value',
		name: 'searchValue',
		type: 'string',
		default: '',
		required: true,
		placeholder: '+998 71 202-14-41',
		description: 'The phone number, email address or text to look for',
		displayOptions,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions,
		options: [
			defaultCountryCodeProperty(
				'Digits of the country code for numbers typed without one, so that 71 202-14-41 finds +998 71 202-14-41. Empty: the country of the amoCRM account.',
			),
			{
				displayName: 'Limit',
				name: 'limit',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 250 },
				default: 50,
				description: 'Max number of results to return',
			},
		],
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult[]> {
	const searchBy = this.getNodeParameter('searchBy', itemIndex, 'phone') as
		'phone' | 'email' | 'query';
	const value = String(this.getNodeParameter('searchValue', itemIndex, '')).trim();
	const { defaultCountryCode = '', limit = 50 } = this.getNodeParameter(
		'options',
		itemIndex,
		{},
	) as {
		defaultCountryCode?: string;
		limit?: number;
	};
	if (value === '') {
		throw operationError(
			this,
			itemIndex,
			'Value is empty',
			'Enter the phone, email or text to search for, or map it from an earlier node.',
		);
	}
	let contacts: Contact[];
	if (searchBy === 'phone') {
		const country = await phoneCountry(this, defaultCountryCode, [value]);
		const digits = phoneDigits(value, country);
		if (digits === undefined) {
			throw operationError(
				this,
				itemIndex,
				`"${value}" is not a phone number`,
				'Use 7 to 15 digits with an optional +, spaces, dashes or brackets, e.g. +998 71 202-14-41.',
			);
		}
		contacts = await findContactsByPhone.call(this, digits, country, itemIndex);
	} else if (searchBy === 'email') {
		const email = normaliseEmail(value);
		if (email === undefined) {
			throw operationError(
				this,
				itemIndex,
				`"${value}" is not an email address`,
				'Use an address like name@example.com.',
			);
		}
		contacts = await findContactsByEmail.call(this, email, itemIndex);
	} else {
		contacts = await searchContacts.call(this, value, itemIndex, limit);
	}
	const results: OperationResult[] = [];
	for (const contact of contacts.slice(0, limit)) {
		results.push({
			id: contact.id,
			name: contact.name,
			phones: fieldValues(contact, 'PHONE'),
			emails: fieldValues(contact, 'EMAIL'),
			url: await entityUrl(this, 'contacts', contact.id),
		});
	}
	return results;
}

import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { CompanyCreateRequest } from '../../transport/types';
import {
	batchSizeProperty,
	customFieldsProperty,
	defaultCountryCodeProperty,
	operationError,
	parseId,
	parseTags,
	readCustomFields,
	responsibleUserProperty,
	tagsProperty,
} from '../common';
import { emailsProperty, phonesProperty } from '../contact/contactFields';
import { readPhonesAndEmails } from '../contact/contactValues';
import type { ContactEmail, ContactPhone } from '../contact/contactValues';
import { createAvoidingDuplicates } from '../createAvoidingDuplicates';
import type { PreparedNewEntity } from '../createAvoidingDuplicates';
import type { ItemResult, PreparedItem } from '../operation';
import { companyBody } from './companyBody';
import { companyDuplicateRule } from './companyDuplicates';

const displayOptions = { show: { resource: ['company'], operation: ['create'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'Shifo Med LLC',
		description: "The company's name, as managers will see it in amoCRM",
		displayOptions,
	},
	phonesProperty(
		"The company's phone numbers, stored in amoCRM's standard Phone field in international format",
		displayOptions,
	),
	emailsProperty(
		"The company's email addresses, stored in amoCRM's standard Email field",
		displayOptions,
	),
	{
		displayName: 'Avoid Duplicates',
		name: 'avoidDuplicates',
		type: 'boolean',
		default: true,
		description:
			'Whether to return an existing company with the same name (case aside), phone or email (marked "reused": true) instead of creating a second one',
		displayOptions,
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions,
		options: [responsibleUserProperty(), tagsProperty('company')],
	},
	customFieldsProperty('companies', displayOptions),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions,
		options: [
			batchSizeProperty('companies'),
			defaultCountryCodeProperty(
				'Digits of the country code for numbers typed without one (998 for Uzbekistan, 7 for Russia and Kazakhstan). With 998, "71 202-14-41" is stored as +998712021441 and matches it when avoiding duplicates. Empty: the country of the amoCRM account.',
			),
		],
	},
];

interface AdditionalFields {
	responsibleUserId?: string | number;
	tags?: string;
}

/** One input item, checked and turned into what amoCRM takes. */
export interface PreparedCompany extends PreparedItem, PreparedNewEntity<CompanyCreateRequest> {
	phones: ContactPhone[];
	emails: ContactEmail[];
	/** What completed the phones: Default Country Code, or the account's country (see phoneCountry). */
	defaultCountryCode: string;
	matchBy: 'phoneOrEmail';
}

/** Reads and checks one item's company fields; throws (before any create) when they are wrong. */
export async function prepare(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<PreparedCompany> {
	const name = String(this.getNodeParameter('name', itemIndex, '') ?? '').trim();
	if (name === '') {
		throw operationError(
			this,
			itemIndex,
			'Name is empty',
			"Enter the company's name, or map it from an earlier node, e.g. {{ $json.company }}.",
		);
	}
	const additional = this.getNodeParameter('additionalFields', itemIndex, {}) as AdditionalFields;
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		defaultCountryCode?: string;
	};
	const { phones, emails, country } = await readPhonesAndEmails(
		this,
		itemIndex,
		options.defaultCountryCode,
	);
	const responsibleUserId = parseId(
		this,
		itemIndex,
		additional.responsibleUserId,
		'Responsible User ID',
		false,
	);
	const customFields = await readCustomFields(this, itemIndex, 'companies');
	return {
		itemIndex,
		body: companyBody({
			name,
			responsibleUserId,
			phones,
			emails,
			customFields,
			tags: parseTags(additional.tags),
		}),
		name,
		phones,
		emails,
		avoidDuplicates: this.getNodeParameter('avoidDuplicates', itemIndex, true) as boolean,
		defaultCountryCode: country,
		matchBy: 'phoneOrEmail',
		hasCustomFields: customFields.length > 0,
	};
}

/**
 * Looks for duplicates (Avoid Duplicates: name, then phones, then emails), then creates the new
 * companies in batches (Options > Batch Size). Items of one run with the same name, phone or
 * email make one company; the later ones are returned with `reused: true`.
 */
export async function send(
	this: IExecuteFunctions,
	prepared: PreparedCompany[],
): Promise<ItemResult[]> {
	return await createAvoidingDuplicates(
		this,
		{
			entity: 'companies',
			subject: 'company',
			sameBy: 'name, phone or email',
			rule: companyDuplicateRule(this),
		},
		prepared,
	);
}

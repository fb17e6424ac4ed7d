import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

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
import { emailsProperty, phonesProperty } from '../contact/contactFields';
import { readPhonesAndEmails } from '../contact/contactValues';
import { sendPhoneEmailUpdates, valuesModeProperty } from '../contact/phoneEmailUpdate';
import type { PreparedPhoneEmailUpdate, ValuesMode } from '../contact/phoneEmailUpdate';
import { entityIdProperty, readEntityId } from '../entityLocator';
import type { ItemResult } from '../operation';
import { companyUpdateBody } from './companyBody';
import type { CompanyChanges } from './companyBody';

const displayOptions = { show: { resource: ['company'], operation: ['update'] } };

export const description: INodeProperties[] = [
	entityIdProperty('company', {
		name: 'companyId',
		description:
			'The company to change: choose it from the list, paste its amoCRM page address, or map its ID',
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
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				placeholder: 'Shifo Med Group',
				description: "The company's new name",
			},
			{
				...responsibleUserProperty(),
				description:
					'The amoCRM user to put in charge of the company. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Tags to Add',
				name: 'tags',
				type: 'string',
				default: '',
				placeholder: 'partner, vip',
				description:
					'Tags to put on the company, separated by commas; the tags it already has stay',
			},
		],
	},
	phonesProperty('Phone numbers to give the company, in international format', displayOptions),
	valuesModeProperty('phonesMode', 'Phones', 'company', displayOptions),
	emailsProperty('Email addresses to give the company', displayOptions),
	valuesModeProperty('emailsMode', 'Emails', 'company', displayOptions),
	customFieldsProperty('companies', displayOptions),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions,
		options: [
			{
				...batchSizeProperty('companies'),
				description:
					'How many companies to change in one request to amoCRM (up to 250; amoCRM recommends 50). 1 sends one request per item.',
			},
			defaultCountryCodeProperty(
				'Digits of the country code for numbers typed without one (998 for Uzbekistan, 7 for Russia and Kazakhstan). Empty: the country of the amoCRM account.',
			),
		],
	},
];

interface UpdateFields {
	name?: string;
	responsibleUserId?: string | number;
	tags?: string;
}

export interface PreparedCompanyUpdate extends PreparedPhoneEmailUpdate {
	/** What changes besides phones and emails (only the fields filled in). */
	changes: CompanyChanges;
}

/** Reads and checks one item; throws, naming the field, before anything is sent. */
export async function prepare(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<PreparedCompanyUpdate> {
	const id = readEntityId(this, itemIndex, 'company', 'companyId') as number;
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as UpdateFields;
	const { defaultCountryCode } = this.getNodeParameter('options', itemIndex, {}) as {
		defaultCountryCode?: string;
	};
	const { phones, emails, country } = await readPhonesAndEmails(
		this,
		itemIndex,
		defaultCountryCode,
	);
	const changes: CompanyChanges = {
		id,
		name: String(fields.name ?? '').trim() || undefined,
		responsibleUserId: parseId(
			this,
			itemIndex,
			fields.responsibleUserId,
			'Responsible User ID',
			false,
		),
		tagsToAdd: parseTags(fields.tags),
	};
	const customFields = await readCustomFields(this, itemIndex, 'companies');
	const nothing =
		changes.name === undefined &&
		changes.responsibleUserId === undefined &&
		changes.tagsToAdd === undefined &&
		customFields.length === 0 &&
		phones.length === 0 &&
		emails.length === 0;
	if (nothing) {
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
		changes,
		customFields,
		phones,
		emails,
		phonesMode: this.getNodeParameter('phonesMode', itemIndex, 'add') as ValuesMode,
		emailsMode: this.getNodeParameter('emailsMode', itemIndex, 'add') as ValuesMode,
		country,
	};
}

/** Reads the companies whose phones or emails are added to, then sends the changes in batches. */
export async function send(
	this: IExecuteFunctions,
	prepared: PreparedCompanyUpdate[],
): Promise<ItemResult[]> {
	return await sendPhoneEmailUpdates(this, 'companies', prepared, (item, customFields) =>
		companyUpdateBody({ ...item.changes, customFields }),
	);
}

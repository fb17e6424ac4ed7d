import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { isoTime } from '../../helpers/readableFields';
import { amoCrmBatchUpdate } from '../../transport/batch';
import type { BatchEntry, UpdatedWithId } from '../../transport/batch';
import { customFieldPathDescriber, getCustomFields } from '../../transport/catalog';
import { getAccount } from '../../transport/request';
import type { CompanyUpdateRequest, CustomFieldValue } from '../../transport/types';
import {
	asNodeError,
	batchSizeOf,
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
import type { FoundEntity } from '../contact/lookup';
import {
	addsToStoredValues,
	afterUpdate,
	phoneAndEmailUpdate,
	readEntitiesById,
	valuesModeProperty,
} from '../contact/phoneEmailUpdate';
import type { PhoneEmailChange, ValuesMode } from '../contact/phoneEmailUpdate';
import { entityIdProperty, readEntityId } from '../entityLocator';
import type { ItemResult, PreparedItem } from '../operation';
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

export interface PreparedCompanyUpdate extends PreparedItem, PhoneEmailChange {
	/** What changes besides phones and emails (only the fields filled in). */
	changes: CompanyChanges;
	/** Other custom fields, sent after the phones and emails. */
	customFields: CustomFieldValue[];
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
		changes,
		customFields,
		phones,
		emails,
		phonesMode: this.getNodeParameter('phonesMode', itemIndex, 'add') as ValuesMode,
		emailsMode: this.getNodeParameter('emailsMode', itemIndex, 'add') as ValuesMode,
		country,
	};
}

/**
 * Reads the companies whose phones or emails are added to (one request per 250), then sends
 * the changes in batches (`PATCH /api/v4/companies`, Options > Batch Size).
 */
export async function send(
	this: IExecuteFunctions,
	prepared: PreparedCompanyUpdate[],
): Promise<ItemResult[]> {
	const continueOnFail = this.continueOnFail();
	const results = new Map<number, ItemResult>();
	const adding = prepared.filter(addsToStoredValues);
	let existing = new Map<number, FoundEntity>();
	if (adding.length > 0) {
		try {
			existing = await readEntitiesById(
				this,
				'companies',
				adding.map((item) => item.changes.id),
				adding[0].itemIndex,
			);
		} catch (error) {
			if (!continueOnFail) throw asNodeError(this, error, adding[0].itemIndex);
			for (const item of adding)
				results.set(item.itemIndex, asNodeError(this, error, item.itemIndex));
		}
	}
	const fields = prepared.some((item) => item.customFields.length > 0)
		? await getCustomFields.call(this, 'companies')
		: undefined;
	const entries: Array<BatchEntry<CompanyUpdateRequest>> = [];
	for (const item of prepared) {
		if (results.has(item.itemIndex)) continue;
		const notFound = `Company ${item.changes.id} was not found in amoCRM`;
		const company = existing.get(item.changes.id);
		if (addsToStoredValues(item) && !company) {
			const error = operationError(
				this,
				item.itemIndex,
				notFound,
				'Check the company chosen in Company: it may have been deleted or merged into another one.',
			);
			if (!continueOnFail) throw error;
			results.set(item.itemIndex, error);
			continue;
		}
		const phoneAndEmail = phoneAndEmailUpdate(item, company);
		if (company) existing.set(company.id, afterUpdate(company, phoneAndEmail));
		const body = companyUpdateBody({
			...item.changes,
			customFields: [...phoneAndEmail, ...item.customFields],
		});
		entries.push({
			itemIndex: item.itemIndex,
			body,
			notFound,
			messageFor: (error) => (error.path === 'id' ? notFound : undefined),
			describePath: (path) => customFieldPathDescriber([body], fields)(path, 0),
		});
	}
	const outcomes = await amoCrmBatchUpdate.call(
		this,
		{
			path: 'companies',
			subject: 'company',
			embeddedKey: 'companies',
			batchSize: batchSizeOf(this),
			continueOnFail,
		},
		entries,
	);
	const { url } = await getAccount.call(this);
	for (const outcome of outcomes) {
		if ('error' in outcome) {
			results.set(outcome.itemIndex, outcome.error);
			continue;
		}
		const updated: UpdatedWithId = outcome.updated;
		results.set(outcome.itemIndex, [
			{
				id: updated.id,
				updatedAt: isoTime(updated.updated_at),
				url: `${url}/companies/detail/${updated.id}`,
			},
		]);
	}
	return prepared.map((item) => results.get(item.itemIndex) as ItemResult);
}

import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { chosenChoices, CustomFieldValueError, customFieldValues } from '../helpers/customFields';
import type { CustomFieldInput } from '../helpers/customFields';
import { DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE } from '../transport/batch';
import { getCustomFields } from '../transport/catalog';
import type { CustomFieldEntity } from '../transport/catalog';
import { getAccount } from '../transport/request';
import type { CustomField, CustomFieldValue, Tag } from '../transport/types';

/** Field descriptions and input parsing shared by several operations. */

const CUSTOM_FIELD_SUBJECT: Record<CustomFieldEntity, string> = {
	companies: 'company',
	contacts: 'contact',
	leads: 'deal',
};

/** The searchable list (methods/listSearch.ts) of each entity's custom fields. */
const CUSTOM_FIELD_LIST: Record<CustomFieldEntity, string> = {
	companies: 'searchCompanyCustomFields',
	contacts: 'searchContactCustomFields',
	leads: 'searchDealCustomFields',
};

export function customFieldsProperty(
	entity: CustomFieldEntity,
	displayOptions: INodeProperties['displayOptions'],
): INodeProperties {
	const what = CUSTOM_FIELD_SUBJECT[entity];
	return {
		displayName: 'Custom Fields',
		name: 'customFields',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Custom Field',
		default: {},
		displayOptions,
		description: `Fields your amoCRM account adds to every ${what} (for example "Source"), chosen by name`,
		options: [
			{
				displayName: 'Field',
				name: 'field',
				values: [
					{
						displayName: 'Field',
						name: 'fieldId',
						type: 'resourceLocator',
						default: { mode: 'list', value: '' },
						required: true,
						description: 'The amoCRM field this value goes to',
						modes: [
							{
								displayName: 'From List',
								name: 'list',
								type: 'list',
								placeholder: 'Choose a field…',
								typeOptions: {
									searchListMethod: CUSTOM_FIELD_LIST[entity],
									searchable: true,
								},
							},
							{
								displayName: 'By ID',
								name: 'id',
								type: 'string',
								placeholder: 'e.g. 4001',
								validation: [
									{
										type: 'regex',
										properties: {
											regex: '^\\s*\\d+\\s*$',
											errorMessage: "Enter the field's amoCRM ID, a whole number such as 4001",
										},
									},
								],
							},
						],
					},
					{
						displayName: 'Choices Names or IDs',
						name: 'choices',
						type: 'multiOptions',
						typeOptions: {
							loadOptionsMethod:
								entity === 'contacts'
									? 'getContactCustomFieldChoices'
									: 'getDealCustomFieldChoices',
							// The list reloads when another field is chosen. n8n compares the
							// dependencies as text: the locator's value is what changes.
							loadOptionsDependsOn: ['&fieldId', '&fieldId.value'],
						},
						default: [],
						// Shown once a field is chosen, so that its list first loads with that field.
						displayOptions: { hide: { fieldId: [''] } },
						description:
							'For a list field: the choices to store (one for a select field, one or more for a multiselect). Leave empty to use Value instead. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description:
							'The value to store, typed or mapped from an earlier node. For a list field one of the choices shown after the field\'s name (several separated by commas for a multiselect), or pick them in Choices instead; for a checkbox "yes" or "no", for a date 2026-11-26. Empty leaves the field unchanged.',
					},
				],
			},
		],
	};
}

/** The value of a resource locator ({ __rl, mode, value }), or the plain value an expression or older node gave. */
export function locatorValue(value: unknown): unknown {
	if (value !== null && typeof value === 'object' && 'mode' in value && 'value' in value)
		return (value as { value: unknown }).value;
	return value;
}

export function responsibleUserProperty(): INodeProperties {
	return {
		displayName: 'Responsible User Name or ID',
		name: 'responsibleUserId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getUsers' },
		default: '',
		description:
			'The amoCRM user in charge. Empty: the user who connected the integration. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	};
}

/** Options > Default Country Code: completes phone numbers typed without a country code (empty: the account's country). */
export function defaultCountryCodeProperty(description: string): INodeProperties {
	return {
		displayName: 'Default Country Code',
		name: 'defaultCountryCode',
		type: 'string',
		default: '',
		placeholder: '998',
		description,
	};
}

/** Which of a new contact's details must equal an existing contact's for that contact to be used instead. */
export type MatchContactsBy = 'phoneOrEmail' | 'phone' | 'phoneAndEmail';

/** Options > Match Existing Contacts By (with Avoid Duplicates on). */
export function matchContactsByProperty(): INodeProperties {
	return {
		displayName: 'Match Existing Contacts By',
		name: 'matchContactsBy',
		type: 'options',
		options: [
			{
				name: 'Phone and Email Must Both Agree',
				value: 'phoneAndEmail',
				description:
					'Only a contact that has both the phone and the email given; anything less makes a new contact. For public forms.',
			},
			{
				name: 'Phone Only',
				value: 'phone',
				description: 'Only the same phone; emails are never matched. For public forms.',
			},
			{
				name: 'Phone or Email',
				value: 'phoneOrEmail',
				description:
					'The same phone, or else the same email. For trusted sources (your own staff, imports).',
			},
		],
		default: 'phoneOrEmail',
		description:
			"With Avoid Duplicates on: when an existing contact is used instead of creating one. On a public form anyone who knows a customer's email could attach a deal to that customer's contact with Phone or Email: choose Phone Only or Phone and Email Must Both Agree there. An existing contact is never changed.",
	};
}

export function tagsProperty(what: string): INodeProperties {
	return {
		displayName: 'Tags',
		name: 'tags',
		type: 'string',
		default: '',
		placeholder: 'site, hearing-aids',
		description: `Tags to put on the ${what}, separated by commas`,
	};
}

export function operationError(
	context: IExecuteFunctions,
	itemIndex: number,
	message: string,
	description: string,
): NodeOperationError {
	return new NodeOperationError(context.getNode(), message, { itemIndex, description });
}

/** A text parameter that must not be empty (trimmed); empty fails the item as "<label> is empty" with `fix`. */
export function requiredText(
	context: IExecuteFunctions,
	itemIndex: number,
	name: string,
	label: string,
	fix: string,
): string {
	const value = String(context.getNodeParameter(name, itemIndex, '') ?? '').trim();
	if (value === '') throw operationError(context, itemIndex, `${label} is empty`, fix);
	return value;
}

/** An amoCRM ID from a dropdown or an expression; undefined when empty and optional. */
export function parseId(
	context: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	label: string,
	required: boolean,
): number | undefined {
	const text = value === null || value === undefined ? '' : String(value).trim();
	if (text === '') {
		if (!required) return undefined;
		throw operationError(
			context,
			itemIndex,
			`${label} is empty`,
			`Enter the amoCRM ID of the ${label.replace(/ ID$/, '').toLowerCase()}, or map it from an earlier node, e.g. {{ $json.id }}.`,
		);
	}
	if (!/^\d+$/.test(text) || Number(text) <= 0) {
		throw operationError(
			context,
			itemIndex,
			`${label} must be a number, not "${text}"`,
			`amoCRM IDs are whole numbers such as 40401635. If you mapped it from an earlier node, map its "id" field.`,
		);
	}
	return Number(text);
}

export function parseTags(text: unknown): Tag[] | undefined {
	const tags = String(text ?? '')
		.split(',')
		.map((tag) => tag.trim())
		.filter((tag) => tag !== '')
		.map((name) => ({ name }));
	return tags.length > 0 ? tags : undefined;
}

/** The "Custom Fields" rows of an item as amoCRM values, checked against the account's fields. */
export async function readCustomFields(
	context: IExecuteFunctions,
	itemIndex: number,
	entity: CustomFieldEntity,
): Promise<CustomFieldValue[]> {
	return (await readCustomFieldValues(context, itemIndex, entity)).values;
}

/** A custom field value as the item gave it: the field's name and the text typed or chosen. */
export interface GivenValue {
	field: string;
	value: string;
}

/** A value the account's field does not take, left out of the item, and why. */
export interface LeftOutValue extends GivenValue {
	reason: string;
}

export interface CustomFieldsRead {
	values: CustomFieldValue[];
	/** For each of `values`, in the same order, what the item gave for it. */
	given: GivenValue[];
	/** With `leaveOutRefused`: the values left out of `values`. */
	leftOut: LeftOutValue[];
}

/**
 * readCustomFields, keeping what the item gave for each value. `leaveOutRefused` (Deal > Create >
 * If a Field Value Is Refused): a value its field does not take (not a number, not one of the
 * choices…) is left out and listed instead of failing the item; a row set up wrongly in the node
 * (no field, a field the account does not have, Choices that do not fit the field) still fails
 * it, as it would every item.
 */
export async function readCustomFieldValues(
	context: IExecuteFunctions,
	itemIndex: number,
	entity: CustomFieldEntity,
	options: { leaveOutRefused?: boolean } = {},
): Promise<CustomFieldsRead> {
	const rows = (context.getNodeParameter('customFields.field', itemIndex, []) as CustomFieldInput[])
		.map((row) => ({ ...row, fieldId: locatorValue(row.fieldId) as CustomFieldInput['fieldId'] }))
		.filter(
			(row) =>
				String(row.fieldId ?? '').trim() !== '' ||
				String(row.value ?? '').trim() !== '' ||
				chosenChoices(row.choices).length > 0,
		);
	if (rows.length === 0) return { values: [], given: [], leftOut: [] };
	rows.forEach((row, index) => {
		if (String(row.fieldId ?? '').trim() === '') {
			throw operationError(
				context,
				itemIndex,
				`Custom Fields, row ${index + 1}: no field chosen`,
				'Choose the amoCRM field this value goes to, or remove the row.',
			);
		}
	});
	const remembered = await getCustomFields.call(context, entity);
	try {
		// Nothing is left out on what we remember: it may be out of date.
		return rowValues(rows, remembered, false);
	} catch (error) {
		if (!(error instanceof CustomFieldValueError))
			throw new NodeOperationError(context.getNode(), error as Error, { itemIndex });
	}
	// The fields we remember may be out of date (a field or choice added since): look once more before failing.
	const fresh = await getCustomFields.call(context, entity, { fresh: true });
	try {
		return rowValues(rows, fresh, options.leaveOutRefused === true);
	} catch (error) {
		if (error instanceof CustomFieldValueError) {
			throw operationError(
				context,
				itemIndex,
				`Custom Fields: ${error.message}`,
				'Choose the field again from the list, or fix the value mapped to it.',
			);
		}
		throw new NodeOperationError(context.getNode(), error as Error, { itemIndex });
	}
}

function rowValues(
	rows: CustomFieldInput[],
	fields: CustomField[],
	leaveOutRefused: boolean,
): CustomFieldsRead {
	const read: CustomFieldsRead = { values: [], given: [], leftOut: [] };
	for (const row of rows) {
		const field = fields.find((candidate) => candidate.id === Number(row.fieldId));
		if (leaveOutRefused && field !== undefined && !choicesMisfit(row, field)) {
			const reason = refusalOf(row, fields);
			if (reason !== undefined) {
				read.leftOut.push({ field: field.name, value: givenText(row, field), reason });
				continue;
			}
		}
		// Throws what cannot be left out.
		const [value] = customFieldValues([row], fields);
		if (value === undefined || field === undefined) continue;
		read.values.push(value);
		read.given.push({ field: field.name, value: givenText(row, field) });
	}
	return read;
}

/** Why the row's field does not take its value; undefined when it does. */
function refusalOf(row: CustomFieldInput, fields: CustomField[]): string | undefined {
	try {
		customFieldValues([row], fields);
		return undefined;
	} catch (error) {
		return error instanceof CustomFieldValueError ? error.message : undefined;
	}
}

/**
 * Choices that cannot fit the row's field whatever they are: with a Value too, for a field
 * without choices, or several for a field that takes one. Set up so in the node, not a value
 * an item brought.
 */
function choicesMisfit(row: CustomFieldInput, field: CustomField): boolean {
	const choices = chosenChoices(row.choices);
	if (choices.length === 0) return false;
	if (valueText(row.value) !== '') return true;
	if (field.type === 'multiselect') return false;
	return !['select', 'radiobutton'].includes(field.type) || choices.length > 1;
}

function valueText(value: unknown): string {
	if (value === null || value === undefined) return '';
	return typeof value === 'object' ? JSON.stringify(value) : String(value).trim();
}

/** The row's text as the item gave it: its Value, or the names of its Choices (IDs the field no longer has as they are). */
function givenText(row: CustomFieldInput, field: CustomField): string {
	const choices = chosenChoices(row.choices);
	if (choices.length === 0) return valueText(row.value);
	return choices
		.map(
			(choice) =>
				field.enums?.find(
					(option) =>
						String(option.id) === choice || option.value.toLowerCase() === choice.toLowerCase(),
				)?.value ?? choice,
		)
		.join(', ');
}

export async function entityUrl(
	context: IExecuteFunctions,
	entity: 'leads' | 'contacts' | 'companies' | 'customers',
	id: number,
): Promise<string> {
	const account = await getAccount.call(context);
	return `${account.url}/${entity}/detail/${id}`;
}

export function batchSizeProperty(
	what:
		| 'calls'
		| 'companies'
		| 'contacts'
		| 'deals'
		| 'notes'
		| 'tasks'
		| 'incoming leads'
		| 'products',
	max = MAX_BATCH_SIZE,
): INodeProperties {
	return {
		displayName: 'Batch Size',
		name: 'batchSize',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: max },
		default: DEFAULT_BATCH_SIZE,
		description: `How many ${what} to create in one request to amoCRM (up to ${max}; amoCRM recommends 50). 1 sends one request per item.`,
	};
}

/** Options > Batch Size of the node (the first item's; one value for the whole run). */
export function batchSizeOf(context: IExecuteFunctions): number {
	const { batchSize } = context.getNodeParameter('options', 0, {}) as { batchSize?: number };
	const size = Math.floor(Number(batchSize ?? DEFAULT_BATCH_SIZE));
	return Number.isFinite(size) && size >= 1 ? Math.min(size, MAX_BATCH_SIZE) : DEFAULT_BATCH_SIZE;
}

/** The error as n8n's node error it already is, or wrapped in one for the item. */
export function asNodeError(
	context: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(context.getNode(), error as Error, { itemIndex });
}

/** Get Many: Return All, or Limit (shown when Return All is off). */
export function returnAllOrLimitProperties(
	displayOptions: NonNullable<INodeProperties['displayOptions']>,
): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions,
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { ...displayOptions.show, returnAll: [false] } },
		},
	];
}

/** How many results Get Many reads: undefined for Return All. */
export function readLimit(context: IExecuteFunctions, itemIndex: number): number | undefined {
	if (context.getNodeParameter('returnAll', itemIndex, false) as boolean) return undefined;
	const limit = Math.floor(Number(context.getNodeParameter('limit', itemIndex, 50)));
	if (!Number.isFinite(limit) || limit < 1) {
		throw operationError(
			context,
			itemIndex,
			`Limit must be a whole number of 1 or more, not "${context.getNodeParameter('limit', itemIndex, 50)}"`,
			'Enter how many results to return, or turn on Return All.',
		);
	}
	return limit;
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { cached, forget } from '../../transport/cache';
import { getAccount } from '../../transport/request';
import { defaultCountryCodeProperty } from '../common';
import { phoneCountry } from '../contact/contactValues';
import type { OperationResult } from '../operation';
import type { KnownField } from './formSubmission';
import {
	KNOWN_FIELDS,
	namesOf,
	phoneNeedsCountry,
	readFormFields,
	readFormPhone,
} from './formSubmission';

const displayOptions = { show: { resource: ['siteForm'], operation: ['readSubmission'] } };

const LABELS: Record<KnownField, string> = {
	name: 'Name',
	phone: 'Phone',
	email: 'Email',
	source: 'Source',
	message: 'Message',
	productId: 'Product ID',
};

export const description: INodeProperties[] = [
	{
		displayName: 'Form Fields',
		name: 'formFields',
		type: 'json',
		default: '={{ $json.body }}',
		description:
			"The fields the site sent: the Webhook node's body. Every field besides the known ones is kept under <code>fields</code>.",
		displayOptions,
	},
	{
		displayName: 'Content Type',
		name: 'contentType',
		type: 'string',
		default: '={{ $json.headers?.["content-type"] ?? "" }}',
		description:
			"The request's Content-Type header. A form sent as anything but JSON, URL-encoded or multipart form data is refused. Empty: not checked.",
		displayOptions,
	},
	{
		displayName: 'Required Fields',
		name: 'requiredFields',
		type: 'multiOptions',
		options: [
			{ name: 'Email', value: 'email' },
			{ name: 'Message', value: 'message' },
			{ name: 'Name', value: 'name' },
			{ name: 'Phone', value: 'phone' },
			{ name: 'Product ID', value: 'productId' },
			{ name: 'Source', value: 'source' },
		],
		default: ['name', 'phone'],
		description: 'A submission without one of these is not valid (errors name each one)',
		displayOptions,
	},
	{
		displayName: 'Form Field Names',
		name: 'fieldNames',
		type: 'collection',
		placeholder: 'Add Field Name',
		default: {},
		description:
			"Which of the form's fields feed the lead's known fields, when the form names them otherwise. Several names comma-separated; case, spaces, dashes and underscores are ignored (product_id is productId).",
		displayOptions,
		options: [...KNOWN_FIELDS]
			.sort((a, b) => LABELS[a].localeCompare(LABELS[b]))
			.map((field) => ({
				displayName: `${LABELS[field]} Field`,
				name: field,
				type: 'string' as const,
				default: field,
				placeholder: field === 'name' ? 'name, full_name' : field,
				description: `The form field(s) read as the lead's ${LABELS[field].toLowerCase()}`,
			})),
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
				"Digits of the country code that completes phones typed without one, e.g. 998. Empty: the amoCRM account's country (read once). When amoCRM cannot be asked, such a phone is kept as typed digits with phoneChecked false, and the lead is still valid.",
			),
		],
	},
];

/** The form's JSON: an object from an expression, or JSON text typed into the field. */
function formBody(value: unknown): unknown {
	if (typeof value !== 'string') return value;
	if (value.trim() === '') return {};
	try {
		return JSON.parse(value) as unknown;
	} catch {
		return value;
	}
}

/** After amoCRM could not be asked, the posts of the next minute do not ask again: each would wait for the read to give up. */
const UNREACHABLE_MS = 60_000;

/**
 * Phones typed without a country code need the account's country. When amoCRM is down or the
 * credential is wrong the lead must still be stored, so a failed read leaves the country
 * unknown (undefined) instead of failing the item.
 */
async function countryOrUnknown(
	context: IExecuteFunctions,
	option: string,
	typed: string,
): Promise<string | undefined> {
	if (option.trim() !== '' || !phoneNeedsCountry(typed)) return option.trim();
	let marker = '';
	try {
		marker = `${(await getAccount.call(context)).key}:account-unreachable`;
		if (await cached(marker, async () => false, UNREACHABLE_MS)) return undefined;
		return await phoneCountry(context, '', [typed]);
	} catch {
		if (marker !== '') {
			forget(marker);
			await cached(marker, async () => true, UNREACHABLE_MS);
		}
		return undefined;
	}
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult[]> {
	const body = formBody(this.getNodeParameter('formFields', itemIndex, {}));
	const contentType = String(this.getNodeParameter('contentType', itemIndex, '') ?? '');
	const required = this.getNodeParameter('requiredFields', itemIndex, []) as KnownField[];
	const typedNames = this.getNodeParameter('fieldNames', itemIndex, {}) as IDataObject;
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		defaultCountryCode?: string;
	};
	const names = Object.fromEntries(
		KNOWN_FIELDS.map((field) => [field, namesOf(field, typedNames[field])]),
	) as Record<KnownField, string[]>;

	const { errors, known, fields } = readFormFields(body, contentType, names, required);
	let phone = '';
	let phoneChecked = true;
	if (known.phone !== '') {
		const country = await countryOrUnknown(
			this,
			String(options.defaultCountryCode ?? ''),
			known.phone,
		);
		const read = readFormPhone(known.phone, country);
		if ('error' in read) errors.phone = read.error;
		else ({ phone, phoneChecked } = read);
	}
	const invalid = Object.keys(errors);
	return [
		{
			valid: invalid.length === 0,
			errors,
			errorMessage: invalid.length === 0 ? '' : `Invalid lead: ${invalid.join(', ')}`,
			...known,
			phone,
			phoneChecked,
			fields,
		},
	];
}

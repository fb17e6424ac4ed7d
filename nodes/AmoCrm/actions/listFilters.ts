import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { parseDateTime } from '../helpers/dateTime';
import { amoCrmApiRequestAllItems } from '../transport/request';
import { operationError, parseId, readLimit, returnAllOrLimitProperties } from './common';

/**
 * Get Many filters amoCRM's lists share (`GET /api/v4/leads`, `/contacts`, `/companies`):
 * responsible user, created/updated between two moments, and text (`query`).
 */
export interface ListFilters {
	responsibleUserId?: string | number;
	createdFrom?: string;
	createdTo?: string;
	updatedFrom?: string;
	updatedTo?: string;
	query?: string;
}

/** The Filters collection's common fields, for `what` ("contacts", "deals", "companies"). */
export function listFilterFields(what: string): INodeProperties[] {
	const moment = (displayName: string, name: string, description: string): INodeProperties => ({
		displayName,
		name,
		type: 'dateTime',
		default: '',
		description,
	});
	return [
		moment('Created After', 'createdFrom', `Only ${what} created at or after this moment`),
		moment('Created Before', 'createdTo', `Only ${what} created at or before this moment`),
		{
			displayName: 'Responsible User Name or ID',
			name: 'responsibleUserId',
			type: 'options',
			typeOptions: { loadOptionsMethod: 'getUsers' },
			default: '',
			description: `Only ${what} this user is in charge of. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
		},
		{
			displayName: 'Text',
			name: 'query',
			type: 'string',
			default: '',
			placeholder: 'Karimov',
			description: `Only ${what} where this text appears in the name or any filled field (amoCRM's own search)`,
		},
		moment('Updated After', 'updatedFrom', `Only ${what} changed at or after this moment`),
		moment('Updated Before', 'updatedTo', `Only ${what} changed at or before this moment`),
	];
}

const LABELS: Record<string, string> = {
	createdFrom: 'Created After',
	createdTo: 'Created Before',
	updatedFrom: 'Updated After',
	updatedTo: 'Updated Before',
};

/** A Filters moment as Unix seconds (amoCRM's dates); undefined when empty. */
function unixSeconds(
	context: IExecuteFunctions,
	itemIndex: number,
	name: keyof typeof LABELS,
	value: unknown,
): number | undefined {
	if (value === null || value === undefined || String(value).trim() === '') return undefined;
	const text = String(value).trim();
	// A date picked in n8n has no zone: it is read in the workflow's time zone.
	const milliseconds = parseDateTime(value, context.getTimezone());
	if (milliseconds === undefined) {
		throw operationError(
			context,
			itemIndex,
			`Filters > ${LABELS[name]}: "${text}" is not a date`,
			'Pick a date in the calendar, or map a date such as 2026-11-26T09:00:00 or a Unix timestamp in seconds.',
		);
	}
	return Math.floor(milliseconds / 1000);
}

/** The query string for the filters filled in; throws, naming the filter, when one is wrong. */
export function listFilterQuery(
	context: IExecuteFunctions,
	itemIndex: number,
	filters: ListFilters,
): IDataObject {
	const qs: IDataObject = {};
	const responsible = parseId(
		context,
		itemIndex,
		filters.responsibleUserId,
		'Filters > Responsible User ID',
		false,
	);
	if (responsible !== undefined) qs['filter[responsible_user_id]'] = responsible;
	for (const [field, from, to] of [
		['created_at', 'createdFrom', 'createdTo'],
		['updated_at', 'updatedFrom', 'updatedTo'],
	] as const) {
		const start = unixSeconds(context, itemIndex, from, filters[from]);
		const end = unixSeconds(context, itemIndex, to, filters[to]);
		if (start !== undefined && end !== undefined && start > end) {
			throw operationError(
				context,
				itemIndex,
				`Filters > ${LABELS[from]} is later than ${LABELS[to]}`,
				`Nothing can match: set ${LABELS[from]} to a moment before ${LABELS[to]}.`,
			);
		}
		if (start !== undefined) qs[`filter[${field}][from]`] = start;
		if (end !== undefined) qs[`filter[${field}][to]`] = end;
	}
	const query = String(filters.query ?? '').trim();
	if (query !== '') qs.query = query;
	return qs;
}

/** Return All / Limit and the Filters collection of Contact and Company > Get Many. */
export function entityListProperties(
	entities: 'contacts' | 'companies',
	displayOptions: NonNullable<INodeProperties['displayOptions']>,
): INodeProperties[] {
	return [
		...returnAllOrLimitProperties(displayOptions),
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			displayOptions,
			options: listFilterFields(entities),
		},
	];
}

/** The account's contacts or companies that match the filters, page after page (up to 250 each) until Limit. */
export async function readEntityList(
	context: IExecuteFunctions,
	itemIndex: number,
	entities: 'contacts' | 'companies',
): Promise<unknown[]> {
	const limit = readLimit(context, itemIndex);
	const filters = context.getNodeParameter('filters', itemIndex, {}) as ListFilters;
	const qs = listFilterQuery(context, itemIndex, filters);
	const subject = entities === 'contacts' ? 'contact list' : 'company list';
	return await amoCrmApiRequestAllItems.call(
		context,
		{ path: entities, qs, subject, itemIndex },
		entities,
		limit,
	);
}

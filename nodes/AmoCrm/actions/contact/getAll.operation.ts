import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { amoCrmApiRequestAllItems, getAccount } from '../../transport/request';
import type { ContactRecord } from '../../transport/types';
import { readLimit, returnAllOrLimitProperties } from '../common';
import { listFilterFields, listFilterQuery } from '../listFilters';
import type { ListFilters } from '../listFilters';
import type { OperationResult } from '../operation';
import { contactOutput } from './contactOutput';

const displayOptions = { show: { resource: ['contact'], operation: ['getAll'] } };

export const description: INodeProperties[] = [
	...returnAllOrLimitProperties(displayOptions),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions,
		options: listFilterFields('contacts'),
	},
];

/** The account's contacts that match the filters, page after page (up to 250 each) until Limit. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult[]> {
	const limit = readLimit(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as ListFilters;
	const qs = listFilterQuery(this, itemIndex, filters);
	const contacts = (await amoCrmApiRequestAllItems.call(
		this,
		{ path: 'contacts', qs, subject: 'contact list', itemIndex },
		'contacts',
		limit,
	)) as ContactRecord[];
	const account = await getAccount.call(this);
	return contacts.map((contact) => contactOutput(contact, account.url));
}

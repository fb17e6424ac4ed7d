import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { amoCrmApiRequestAllItems, getAccount } from '../../transport/request';
import type { CompanyRecord } from '../../transport/types';
import { readLimit, returnAllOrLimitProperties } from '../common';
import { listFilterFields, listFilterQuery } from '../listFilters';
import type { ListFilters } from '../listFilters';
import type { OperationResult } from '../operation';
import { companyOutput } from './companyOutput';

const displayOptions = { show: { resource: ['company'], operation: ['getAll'] } };

export const description: INodeProperties[] = [
	...returnAllOrLimitProperties(displayOptions),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions,
		options: listFilterFields('companies'),
	},
];

/** The account's companies that match the filters, page after page (up to 250 each) until Limit. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult[]> {
	const limit = readLimit(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as ListFilters;
	const qs = listFilterQuery(this, itemIndex, filters);
	const companies = (await amoCrmApiRequestAllItems.call(
		this,
		{ path: 'companies', qs, subject: 'company list', itemIndex },
		'companies',
		limit,
	)) as CompanyRecord[];
	const account = await getAccount.call(this);
	return companies.map((company) => companyOutput(company, account.url));
}

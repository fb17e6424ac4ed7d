import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { getAccount } from '../../transport/request';
import type { CompanyRecord } from '../../transport/types';
import { entityListProperties, readEntityList } from '../listFilters';
import type { OperationResult } from '../operation';
import { companyOutput } from './companyOutput';

const displayOptions = { show: { resource: ['company'], operation: ['getAll'] } };

export const description: INodeProperties[] = entityListProperties('companies', displayOptions);

/** The account's companies that match the filters, page after page (up to 250 each) until Limit. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult[]> {
	const companies = (await readEntityList(this, itemIndex, 'companies')) as CompanyRecord[];
	const account = await getAccount.call(this);
	return companies.map((company) => companyOutput(company, account.url));
}

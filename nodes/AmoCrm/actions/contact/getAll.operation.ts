import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { getAccount } from '../../transport/request';
import type { ContactRecord } from '../../transport/types';
import { entityListProperties, readEntityList } from '../listFilters';
import type { OperationResult } from '../operation';
import { contactOutput } from './contactOutput';

const displayOptions = { show: { resource: ['contact'], operation: ['getAll'] } };

export const description: INodeProperties[] = entityListProperties('contacts', displayOptions);

/** The account's contacts that match the filters, page after page (up to 250 each) until Limit. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult[]> {
	const contacts = (await readEntityList(this, itemIndex, 'contacts')) as ContactRecord[];
	const account = await getAccount.call(this);
	return contacts.map((contact) => contactOutput(contact, account.url));
}

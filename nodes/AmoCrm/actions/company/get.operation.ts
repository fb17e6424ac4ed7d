import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { getAccount } from '../../transport/request';
import type { CompanyRecord } from '../../transport/types';
import { entityIdProperty, getEntityById, readEntityId } from '../entityLocator';
import type { OperationResult } from '../operation';
import { companyOutput } from './companyOutput';

const displayOptions = { show: { resource: ['company'], operation: ['get'] } };

export const description: INodeProperties[] = [
	entityIdProperty('company', {
		name: 'companyId',
		description:
			'The company to read: choose it from the list, paste its amoCRM page address, or map its ID',
		displayOptions,
	}),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions,
		options: [
			{
				displayName: 'Include Contacts',
				name: 'includeContacts',
				type: 'boolean',
				default: false,
				description: 'Whether to add "contactIds": the IDs of the people who work at the company',
			},
			{
				displayName: 'Include Deals',
				name: 'includeDeals',
				type: 'boolean',
				default: false,
				description: 'Whether to add "dealIds": the IDs of the deals the company is linked to',
			},
		],
	},
];

/** GET /api/v4/companies/{id}: one company, its custom fields by name. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult[]> {
	const id = readEntityId(this, itemIndex, 'company', 'companyId') as number;
	const { includeContacts = false, includeDeals = false } = this.getNodeParameter(
		'options',
		itemIndex,
		{},
	) as { includeContacts?: boolean; includeDeals?: boolean };
	const company = (await getEntityById.call(this, itemIndex, 'company', id, [
		...(includeContacts ? ['contacts'] : []),
		...(includeDeals ? ['leads'] : []),
	])) as CompanyRecord;
	const account = await getAccount.call(this);
	return [companyOutput(company, account.url, { contacts: includeContacts, deals: includeDeals })];
}

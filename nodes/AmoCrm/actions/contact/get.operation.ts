import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { getAccount } from '../../transport/request';
import type { ContactRecord } from '../../transport/types';
import { entityIdProperty, getEntityById, readEntityId } from '../entityLocator';
import type { OperationResult } from '../operation';
import { contactOutput } from './contactOutput';

const displayOptions = { show: { resource: ['contact'], operation: ['get'] } };

export const description: INodeProperties[] = [
	entityIdProperty('contact', {
		name: 'contactId',
		description:
			'The contact to read: choose it from the list, paste its amoCRM page address, or map its ID',
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
				displayName: 'Include Company',
				name: 'includeCompanies',
				type: 'boolean',
				default: false,
				description: 'Whether to add "companyIds": the company the contact belongs to',
			},
			{
				displayName: 'Include Deals',
				name: 'includeDeals',
				type: 'boolean',
				default: false,
				description: 'Whether to add "dealIds": the IDs of the deals the contact is linked to',
			},
		],
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult[]> {
	const id = readEntityId(this, itemIndex, 'contact', 'contactId') as number;
	const { includeDeals = false, includeCompanies = false } = this.getNodeParameter(
		'options',
		itemIndex,
		{},
	) as { includeDeals?: boolean; includeCompanies?: boolean };
	const contact = (await getEntityById.call(this, itemIndex, 'contact', id, [
		...(includeDeals ? ['leads'] : []),
		...(includeCompanies ? ['companies'] : []),
	])) as ContactRecord;
	const account = await getAccount.call(this);
	return [
		contactOutput(contact, account.url, { deals: includeDeals, companies: includeCompanies }),
	];
}

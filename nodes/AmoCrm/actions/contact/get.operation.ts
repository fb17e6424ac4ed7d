import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { amoCrmApiRequest, getAccount } from '../../transport/request';
import type { ContactRecord } from '../../transport/types';
import { operationError } from '../common';
import { entityIdProperty, readEntityId } from '../entityLocator';
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
	const withParts = [
		...(includeDeals ? ['leads'] : []),
		...(includeCompanies ? ['companies'] : []),
	];
	const notFound = `Contact ${id} was not found in amoCRM`;
	const contact = (await amoCrmApiRequest.call(this, {
		method: 'GET',
		path: `contacts/${id}`,
		qs: withParts.length > 0 ? { with: withParts.join(',') } : undefined,
		subject: 'contact',
		itemIndex,
		notFound,
	})) as ContactRecord | undefined;
	if (!contact) {
		throw operationError(
			this,
			itemIndex,
			notFound,
			'Check the contact chosen in Contact: it may have been deleted or merged into another one.',
		);
	}
	const account = await getAccount.call(this);
	return [
		contactOutput(contact, account.url, { deals: includeDeals, companies: includeCompanies }),
	];
}

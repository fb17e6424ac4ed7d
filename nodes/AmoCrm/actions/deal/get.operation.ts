import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { Lead } from '../../transport/types';
import { entityIdProperty, getEntityById, readEntityId } from '../entityLocator';
import type { OperationResult } from '../operation';
import { dealOutputs } from './dealOutput';

const displayOptions = { show: { resource: ['deal'], operation: ['get'] } };

export const description: INodeProperties[] = [
	entityIdProperty('deal', {
		name: 'dealId',
		description:
			'The deal to read: choose it, paste its amoCRM page, or map its ID (e.g. from a trigger or a Create Deal step)',
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
				description:
					'Whether to list the IDs of the contacts linked to the deal (contacts: [{ ID, isMain }])',
			},
			{
				displayName: 'Include Products',
				name: 'includeProducts',
				type: 'boolean',
				default: false,
				description:
					'Whether to list the products on the deal with their quantities (products: [{ ID, catalogId, quantity }])',
			},
		],
	},
];

/** GET /api/v4/leads/{id}: one deal, with pipeline and stage names and its custom fields by name. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult[]> {
	const dealId = readEntityId(this, itemIndex, 'deal', 'dealId') as number;
	const { includeContacts = false, includeProducts = false } = this.getNodeParameter(
		'options',
		itemIndex,
		{},
	) as { includeContacts?: boolean; includeProducts?: boolean };
	const lead = (await getEntityById.call(this, itemIndex, 'deal', dealId, [
		...(includeContacts ? ['contacts'] : []),
		...(includeProducts ? ['catalog_elements'] : []),
	])) as Lead;
	return await dealOutputs(this, [lead]);
}

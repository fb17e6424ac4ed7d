import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { amoCrmApiRequest } from '../../transport/request';
import type { CatalogElementLinkRequest } from '../../transport/types';
import { locatorValue, operationError, parseId } from '../common';
import { readEntityId } from '../entityLocator';
import type { OperationResult } from '../operation';
import { dealProductProperties, readDealProduct } from './dealProducts';

const displayOptions = { show: { resource: ['deal'], operation: ['addProducts'] } };

export const description: INodeProperties[] = [
	...dealProductProperties('addProducts', { deal: 'add the product to', product: 'add' }),
	{
		displayName: 'Quantity',
		name: 'quantity',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 1,
		description:
			'How many of the product the deal has (a fraction such as 1.5 for goods sold by weight)',
		displayOptions,
	},
	{
		displayName: 'Price Field Name or ID',
		name: 'priceId',
		type: 'options',
		typeOptions: {
			loadOptionsMethod: 'getCatalogPriceFields',
			loadOptionsDependsOn: ['catalogId'],
		},
		default: '',
		description:
			'Which of the list\'s price fields gives the price on the deal, when the list has several (e.g. "Wholesale"). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions,
		options: [
			{
				displayName: 'If Product Is Empty',
				name: 'ifProductEmpty',
				type: 'options',
				options: [
					{
						name: 'Add Nothing',
						value: 'skip',
						description:
							'Output the deal with productId null and send nothing, e.g. for a form whose product field is optional',
					},
					{
						name: 'Fail the Item',
						value: 'fail',
						description: 'The error says that Product is empty',
					},
				],
				default: 'fail',
				description: 'What happens when Product is empty for an item',
			},
		],
	},
];

/** Whether the item names no product at all (an empty list choice, ID, SKU or expression). */
function productIsEmpty(context: IExecuteFunctions, itemIndex: number): boolean {
	const value = locatorValue(context.getNodeParameter('productId', itemIndex, ''));
	return value === null || value === undefined || String(value).trim() === '';
}

/**
 * POST /api/v4/leads/{id}/link with the product (`catalog_elements`), its list and quantity; adding
 * a product the deal already has sets its quantity (crm_platform/entity-links-api).
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult[]> {
	const rawQuantity = this.getNodeParameter('quantity', itemIndex, 1);
	const quantity = Number(rawQuantity);
	if (String(rawQuantity).trim() === '' || !Number.isFinite(quantity) || quantity <= 0) {
		throw operationError(
			this,
			itemIndex,
			`Quantity must be a number above 0, not "${String(rawQuantity)}"`,
			'Enter how many of the product the deal has, such as 1, 3 or 1.5.',
		);
	}
	const priceId = parseId(
		this,
		itemIndex,
		this.getNodeParameter('priceId', itemIndex, ''),
		'Price Field ID',
		false,
	);
	const { ifProductEmpty = 'fail' } = this.getNodeParameter('options', itemIndex, {}) as {
		ifProductEmpty?: 'fail' | 'skip';
	};
	if (ifProductEmpty === 'skip' && productIsEmpty(this, itemIndex)) {
		const dealId = readEntityId(this, itemIndex, 'deal', 'dealId') as number;
		return [{ dealId, productId: null, quantity: 0 }];
	}
	const { dealId, catalogId, productId } = await readDealProduct(this, itemIndex);
	const body: CatalogElementLinkRequest[] = [
		{
			to_entity_id: productId,
			to_entity_type: 'catalog_elements',
			metadata: {
				catalog_id: catalogId,
				quantity,
				...(priceId !== undefined ? { price_id: priceId } : {}),
			},
		},
	];
	await amoCrmApiRequest.call(this, {
		method: 'POST',
		path: `leads/${dealId}/link`,
		body,
		subject: 'product link',
		itemIndex,
		notFound: `Deal ${dealId} was not found in amoCRM`,
		describePath: (path) =>
			path.includes('to_entity_id')
				? `Product (ID ${productId} in catalog ${catalogId})`
				: path.includes('price_id')
					? 'Price Field'
					: undefined,
	});
	return [
		{
			dealId,
			productId,
			catalogId,
			quantity,
			...(priceId !== undefined ? { priceId } : {}),
		},
	];
}

import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { entityIdProperty, readEntityId } from '../entityLocator';
import {
	catalogProperty,
	productIdProperty,
	findProductId,
	readCatalogId,
} from '../product/productFields';

/** Deal, Catalog and Product of Deal > Add Products and Remove Products. */
export function dealProductProperties(
	operation: 'addProducts' | 'removeProducts',
	verb: { deal: string; product: string },
): INodeProperties[] {
	const displayOptions = { show: { resource: ['deal'], operation: [operation] } };
	return [
		entityIdProperty('deal', {
			name: 'dealId',
			description: `The deal to ${verb.deal}: choose it, paste its amoCRM page, or map its ID from a Create Deal step`,
			displayOptions,
		}),
		catalogProperty(displayOptions, 'The list the product is in; empty: the Products list'),
		productIdProperty(
			displayOptions,
			`The product to ${verb.product}: choose it from the chosen list, map its ID from a Product step, or give its SKU (article number)`,
			{ bySku: true },
		),
	];
}

/** The deal, list and product an item names; the deal and product are checked before any request. */
export async function readDealProduct(
	context: IExecuteFunctions,
	itemIndex: number,
): Promise<{ dealId: number; catalogId: number; productId: number }> {
	const dealId = readEntityId(context, itemIndex, 'deal', 'dealId') as number;
	const catalogId = await readCatalogId(context, itemIndex);
	const productId = await findProductId(context, itemIndex, catalogId);
	return { dealId, catalogId, productId };
}

import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { amoCrmApiRequestAllItems } from '../../transport/request';
import type { CatalogElement } from '../../transport/types';
import { readLimit, returnAllOrLimitProperties } from '../common';
import type { OperationResult } from '../operation';
import { catalogProperty, productOutput, readCatalogId } from './productFields';

const displayOptions = { show: { resource: ['product'], operation: ['getAll'] } };

export const description: INodeProperties[] = [
	catalogProperty(displayOptions, 'The list to read; empty: the Products list'),
	...returnAllOrLimitProperties(displayOptions),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions,
		options: [
			{
				displayName: 'Search',
				name: 'query',
				type: 'string',
				default: '',
				placeholder: 'Hearing aid',
				description:
					"Only products whose name or any filled field (SKU, description…) contains this text (amoCRM's own search)",
			},
		],
	},
];

/** GET /api/v4/catalogs/{id}/elements, page after page: one item per product. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult[]> {
	const limit = readLimit(this, itemIndex);
	const { query = '' } = this.getNodeParameter('filters', itemIndex, {}) as { query?: string };
	const catalogId = await readCatalogId(this, itemIndex);
	const text = String(query).trim();
	const elements = (await amoCrmApiRequestAllItems.call(
		this,
		{
			path: `catalogs/${catalogId}/elements`,
			qs: text !== '' ? { query: text } : {},
			subject: 'product list',
			itemIndex,
			notFound: `Catalog ${catalogId} was not found in amoCRM`,
		},
		'elements',
		limit,
	)) as CatalogElement[];
	return elements.map((element) => productOutput(element));
}

import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { amoCrmBatchCreate } from '../../transport/batch';
import type { BatchEntry, BatchOutcome } from '../../transport/batch';
import type { CatalogElement, CatalogElementRequest } from '../../transport/types';
import { batchSizeProperty, operationError } from '../common';
import type { ItemResult } from '../operation';
import type { ProductFieldsInput } from './productFields';
import {
	catalogProperty,
	elementsRequest,
	productFieldProperties,
	productFieldValues,
	productOutput,
	readCatalogId,
	sendPerCatalog,
} from './productFields';

const displayOptions = { show: { resource: ['product'], operation: ['create'] } };

export const description: INodeProperties[] = [
	catalogProperty(displayOptions, 'The list the product goes in; empty: the Products list'),
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'Hearing aid HA-200',
		description: "The product's name, as shown in the list and on deals",
		displayOptions,
	},
	{
		displayName: 'Product Fields',
		name: 'productFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions,
		options: productFieldProperties(),
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions,
		options: [batchSizeProperty('products')],
	},
];

export interface PreparedProduct {
	itemIndex: number;
	catalogId: number;
	body: CatalogElementRequest;
}

/** Reads and checks one item's product. */
export async function prepare(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<PreparedProduct> {
	const name = String(this.getNodeParameter('name', itemIndex, '')).trim();
	if (name === '') {
		throw operationError(
			this,
			itemIndex,
			'Name is empty',
			"Type the product's name or map it from an earlier node into Name.",
		);
	}
	const fields = this.getNodeParameter('productFields', itemIndex, {}) as ProductFieldsInput;
	const values = productFieldValues(this, itemIndex, fields, 'Product Fields');
	const catalogId = await readCatalogId(this, itemIndex);
	return {
		itemIndex,
		catalogId,
		body: { name, ...(values ? { custom_fields_values: values } : {}) },
	};
}

/** Products go in batches (Options > Batch Size) to POST /api/v4/catalogs/{id}/elements, one list at a time. */
export async function send(
	this: IExecuteFunctions,
	prepared: PreparedProduct[],
): Promise<ItemResult[]> {
	return await sendPerCatalog(prepared, async (catalogId, products) => {
		const entries: Array<BatchEntry<CatalogElementRequest>> = products.map((product) => ({
			itemIndex: product.itemIndex,
			body: product.body,
			notFound: `Catalog ${catalogId} was not found in amoCRM`,
		}));
		const outcomes = (await amoCrmBatchCreate.call(
			this,
			elementsRequest(this, catalogId),
			entries,
		)) as Array<BatchOutcome<CatalogElement>>;
		return new Map(
			outcomes.map((outcome, position): [number, ItemResult] => [
				products[position].itemIndex,
				'created' in outcome
					? [productOutput({ ...outcome.created, catalog_id: catalogId })]
					: outcome.error,
			]),
		);
	});
}

import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { amoCrmBatchUpdate } from '../../transport/batch';
import type { BatchEntry, BatchUpdateOutcome } from '../../transport/batch';
import { amoCrmApiRequestAllItems } from '../../transport/request';
import type { CatalogElement, CatalogElementRequest } from '../../transport/types';
import { batchSizeProperty, operationError } from '../common';
import type { ItemResult } from '../operation';
import type { ProductFieldsInput } from './productFields';
import {
	catalogProperty,
	elementsRequest,
	productFieldProperties,
	productFieldValues,
	productIdProperty,
	productOutput,
	readCatalogId,
	readProductId,
	sendPerCatalog,
} from './productFields';

const displayOptions = { show: { resource: ['product'], operation: ['update'] } };

export const description: INodeProperties[] = [
	catalogProperty(displayOptions, 'The list the product is in; empty: the Products list'),
	productIdProperty(
		displayOptions,
		'The product to change: choose it from the list, or map its ID from a Get Many or Create step',
	),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'Only the fields added here are changed; everything else stays as it is',
		displayOptions,
		options: [
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				placeholder: 'Hearing aid HA-200',
				description: "The product's new name",
			},
			...productFieldProperties(),
		],
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
				...batchSizeProperty('products'),
				description:
					'How many products to change in one request to amoCRM (up to 250; amoCRM recommends 50). 1 sends one request per item.',
			},
		],
	},
];

export interface PreparedProductUpdate {
	itemIndex: number;
	catalogId: number;
	body: CatalogElementRequest & { id: number };
}

/** Reads and checks one item's change; an item with nothing filled in fails before any request. */
export async function prepare(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<PreparedProductUpdate> {
	const id = readProductId(this, itemIndex);
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as ProductFieldsInput & {
		name?: string;
	};
	const name = String(fields.name ?? '').trim();
	const values = productFieldValues(this, itemIndex, fields, 'Update Fields');
	if (name === '' && values === undefined) {
		throw operationError(
			this,
			itemIndex,
			'Nothing to update',
			'Add a field under Update Fields (Name, SKU, Price or Description) and fill it in.',
		);
	}
	const catalogId = await readCatalogId(this, itemIndex);
	return {
		itemIndex,
		catalogId,
		body: {
			id,
			...(name !== '' ? { name } : {}),
			...(values ? { custom_fields_values: values } : {}),
		},
	};
}

const READ_CHUNK = 250;

/** The stored names of these products: amoCRM's reference lists `name` as required in an element's update. */
async function storedNames(
	context: IExecuteFunctions,
	catalogId: number,
	ids: number[],
	itemIndex: number,
): Promise<Map<number, string>> {
	const names = new Map<number, string>();
	const unique = [...new Set(ids)];
	for (let start = 0; start < unique.length; start += READ_CHUNK) {
		const qs = Object.fromEntries(
			unique.slice(start, start + READ_CHUNK).map((id, index) => [`filter[id][${index}]`, id]),
		);
		const elements = (await amoCrmApiRequestAllItems.call(
			context,
			{ path: `catalogs/${catalogId}/elements`, qs, subject: 'product list', itemIndex },
			'elements',
		)) as CatalogElement[];
		for (const element of elements) names.set(element.id, element.name);
	}
	return names;
}

/** PATCH /api/v4/catalogs/{id}/elements in batches (Options > Batch Size), one list at a time. */
export async function send(
	this: IExecuteFunctions,
	prepared: PreparedProductUpdate[],
): Promise<ItemResult[]> {
	return await sendPerCatalog(prepared, async (catalogId, products) => {
		const results = new Map<number, ItemResult>();
		const unnamed = products.filter((product) => product.body.name === undefined);
		const names =
			unnamed.length > 0
				? await storedNames(
						this,
						catalogId,
						unnamed.map((product) => product.body.id),
						unnamed[0].itemIndex,
					)
				: new Map<number, string>();
		const sendable: PreparedProductUpdate[] = [];
		for (const product of products) {
			const name = product.body.name ?? names.get(product.body.id);
			if (name === undefined) {
				const error = operationError(
					this,
					product.itemIndex,
					`Product ${product.body.id} was not found in catalog ${catalogId}`,
					'Check the product chosen in Product and the list chosen in Catalog: the product may have been deleted or be in another list.',
				);
				if (!this.continueOnFail()) throw error;
				results.set(product.itemIndex, error);
				continue;
			}
			sendable.push({ ...product, body: { ...product.body, name } });
		}
		const entries: Array<BatchEntry<CatalogElementRequest & { id: number }>> = sendable.map(
			(product) => ({
				itemIndex: product.itemIndex,
				body: product.body,
				notFound: `Product ${product.body.id} was not found in catalog ${catalogId}`,
			}),
		);
		const outcomes = (await amoCrmBatchUpdate.call(
			this,
			elementsRequest(this, catalogId),
			entries,
		)) as Array<BatchUpdateOutcome<CatalogElement>>;
		outcomes.forEach((outcome, position) => {
			results.set(
				sendable[position].itemIndex,
				'updated' in outcome
					? [productOutput({ ...outcome.updated, catalog_id: catalogId })]
					: outcome.error,
			);
		});
		return results;
	});
}

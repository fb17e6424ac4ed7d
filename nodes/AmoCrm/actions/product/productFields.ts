import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { BatchCreateRequest } from '../../transport/batch';

import { isoTime, readableCustomFields } from '../../helpers/readableFields';
import { getCatalogs } from '../../transport/catalog';
import { amoCrmApiRequestAllItems } from '../../transport/request';
import type { AmoCrmContext } from '../../transport/request';
import type { CatalogElement, CatalogElementRequest } from '../../transport/types';
import { batchSizeOf, locatorValue, operationError, parseId } from '../common';
import type { ItemResult, OperationResult } from '../operation';

/**
 * amoCRM keeps products as the elements of a list ("catalog") of type `products`, which an
 * account has at most one of (crm_platform/catalogs-api, products-api). Product operations and
 * Deal > Add / Remove Products choose the list here (empty: that products list) and the product
 * in it.
 */

/** Catalog: the account's lists; empty (the default) is its products list. */
export function catalogProperty(
	displayOptions: NonNullable<INodeProperties['displayOptions']>,
	description: string,
): INodeProperties {
	return {
		displayName: 'Catalog Name or ID',
		name: 'catalogId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getCatalogs' },
		default: '',
		description: `${description}. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
		displayOptions,
	};
}

/** The products list amoCRM makes when Products is turned on in its settings (`type: products`). */
export async function productsCatalogId(context: AmoCrmContext): Promise<number | undefined> {
	const catalogs = await getCatalogs.call(context);
	return catalogs.find((catalog) => catalog.type === 'products')?.id;
}

/** The list an item names in Catalog: its ID, or (empty) the account's products list. */
export async function readCatalogId(
	context: IExecuteFunctions,
	itemIndex: number,
): Promise<number> {
	const chosen = parseId(
		context,
		itemIndex,
		context.getNodeParameter('catalogId', itemIndex, ''),
		'Catalog ID',
		false,
	);
	if (chosen !== undefined) return chosen;
	const products = await productsCatalogId(context);
	if (products === undefined) {
		throw operationError(
			context,
			itemIndex,
			'This amoCRM account has no Products list',
			'Turn on Products in amoCRM (Settings > General settings > Products), or choose another list in Catalog.',
		);
	}
	return products;
}

/** Product: from a searchable list of the chosen catalog's elements, or by ID. */
export function productIdProperty(
	displayOptions: NonNullable<INodeProperties['displayOptions']>,
	description: string,
	{ bySku = false }: { bySku?: boolean } = {},
): INodeProperties {
	return {
		displayName: 'Product',
		name: 'productId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description,
		displayOptions,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Choose a product…',
				typeOptions: { searchListMethod: 'searchProducts', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 525439',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: '^\\s*\\d+\\s*$',
							errorMessage: "Enter the product's amoCRM ID, a whole number such as 525439",
						},
					},
				],
			},
			...(bySku
				? [
						{
							displayName: 'By SKU',
							name: 'sku',
							type: 'string' as const,
							placeholder: 'e.g. HA-200',
						},
					]
				: []),
		],
	};
}

/** The product an item names (list or ID, or a plain ID from an expression). */
export function readProductId(context: IExecuteFunctions, itemIndex: number): number {
	const raw = locatorValue(context.getNodeParameter('productId', itemIndex, ''));
	const text = raw === null || raw === undefined ? '' : String(raw).trim();
	if (text === '') {
		throw operationError(
			context,
			itemIndex,
			'Product is empty',
			'Choose the product from the list, or map its ID from an earlier node, e.g. {{ $json.id }}.',
		);
	}
	return parseId(context, itemIndex, text, 'Product ID', true) as number;
}

/**
 * The product an item names, also By SKU: the one element of the list whose SKU field is that
 * text (case and spaces aside), found with amoCRM's search (which matches any field, so the
 * SKU is compared here).
 */
export async function findProductId(
	context: IExecuteFunctions,
	itemIndex: number,
	catalogId: number,
): Promise<number> {
	const locator = context.getNodeParameter('productId', itemIndex, '') as unknown;
	const bySku =
		locator !== null &&
		typeof locator === 'object' &&
		(locator as { mode?: string }).mode === 'sku';
	if (!bySku) return readProductId(context, itemIndex);
	const sku = String(locatorValue(locator) ?? '').trim();
	if (sku === '') {
		throw operationError(
			context,
			itemIndex,
			'Product SKU is empty',
			"Type the product's SKU (its article number), or map it from an earlier node, e.g. {{ $json.productId }}.",
		);
	}
	const elements = (await amoCrmApiRequestAllItems.call(
		context,
		{
			path: `catalogs/${catalogId}/elements`,
			qs: { query: sku },
			subject: 'product search',
			itemIndex,
			notFound: `Catalog ${catalogId} was not found in amoCRM`,
		},
		'elements',
	)) as CatalogElement[];
	const same = (value: unknown) =>
		String(value ?? '')
			.trim()
			.toLowerCase() === sku.toLowerCase();
	const found = elements.filter((element) => same(fieldByCode(element, 'SKU')));
	if (found.length === 1) return found[0].id;
	throw operationError(
		context,
		itemIndex,
		found.length === 0
			? `No product in catalog ${catalogId} has the SKU "${sku}"`
			: `${found.length} products in catalog ${catalogId} have the SKU "${sku}" (IDs ${found.map((element) => element.id).join(', ')})`,
		found.length === 0
			? "Check the SKU against the product's card in amoCRM (Products list), or choose the product From List or By ID."
			: 'Give each product its own SKU in amoCRM, or choose the product By ID.',
	);
}

/** The product fields amoCRM's products list always has, by their codes (crm_platform/products-api). */
export interface ProductFieldsInput {
	sku?: string;
	price?: number | string;
	description?: string;
}

/** SKU, Price and Description, for a collection of Product > Create and Update. */
export function productFieldProperties(): INodeProperties[] {
	return [
		{
			displayName: 'Description',
			name: 'description',
			type: 'string',
			typeOptions: { rows: 2 },
			default: '',
			description: "The product's description (the products list's Description field)",
		},
		{
			displayName: 'Price',
			name: 'price',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description: "The product's price (the products list's Price field)",
		},
		{
			displayName: 'SKU',
			name: 'sku',
			type: 'string',
			default: '',
			placeholder: 'HA-200',
			description: "The product's article number (the products list's SKU field)",
		},
	];
}

/**
 * The filled SKU, Price and Description as `custom_fields_values` by field code (SKU, PRICE,
 * DESCRIPTION: the products list's own fields); throws, naming the field, on a price that is no number.
 */
export function productFieldValues(
	context: IExecuteFunctions,
	itemIndex: number,
	fields: ProductFieldsInput,
	label: string,
): CatalogElementRequest['custom_fields_values'] {
	const values: NonNullable<CatalogElementRequest['custom_fields_values']> = [];
	const sku = String(fields.sku ?? '').trim();
	if (sku !== '') values.push({ field_code: 'SKU', values: [{ value: sku }] });
	if (fields.price !== undefined && String(fields.price).trim() !== '') {
		const price = Number(fields.price);
		if (!Number.isFinite(price) || price < 0) {
			throw operationError(
				context,
				itemIndex,
				`${label} > Price must be a number of 0 or more, not "${String(fields.price)}"`,
				'Enter the price as a number such as 1500 or 99.90, without a currency sign.',
			);
		}
		values.push({ field_code: 'PRICE', values: [{ value: price }] });
	}
	const description = String(fields.description ?? '').trim();
	if (description !== '')
		values.push({ field_code: 'DESCRIPTION', values: [{ value: description }] });
	return values.length > 0 ? values : undefined;
}

function fieldByCode(element: CatalogElement, code: string): string | number | boolean | null {
	const field = element.custom_fields_values?.find((candidate) => candidate.field_code === code);
	const value = field?.values?.[0]?.value;
	return value === undefined ? null : value;
}

/** A product as the node outputs it: name, SKU, price and description, its other fields by name. */
export function productOutput(element: CatalogElement): OperationResult {
	const price = fieldByCode(element, 'PRICE');
	return {
		id: element.id,
		catalogId: element.catalog_id,
		name: element.name,
		sku: fieldByCode(element, 'SKU'),
		price: price === null || Number.isNaN(Number(price)) ? price : Number(price),
		description: fieldByCode(element, 'DESCRIPTION'),
		customFields: readableCustomFields(element.custom_fields_values, [
			'SKU',
			'PRICE',
			'DESCRIPTION',
		]) as OperationResult,
		createdAt: isoTime(element.created_at),
		updatedAt: isoTime(element.updated_at),
	};
}

/** The batched request for a list's elements (`POST` / `PATCH /api/v4/catalogs/{id}/elements`). */
export function elementsRequest(
	context: IExecuteFunctions,
	catalogId: number,
): BatchCreateRequest & { embeddedKey: string } {
	return {
		path: `catalogs/${catalogId}/elements`,
		subject: 'product',
		embeddedKey: 'elements',
		batchSize: batchSizeOf(context),
		continueOnFail: context.continueOnFail(),
	};
}

/**
 * Sends the prepared products list by list (amoCRM takes one list's elements per request), each
 * list's items in input order; returns every item's result in input order.
 */
export async function sendPerCatalog<P extends { itemIndex: number; catalogId: number }>(
	prepared: P[],
	send: (catalogId: number, products: P[]) => Promise<Map<number, ItemResult>>,
): Promise<ItemResult[]> {
	const results = new Map<number, ItemResult>();
	for (const catalogId of [...new Set(prepared.map((product) => product.catalogId))]) {
		const products = prepared.filter((product) => product.catalogId === catalogId);
		for (const [itemIndex, result] of await send(catalogId, products))
			results.set(itemIndex, result);
	}
	return prepared.map((product) => results.get(product.itemIndex) as ItemResult);
}

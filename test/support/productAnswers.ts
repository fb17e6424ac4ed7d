/**
 * amoCRM's answers about lists and products, shaped as crm_platform/catalogs-api shows them
 * (https://www.amocrm.ru/developers/content/crm_platform/catalogs-api; mirrored in
 * biradrags/amo-docs amocrm_docs_md/crm_platform/catalogs-api.md).
 */

/** GET /api/v4/catalogs: a regular list, the products list and the invoices list. */
export const catalogsAnswer = {
	body: {
		_page: 1,
		_links: { self: { href: 'https://e2e.amocrm.ru/api/v4/catalogs?page=1&limit=250' } },
		_embedded: {
			catalogs: [
				{ id: 4589, name: 'Просто список', type: 'regular', sort: 10, account_id: 28805383 },
				{ id: 4521, name: 'Товары', type: 'products', sort: 20, account_id: 28805383 },
				{ id: 4517, name: 'Счета', type: 'invoices', sort: 30, account_id: 28805383 },
			],
		},
	},
};

/** One element of the products list 4521, with its SKU, description, price and group fields. */
export function productElement(
	id: number,
	name: string,
	fields: { sku?: string; price?: string; description?: string } = {},
) {
	const values = [
		fields.sku !== undefined
			? {
					field_id: 271207,
					field_name: 'Артикул',
					field_code: 'SKU',
					field_type: 'text',
					values: [{ value: fields.sku }],
				}
			: undefined,
		fields.description !== undefined
			? {
					field_id: 271209,
					field_name: 'Описание',
					field_code: 'DESCRIPTION',
					field_type: 'textarea',
					values: [{ value: fields.description }],
				}
			: undefined,
		fields.price !== undefined
			? {
					field_id: 271211,
					field_name: 'Цена',
					field_code: 'PRICE',
					field_type: 'numeric',
					values: [{ value: fields.price }],
				}
			: undefined,
		{
			field_id: 271213,
			field_name: 'Группа',
			field_code: 'GROUP',
			field_type: 'category',
			values: [{ value: 'Телефоны', enum_id: 10663 }],
		},
	].filter((value) => value !== undefined);
	return {
		id,
		name,
		created_by: 504141,
		updated_by: 504141,
		created_at: 1589390333,
		updated_at: 1590683336,
		is_deleted: null,
		custom_fields_values: values,
		catalog_id: 4521,
		account_id: 28805383,
		_links: { self: { href: `https://e2e.amocrm.ru/api/v4/catalogs/4521/elements/${id}` } },
	};
}

/** What the node outputs for productElement(id, name, fields). */
export function productOutput(
	id: number,
	name: string,
	fields: { sku?: string; price?: number; description?: string } = {},
) {
	return {
		id,
		catalogId: 4521,
		name,
		sku: fields.sku ?? null,
		price: fields.price ?? null,
		description: fields.description ?? null,
		customFields: { Группа: 'Телефоны' },
		createdAt: '2020-05-13T17:18:53.000Z',
		updatedAt: '2020-05-28T16:28:56.000Z',
	};
}

import { AmoCrmScript } from '../../../support/executeContext';
import { catalogsAnswer, productElement, productOutput } from '../../../support/productAnswers';
import { resetTransportState, runNode } from '../../../support/runNode';

beforeEach(() => resetTransportState());

const CATALOGS = '/api/v4/catalogs?page=1&limit=250';

describe('Product > Get Many', () => {
	const base = { resource: 'product', operation: 'getAll' };

	it("reads the products list (found among the account's lists) with the search text, one item per product", async () => {
		const script = new AmoCrmScript()
			.on('GET', CATALOGS, catalogsAnswer)
			.on('GET', '/api/v4/catalogs/4521/elements?query=HA-200&page=1&limit=50', {
				body: {
					_page: 1,
					_embedded: {
						elements: [productElement(525439, 'Hearing aid', { sku: 'HA-200', price: '12' })],
					},
				},
			});
		const output = await runNode({
			script,
			items: [{ ...base, catalogId: '', filters: { query: ' HA-200 ' } }],
		});
		expect(output).toEqual([
			{
				json: productOutput(525439, 'Hearing aid', { sku: 'HA-200', price: 12 }),
				pairedItem: { item: 0 },
			},
		]);
	});

	it('reads a chosen catalog without looking up the lists, every page with Return All', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/catalogs/4589/elements?page=1&limit=250', {
				body: {
					_links: { next: { href: 'https://e2e.amocrm.ru/api/v4/catalogs/4589/elements?page=2' } },
					_embedded: { elements: [productElement(1, 'One')] },
				},
			})
			.on('GET', '/api/v4/catalogs/4589/elements?page=2&limit=250', {
				body: { _embedded: { elements: [productElement(2, 'Two')] } },
			});
		const output = await runNode({
			script,
			items: [{ ...base, catalogId: 4589, returnAll: true }],
		});
		expect(output.map((item) => item.json.name)).toEqual(['One', 'Two']);
	});

	it('gives no items when amoCRM has none (204)', async () => {
		const script = new AmoCrmScript()
			.on('GET', CATALOGS, catalogsAnswer)
			.on('GET', '/api/v4/catalogs/4521/elements?page=1&limit=50', { status: 204 });
		expect(await runNode({ script, items: [{ ...base }] })).toEqual([]);
	});

	it('says how to turn Products on when the account has no products list', async () => {
		const script = new AmoCrmScript().on('GET', CATALOGS, {
			body: { _embedded: { catalogs: [{ id: 4589, name: 'Просто список', type: 'regular' }] } },
		});
		await expect(runNode({ script, items: [{ ...base }] })).rejects.toMatchObject({
			message: 'This amoCRM account has no Products list',
			description:
				'Turn on Products in amoCRM (Settings > General settings > Products), or choose another list in Catalog.',
		});
	});

	it('refuses a catalog that is no ID, and a limit below 1, before any request', async () => {
		const script = new AmoCrmScript();
		await expect(
			runNode({ script, items: [{ ...base, catalogId: 'Товары' }] }),
		).rejects.toMatchObject({ message: 'Catalog ID must be a number, not "Товары"' });
		await expect(runNode({ script, items: [{ ...base, limit: 0 }] })).rejects.toMatchObject({
			message: 'Limit must be a whole number of 1 or more, not "0"',
		});
		expect(script.sent).toEqual([]);
	});
});

describe('Product > Create', () => {
	const base = { resource: 'product', operation: 'create' };

	it('creates the items in one request, SKU, price and description by their field codes', async () => {
		const script = new AmoCrmScript()
			.on('GET', CATALOGS, catalogsAnswer)
			.on('POST', '/api/v4/catalogs/4521/elements', {
				// The create answer carries the whole element; `request_id` comes back as sent.
				body: {
					_embedded: {
						elements: [
							{
								...productElement(601, 'Hearing aid', { sku: 'HA-200', price: '1500' }),
								request_id: '0',
							},
							{ ...productElement(602, 'Batteries'), request_id: '1' },
						],
					},
				},
			});
		const output = await runNode({
			script,
			items: [
				{
					...base,
					name: ' Hearing aid ',
					productFields: { sku: 'HA-200', price: 1500, description: '' },
				},
				{ ...base, name: 'Batteries' },
			],
		});
		expect(script.sent.map((request) => `${request.method} ${request.url}`)).toEqual([
			'GET https://e2e.amocrm.ru/api/v4/catalogs?page=1&limit=250',
			'POST https://e2e.amocrm.ru/api/v4/catalogs/4521/elements',
		]);
		expect(script.sent[1].body).toEqual([
			{
				name: 'Hearing aid',
				custom_fields_values: [
					{ field_code: 'SKU', values: [{ value: 'HA-200' }] },
					{ field_code: 'PRICE', values: [{ value: 1500 }] },
				],
				request_id: '0',
			},
			{ name: 'Batteries', request_id: '1' },
		]);
		expect(output).toEqual([
			{
				json: productOutput(601, 'Hearing aid', { sku: 'HA-200', price: 1500 }),
				pairedItem: { item: 0 },
			},
			{ json: productOutput(602, 'Batteries'), pairedItem: { item: 1 } },
		]);
	});

	it('refuses an empty name and a price that is no number, before any request', async () => {
		const script = new AmoCrmScript();
		await expect(runNode({ script, items: [{ ...base, name: ' ' }] })).rejects.toMatchObject({
			message: 'Name is empty',
			context: { itemIndex: 0 },
		});
		await expect(
			runNode({ script, items: [{ ...base, name: 'X', productFields: { price: 'ten' } }] }),
		).rejects.toMatchObject({
			message: 'Product Fields > Price must be a number of 0 or more, not "ten"',
			description: 'Enter the price as a number such as 1500 or 99.90, without a currency sign.',
		});
		expect(script.sent).toEqual([]);
	});

	it('with Continue On Fail, a bad item becomes an error item and the others are created', async () => {
		const script = new AmoCrmScript().on('POST', '/api/v4/catalogs/4589/elements', {
			body: { _embedded: { elements: [{ ...productElement(603, 'Cable'), request_id: '1' }] } },
		});
		const output = await runNode({
			script,
			continueOnFail: true,
			items: [
				{ ...base, catalogId: 4589, name: '' },
				{ ...base, catalogId: 4589, name: 'Cable' },
			],
		});
		expect(output[0].json).toMatchObject({ error: 'Name is empty' });
		expect(output[1].json).toMatchObject({ id: 603, name: 'Cable', catalogId: 4589 });
		expect(script.sent[0].body).toEqual([{ name: 'Cable', request_id: '1' }]);
	});
});

describe('Product > Update', () => {
	const base = { resource: 'product', operation: 'update', catalogId: 4521 };

	it('sends only the fields filled in, in one PATCH, reading the stored name where none is given', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/catalogs/4521/elements?filter%5Bid%5D%5B0%5D=602&page=1&limit=250', {
				body: { _embedded: { elements: [productElement(602, 'Batteries')] } },
			})
			.on('PATCH', '/api/v4/catalogs/4521/elements', {
				body: {
					_embedded: {
						elements: [
							productElement(601, 'Hearing aid HA-210', { sku: 'HA-200' }),
							productElement(602, 'Batteries', { price: '90' }),
						],
					},
				},
			});
		const output = await runNode({
			script,
			items: [
				{
					...base,
					productId: { __rl: true, mode: 'list', value: '601' },
					updateFields: { name: 'Hearing aid HA-210' },
				},
				{ ...base, productId: '602', updateFields: { price: 90 } },
			],
		});
		expect(script.sent[1].body).toEqual([
			{ id: 601, name: 'Hearing aid HA-210', request_id: '0' },
			{
				id: 602,
				name: 'Batteries',
				custom_fields_values: [{ field_code: 'PRICE', values: [{ value: 90 }] }],
				request_id: '1',
			},
		]);
		expect(output).toEqual([
			{
				json: productOutput(601, 'Hearing aid HA-210', { sku: 'HA-200' }),
				pairedItem: { item: 0 },
			},
			{ json: productOutput(602, 'Batteries', { price: 90 }), pairedItem: { item: 1 } },
		]);
	});

	it('fails an item whose product the catalog lacks, naming both, and sends nothing for it', async () => {
		const script = new AmoCrmScript().on(
			'GET',
			'/api/v4/catalogs/4521/elements?filter%5Bid%5D%5B0%5D=999&page=1&limit=250',
			{ status: 204 },
		);
		await expect(
			runNode({ script, items: [{ ...base, productId: 999, updateFields: { sku: 'X' } }] }),
		).rejects.toMatchObject({
			message: 'Product 999 was not found in catalog 4521',
			context: { itemIndex: 0 },
		});
		expect(script.sent).toHaveLength(1);
	});

	it('refuses an item with nothing to update, or no product, before any request', async () => {
		const script = new AmoCrmScript();
		await expect(
			runNode({ script, items: [{ ...base, productId: '601', updateFields: { name: ' ' } }] }),
		).rejects.toMatchObject({
			message: 'Nothing to update',
			description:
				'Add a field under Update Fields (Name, SKU, Price or Description) and fill it in.',
		});
		await expect(
			runNode({ script, items: [{ ...base, productId: '', updateFields: { name: 'A' } }] }),
		).rejects.toMatchObject({ message: 'Product is empty' });
		await expect(
			runNode({ script, items: [{ ...base, productId: 'HA-200', updateFields: { name: 'A' } }] }),
		).rejects.toMatchObject({ message: 'Product ID must be a number, not "HA-200"' });
		expect(script.sent).toEqual([]);
	});
});

import { AmoCrmScript } from '../../../support/executeContext';
import { apiLead, pipelinesAnswer } from '../../../support/dealAnswers';
import { catalogsAnswer, productElement } from '../../../support/productAnswers';
import { resetTransportState, runNode } from '../../../support/runNode';
import { AmoCrm } from '../../../../nodes/AmoCrm/AmoCrm.node';

beforeEach(() => resetTransportState());

const CATALOGS = '/api/v4/catalogs?page=1&limit=250';

// POST /api/v4/leads/{id}/link answer for a product, as crm_platform/entity-links-api shows it.
const linked = (dealId: number, productId: number, metadata: Record<string, unknown>) => ({
	body: {
		_total_items: 1,
		_embedded: {
			links: [
				{
					entity_id: dealId,
					entity_type: 'leads',
					to_entity_id: productId,
					to_entity_type: 'catalog_elements',
					metadata,
				},
			],
		},
	},
});

it('Deal > Add Products and Remove Products offer Product From List, By ID and By SKU in the editor (the template names its product By SKU)', () => {
	const modes = (operation: string) =>
		new AmoCrm().description.properties
			.filter(
				(property) =>
					property.name === 'productId' &&
					property.displayOptions?.show?.resource?.includes('deal') &&
					property.displayOptions?.show?.operation?.includes(operation),
			)
			.map((property) => property.modes?.map((mode) => `${mode.displayName} (${mode.name})`));
	expect([modes('addProducts'), modes('removeProducts')]).toEqual([
		[['From List (list)', 'By ID (id)', 'By SKU (sku)']],
		[['From List (list)', 'By ID (id)', 'By SKU (sku)']],
	]);
});

describe('Deal > Add Products', () => {
	const base = { resource: 'deal', operation: 'addProducts' };

	it('links the product from the products list to the deal with its quantity', async () => {
		const script = new AmoCrmScript()
			.on('GET', CATALOGS, catalogsAnswer)
			.on(
				'POST',
				'/api/v4/leads/9001/link',
				linked(9001, 525439, { quantity: 3, catalog_id: 4521 }),
			);
		const output = await runNode({
			script,
			items: [
				{
					...base,
					dealId: { __rl: true, mode: 'url', value: 'https://e2e.amocrm.ru/leads/detail/9001' },
					productId: { __rl: true, mode: 'list', value: '525439' },
					quantity: 3,
				},
			],
		});
		expect(script.sent[1].body).toEqual([
			{
				to_entity_id: 525439,
				to_entity_type: 'catalog_elements',
				metadata: { catalog_id: 4521, quantity: 3 },
			},
		]);
		expect(output).toEqual([
			{
				json: { dealId: 9001, productId: 525439, catalogId: 4521, quantity: 3 },
				pairedItem: { item: 0 },
			},
		]);
	});

	it('sends the price field chosen, for a catalog given by ID, with a fractional quantity', async () => {
		// A link with a price field, as amoCRM reads it back (amocrm/amocrm-api-php#508).
		const script = new AmoCrmScript().on(
			'POST',
			'/api/v4/leads/5/link',
			linked(5, 1126317, { quantity: 1.5, catalog_id: 9645, price_id: 2930681 }),
		);
		const output = await runNode({
			script,
			items: [
				{
					...base,
					dealId: 5,
					catalogId: 9645,
					productId: '1126317',
					quantity: 1.5,
					priceId: 2930681,
				},
			],
		});
		expect(script.sent[0].body).toEqual([
			{
				to_entity_id: 1126317,
				to_entity_type: 'catalog_elements',
				metadata: { catalog_id: 9645, quantity: 1.5, price_id: 2930681 },
			},
		]);
		expect(output[0].json).toEqual({
			dealId: 5,
			productId: 1126317,
			catalogId: 9645,
			quantity: 1.5,
			priceId: 2930681,
		});
	});

	it('refuses a quantity of 0, an empty product and a price field that is no ID, before any request', async () => {
		const script = new AmoCrmScript();
		const item = { ...base, dealId: 5, catalogId: 4521, productId: '7', quantity: 1 };
		await expect(runNode({ script, items: [{ ...item, quantity: 0 }] })).rejects.toMatchObject({
			message: 'Quantity must be a number above 0, not "0"',
			description: 'Enter how many of the product the deal has, such as 1, 3 or 1.5.',
		});
		await expect(runNode({ script, items: [{ ...item, productId: '' }] })).rejects.toMatchObject({
			message: 'Product is empty',
		});
		await expect(
			runNode({ script, items: [{ ...item, priceId: 'wholesale' }] }),
		).rejects.toMatchObject({ message: 'Price Field ID must be a number, not "wholesale"' });
		await expect(runNode({ script, items: [{ ...item, dealId: '' }] })).rejects.toMatchObject({
			message: 'Deal is empty',
		});
		expect(script.sent).toEqual([]);
	});

	// amoCRM's search (`query`) matches the text in any field, so a longer SKU or a name comes back too.
	const search = (...elements: ReturnType<typeof productElement>[]) => ({
		body: {
			_page: 1,
			_links: {},
			_embedded: { elements },
		},
	});
	const SEARCH = '/api/v4/catalogs/4521/elements?query=HA-200&page=1&limit=250';

	it('finds the product By SKU in the products list: the element whose SKU is exactly that text, case aside', async () => {
		const script = new AmoCrmScript()
			.on('GET', CATALOGS, catalogsAnswer)
			.on(
				'GET',
				SEARCH,
				search(
					productElement(7001, 'Hearing aid HA-200 case', { sku: 'HA-200-C' }),
					productElement(7002, 'Hearing aid', { sku: 'ha-200' }),
				),
			)
			.on('POST', '/api/v4/leads/9001/link', linked(9001, 7002, { quantity: 1, catalog_id: 4521 }));
		const output = await runNode({
			script,
			items: [{ ...base, dealId: 9001, productId: { __rl: true, mode: 'sku', value: ' HA-200 ' } }],
		});
		expect(
			script.sent.map(
				(request) =>
					`${request.method} ${new URL(request.url).pathname}${new URL(request.url).search}`,
			),
		).toEqual([`GET ${CATALOGS}`, `GET ${SEARCH}`, 'POST /api/v4/leads/9001/link']);
		expect(script.sent[2].body).toEqual([
			{
				to_entity_id: 7002,
				to_entity_type: 'catalog_elements',
				metadata: { catalog_id: 4521, quantity: 1 },
			},
		]);
		expect(output[0].json).toEqual({ dealId: 9001, productId: 7002, catalogId: 4521, quantity: 1 });
	});

	it('By SKU: no product, or two, with that SKU is an error naming the SKU and what to do; nothing is linked', async () => {
		const none = new AmoCrmScript().on(
			'GET',
			SEARCH,
			search(productElement(7001, 'Case', { sku: 'HA-200-C' })),
		);
		await expect(
			runNode({
				script: none,
				items: [
					{
						...base,
						dealId: 1,
						catalogId: 4521,
						productId: { __rl: true, mode: 'sku', value: 'HA-200' },
					},
				],
			}),
		).rejects.toMatchObject({
			message: 'No product in catalog 4521 has the SKU "HA-200"',
			description:
				"Check the SKU against the product's card in amoCRM (Products list), or choose the product From List or By ID.",
		});
		const two = new AmoCrmScript().on(
			'GET',
			SEARCH,
			search(
				productElement(7001, 'A', { sku: 'HA-200' }),
				productElement(7002, 'B', { sku: 'HA-200' }),
			),
		);
		await expect(
			runNode({
				script: two,
				items: [
					{
						...base,
						dealId: 1,
						catalogId: 4521,
						productId: { __rl: true, mode: 'sku', value: 'HA-200' },
					},
				],
			}),
		).rejects.toMatchObject({
			message: '2 products in catalog 4521 have the SKU "HA-200" (IDs 7001, 7002)',
			description: 'Give each product its own SKU in amoCRM, or choose the product By ID.',
		});
		const empty = new AmoCrmScript();
		await expect(
			runNode({
				script: empty,
				items: [
					{
						...base,
						dealId: 1,
						catalogId: 4521,
						productId: { __rl: true, mode: 'sku', value: ' ' },
					},
				],
			}),
		).rejects.toMatchObject({ message: 'Product SKU is empty' });
		expect([...none.sent, ...two.sent, ...empty.sent].filter((r) => r.method === 'POST')).toEqual(
			[],
		);
	});

	it('with If Product Is Empty: Add Nothing, an item without a product outputs its deal and sends nothing; with a product it adds it', async () => {
		const script = new AmoCrmScript()
			.on('GET', SEARCH, search(productElement(7002, 'Hearing aid', { sku: 'HA-200' })))
			.on('POST', '/api/v4/leads/12/link', linked(12, 7002, { quantity: 1, catalog_id: 4521 }));
		const item = (sku: string) => ({
			...base,
			dealId: { __rl: true, mode: 'id', value: '12' },
			catalogId: 4521,
			productId: { __rl: true, mode: 'sku', value: sku },
			options: { ifProductEmpty: 'skip' },
		});
		const output = await runNode({ script, items: [item(''), item('HA-200')] });
		expect(output.map((entry) => entry.json)).toEqual([
			{ dealId: 12, productId: null, quantity: 0 },
			{ dealId: 12, productId: 7002, catalogId: 4521, quantity: 1 },
		]);
		expect(script.sent.filter((request) => request.method === 'POST')).toHaveLength(1);
	});

	it('says which deal amoCRM could not find', async () => {
		const script = new AmoCrmScript().on('POST', '/api/v4/leads/404/link', {
			status: 404,
			body: { title: 'Not Found', status: 404, detail: 'Not Found' },
		});
		await expect(
			runNode({ script, items: [{ ...base, dealId: 404, catalogId: 4521, productId: 7 }] }),
		).rejects.toMatchObject({ message: 'Deal 404 was not found in amoCRM', httpCode: '404' });
	});
});

describe('Deal > Remove Products', () => {
	const base = { resource: 'deal', operation: 'removeProducts' };

	it('unlinks the product from the deal (amoCRM answers 204)', async () => {
		const script = new AmoCrmScript()
			.on('GET', CATALOGS, catalogsAnswer)
			.on('POST', '/api/v4/leads/9001/unlink', { status: 204 });
		const output = await runNode({
			script,
			items: [{ ...base, dealId: '9001', productId: 525439 }],
		});
		expect(script.sent[1].body).toEqual([
			{ to_entity_id: 525439, to_entity_type: 'catalog_elements', metadata: { catalog_id: 4521 } },
		]);
		expect(output).toEqual([
			{
				json: { dealId: 9001, productId: 525439, catalogId: 4521, removed: true },
				pairedItem: { item: 0 },
			},
		]);
	});

	it('refuses a product page pasted as an ID before any request', async () => {
		const script = new AmoCrmScript();
		await expect(
			runNode({ script, items: [{ ...base, dealId: 1, catalogId: 4521, productId: 'x1' }] }),
		).rejects.toMatchObject({ message: 'Product ID must be a number, not "x1"' });
		expect(script.sent).toEqual([]);
	});
});

describe('Deal > Get with Include Products', () => {
	it('asks for catalog_elements and outputs each product with its list and quantity', async () => {
		// `_embedded.catalog_elements` as crm_platform/leads-api shows it for with=catalog_elements.
		const lead = apiLead(9001, {
			_embedded: {
				tags: [],
				companies: [],
				catalog_elements: [
					{ id: 525439, metadata: { quantity: 2, catalog_id: 4521 } },
					{ id: 1126317, metadata: { quantity: 1.0, catalog_id: 9645, price_id: 2930681 } },
				],
			},
		});
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/leads/9001?with=catalog_elements', { body: lead })
			.on('GET', '/api/v4/leads/pipelines?page=1&limit=250', pipelinesAnswer);
		const output = await runNode({
			script,
			items: [
				{ resource: 'deal', operation: 'get', dealId: 9001, options: { includeProducts: true } },
			],
		});
		expect(output[0].json.products).toEqual([
			{ id: 525439, catalogId: 4521, quantity: 2 },
			{ id: 1126317, catalogId: 9645, quantity: 1, priceId: 2930681 },
		]);
	});
});

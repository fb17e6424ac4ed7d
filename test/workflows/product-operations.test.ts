import { runWorkflow } from '../harness';
import { apiLead, pipelinesAnswer } from '../support/dealAnswers';
import { catalogsAnswer, productElement, productOutput } from '../support/productAnswers';
import { mockAmoCrm } from './amocrm-mock';
import { amoCrmNode, chain, isolateEachTest, oauth2Credentials, startNode } from './fixtures';

isolateEachTest();

const ok = (answer: { body: unknown }) => ({ status: 200, ...answer });

test('Product > Create, Deal > Add Products with the new product mapped by expression, then Deal > Get lists it with its quantity', async () => {
	const amo = mockAmoCrm()
		.expect('GET', '/api/v4/catalogs?page=1&limit=250', ok(catalogsAnswer))
		.expect('POST', '/api/v4/catalogs/4521/elements', {
			status: 200,
			body: {
				_embedded: {
					elements: [{ ...productElement(601, 'Hearing aid', { price: '1500' }), request_id: '0' }],
				},
			},
		})
		.expect('POST', '/api/v4/leads/9001/link', {
			status: 200,
			body: {
				_total_items: 1,
				_embedded: {
					links: [
						{
							entity_id: 9001,
							entity_type: 'leads',
							to_entity_id: 601,
							to_entity_type: 'catalog_elements',
							metadata: { quantity: 2, catalog_id: 4521 },
						},
					],
				},
			},
		})
		.expect('GET', '/api/v4/leads/9001?with=catalog_elements', {
			status: 200,
			body: apiLead(9001, {
				_embedded: {
					tags: [],
					companies: [],
					catalog_elements: [{ id: 601, metadata: { quantity: 2, catalog_id: 4521 } }],
				},
			}),
		})
		.expect('GET', '/api/v4/leads/pipelines?page=1&limit=250', ok(pipelinesAnswer));
	const create = amoCrmNode('Create Product', {
		resource: 'product',
		operation: 'create',
		name: '={{ $json.product }}',
		productFields: { price: '={{ $json.price }}' },
	});
	const add = amoCrmNode('Add Products', {
		resource: 'deal',
		operation: 'addProducts',
		dealId: { __rl: true, mode: 'id', value: "={{ $('Start').item.json.deal }}" },
		catalogId: '={{ $json.catalogId }}',
		productId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
		quantity: "={{ $('Start').item.json.quantity }}",
	});
	const get = amoCrmNode('Get Deal', {
		resource: 'deal',
		operation: 'get',
		dealId: { __rl: true, mode: 'id', value: '={{ $json.dealId }}' },
		options: { includeProducts: true },
	});
	const result = await runWorkflow({
		workflow: {
			nodes: [startNode(), create, add, get],
			connections: chain('Start', 'Create Product', 'Add Products', 'Get Deal'),
		},
		credentials: oauth2Credentials(),
		items: [{ product: 'Hearing aid', price: 1500, deal: '9001', quantity: 2 }],
	});

	expect(result.error).toBeUndefined();
	expect(amo.isDone()).toBe(true);
	expect(amo.requests[1].body).toEqual([
		{
			name: 'Hearing aid',
			custom_fields_values: [{ field_code: 'PRICE', values: [{ value: 1500 }] }],
			request_id: '0',
		},
	]);
	expect(amo.requests[2].body).toEqual([
		{
			to_entity_id: 601,
			to_entity_type: 'catalog_elements',
			metadata: { catalog_id: 4521, quantity: 2 },
		},
	]);
	expect(result.outputsByNode['Create Product']).toEqual([
		{ json: productOutput(601, 'Hearing aid', { price: 1500 }), pairedItem: { item: 0 } },
	]);
	expect(result.outputsByNode['Add Products']).toEqual([
		{
			json: { dealId: 9001, productId: 601, catalogId: 4521, quantity: 2 },
			pairedItem: { item: 0 },
		},
	]);
	expect(result.outputsByNode['Get Deal'][0].json.products).toEqual([
		{ id: 601, catalogId: 4521, quantity: 2 },
	]);
});

test('Product > Get Many finds by name, Product > Update renames each found product in one PATCH, Deal > Remove Products takes one off a deal', async () => {
	const amo = mockAmoCrm()
		.expect('GET', '/api/v4/catalogs/4589/elements?query=cable&page=1&limit=50', {
			status: 200,
			body: { _embedded: { elements: [{ ...productElement(7, 'Cable'), catalog_id: 4589 }] } },
		})
		.expect('PATCH', '/api/v4/catalogs/4589/elements', {
			status: 200,
			body: {
				_embedded: { elements: [{ ...productElement(7, 'Cable 2 m'), catalog_id: 4589 }] },
			},
		})
		.expect('POST', '/api/v4/leads/33/unlink', { status: 204 });
	const find = amoCrmNode('Find Products', {
		resource: 'product',
		operation: 'getAll',
		catalogId: 4589,
		filters: { query: '={{ $json.search }}' },
	});
	const update = amoCrmNode('Rename Product', {
		resource: 'product',
		operation: 'update',
		catalogId: '={{ $json.catalogId }}',
		productId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
		updateFields: { name: '={{ $json.name }} 2 m' },
	});
	const remove = amoCrmNode('Remove Product', {
		resource: 'deal',
		operation: 'removeProducts',
		dealId: { __rl: true, mode: 'url', value: 'https://e2e.amocrm.ru/leads/detail/33' },
		catalogId: '={{ $json.catalogId }}',
		productId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
	});
	const result = await runWorkflow({
		workflow: {
			nodes: [startNode(), find, update, remove],
			connections: chain('Start', 'Find Products', 'Rename Product', 'Remove Product'),
		},
		credentials: oauth2Credentials(),
		items: [{ search: 'cable' }],
	});

	expect(result.error).toBeUndefined();
	expect(amo.isDone()).toBe(true);
	expect(amo.requests[1].body).toEqual([{ id: 7, name: 'Cable 2 m', request_id: '0' }]);
	expect(amo.requests[2].body).toEqual([
		{ to_entity_id: 7, to_entity_type: 'catalog_elements', metadata: { catalog_id: 4589 } },
	]);
	expect(result.outputsByNode['Rename Product'][0].json).toMatchObject({
		id: 7,
		name: 'Cable 2 m',
		catalogId: 4589,
	});
	expect(result.outputsByNode['Remove Product']).toEqual([
		{
			json: { dealId: 33, productId: 7, catalogId: 4589, removed: true },
			pairedItem: { item: 0 },
		},
	]);
});

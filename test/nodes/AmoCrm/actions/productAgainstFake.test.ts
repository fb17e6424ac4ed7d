/**
 * Products and deals against the fake amoCRM (test/fakes/amocrm.ts), which keeps lists and their
 * elements as crm_platform/catalogs-api describes them: what one operation writes, the next reads.
 */
import { FakeAmoCrm } from '../../../fakes/amocrm';
import { runAgainstFake } from '../../../support/fakeAmoCrm';
import { resetTransportState } from '../../../support/runNode';

beforeEach(() => resetTransportState());

test('Create puts products in the products list, Update changes a price, Get Many finds by SKU, Add Products and Remove Products change what Deal > Get lists', async () => {
	const fake = new FakeAmoCrm();
	const deal = fake.seedLead({ name: 'Order 1' });

	const created = await runAgainstFake(fake, {
		items: [
			{
				resource: 'product',
				operation: 'create',
				name: 'Hearing aid',
				productFields: { sku: 'HA-200', price: 1500, description: 'Behind the ear' },
			},
			{ resource: 'product', operation: 'create', name: 'Batteries' },
		],
	});
	expect(created.map((item) => [item.json.name, item.json.sku, item.json.price])).toEqual([
		['Hearing aid', 'HA-200', 1500],
		['Batteries', null, null],
	]);
	const [aid, batteries] = created.map((item) => item.json.id as number);

	const updated = await runAgainstFake(fake, {
		items: [
			{
				resource: 'product',
				operation: 'update',
				productId: String(batteries),
				updateFields: { price: 90 },
			},
		],
	});
	expect(updated[0].json).toMatchObject({ id: batteries, name: 'Batteries', price: 90 });

	const found = await runAgainstFake(fake, {
		items: [{ resource: 'product', operation: 'getAll', filters: { query: 'ha-200' } }],
	});
	expect(found.map((item) => item.json.id)).toEqual([aid]);

	await runAgainstFake(fake, {
		items: [
			{ resource: 'deal', operation: 'addProducts', dealId: deal.id, productId: aid, quantity: 2 },
			{
				resource: 'deal',
				operation: 'addProducts',
				dealId: deal.id,
				productId: batteries,
				quantity: 10,
				priceId: 2930681,
			},
		],
	});
	const read = async () =>
		(
			await runAgainstFake(fake, {
				items: [
					{
						resource: 'deal',
						operation: 'get',
						dealId: deal.id,
						options: { includeProducts: true },
					},
				],
			})
		)[0].json.products;
	expect(await read()).toEqual([
		{ id: aid, catalogId: 4521, quantity: 2 },
		{ id: batteries, catalogId: 4521, quantity: 10, priceId: 2930681 },
	]);

	await runAgainstFake(fake, {
		items: [{ resource: 'deal', operation: 'removeProducts', dealId: deal.id, productId: aid }],
	});
	expect(await read()).toEqual([
		{ id: batteries, catalogId: 4521, quantity: 10, priceId: 2930681 },
	]);
});

test('Add Products fails on a product the chosen list lacks, naming the product field', async () => {
	const fake = new FakeAmoCrm();
	const deal = fake.seedLead({ name: 'Order 1' });
	const error = (await runAgainstFake(fake, {
		items: [
			{ resource: 'deal', operation: 'addProducts', dealId: deal.id, productId: 999, quantity: 1 },
		],
	}).then(
		() => undefined,
		(caught: unknown) => caught,
	)) as { message: string; description: string };
	expect([error.message, error.description]).toEqual([
		'amoCRM refused the product link: Product (ID 999 in catalog 4521): Entity not found',
		'Fix the value of the field named above in this node, then run it again.',
	]);
});

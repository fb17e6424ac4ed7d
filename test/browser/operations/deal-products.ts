/**
 * Deal > Add Products in n8n 2.41.1's editor, driven through Debian's Chromium: a new node shows
 * the Products list as its Catalog and the product's own price as its Price Field, nothing
 * marked; the user chooses the deal and a product from the lists (the product list is the
 * Products list's) and runs the node; then names a product By SKU, as the lead-intake template
 * does, and runs it again; and, with a SKU that comes out empty (a form whose product field is
 * optional), sees the node fail with "Product SKU is empty" until Options > If Product Is Empty
 * is Add Nothing. amoCRM is the fake account at https://products.amocrm.ru
 * on a loopback address of its own.
 */
import type { Page } from 'puppeteer-core';

import type { FakeAmoCrm } from '../../fakes/amocrm';

import { waitUntil } from '../browser';
import {
	chooseFromList,
	clickItem,
	closeNode,
	inputTexts,
	openNode,
	openOptions,
	openWorkflow,
	pageText,
	typeInto,
} from '../editor';
import { accountSession, manualToAmoCrm, type Editor } from '../session';

const TOKEN = 'browser-products-token';
const ACCOUNT = {
	subdomain: 'products',
	domain: 'amocrm.ru',
	host: 'products.amocrm.ru',
	loopback: '127.0.0.91',
} as const;
const credential = {
	id: 'browserProductsToken1',
	name: 'amoCRM (products)',
	type: 'amoCrmApi',
	data: { subdomain: ACCOUNT.subdomain, domain: ACCOUNT.domain, accessToken: TOKEN },
};

/** What the editor shows in a parameter's input (a text, a number, or a dropdown's choice). */
async function shown(page: Page, parameter: string): Promise<string> {
	return await page.$eval(
		`[data-test-id="parameter-input-${parameter}"] input`,
		(input) => (input as unknown as { value: string }).value,
	);
}

/** Waits until no field is marked with an issue, then runs the open node. */
async function runWithNoIssues(page: Page): Promise<void> {
	await waitUntil(
		async () => (await page.$$('[data-test-id="parameter-issues"]')).length === 0 || undefined,
		'no field marked with an issue',
	);
	await page.click('[data-test-id="node-execute-button"]');
}

/** Waits until amoCRM has the product linked to the deal. */
async function waitForProductOnDeal(
	fake: FakeAmoCrm,
	dealId: number,
	productId: number,
	what: string,
): Promise<void> {
	await waitUntil(
		async () =>
			fake.links.some(
				(link) =>
					link.entity_id === dealId &&
					link.to_entity_type === 'catalog_elements' &&
					link.to_entity_id === productId,
			) || undefined,
		what,
	);
}

export function dealProductsSuite(editor: Editor): void {
	describe("Deal > Add Products in n8n's editor (Chromium)", () => {
		const session = accountSession(editor, {
			account: ACCOUNT,
			token: TOKEN,
			credential,
			screenshot: 'amocrm-browser-deal-products',
		});

		it('starts with the Products list and the product’s own price, nothing marked; a deal and a product chosen from the lists, running puts the product on the deal', async () => {
			const { amo, n8n, page } = session;
			const deal = amo.fake.seedLead({ name: 'Order for Aziz' });
			const product = amo.fake.seedProduct('Hearing aid HA-200', 1500);
			const id = await n8n.importWorkflow(
				manualToAmoCrm({
					name: 'Browser: add a product',
					nodeName: 'Add Product',
					// What a user has after choosing Deal > Add Products: nothing else filled.
					parameters: { resource: 'deal', operation: 'addProducts' },
					credential,
				}),
			);
			await openWorkflow(page, n8n.baseUrl, id);
			await openNode(page, 'Add Product');

			await waitUntil(
				async () => (await shown(page, 'catalogId')) === 'Products' || undefined,
				'Catalog showing the Products list',
			);
			await waitUntil(
				async () => (await shown(page, 'priceId')) === "Product's Own Price" || undefined,
				"Price Field showing the product's own price",
			);
			expect(await shown(page, 'quantity')).toBe('1');

			await chooseFromList(page, 'dealId', `Order for Aziz (#${deal.id})`);
			await chooseFromList(page, 'productId', `Hearing aid HA-200 (#${product.id})`);
			await runWithNoIssues(page);
			await waitForProductOnDeal(
				amo.fake,
				deal.id,
				product.id,
				'the product on the deal in amoCRM',
			);
			expect(
				amo.fake.links.find((link) => link.to_entity_type === 'catalog_elements')?.metadata,
			).toEqual({ quantity: 1, catalog_id: 4521 });
			await waitUntil(
				async () => (await pageText(page)).includes('catalogId') || undefined,
				"the node's output",
			);
			await closeNode(page);
		});

		it('Product By SKU: the mode is offered, the SKU typed, and running puts the product with that SKU on the deal', async () => {
			const { amo, n8n, page } = session;
			const deal = amo.fake.seedLead({ name: 'Order for Malika' });
			amo.fake.seedProduct('Hearing aid HA-100', 900, 'HA-100');
			const product = amo.fake.seedProduct('Hearing aid HA-300', 2100, 'HA-300');
			const id = await n8n.importWorkflow(
				manualToAmoCrm({
					name: 'Browser: add a product by SKU',
					nodeName: 'Add Product',
					parameters: { resource: 'deal', operation: 'addProducts' },
					credential,
				}),
			);
			await openWorkflow(page, n8n.baseUrl, id);
			await openNode(page, 'Add Product');
			await chooseFromList(page, 'dealId', `Order for Malika (#${deal.id})`);
			const locator = '[data-test-id="resource-locator-productId"]';
			await page.click(`${locator} [data-test-id="rlc-mode-selector"]`);
			await clickItem(page, '.el-select-dropdown__item', 'By SKU');
			await typeInto(page, `${locator} [data-test-id="rlc-input"]`, 'ha-300');
			await runWithNoIssues(page);
			await waitForProductOnDeal(
				amo.fake,
				deal.id,
				product.id,
				'the product with SKU HA-300 on the deal in amoCRM',
			);
			expect(
				amo.fake.links
					.filter((link) => link.entity_id === deal.id)
					.map((link) => [link.to_entity_id, link.metadata]),
			).toEqual([[product.id, { quantity: 1, catalog_id: 4521 }]]);
			await closeNode(page);
		});

		it('If Product Is Empty: a SKU that comes out empty fails with "Product SKU is empty" and what to type; with Add Nothing chosen under Options the deal goes through and nothing is sent', async () => {
			const { amo, n8n, page } = session;
			const deal = amo.fake.seedLead({ name: 'Order for Jasur' });
			// The SKU from the item, as the lead-intake template's Add product takes the form's: this
			// item has none.
			const id = await n8n.importWorkflow(
				manualToAmoCrm({
					name: 'Browser: a lead without a product',
					nodeName: 'Add Product',
					parameters: {
						resource: 'deal',
						operation: 'addProducts',
						dealId: { __rl: true, mode: 'id', value: String(deal.id) },
						productId: { __rl: true, mode: 'sku', value: '={{ $json.productId }}' },
					},
					credential,
				}),
			);
			const linksBefore = amo.fake.links.length;
			await openWorkflow(page, n8n.baseUrl, id);
			await openNode(page, 'Add Product');
			await page.click('[data-test-id="node-execute-button"]');
			await waitUntil(
				async () => (await pageText(page)).includes('Product SKU is empty') || undefined,
				'"Product SKU is empty" shown for the run',
			);
			expect(await pageText(page)).toContain(
				"Type the product's SKU (its article number), or map it from an earlier node",
			);

			// Options has one option only: Add Option adds it at once, set to Fail the Item (the default).
			await page.click('[data-test-id="collection-parameter-add"]');
			await waitUntil(
				async () => (await inputTexts(page, 'ifProductEmpty'))[0] === 'Fail the Item' || undefined,
				'If Product Is Empty added, showing Fail the Item',
			);
			const choices = await openOptions(page, 'ifProductEmpty');
			// Each choice with its hint.
			expect(choices).toEqual([
				'Add Nothing\nOutput the deal with productId null and send nothing, e.g. for a form whose product field is optional',
				'Fail the Item\nThe error says that Product is empty',
			]);
			await clickItem(page, '.el-select-dropdown__item', 'Add Nothing');
			await page.click('[data-test-id="node-execute-button"]');
			await waitUntil(
				async () => (await pageText(page)).includes('quantity') || undefined,
				"the node's output",
			);
			const text = await pageText(page);
			expect(text).not.toContain('Product SKU is empty');
			expect(text).toContain(String(deal.id));
			expect(amo.fake.links.length).toBe(linksBefore);
			expect(
				amo.fake.requests.filter(
					(r) => r.method === 'POST' && r.path === `/api/v4/leads/${deal.id}/link`,
				),
			).toEqual([]);
			await closeNode(page);
		});
	});
}

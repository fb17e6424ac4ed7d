/**
 * The Data table template (workflows/lead-intake.json) in n8n 2.41.1's editor, imported from file
 * as a user imports it: its Data table nodes name the table (By Name), so Save lead loads the
 * table's columns without calling them outdated, and a Refresh of the column list keeps every
 * mapping. Checked twice: before the table exists (a fresh n8n) and after the published template
 * stored a lead (the table exists). amoCRM is the fake account of the lead-intake tests.
 */
import { readFileSync } from 'node:fs';

import type { Page } from 'puppeteer-core';

import type { N8nInstance, WorkflowJson } from '../e2e/harness';
import {
	BOT_TOKEN,
	credentials,
	dataTableIdOf,
	LEAD_ACCOUNT,
	readLeadRows,
	templateFile,
	TOKEN,
	userPicks,
} from '../e2e/harness/lead-intake';
import { screenshot, waitUntil } from './browser';
import { closeNode, importWorkflowFile, openNode, pageText, saveWorkflow } from './editor';
import { editorSession } from './session';

/** The page's document, as far as this file uses it (the tests compile without the DOM library). */
declare const document: { querySelectorAll(selector: string): ArrayLike<unknown> };

type Columns = { value: Record<string, unknown>; schema: Array<{ id: string; removed: boolean }> };

const template = JSON.parse(readFileSync(templateFile('dataTable'), 'utf8')) as WorkflowJson;
const columnsOf = (workflow: WorkflowJson): Columns =>
	workflow.nodes.find((node) => node.name === 'Save lead')?.parameters.columns as Columns;
/** Save lead's mapping as stored: each column's value, and which columns it shows. */
const mappingOf = (workflow: WorkflowJson) => ({
	value: columnsOf(workflow).value,
	shown: columnsOf(workflow)
		.schema.filter((column) => !column.removed)
		.map((column) => column.id),
});
/** The 8 columns Save lead fills (the lead's 6 fields, its status and its attempts), as the editor shows them. */
const MAPPED = Object.entries(columnsOf(template).value).map(
	([column, value]) => `${column}: ${String(value).replace(/^=/, '')}`,
);

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/** Save lead's mapping as the editor shows it: each column's name and its value (typed or an expression). */
async function shownMapping(page: Page): Promise<string[]> {
	return await page.evaluate(() =>
		Array.from(
			document.querySelectorAll('[data-test-id="mapping-fields-container"] label'),
		).flatMap((element) => {
			const label = element as {
				innerText: string;
				parentElement: { parentElement: { querySelectorAll(s: string): ArrayLike<unknown> } };
			};
			const name = label.innerText.trim().split('\n')[0];
			if (name.startsWith('Values to ')) return [];
			const field = label.parentElement.parentElement;
			const typed = Array.from(field.querySelectorAll('input')).map(
				(input) => (input as { value: string }).value,
			);
			const expressions = Array.from(field.querySelectorAll('.cm-content')).map((editor) =>
				(editor as { innerText: string }).innerText.trim(),
			);
			return [`${name}: ${[...typed, ...expressions].join(' ')}`];
		}),
	);
}

/** Whether the editor marks the columns as outdated (the warning icon or the "Refresh" notice). */
async function columnsOutdated(page: Page): Promise<boolean> {
	const stale = await page.evaluate(
		() =>
			Array.from(
				document.querySelectorAll('[data-test-id="resource-mapper-container"] [class*="stale"]'),
			).filter((element) => (element as { offsetParent: unknown }).offsetParent !== null).length,
	);
	return stale > 0 || (await pageText(page)).includes('Refresh to see the updated fields');
}

/** The column list's own menu (the mapping's label options): Refresh Column List. */
async function refreshColumnList(page: Page): Promise<void> {
	const label = await page.waitForSelector(
		'[data-test-id="resource-mapper-container"] [data-test-id="action-toggle"]',
	);
	if (!label) throw new Error('no options of the column mapping');
	await label.hover();
	await (await label.$('button'))?.click();
	const item = await page.waitForSelector('[data-test-id="action-refreshFieldList"]', {
		visible: true,
	});
	await item?.click();
	await sleep(2000);
}

/** Imports the template from file, opens Save lead, refreshes its columns, saves; returns what n8n stored. */
async function importOpenRefreshSave(page: Page, n8n: N8nInstance): Promise<WorkflowJson> {
	const id = await importWorkflowFile(page, n8n.baseUrl, templateFile('dataTable'));
	await openNode(page, 'Save lead');
	// The column list loads after the panel opens; n8n marks it outdated once it has loaded.
	await waitUntil(
		async () => (await shownMapping(page)).length >= MAPPED.length,
		"Save lead's column mapping",
	);
	await sleep(3000);
	const seen = await shownMapping(page);
	const outdated = await columnsOutdated(page);
	await refreshColumnList(page);
	const afterRefresh = await shownMapping(page);
	await closeNode(page);
	await saveWorkflow(page);
	expect({ outdated, seen, afterRefresh }).toEqual({
		outdated: false,
		seen: MAPPED,
		afterRefresh: seen,
	});
	return await n8n.api<WorkflowJson>('GET', `/workflows/${id}`);
}

describe("the Data table template's Save lead in n8n's editor (Chromium)", () => {
	const session = editorSession({
		account: LEAD_ACCOUNT,
		token: TOKEN,
		owner: {
			email: 'owner@lead-table.test',
			password: 'Browser-Test-Pass1',
			firstName: 'Dilnoza',
			lastName: 'Rashidova',
		},
		credential: {
			...credentials.amo,
			data: { subdomain: LEAD_ACCOUNT.subdomain, domain: LEAD_ACCOUNT.domain, accessToken: TOKEN },
		},
		screenshot: 'amocrm-browser-lead-intake-table',
	});

	it('before the table exists: no "Columns are outdated", and Refresh keeps all 8 column mappings', async () => {
		const { n8n, page } = session;
		expect(await dataTableIdOf(n8n)).toBeUndefined();
		const stored = await importOpenRefreshSave(page, n8n);
		expect(mappingOf(stored)).toEqual(mappingOf(template));
	});

	it("after the published template stored a lead: the table's columns load, none outdated, and Refresh keeps all 8 mappings", async () => {
		const { n8n, page } = session;
		await n8n.importCredentials([
			{ ...credentials.telegram, data: { accessToken: BOT_TOKEN, baseUrl: 'http://127.0.0.1:9' } },
		]);
		const id = await n8n.importWorkflow(userPicks(template));
		await n8n.activate(id);
		const response = await n8n.webhook('lead', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ name: 'Dilnoza Rashidova', phone: '+998 90 765 43 21' }),
		});
		expect(response.status).toBe(200);
		expect(await readLeadRows(n8n, 'dataTable')).toEqual([
			expect.objectContaining({ name: 'Dilnoza Rashidova', status: 'pending' }),
		]);
		await n8n.deactivate(id);

		const stored = await importOpenRefreshSave(page, n8n);
		expect(mappingOf(stored)).toEqual(mappingOf(template));
		await openNode(page, 'Save lead');
		await sleep(2000);
		await screenshot(page, 'lead-intake-save-lead.png');
	});

	it('every other Data table node that writes shows the columns it sets, none outdated', async () => {
		const { page } = session;
		await closeNode(page);
		const writers = template.nodes.filter(
			(node) =>
				node.name !== 'Save lead' &&
				node.parameters.resource === 'row' &&
				node.parameters.columns !== undefined,
		);
		expect(writers).toHaveLength(10);
		const seen: Record<string, { outdated: boolean; columns: string[] }> = {};
		const expected: typeof seen = {};
		for (const node of writers) {
			await openNode(page, node.name);
			// In the table's order, as the editor lists them.
			const { schema, value } = node.parameters.columns as Columns;
			const columns = schema.map((column) => column.id).filter((id) => id in value);
			await waitUntil(
				async () => (await shownMapping(page)).length >= columns.length,
				`${node.name}'s column mapping`,
			);
			await sleep(1500);
			seen[node.name] = {
				outdated: await columnsOutdated(page),
				columns: (await shownMapping(page)).map((shown) => shown.split(':')[0]),
			};
			expected[node.name] = { outdated: false, columns };
			await closeNode(page);
		}
		expect(seen).toEqual(expected);
	});
});

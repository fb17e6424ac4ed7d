/**
 * The Data table template (workflows/lead-intake.json) in n8n 2.41.1's editor, imported from file
 * as a user imports it: its Data table nodes name the table (By Name), so every node that writes
 * a row (Save lead, Claim, Mark sending, …) loads the table's columns without calling them
 * outdated, and a Refresh of the column list keeps every mapping. Checked twice: before the table
 * exists (a fresh n8n) and after the published template stored a lead (the table exists). Then a
 * form field of the user's own (`city`) goes into a deal field by editing Create deal alone, and
 * the template so set up is published from the editor and takes a lead. Screenshots:
 * lead-intake-save-lead.png, create-deal-form-field.png, publish.png, executions.png.
 * amoCRM is the fake account of the lead-intake tests.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
	waitForLeadRows,
} from '../e2e/harness/lead-intake';
import { screenshot, waitUntil } from './browser';
import {
	chooseFromList,
	clickItem,
	closeNode,
	goTo,
	importWorkflowFile,
	openNode,
	pageText,
	publishWorkflow,
	saveWorkflow,
} from './editor';
import { editorSession } from './session';

/** The page's document, as far as this file uses it (the tests compile without the DOM library). */
declare const document: { querySelectorAll(selector: string): ArrayLike<unknown> };

type Node = WorkflowJson['nodes'][number];
type Columns = { value: Record<string, unknown>; schema: Array<{ id: string; removed: boolean }> };

const template = JSON.parse(readFileSync(templateFile('dataTable'), 'utf8')) as WorkflowJson;
const nodeOf = (workflow: WorkflowJson, name: string): Node => {
	const found = workflow.nodes.find((node) => node.name === name);
	if (!found) throw new Error(`no node "${name}"`);
	return found;
};
const columnsOf = (workflow: WorkflowJson, name: string): Columns =>
	nodeOf(workflow, name).parameters.columns as Columns;
/** A node's mapping as stored: each column's value, and which columns it shows. */
const mappingOf = (workflow: WorkflowJson, name: string) => ({
	value: columnsOf(workflow, name).value,
	shown: columnsOf(workflow, name)
		.schema.filter((column) => !column.removed)
		.map((column) => column.id),
});
/** The Data table nodes that write a row: Save lead, Claim, Mark sending, Save deal, Mark failed, Save Telegram result. */
const WRITERS = template.nodes
	.filter((node) => node.parameters.resource === 'row' && node.parameters.columns !== undefined)
	.map((node) => node.name);
/** A node's mapping as the editor shows it: each column in the table's order, with its value (typed, or the expression without "="). */
const expectedShown = (name: string): string[] => {
	const { schema, value } = columnsOf(template, name);
	return schema
		.filter((column) => column.id in value)
		.map((column) => `${column.id}: ${String(value[column.id]).replace(/^=/, '')}`);
};

/** JSON with every object's keys sorted: n8n stores a node's keys in its own order. */
const canonical = (value: unknown): string =>
	JSON.stringify(value, (_key, inner: unknown) =>
		inner !== null && typeof inner === 'object' && !Array.isArray(inner)
			? Object.fromEntries(Object.entries(inner).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
			: inner,
	);

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/** The open node's column mapping as the editor shows it: each column's name and its value (typed or an expression). */
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
	const text = await pageText(page);
	return (
		stale > 0 ||
		text.includes('Refresh to see the updated fields') ||
		text.includes('Columns are outdated')
	);
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

/**
 * Imports the template from file; in each node that writes a row, reads the mapping the editor
 * shows and whether it calls the columns outdated, clicks Refresh Column List and reads the
 * mapping again; then saves. Expects each node as imported, none outdated, Refresh changing
 * nothing, and n8n storing the template's mappings (what opening a node might change would be
 * stored too).
 */
async function importAndRefreshEveryWriter(
	page: Page,
	n8n: N8nInstance,
	saveLeadScreenshot?: string,
): Promise<void> {
	const id = await importWorkflowFile(page, n8n.baseUrl, templateFile('dataTable'));
	const seen: Record<string, { outdated: boolean; columns: string[]; afterRefresh: string[] }> = {};
	const expected: typeof seen = {};
	for (const name of WRITERS) {
		await openNode(page, name);
		// The column list loads after the panel opens; n8n marks it outdated once it has loaded.
		await waitUntil(
			async () => (await shownMapping(page)).length >= expectedShown(name).length,
			`${name}'s column mapping`,
		);
		await sleep(2000);
		const outdated = await columnsOutdated(page);
		const columns = await shownMapping(page);
		if (name === 'Save lead' && saveLeadScreenshot) await screenshot(page, saveLeadScreenshot);
		await refreshColumnList(page);
		seen[name] = { outdated, columns, afterRefresh: await shownMapping(page) };
		expected[name] = {
			outdated: false,
			columns: expectedShown(name),
			afterRefresh: expectedShown(name),
		};
		await closeNode(page);
	}
	await saveWorkflow(page);
	const stored = await n8n.api<WorkflowJson>('GET', `/workflows/${id}`);
	const mappings = (workflow: WorkflowJson) =>
		Object.fromEntries(WRITERS.map((name) => [name, mappingOf(workflow, name)]));
	expect({ seen, stored: mappings(stored) }).toEqual({
		seen: expected,
		stored: mappings(template),
	});
}

describe("the Data table template's table nodes and Create deal in n8n's editor (Chromium)", () => {
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

	it('writes rows in 6 nodes, Save lead filling 12 columns', () => {
		expect(WRITERS).toEqual([
			'Save lead',
			'Claim',
			'Mark sending',
			'Save deal',
			'Mark failed',
			'Save Telegram result',
		]);
		expect(mappingOf(template, 'Save lead').shown).toHaveLength(12);
	});

	it('before the table exists: every node that writes a row shows its columns, none outdated, and Refresh keeps every mapping', async () => {
		const { n8n, page } = session;
		expect(await dataTableIdOf(n8n)).toBeUndefined();
		await importAndRefreshEveryWriter(page, n8n);
	});

	it("after the published template stored a lead: every node that writes a row shows the table's columns, none outdated, and Refresh keeps every mapping", async () => {
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
			expect.objectContaining({ name: 'Dilnoza Rashidova', status: 'pending', fields: '{}' }),
		]);
		await n8n.deactivate(id);

		await importAndRefreshEveryWriter(page, n8n, 'lead-intake-save-lead.png');
	});

	it("a form field of one's own into a deal field is one node edited: a Custom Fields row in Create deal, and the deal gets the form's city", async () => {
		const { amo, n8n, page } = session;
		// The account has a deal field of its own for the city (a text field, as users add them).
		amo.fake.leadFields.push({
			id: 4007,
			name: 'City',
			type: 'text',
			code: null,
			sort: 14,
			enums: null,
			is_predefined: false,
			is_deletable: true,
			is_api_only: false,
		});
		// The template as the user set it up (credentials, stage, the two fields, chat ID), imported
		// through the editor: n8n's public API stores a node without the parameters left at their
		// defaults, the editor with them, so only two editor saves compare node for node.
		const file = join(tmpdir(), 'amocrm-lead-intake-set-up.json');
		writeFileSync(file, JSON.stringify(userPicks(template, { webhookSyncs: true })));
		const id = await importWorkflowFile(page, n8n.baseUrl, file);
		const before = await n8n.api<WorkflowJson>('GET', `/workflows/${id}`);

		await openNode(page, 'Create deal');
		await clickItem(page, 'button', 'Add Custom Field');
		const fields = await chooseFromList(page, 'fieldId', 'City', 2);
		expect(fields).toContain('City');
		const value = (await page.$$('[data-test-id="parameter-input-value"]'))[2];
		if (!value) throw new Error('no Value in the new custom field row');
		await value.click();
		// One insertion, as a paste: the expression editor would close typed brackets itself.
		await page.keyboard.sendCharacter("{{ JSON.parse($('Claim').item.json.fields).city }}");
		await sleep(1500);
		await screenshot(page, 'create-deal-form-field.png');
		await closeNode(page);
		await saveWorkflow(page);
		const after = await n8n.api<WorkflowJson>('GET', `/workflows/${id}`);

		// Every node but Create deal as it was: what differs, by key (a node's own keys, and its
		// parameters one by one). The editor puts nodes on its 16 px grid when it saves: they move
		// by less than a grid step, and that is all.
		const differing = (node: Node): string[] => {
			const old = nodeOf(before, node.name);
			const keys = (a: object, b: object) => [...new Set([...Object.keys(a), ...Object.keys(b)])];
			const own = keys(node, old).filter(
				(key) =>
					!['parameters', 'position'].includes(key) &&
					canonical(node[key as keyof Node]) !== canonical(old[key as keyof Node]),
			);
			const parameters = keys(node.parameters, old.parameters)
				.filter((key) => canonical(node.parameters[key]) !== canonical(old.parameters[key]))
				.map((key) => `parameters.${key}`);
			return [...own, ...parameters];
		};
		const moved = (node: Node) => {
			const [x, y] = node.position as [number, number];
			const [oldX, oldY] = nodeOf(before, node.name).position as [number, number];
			return Math.abs(x - oldX) >= 16 || Math.abs(y - oldY) >= 16;
		};
		expect({
			nodes: after.nodes.map((node) => node.name),
			changed: Object.fromEntries(
				after.nodes
					.map((node) => [node.name, differing(node)] as const)
					.filter(([, keys]) => keys.length > 0),
			),
			moved: after.nodes.filter(moved).map((node) => node.name),
			connections: after.connections,
		}).toEqual({
			nodes: before.nodes.map((node) => node.name),
			changed: { 'Create deal': ['parameters.customFields'] },
			moved: [],
			connections: before.connections,
		});
		const rowsBefore = (
			nodeOf(before, 'Create deal').parameters.customFields as { field: unknown[] }
		).field;
		expect(nodeOf(after, 'Create deal').parameters.customFields).toEqual({
			field: [
				...rowsBefore,
				{
					fieldId: { __rl: true, mode: 'list', value: '4007', cachedResultName: 'City' },
					value: "={{ JSON.parse($('Claim').item.json.fields).city }}",
				},
			],
		});

		// Published as the guides tell users to: the Publish button, then the dialog's Publish.
		await page.click('[data-test-id="workflow-open-publish-modal-button"]');
		await sleep(1500);
		await screenshot(page, 'publish.png');
		await page.keyboard.press('Escape');
		await sleep(800);
		await publishWorkflow(page);
		await waitUntil(
			async () => (await n8n.api<{ active: boolean }>('GET', `/workflows/${id}`)).active,
			'the template to be published',
		);
		const response = await n8n.webhook('lead', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				name: 'Aziza Karimova',
				phone: '+998 90 123 45 67',
				city: 'Tashkent',
			}),
		});
		expect(response.status).toBe(200);
		const rows = await waitForLeadRows(n8n, 'dataTable', (row) => row.status === 'synced', {
			timeoutMs: 20_000,
			everyMs: 200,
		});
		// The lead's execution in the template's Executions list, where the row's stored_by and
		// synced_by lead.
		await goTo(page, n8n.baseUrl, `/workflow/${id}/executions`);
		await waitUntil(
			async () => /Succeeded|Success/.test(await pageText(page)),
			'the execution in the list',
			30_000,
		);
		// n8n opens its Production Checklist over the list after a first publish.
		const checklistClose = await page.$('[data-test-id="suggested-actions-close"]');
		if (checklistClose) {
			await checklistClose.click();
			await sleep(500);
		}
		await screenshot(page, 'executions.png');
		await n8n.deactivate(id);
		expect(rows.map((row) => [row.name, row.status, row.fields])).toEqual([
			['Dilnoza Rashidova', 'synced', '{}'],
			['Aziza Karimova', 'synced', '{"city":"Tashkent"}'],
		]);
		const dealFields = (name: string) =>
			amo.fake.leads
				.find((deal) => deal.name === `Website lead: ${name}`)
				?.custom_fields_values?.filter((field) => field.field_id === 4007) ?? [];
		// A lead without a city leaves the field empty; the form's city lands in it.
		expect({
			withCity: dealFields('Aziza Karimova'),
			withoutCity: dealFields('Dilnoza Rashidova'),
		}).toEqual({
			withCity: [
				{
					field_id: 4007,
					field_name: 'City',
					field_code: null,
					field_type: 'text',
					values: [{ value: 'Tashkent' }],
				},
			],
			withoutCity: [],
		});
	});
});

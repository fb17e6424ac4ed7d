/**
 * Note > Add's deal, contact or company in n8n 2.41.1's editor (Chromium): a node saved when
 * the field was a plain ID still shows that ID, and choosing Company under Add To offers the
 * account's companies, saved as a locator. A real n8n loads the built package; amoCRM is a
 * fake account at https://notes.amocrm.ru on a loopback address of its own.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Browser, Page } from 'puppeteer-core';

import { FakeAmoCrm } from '../fakes/amocrm';
import {
	serveFakeAmoCrm,
	startN8n,
	type N8nInstance,
	type ServedFakeAmoCrm,
	type WorkflowJson,
} from '../e2e/harness';
import { launchBrowser, newPage, waitUntil } from './browser';
import {
	chooseFromList,
	clickItem,
	locatorTexts,
	openNode,
	openWorkflow,
	saveWorkflow,
	signUpOwner,
} from './editor';

const TOKEN = 'notes-browser-token';
const ACCOUNT = { subdomain: 'notes', host: 'notes.amocrm.ru', loopback: '127.0.0.79' } as const;
const owner = {
	email: 'owner@notes.test',
	password: 'Notes-Test-Pass1',
	firstName: 'Malika',
	lastName: 'Yusupova',
};
const credential = {
	id: 'notesAmoToken1',
	name: 'amoCRM (notes)',
	type: 'amoCrmApi',
	data: { subdomain: ACCOUNT.subdomain, domain: 'amocrm.ru', accessToken: TOKEN },
};

/** Note > Add as saved before its deal/contact became a locator: a plain ID. */
const savedBefore = {
	name: 'Note saved with a plain ID',
	nodes: [
		{
			id: 'c0000000-0000-4000-8000-000000000001',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 'c0000000-0000-4000-8000-000000000002',
			name: 'Add note',
			type: 'n8n-nodes-amocrm.amoCrm',
			typeVersion: 1,
			position: [240, 0],
			parameters: {
				authentication: 'longLivedToken',
				resource: 'note',
				operation: 'add',
				entityType: 'deal',
				entityId: '9001',
				text: 'Called back',
			},
			credentials: { amoCrmApi: { id: credential.id, name: credential.name } },
		},
	],
	connections: { Start: { main: [[{ node: 'Add note', type: 'main', index: 0 }]] } },
};

describe("Note > Add's deal, contact or company in n8n's editor (Chromium)", () => {
	let amo: ServedFakeAmoCrm;
	let n8n: N8nInstance;
	let browser: Browser;
	let page: Page;
	let companyId = 0;

	beforeAll(async () => {
		const fake = new FakeAmoCrm({ subdomain: ACCOUNT.subdomain, accessTokens: [TOKEN] });
		companyId = fake.seedCompany({ name: 'Audio Med' }).id;
		fake.seedCompany({ name: 'Sound Clinic' });
		amo = await serveFakeAmoCrm(fake, ACCOUNT.host, ACCOUNT.loopback);
		n8n = await startN8n({ env: amo.n8nEnv, owner: 'none' });
		browser = await launchBrowser();
		page = await newPage(browser);
		await signUpOwner(page, n8n.baseUrl, owner);
		await n8n.signIn(owner);
		await n8n.importCredentials([credential]);
	}, 10 * 60_000);

	afterEach(async () => {
		await page
			?.screenshot({ path: join(tmpdir(), 'amocrm-browser-note-entity.png') })
			.catch(() => undefined);
	});

	afterAll(async () => {
		await browser?.close();
		await n8n?.stop();
		await amo?.stop();
	});

	it('shows the plain deal ID saved before; Add To → Company lists the companies, and the choice is saved as a locator', async () => {
		const id = await n8n.importWorkflow(savedBefore);
		await openWorkflow(page, n8n.baseUrl, id);
		await openNode(page, 'Add note');
		expect(await locatorTexts(page, 'entityId')).toEqual(['9001']);

		await page.click('[data-test-id="parameter-input-entityType"]');
		await clickItem(page, '.el-select-dropdown__item', 'Company');
		const items = await chooseFromList(page, 'entityId', `Audio Med (#${companyId})`);
		expect(items).toEqual(expect.arrayContaining([`Audio Med (#${companyId})`]));
		expect(items.some((item) => item.startsWith('Sound Clinic'))).toBe(true);
		await saveWorkflow(page);

		const stored = await waitUntil(async () => {
			const workflow = await n8n.api<WorkflowJson>('GET', `/workflows/${id}`);
			const node = workflow.nodes.find((candidate) => candidate.name === 'Add note');
			return node?.parameters?.entityType === 'company' ? node.parameters : undefined;
		}, 'the saved Add To: Company');
		expect(stored).toMatchObject({
			entityType: 'company',
			entityId: { __rl: true, mode: 'list', value: String(companyId) },
		});
	});
});

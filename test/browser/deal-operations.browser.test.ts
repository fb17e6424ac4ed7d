/**
 * Deal > Update in n8n 2.41.1's editor (Chromium): the deal is chosen from a list searched by
 * name, and "Pipeline and Stage" under Update Fields lists every pipeline's stages. A real
 * n8n loads the built package; amoCRM is the fake account at https://deals.amocrm.ru, on a
 * loopback address of its own (no turn at 127.0.0.1:443).
 */
import type { Browser, Page } from 'puppeteer-core';

import { FakeAmoCrm } from '../fakes/amocrm';
import {
	serveFakeAmoCrm,
	startN8n,
	type N8nInstance,
	type ServedFakeAmoCrm,
	type WorkflowJson,
} from '../e2e/harness';
import { launchBrowser, newPage } from './browser';
import {
	chooseCredential,
	chooseFromList,
	closeNode,
	openNode,
	openWorkflow,
	saveWorkflow,
	signUpOwner,
} from './editor';

const TOKEN = 'deal-browser-token';
const owner = {
	email: 'owner@deals.test',
	password: 'Browser-Test-Pass1',
	firstName: 'Malika',
	lastName: 'Yusupova',
};
const ACCOUNT = { subdomain: 'deals', host: 'deals.amocrm.ru', loopback: '127.0.0.81' } as const;
const credential = {
	id: 'browserDealToken',
	name: 'amoCRM deals (token)',
	type: 'amoCrmApi',
	data: { subdomain: ACCOUNT.subdomain, domain: 'amocrm.ru', accessToken: TOKEN },
};

const workflow: WorkflowJson = {
	name: 'Move a deal',
	nodes: [
		{
			id: 'd0000000-0000-4000-8000-000000000001',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 'd0000000-0000-4000-8000-000000000002',
			name: 'Move deal',
			type: 'n8n-nodes-amocrm.amoCrm',
			typeVersion: 1,
			position: [240, 0],
			parameters: {
				authentication: 'longLivedToken',
				resource: 'deal',
				operation: 'update',
				dealId: { __rl: true, mode: 'list', value: '' },
				// "Pipeline and Stage" added under Update Fields, not chosen yet.
				updateFields: { statusId: { __rl: true, mode: 'list', value: '' } },
			},
			credentials: { amoCrmApi: { id: credential.id, name: credential.name } },
		},
	],
	connections: { Start: { main: [[{ node: 'Move deal', type: 'main', index: 0 }]] } },
	settings: { executionOrder: 'v1' },
};

describe("Deal > Update in n8n's editor (Chromium)", () => {
	let amo: ServedFakeAmoCrm;
	let n8n: N8nInstance;
	let browser: Browser;
	let page: Page;

	beforeAll(async () => {
		amo = await serveFakeAmoCrm(
			new FakeAmoCrm({ subdomain: ACCOUNT.subdomain, accessTokens: [TOKEN] }),
			ACCOUNT.host,
			ACCOUNT.loopback,
		);
		n8n = await startN8n({ env: amo.n8nEnv, owner: 'none' });
		browser = await launchBrowser();
		page = await newPage(browser);
		await signUpOwner(page, n8n.baseUrl, owner);
		await n8n.signIn(owner);
		await n8n.importCredentials([credential]);
	}, 10 * 60_000);

	afterAll(async () => {
		await browser?.close();
		await n8n?.stop();
		await amo?.stop();
	});

	it('chooses the deal by name and the stage of another pipeline under Update Fields, and saves both', async () => {
		const lead = amo.fake.seedLead({ name: 'Wholesale order', pipeline_id: 1001, status_id: 2002 });
		const id = await n8n.importWorkflow(workflow);
		await openWorkflow(page, n8n.baseUrl, id);
		await openNode(page, 'Move deal');
		await chooseCredential(page, credential.name);

		const deals = await chooseFromList(page, 'dealId', `Wholesale order (#${lead.id})`);
		expect(deals).toEqual([`Wholesale order (#${lead.id})`]);
		const stages = await chooseFromList(page, 'statusId', 'Wholesale → Contacted');
		expect(stages).toEqual([
			'Sales → Incoming',
			'Sales → New lead',
			'Sales → Qualified',
			'Sales → Closed - won',
			'Sales → Closed - lost',
			'Wholesale → New',
			'Wholesale → Contacted',
			'Wholesale → Closed - won',
			'Wholesale → Closed - lost',
		]);
		await closeNode(page);
		await saveWorkflow(page);

		const stored = await n8n.api<WorkflowJson>('GET', `/workflows/${id}`);
		const parameters = stored.nodes.find((node) => node.name === 'Move deal')?.parameters;
		expect(parameters?.dealId).toMatchObject({ __rl: true, mode: 'list', value: String(lead.id) });
		expect(parameters?.updateFields).toEqual({
			statusId: expect.objectContaining({ __rl: true, mode: 'list', value: '1002:2102' }),
		});
	});
});

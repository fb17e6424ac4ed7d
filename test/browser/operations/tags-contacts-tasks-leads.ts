/**
 * Tag > Add, Contact > Update, Task > Complete, Incoming Lead > Create and Accept, and Deal > Get
 * Many (filtered) in n8n 2.41.1's editor, driven through Debian's Chromium: what a user picks and
 * types in a new AmoCRM node, then the node run from the editor. amoCRM is the fake account at
 * https://ops.amocrm.ru on a loopback address of its own.
 */
import type { Page } from 'puppeteer-core';

import { nodeOutput } from '../../e2e/harness';
import { waitUntil } from '../browser';
import {
	addCollectionField,
	chooseFromList,
	clickItem,
	openNode,
	openOptions,
	openWorkflow,
	typeInto,
} from '../editor';
import { accountSession, manualToAmoCrm, type Editor } from '../session';

const TOKEN = 'browser-operations-token';
const ACCOUNT = {
	subdomain: 'ops',
	domain: 'amocrm.ru',
	host: 'ops.amocrm.ru',
	loopback: '127.0.0.83',
} as const;
const credential = {
	id: 'browserOperationsToken1',
	name: 'amoCRM (operations)',
	type: 'amoCrmApi',
	data: { subdomain: ACCOUNT.subdomain, domain: ACCOUNT.domain, accessToken: TOKEN },
};

/** What the editor shows in a parameter's input (a text, or a dropdown's choice). */
async function shownIn(page: Page, parameter: string): Promise<string> {
	return await page.$eval(
		`[data-test-id="parameter-input-${parameter}"] input`,
		(input) => (input as unknown as { value: string }).value,
	);
}

export function tagContactTaskLeadSuite(editor: Editor): void {
	describe("Tag, Contact > Update, Task > Complete, Incoming Lead and Deal > Get Many in n8n's editor (Chromium)", () => {
		const session = accountSession(editor, {
			account: ACCOUNT,
			token: TOKEN,
			credential,
			screenshot: 'amocrm-browser-operations',
		});

		/** Imports Manual Trigger → the node with these parameters, opens the workflow and the node. */
		async function openNew(nodeName: string, parameters: Record<string, unknown>) {
			const { n8n, page } = session;
			const id = await n8n.importWorkflow(
				manualToAmoCrm({ name: `Browser: ${nodeName}`, nodeName, parameters, credential }),
			);
			await openWorkflow(page, n8n.baseUrl, id);
			await openNode(page, nodeName);
			return id;
		}

		/** Runs the open node from the editor; resolves to what it output, once its execution is saved. */
		async function run(workflowId: string, nodeName: string) {
			const { n8n, page } = session;
			await page.click('[data-test-id="node-execute-button"]');
			const [execution] = await n8n.waitForExecutions(workflowId, 1);
			expect(execution.status).toBe('success');
			return nodeOutput(execution, nodeName);
		}

		it('Tag > Add: the deal chosen from its list gets the tags typed, and keeps its own', async () => {
			const { amo } = session;
			const deal = amo.fake.seedLead({ name: 'Order 7', _embedded: { tags: [{ name: 'old' }] } });
			const id = await openNew('Tag deal', { resource: 'tag', operation: 'add' });
			await chooseFromList(session.page, 'dealId', `Order 7 (#${deal.id})`);
			await typeInto(session.page, '[data-test-id="parameter-input-tags"] input', 'vip, wholesale');

			await run(id, 'Tag deal');
			expect(
				amo.fake.leads
					.find((lead) => lead.id === deal.id)
					?.tags.map((tag) => tag.name)
					.sort(),
			).toEqual(['old', 'vip', 'wholesale']);
		});

		it('Contact > Update: the contact chosen from its list gets the last name typed under Update Fields; its first name stays', async () => {
			const { amo } = session;
			const contact = amo.fake.seedContact({ name: 'Aziz', first_name: 'Aziz' });
			const id = await openNew('Rename contact', { resource: 'contact', operation: 'update' });
			await chooseFromList(session.page, 'contactId', `Aziz (#${contact.id})`);
			await addCollectionField(session.page, 'Last Name');
			await typeInto(session.page, '[data-test-id="parameter-input-lastName"] input', 'Karimov');

			const output = await run(id, 'Rename contact');
			expect(output).toEqual([expect.objectContaining({ id: contact.id })]);
			expect(amo.fake.contact(contact.id)).toMatchObject({
				first_name: 'Aziz',
				last_name: 'Karimov',
			});
		});

		it('Task > Complete: the task ID and the result typed close the task with that result', async () => {
			const { amo } = session;
			const deal = amo.fake.seedLead({ name: 'Order 8' });
			const task = amo.fake.seedTask({
				text: 'Call back',
				entity_type: 'leads',
				entity_id: deal.id,
				task_type_id: 1,
				complete_till: Math.floor(Date.now() / 1000) + 900,
			});
			const id = await openNew('Close task', { resource: 'task', operation: 'complete' });
			await typeInto(
				session.page,
				'[data-test-id="parameter-input-taskId"] input',
				String(task.id),
			);
			await typeInto(
				session.page,
				'[data-test-id="parameter-input-resultText"] textarea',
				'Called: visits on Monday',
			);

			await run(id, 'Close task');
			expect(amo.fake.task(task.id)).toMatchObject({
				is_completed: true,
				result: { text: 'Called: visits on Monday' },
			});
		});

		it('Incoming Lead > Create From a Form with what the form gave, then Accept it into a stage chosen from the list', async () => {
			const { amo, page } = session;
			const created = await openNew('Form lead', { resource: 'incomingLead', operation: 'create' });
			const type = async (parameter: string, text: string) =>
				await typeInto(page, `[data-test-id="parameter-input-${parameter}"] input`, text);
			const shown = async (parameter: string) => await shownIn(page, parameter);
			await type('contactName', 'Malika');
			await type('contactPhone', '+998 90 111 22 33');
			await type('formPage', 'https://shop.uz/form');
			await type('visitorIp', '203.0.113.7');
			// Pipeline left empty, as the node starts: the main pipeline, shown so, not marked a problem.
			await waitUntil(
				async () => (await shown('pipelineId')) === 'Main Pipeline' || undefined,
				'Main Pipeline shown as the pipeline',
			);
			await waitUntil(
				async () => (await page.$$('[data-test-id="parameter-issues"]')).length === 0,
				'no field marked with an issue',
			);
			const [incoming] = await run(created, 'Form lead');
			expect(amo.fake.unsorted).toEqual([
				expect.objectContaining({ uid: incoming.uid, state: 'incoming', pipeline_id: 1001 }),
			]);
			expect(amo.fake.unsorted[0].metadata).toMatchObject({
				form_page: 'https://shop.uz/form',
				ip: '203.0.113.7',
			});

			const accepted = await openNew('Accept lead', {
				resource: 'incomingLead',
				operation: 'accept',
			});
			await type('uid', String(incoming.uid));
			await chooseFromList(page, 'statusId', 'Sales → Qualified');
			await waitUntil(
				async () =>
					(await shown('userId')) === 'The User Who Connected the Integration' || undefined,
				"the integration's user shown as the user accepting",
			);
			await waitUntil(
				async () => (await page.$$('[data-test-id="parameter-issues"]')).length === 0,
				'no field marked with an issue',
			);
			await run(accepted, 'Accept lead');
			expect(amo.fake.unsorted[0].state).toBe('accepted');
			expect(amo.fake.leads.find((deal) => deal.id === incoming.dealId)).toMatchObject({
				pipeline_id: 1001,
				status_id: 2003,
			});
		});

		it("Deal > Get Many: a pipeline chosen under Filters returns that pipeline's deals only", async () => {
			const { amo } = session;
			const wholesale = amo.fake.seedLead({
				name: 'Bulk order',
				pipeline_id: 1002,
				status_id: 2101,
			});
			amo.fake.seedLead({ name: 'Retail order', pipeline_id: 1001, status_id: 2002 });
			const id = await openNew('Wholesale deals', {
				resource: 'deal',
				operation: 'getAll',
				returnAll: true,
			});
			await addCollectionField(session.page, 'Pipeline Name or ID');
			const pipelines = await openOptions(session.page, 'pipelineId');
			// Each choice shows its name and, under it, its ID.
			expect(pipelines).toEqual(['Sales (main)\nID 1001', 'Wholesale\nID 1002']);
			await clickItem(session.page, '.el-select-dropdown__item', 'Wholesale');
			await waitUntil(
				async () => (await shownIn(session.page, 'pipelineId')) === 'Wholesale' || undefined,
				'Wholesale shown as the pipeline',
			);

			const output = await run(id, 'Wholesale deals');
			expect(output.map((deal) => [deal.id, deal.name])).toEqual([[wholesale.id, 'Bulk order']]);
		});
	});
}

/**
 * Task > Create in n8n 2.41.1's editor, driven through Debian's Chromium: a new AmoCRM node set to
 * Task > Create is already "call back in 15 minutes" (For Deal, Text "Call back", the account's Call
 * type, Due In 15 Minutes); the user only chooses the deal from the list and runs the node. amoCRM is
 * the fake account at https://tasks.amocrm.ru on a loopback address of its own.
 */
import type { Page } from 'puppeteer-core';

import { waitUntil } from '../browser';
import { chooseFromList, closeNode, openNode, openWorkflow, pageText } from '../editor';
import { accountSession, manualToAmoCrm, type Editor } from '../session';

const TOKEN = 'browser-task-token';
const ACCOUNT = {
	subdomain: 'tasks',
	domain: 'amocrm.ru',
	host: 'tasks.amocrm.ru',
	loopback: '127.0.0.78',
} as const;
const credential = {
	id: 'browserTaskToken1',
	name: 'amoCRM (tasks)',
	type: 'amoCrmApi',
	data: { subdomain: ACCOUNT.subdomain, domain: ACCOUNT.domain, accessToken: TOKEN },
};

/** What the editor shows in a parameter's input (a text, a number, or a dropdown's choice). */
async function shown(page: Page, parameter: string): Promise<string> {
	return await page.$eval(
		`[data-test-id="parameter-input-${parameter}"] input, [data-test-id="parameter-input-${parameter}"] textarea`,
		(input) => (input as unknown as { value: string }).value,
	);
}

export function taskCreateSuite(editor: Editor): void {
	describe("Task > Create in n8n's editor (Chromium)", () => {
		const session = accountSession(editor, {
			account: ACCOUNT,
			token: TOKEN,
			credential,
			screenshot: 'amocrm-browser-task-create',
		});

		it('starts as "call back in 15 minutes": choosing the deal and running the node gives that deal a Call task due 15 minutes later', async () => {
			const { amo, n8n, page } = session;
			const deal = amo.fake.seedLead({ name: 'Hearing aid for Aziz' });
			const id = await n8n.importWorkflow(
				manualToAmoCrm({
					name: 'Browser: call back',
					nodeName: 'Call back',
					// What a user has after choosing Task > Create: nothing else filled.
					parameters: { resource: 'task', operation: 'create' },
					credential,
				}),
			);
			await openWorkflow(page, n8n.baseUrl, id);
			await openNode(page, 'Call back');

			// The account's name for task type 1 comes from its list.
			await waitUntil(
				async () => (await shown(page, 'taskTypeId')) === 'Связаться',
				'Task Type showing the account’s Call type',
			);
			expect({
				for: await shown(page, 'entityType'),
				text: await shown(page, 'text'),
				due: await shown(page, 'dueType'),
				dueIn: await shown(page, 'dueIn'),
				unit: await shown(page, 'dueInUnit'),
			}).toEqual({
				for: 'Deal',
				text: 'Call back',
				due: 'In Some Time From Now',
				dueIn: '15',
				unit: 'Minutes',
			});

			await chooseFromList(page, 'dealId', `Hearing aid for Aziz (#${deal.id})`);
			// Nothing left marked: every other field is valid as it starts (Publish is not held back).
			await waitUntil(
				async () => (await page.$$('[data-test-id="parameter-issues"]')).length === 0,
				'no field marked with an issue',
			);
			const clickedAt = Date.now() / 1000;
			await page.click('[data-test-id="node-execute-button"]');
			await waitUntil(async () => amo.fake.tasks.length === 1 || undefined, 'the task in amoCRM');
			const [task] = amo.fake.tasks;
			expect(task).toMatchObject({
				text: 'Call back',
				entity_type: 'leads',
				entity_id: deal.id,
				task_type_id: 1,
				is_completed: false,
			});
			expect(Math.abs(task.complete_till - (clickedAt + 15 * 60))).toBeLessThanOrEqual(60);
			await waitUntil(
				async () => (await pageText(page)).includes(`leads/detail/${deal.id}`),
				"the node's output with the deal's page",
			);
			await closeNode(page);
		});
	});
}

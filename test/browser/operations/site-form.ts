/**
 * Site Form > Read Submission in n8n 2.41.1's editor, driven through Debian's Chromium: a new
 * AmoCRM node set to it needs nothing filled in (Form Fields and Content Type read the Webhook's
 * item by default, nothing is marked), and running it on a webhook-shaped item gives the lead with
 * the phone completed by the account's country (the fake account is Russian) and the extra form
 * field kept. amoCRM is the fake account at https://siteform.amocrm.ru on a loopback address of its own.
 */
import { waitUntil } from '../browser';
import { closeNode, openNode, openWorkflow, pageText } from '../editor';
import { accountSession, manualToAmoCrm, type Editor } from '../session';

const TOKEN = 'browser-site-form-token';
const ACCOUNT = {
	subdomain: 'siteform',
	domain: 'amocrm.ru',
	host: 'siteform.amocrm.ru',
	loopback: '127.0.0.92',
} as const;
const credential = {
	id: 'browserSiteFormToken1',
	name: 'amoCRM (site form)',
	type: 'amoCrmApi',
	data: { subdomain: ACCOUNT.subdomain, domain: ACCOUNT.domain, accessToken: TOKEN },
};

export function siteFormSuite(editor: Editor): void {
	describe("Site Form > Read Submission in n8n's editor (Chromium)", () => {
		const session = accountSession(editor, {
			account: ACCOUNT,
			token: TOKEN,
			credential,
			screenshot: 'amocrm-browser-site-form',
		});

		it('needs nothing filled in: run on a webhook item, it reads the lead with the account country and keeps the extra field', async () => {
			const { n8n, page } = session;
			const workflow = manualToAmoCrm({
				name: 'Browser: read a form',
				nodeName: 'Read form',
				// What a user has after choosing Site Form > Read Submission: nothing else filled.
				parameters: { resource: 'siteForm', operation: 'readSubmission' },
				credential,
			});
			// The item a Webhook node gives for a JSON post, made by a Set node between the two.
			const [start, read] = workflow.nodes;
			workflow.nodes = [
				start,
				{
					id: 'b0000000-0000-4000-8000-000000000003',
					name: 'Webhook item',
					type: 'n8n-nodes-base.set',
					typeVersion: 3.4,
					position: [120, 0],
					parameters: {
						mode: 'manual',
						assignments: {
							assignments: [
								{
									id: 'c0000000-0000-4000-8000-000000000001',
									name: 'headers',
									value: '={{ { "content-type": "application/json" } }}',
									type: 'object',
								},
								{
									id: 'c0000000-0000-4000-8000-000000000002',
									name: 'body',
									value:
										'={{ { "Name": "Ivan Petrov", "PHONE": "8 901 555-00-11", "city": "Kazan" } }}',
									type: 'object',
								},
							],
						},
						options: {},
					},
				},
				{ ...read, position: [360, 0] },
			];
			workflow.connections = {
				Start: { main: [[{ node: 'Webhook item', type: 'main', index: 0 }]] },
				'Webhook item': { main: [[{ node: 'Read form', type: 'main', index: 0 }]] },
			};
			const id = await n8n.importWorkflow(workflow);
			await openWorkflow(page, n8n.baseUrl, id);
			await openNode(page, 'Read form');
			await waitUntil(
				async () => (await pageText(page)).includes('Form Fields') || undefined,
				'the Form Fields parameter',
			);
			expect(await page.$$('[data-test-id="parameter-issues"]')).toHaveLength(0);
			await page.click('[data-test-id="node-execute-button"]');
			await waitUntil(
				async () => (await pageText(page)).includes('+79015550011') || undefined,
				"the lead's phone completed with the account's country (RU)",
			);
			const text = await pageText(page);
			expect(text).toContain('Kazan');
			expect(text).toContain('Ivan Petrov');
			await closeNode(page);
		});
	});
}

/**
 * Deal > Update in n8n 2.41.1's editor (Chromium): the deal is chosen from a list searched by
 * name, and "Pipeline and Stage" under Update Fields lists every pipeline's stages. A real
 * n8n loads the built package; amoCRM is the fake account at https://deals.amocrm.ru, on a
 * loopback address of its own (no turn at 127.0.0.1:443).
 */
import type { WorkflowJson } from '../../e2e/harness';
import {
	chooseCredential,
	chooseFromList,
	closeNode,
	openNode,
	openWorkflow,
	saveWorkflow,
} from '../editor';
import { accountSession, manualToAmoCrm, type Editor } from '../session';

const TOKEN = 'deal-browser-token';
const ACCOUNT = { subdomain: 'deals', host: 'deals.amocrm.ru', loopback: '127.0.0.81' } as const;
const credential = {
	id: 'browserDealToken',
	name: 'amoCRM deals (token)',
	type: 'amoCrmApi',
	data: { subdomain: ACCOUNT.subdomain, domain: 'amocrm.ru', accessToken: TOKEN },
};

const workflow = manualToAmoCrm({
	name: 'Move a deal',
	nodeName: 'Move deal',
	parameters: {
		resource: 'deal',
		operation: 'update',
		dealId: { __rl: true, mode: 'list', value: '' },
		// "Pipeline and Stage" added under Update Fields, not chosen yet.
		updateFields: { statusId: { __rl: true, mode: 'list', value: '' } },
	},
	credential,
});

export function dealUpdateSuite(editor: Editor): void {
	describe("Deal > Update in n8n's editor (Chromium)", () => {
		const session = accountSession(editor, {
			account: ACCOUNT,
			token: TOKEN,
			credential,
		});

		it('chooses the deal by name and the stage of another pipeline under Update Fields, and saves both', async () => {
			const { amo, n8n, page } = session;
			const lead = amo.fake.seedLead({
				name: 'Wholesale order',
				pipeline_id: 1001,
				status_id: 2002,
			});
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
			expect(parameters?.dealId).toMatchObject({
				__rl: true,
				mode: 'list',
				value: String(lead.id),
			});
			expect(parameters?.updateFields).toEqual({
				statusId: expect.objectContaining({ __rl: true, mode: 'list', value: '1002:2102' }),
			});
		});
	});
}

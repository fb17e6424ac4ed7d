/**
 * Note > Add's deal, contact or company in n8n 2.41.1's editor (Chromium): a node saved when
 * the field was a plain ID still shows that ID, and choosing Company under Add To offers the
 * account's companies, saved as a locator. A real n8n loads the built package; amoCRM is a
 * fake account at https://notes.amocrm.ru on a loopback address of its own.
 */
import type { WorkflowJson } from '../../e2e/harness';
import { waitUntil } from '../browser';
import {
	chooseFromList,
	clickItem,
	locatorTexts,
	openNode,
	openWorkflow,
	saveWorkflow,
} from '../editor';
import { accountSession, manualToAmoCrm, type Editor } from '../session';

const TOKEN = 'notes-browser-token';
const ACCOUNT = { subdomain: 'notes', host: 'notes.amocrm.ru', loopback: '127.0.0.79' } as const;
const credential = {
	id: 'notesAmoToken1',
	name: 'amoCRM (notes)',
	type: 'amoCrmApi',
	data: { subdomain: ACCOUNT.subdomain, domain: 'amocrm.ru', accessToken: TOKEN },
};

/** Note > Add as saved before its deal/contact became a locator: a plain ID. */
const savedBefore = manualToAmoCrm({
	name: 'Note saved with a plain ID',
	nodeName: 'Add note',
	parameters: {
		resource: 'note',
		operation: 'add',
		entityType: 'deal',
		entityId: '9001',
		text: 'Called back',
	},
	credential,
});

export function noteEntitySuite(editor: Editor): void {
	describe("Note > Add's deal, contact or company in n8n's editor (Chromium)", () => {
		const session = accountSession(editor, {
			account: ACCOUNT,
			token: TOKEN,
			credential,
			screenshot: 'amocrm-browser-note-entity',
		});

		it('shows the plain deal ID saved before; Add To → Company lists the companies, and the choice is saved as a locator', async () => {
			const { amo, n8n, page } = session;
			const companyId = amo.fake.seedCompany({ name: 'Audio Med' }).id;
			amo.fake.seedCompany({ name: 'Sound Clinic' });
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
}

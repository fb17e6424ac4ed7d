/**
 * Note > Add's Note Type in n8n 2.41.1's editor (Chromium): a node saved before note types opens
 * as a Common note with its text; choosing Incoming Call swaps Text for the call's fields, and
 * the choice and the phone typed are saved. A real n8n loads the built package; amoCRM is a fake
 * account at https://notetypes.amocrm.ru on a loopback address of its own.
 */
import type { WorkflowJson } from '../../e2e/harness';
import { waitUntil } from '../browser';
import { clickItem, openNode, openWorkflow, saveWorkflow, typeInto, visibleTexts } from '../editor';
import { accountSession, manualToAmoCrm, type Editor } from '../session';

const TOKEN = 'notetypes-browser-token';
const ACCOUNT = {
	subdomain: 'notetypes',
	host: 'notetypes.amocrm.ru',
	loopback: '127.0.0.121',
} as const;
const credential = {
	id: 'noteTypesToken1',
	name: 'amoCRM (note types)',
	type: 'amoCrmApi',
	data: { subdomain: ACCOUNT.subdomain, domain: 'amocrm.ru', accessToken: TOKEN },
};

/** Note > Add as saved before it had a Note Type. */
const savedBefore = manualToAmoCrm({
	name: 'Note saved before note types',
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

/** Which of these parameters the node shows now. */
async function shown(
	page: Parameters<typeof visibleTexts>[0],
	names: string[],
): Promise<Record<string, boolean>> {
	const result: Record<string, boolean> = {};
	for (const name of names)
		result[name] =
			(await visibleTexts(page, `[data-test-id="parameter-input-${name}"]`)).length > 0;
	return result;
}

const CALL_FIELDS = ['phone', 'duration', 'callStatus', 'link', 'source', 'callResult', 'uniq'];

export function noteTypesSuite(editor: Editor): void {
	describe("Note > Add's Note Type in n8n's editor (Chromium)", () => {
		const session = accountSession(editor, {
			account: ACCOUNT,
			token: TOKEN,
			credential,
			screenshot: 'amocrm-browser-note-types',
		});

		it('opens a note saved before note types as Common with its text; Incoming Call shows the call fields instead, and is saved', async () => {
			const { n8n, page } = session;
			const id = await n8n.importWorkflow(savedBefore);
			await openWorkflow(page, n8n.baseUrl, id);
			await openNode(page, 'Add note');

			await waitUntil(
				async () => (await shown(page, ['noteType'])).noteType || undefined,
				'the Note Type field',
			);
			expect(await shown(page, ['text', ...CALL_FIELDS])).toEqual({
				text: true,
				...Object.fromEntries(CALL_FIELDS.map((name) => [name, false])),
			});
			expect(
				await page.$eval(
					'[data-test-id="parameter-input-noteType"] input',
					(input) => (input as unknown as { value: string }).value,
				),
			).toBe('Common');

			await page.click('[data-test-id="parameter-input-noteType"]');
			await clickItem(page, '.el-select-dropdown__item', 'Incoming Call');
			await waitUntil(
				async () => (await shown(page, ['phone'])).phone || undefined,
				'the call fields',
			);
			expect(await shown(page, ['text', ...CALL_FIELDS])).toEqual({
				text: false,
				...Object.fromEntries(CALL_FIELDS.map((name) => [name, true])),
			});

			await typeInto(page, '[data-test-id="parameter-input-phone"] input', '+998901234567');
			await saveWorkflow(page);
			const stored = await waitUntil(async () => {
				const workflow = await n8n.api<WorkflowJson>('GET', `/workflows/${id}`);
				const node = workflow.nodes.find((candidate) => candidate.name === 'Add note');
				return node?.parameters?.noteType === 'call_in' && node.parameters.phone
					? node.parameters
					: undefined;
			}, 'the saved Incoming Call');
			expect(stored).toMatchObject({
				noteType: 'call_in',
				phone: '+998901234567',
				entityId: '9001',
			});
		});
	});
}

/**
 * Company > Create and Company > Update in n8n 2.41.1's editor, driven through Debian's Chromium:
 * what a user types and picks in a new AmoCRM node, then the node run from the editor. amoCRM is
 * the fake account at https://companies.amocrm.ru on a loopback address of its own.
 */
import { nodeOutput } from '../../e2e/harness';
import { waitUntil } from '../browser';
import { addCollectionField, chooseFromList, openNode, openWorkflow, typeInto } from '../editor';
import { accountSession, manualToAmoCrm, type Editor } from '../session';

const TOKEN = 'browser-company-token';
const ACCOUNT = {
	subdomain: 'companies',
	domain: 'amocrm.ru',
	host: 'companies.amocrm.ru',
	loopback: '127.0.0.82',
} as const;
const credential = {
	id: 'browserCompanyToken1',
	name: 'amoCRM (companies)',
	type: 'amoCrmApi',
	data: { subdomain: ACCOUNT.subdomain, domain: ACCOUNT.domain, accessToken: TOKEN },
};

/** Manual trigger → one AmoCRM node set to Company > `operation`, nothing else filled. */
const companyWorkflow = (name: string, nodeName: string, operation: string) =>
	manualToAmoCrm({ name, nodeName, parameters: { resource: 'company', operation }, credential });

export function companySuite(editor: Editor): void {
	describe("Company > Create and Update in n8n's editor (Chromium)", () => {
		const session = accountSession(editor, {
			account: ACCOUNT,
			token: TOKEN,
			credential,
			screenshot: 'amocrm-browser-company',
		});

		it('Create: the name typed is the only thing to fill; running the node creates that company, and running it again returns it instead of a second one', async () => {
			const { amo, n8n, page } = session;
			const id = await n8n.importWorkflow(
				companyWorkflow('Browser: company', 'New company', 'create'),
			);
			await openWorkflow(page, n8n.baseUrl, id);
			await openNode(page, 'New company');
			await typeInto(page, '[data-test-id="parameter-input-name"] input', 'Shifo Med LLC');
			await waitUntil(
				async () => (await page.$$('[data-test-id="parameter-issues"]')).length === 0,
				'no field marked with an issue',
			);

			await page.click('[data-test-id="node-execute-button"]');
			await waitUntil(async () => amo.fake.companies.length === 1 || undefined, 'the company');
			expect(amo.fake.companies.map((company) => company.name)).toEqual(['Shifo Med LLC']);

			// Avoid Duplicates is on as the node starts: the same name again finds the company.
			const [first] = await n8n.waitForExecutions(id, 1);
			expect(nodeOutput(first, 'New company')).toEqual([
				expect.objectContaining({
					id: amo.fake.companies[0].id,
					name: 'Shifo Med LLC',
					reused: false,
				}),
			]);
			await page.click('[data-test-id="node-execute-button"]');
			const [, second] = await n8n.waitForExecutions(id, 2);
			expect(nodeOutput(second, 'New company')).toEqual([
				expect.objectContaining({
					id: amo.fake.companies[0].id,
					name: 'Shifo Med LLC',
					reused: true,
				}),
			]);
			expect(
				amo.fake.requests.filter((r) => r.method === 'POST' && r.path === '/api/v4/companies'),
			).toHaveLength(1);
			expect(amo.fake.companies).toHaveLength(1);
		});

		it('Update: the company chosen from its list gets the tag typed under Update Fields > Tags to Add; its other tags stay', async () => {
			const { amo, n8n, page } = session;
			const company = amo.fake.seedCompany({
				name: 'Eshitish Markazi',
				_embedded: { tags: [{ name: 'clinic' }] },
			});
			const id = await n8n.importWorkflow(
				companyWorkflow('Browser: company update', 'Tag company', 'update'),
			);
			await openWorkflow(page, n8n.baseUrl, id);
			await openNode(page, 'Tag company');

			const listed = await chooseFromList(page, 'companyId', `Eshitish Markazi (#${company.id})`);
			expect(listed).toContain(`Eshitish Markazi (#${company.id})`);
			await addCollectionField(page, 'Tags to Add');
			await typeInto(page, '[data-test-id="parameter-input-tags"] input', 'partner');

			await page.click('[data-test-id="node-execute-button"]');
			await waitUntil(
				async () =>
					amo.fake.requests.some((r) => r.method === 'PATCH' && r.path === '/api/v4/companies') ||
					undefined,
				'the company update',
			);
			await waitUntil(
				async () => (amo.fake.company(company.id)?.tags.length === 2 ? true : undefined),
				'the tag on the company',
			);
			expect(
				amo.fake
					.company(company.id)
					?.tags.map((tag) => tag.name)
					.sort(),
			).toEqual(['clinic', 'partner']);
		});
	});
}

/**
 * Company > Create with Avoid Duplicates in a real n8n 2.x with the built package, against the
 * fake amoCRM over HTTPS: a company amoCRM already has is returned, not created again.
 */
import { FakeAmoCrm } from '../../fakes/amocrm';
import {
	amoCrmTokenCredential,
	E2E_AMOCRM,
	nodeOutput,
	serveFakeAmoCrm,
	webhookToAmoCrm,
	type N8nInstance,
	type ServedFakeAmoCrm,
} from '../harness';
import type { SharedN8n } from './shared';

const credential = amoCrmTokenCredential('e2eAmoCrmCompany1');

const createCompanyWorkflow = webhookToAmoCrm({
	name: 'e2e: webhook -> AmoCRM Create Company',
	path: 'e2e-create-company',
	key: '5c1d2e3f0001',
	nodeName: 'Create Company',
	parameters: {
		resource: 'company',
		operation: 'create',
		name: '={{ $json.body.company }}',
		phones: { phone: [{ number: '={{ $json.body.phone }}', type: 'WORK' }] },
		emails: { email: [{ address: '={{ $json.body.email }}', type: 'WORK' }] },
	},
	credential,
});

export function companyCreateSuite(shared: SharedN8n): void {
	describe('Company > Create in a real n8n', () => {
		let n8n: N8nInstance;
		let amo: ServedFakeAmoCrm;

		beforeAll(async () => {
			amo = await serveFakeAmoCrm(new FakeAmoCrm({ subdomain: E2E_AMOCRM.subdomain }));
			({ n8n } = shared);
		});

		afterAll(async () => await amo?.stop());

		it('returns the company amoCRM has with that name or email instead of creating a duplicate', async () => {
			const existing = amo.fake.seedCompany({ name: 'Shifo Med LLC' });
			await n8n.importCredentials([credential]);
			const workflowId = await n8n.importWorkflow(createCompanyWorkflow);
			await n8n.activate(workflowId);
			const post = async (body: Record<string, string>) => {
				const response = await n8n.webhook('e2e-create-company', {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify(body),
				});
				expect(response.status).toBe(200);
				return (await response.json()) as Record<string, unknown>;
			};

			const sameName = await post({ company: 'SHIFO MED llc', phone: '', email: '' });
			const created = await post({
				company: 'Nur Optika',
				phone: '+998 90 123-45-67',
				email: 'nur@optika.uz',
			});
			const sameEmail = await post({ company: 'Nur', phone: '', email: 'NUR@optika.uz' });

			expect(amo.fake.companies.map((company) => company.name)).toEqual([
				'Shifo Med LLC',
				'Nur Optika',
			]);
			const nur = amo.fake.companies[1].id;
			const url = (id: number) => `https://e2e.amocrm.ru/companies/detail/${id}`;
			expect([sameName, created, sameEmail]).toEqual([
				{ id: existing.id, name: 'Shifo Med LLC', reused: true, url: url(existing.id) },
				{ id: nur, name: 'Nur Optika', reused: false, url: url(nur) },
				{ id: nur, name: 'Nur Optika', reused: true, url: url(nur) },
			]);
			expect(
				amo.fake.companies[1].custom_fields_values?.map((field) => [
					field.field_code,
					field.values.map((value) => value.value),
				]),
			).toEqual([
				['PHONE', ['+998901234567']],
				['EMAIL', ['nur@optika.uz']],
			]);
			const executions = await n8n.waitForExecutions(workflowId, 3);
			expect(executions.map((execution) => execution.status)).toEqual([
				'success',
				'success',
				'success',
			]);
			expect(executions.map((execution) => nodeOutput(execution, 'Create Company'))).toEqual(
				expect.arrayContaining([[sameName], [created], [sameEmail]]),
			);
		});
	});
}

/**
 * The lead-intake template as imported, in a real n8n: a lead posted alone is answered at once
 * and reaches amoCRM by its own webhook execution (no wait for the schedule), and routing by
 * source is one expression in Create deal. Both storage variants. How fast is the benchmark's
 * business (its "one at a time" burst), not a timed test's.
 */
import { FakeAmoCrm } from '../fakes/amocrm';
import { FakeTelegram } from '../fakes/telegram';
import type { N8nInstance, WorkflowJson } from './harness';
import {
	LEAD_ACCOUNT,
	readLeadRows,
	startLeadIntake,
	TOKEN,
	userPicks,
	waitForLeadRows,
	type LeadIntakeRun,
	type Storage,
} from './harness/lead-intake';

function aloneSuite(storage: Storage): void {
	describe(`lead-intake template (${storage === 'postgres' ? 'PostgreSQL' : 'Data table'}): a lead alone`, () => {
		let n8n: N8nInstance;
		let run: LeadIntakeRun;
		const amo = new FakeAmoCrm({
			subdomain: LEAD_ACCOUNT.subdomain,
			accessTokens: [TOKEN],
			latencyMs: 150,
		});
		const telegram = new FakeTelegram();

		beforeAll(async () => {
			run = await startLeadIntake(storage, amo, telegram);
			n8n = run.n8n;
			const picked = userPicks(run.template, { webhookSyncs: true });
			// Routing by source, as the README's recipe types it: one expression, one node.
			const deal = picked.nodes.find((node) => node.name === 'Create deal')!;
			deal.parameters.statusId = {
				__rl: true,
				mode: 'id',
				value: "={{ $('Claim').item.json.source === 'instagram' ? '1002:2101' : '1001:2002' }}",
			};
			await n8n.updateWorkflow(run.workflowId, picked);
			await n8n.activate(run.workflowId);
		}, 10 * 60_000);

		afterAll(async () => await run?.stop());

		it('answers 200, and its own webhook execution puts it in amoCRM with contact, deal, note and one Telegram message; the row names that execution twice', async () => {
			const response = await n8n.webhook('lead', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({
					Name: 'Aziza Karimova',
					phone: '+998 90 123-45-67',
					email: 'aziza@example.uz',
					source: 'site',
					message: 'Call me after 18:00',
					product_id: 'HA-7',
					city: 'Tashkent',
				}),
			});
			expect(response.status).toBe(200);
			const { id } = (await response.json()) as { id: number };
			// The schedule runs every 5 minutes: a lead synced before that was synced by its own post.
			const [row] = await waitForLeadRows(n8n, storage, (r) => r.status === 'synced', {
				timeoutMs: 60_000,
				everyMs: 100,
			});
			expect(row).toMatchObject({
				id,
				name: 'Aziza Karimova',
				phone: '+998901234567',
				status: 'synced',
				attempts: 1,
				fields: '{"city":"Tashkent"}',
				deal_id: amo.leads[0].id,
				contact_id: amo.contacts[0].id,
				note_id: amo.notes[0].id,
			});
			expect(row.stored_by).toMatch(/^\d+$/);
			expect(row.synced_by).toBe(row.stored_by);
			expect(amo.leads[0]).toMatchObject({
				name: 'Website lead: Aziza Karimova',
				pipeline_id: 1001,
				status_id: 2002,
			});
			expect(amo.notes[0].params).toEqual({ text: 'Call me after 18:00\n\ncity: Tashkent' });
			await waitForLeadRows(n8n, storage, (r) => r.telegram === 'sent', {
				timeoutMs: 60_000,
				everyMs: 100,
			});
			expect(telegram.messages).toHaveLength(1);
			expect(telegram.messages[0].text).toContain(`✅ New lead #${id}`);
			expect(telegram.messages[0].text).toContain('city: Tashkent');
		});

		it('a browser opening the address gets the test form in its language; the form posts a lead that reaches amoCRM', async () => {
			amo.reset();
			telegram.reset();
			const page = await n8n.webhook('lead', { headers: { 'accept-language': 'ru-RU,ru;q=0.9' } });
			expect(page.status).toBe(200);
			expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
			const html = await page.text();
			expect(html).toContain('<html lang="ru">');
			expect(html).toContain('<form method="post">');
			// What the browser sends for that form: its fields, URL-encoded, to the same address.
			const fields = [...html.matchAll(/<(?:input|textarea) name="([^"]+)"/g)].map((m) => m[1]);
			expect(fields).toEqual(['name', 'phone', 'email', 'message', 'productId', 'source']);
			const response = await n8n.webhook('lead', {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: 'name=Test+lead&phone=%2B998+90+111-22-33&email=&message=&productId=&source=test+form',
			});
			expect(response.status).toBe(200);
			const { id } = (await response.json()) as { id: number };
			const rows = await waitForLeadRows(n8n, storage, (r) => r.status === 'synced', {
				timeoutMs: 10_000,
				everyMs: 200,
			});
			expect(rows.find((r) => r.id === id)).toMatchObject({
				source: 'test form',
				status: 'synced',
			});
			expect(amo.leads.map((deal) => deal.name)).toEqual(['Website lead: Test lead']);
		});

		it("with Add product switched on, the form's productId becomes the deal's product (by SKU, quantity 1); a lead without one, or with an unknown SKU, is still synced", async () => {
			amo.reset();
			const hearingAid = amo.seedProduct('Hearing aid HA-7', 1_500_000, 'HA-7');
			const workflow = await n8n.api<WorkflowJson>('GET', `/workflows/${run.workflowId}`);
			const addProduct = workflow.nodes.find((node) => node.name === 'Add product')!;
			expect(addProduct.disabled).toBe(true);
			delete addProduct.disabled;
			await n8n.deactivate(run.workflowId);
			await n8n.updateWorkflow(run.workflowId, workflow);
			await n8n.activate(run.workflowId);
			const ids: number[] = [];
			for (const [name, productId] of [
				['Product lead', 'ha-7'],
				['No product lead', ''],
				['Unknown product lead', 'XX-1'],
			]) {
				const response = await n8n.webhook('lead', {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ name, phone: '+998 90 222-33-44', productId }),
				});
				expect(response.status).toBe(200);
				ids.push(((await response.json()) as { id: number }).id);
				await waitForLeadRows(n8n, storage, (r) => r.status === 'synced', {
					timeoutMs: 10_000,
					everyMs: 200,
				});
			}
			const rows = (await readLeadRows(n8n, storage)).filter((r) => ids.includes(r.id));
			expect(rows.map((r) => [r.name, r.status, r.error || null])).toEqual([
				['Product lead', 'synced', null],
				['No product lead', 'synced', null],
				[
					'Unknown product lead',
					'synced',
					'The product was not added to the deal: No product in catalog 4521 has the SKU "XX-1"',
				],
			]);
			const products = amo.links.filter((link) => link.to_entity_type === 'catalog_elements');
			expect(products).toEqual([
				expect.objectContaining({
					entity_id: rows[0].deal_id,
					to_entity_id: hearingAid.id,
					metadata: expect.objectContaining({ catalog_id: 4521, quantity: 1 }),
				}),
			]);
			expect(amo.leads).toHaveLength(3);
		});

		it('an instagram lead goes into the pipeline the expression names', async () => {
			amo.reset();
			const response = await fetch(n8n.webhookUrl('lead'), {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({
					name: 'Instagram lead',
					phone: '+998 90 765-43-21',
					source: 'instagram',
				}).toString(),
			});
			expect(response.status).toBe(200);
			await waitForLeadRows(n8n, storage, (r) => r.status === 'synced', {
				timeoutMs: 10_000,
				everyMs: 200,
			});
			expect(amo.leads.map((deal) => [deal.name, deal.pipeline_id, deal.status_id])).toEqual([
				['Website lead: Instagram lead', 1002, 2101],
			]);
			expect((await readLeadRows(n8n, storage)).every((r) => r.status === 'synced')).toBe(true);
		});
	});
}

aloneSuite('dataTable');
aloneSuite('postgres');

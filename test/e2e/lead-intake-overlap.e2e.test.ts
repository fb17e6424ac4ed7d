/**
 * Sync runs of the lead-intake template that overlap, in a real n8n, for both storage
 * variants: three runs started at the same moment, and the schedule firing every 2 seconds
 * while amoCRM answers slowly, so runs compete for the same stored leads. The leads are first
 * refused by amoCRM, then it heals, as after an outage. Each lead must be claimed by one run
 * at a time and end with exactly one contact, one deal and one note in amoCRM and one
 * Telegram message.
 */
import { FakeAmoCrm } from '../fakes/amocrm';
import { FakeTelegram } from '../fakes/telegram';
import { E2E_AMOCRM, serveFakeAmoCrm, startN8n, type N8nInstance, type ServedFakeAmoCrm, type WorkflowJson } from './harness';
import { installTemplate, readLeadRows, SYNC_TRIGGER, TOKEN, userPicks, type LeadRow, type Storage } from './lead-intake.e2e.test';

const LEADS = 20;
const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

function overlapSuite(storage: Storage): void {
	describe(`lead-intake template (${storage === 'postgres' ? 'PostgreSQL' : 'Data table'}): overlapping sync runs`, () => {
		let n8n: N8nInstance;
		let served: ServedFakeAmoCrm;
		const amo = new FakeAmoCrm({ subdomain: E2E_AMOCRM.subdomain, accessTokens: [TOKEN] });
		const telegram = new FakeTelegram();
		let telegramServer: Awaited<ReturnType<FakeTelegram['listen']>>;
		let workflowId: string;
		let template: WorkflowJson;

		beforeAll(async () => {
			served = await serveFakeAmoCrm(amo);
			telegramServer = await telegram.listen();
			n8n = await startN8n({ env: served.n8nEnv });
			const installed = await installTemplate(n8n, storage, telegramServer.url);
			workflowId = installed.id as string;
			template = installed;
			// While amoCRM refuses, a failed lead is not due again during the test.
			await n8n.updateWorkflow(workflowId, userPicks(template, { retryAfterMinutes: 60 }));
			await n8n.activate(workflowId);
		}, 10 * 60_000);

		afterAll(async () => {
			await n8n?.stop();
			await served?.stop();
			await telegramServer?.close();
		});

		/** Starts the sync part now, as its schedule would, without waiting for it. */
		async function startSync(): Promise<string> {
			const started = await n8n.rest<{ executionId?: string }>('POST', `/workflows/${workflowId}/run`, { triggerToStartFrom: { name: SYNC_TRIGGER } });
			if (!started?.executionId) throw new Error(`the sync did not start: ${JSON.stringify(started)}`);
			return started.executionId;
		}
		async function allFinished(): Promise<void> {
			const deadline = Date.now() + 180_000;
			while ((await n8n.executions(workflowId)).some((e) => !['success', 'error', 'crashed', 'canceled'].includes(e.status))) {
				if (Date.now() > deadline) throw new Error('sync runs did not finish');
				await sleep(500);
			}
		}

		const posted = Array.from({ length: LEADS }, (_, i) => ({
			name: `Overlap lead ${i + 1}`,
			phone: `+998 91 555 ${String(1000 + i)}`,
			email: `overlap${i + 1}@example.uz`,
			source: 'Landing page',
			message: `Lead ${i + 1} wants a call`,
			productId: `P-${i + 1}`,
		}));

		it('three sync runs started at once while amoCRM refuses: each lead is claimed by one run only, and warned about once', async () => {
			amo.setMode('html403');
			const answers = await Promise.all(
				posted.map(async (lead) => await n8n.webhook('lead', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(lead) })),
			);
			expect(answers.map((a) => a.status)).toEqual(posted.map(() => 200));
			await n8n.waitForExecutions(workflowId, LEADS, { timeoutMs: 60_000 });

			await Promise.all([startSync(), startSync(), startSync()]);
			await allFinished();

			const rows = await readLeadRows(n8n, storage);
			expect(rows.map((row) => [row.status, row.attempts])).toEqual(posted.map(() => ['failed', 1]));
			for (const row of rows) {
				expect(telegram.messages.filter((m) => new RegExp(`Lead #${row.id} is NOT in amoCRM yet`).test(m.text))).toHaveLength(1);
			}
			expect(amo.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
		});

		it('then, amoCRM healed but slow, runs every 2 seconds plus three at once: one contact, deal and note per lead, one Telegram message each', async () => {
			amo.setMode('up');
			amo.setLatency(700);
			telegram.reset();
			// Failed leads due at once, the template's lease (10 minutes), the schedule every 2 seconds.
			const workflow = userPicks(template, { retryAfterMinutes: 0 });
			const trigger = workflow.nodes.find((n) => n.name === SYNC_TRIGGER);
			if (!trigger) throw new Error(`template has no node "${SYNC_TRIGGER}"`);
			trigger.parameters.rule = { interval: [{ field: 'seconds', secondsInterval: 2 }] };
			await n8n.deactivate(workflowId);
			await n8n.updateWorkflow(workflowId, workflow);
			await n8n.activate(workflowId);
			await Promise.all([startSync(), startSync(), startSync()]);

			let rows: LeadRow[] = [];
			const deadline = Date.now() + 4 * 60_000;
			for (;;) {
				rows = await readLeadRows(n8n, storage);
				if (rows.every((row) => row.status === 'synced') || Date.now() > deadline) break;
				await sleep(1_000);
			}
			await n8n.deactivate(workflowId);
			await allFinished();
			rows = await readLeadRows(n8n, storage);

			// Each lead was claimed once more (attempt 2), by one run only.
			expect(rows.map((row) => [row.status, row.attempts])).toEqual(posted.map(() => ['synced', 2]));
			expect(amo.leads).toHaveLength(LEADS);
			expect(amo.contacts).toHaveLength(LEADS);
			expect(amo.notes).toHaveLength(LEADS);
			for (const lead of posted) {
				const deals = amo.leads.filter((deal) => deal.name === `Website lead: ${lead.name}`);
				expect(deals).toHaveLength(1);
				expect(amo.notes.filter((note) => note.entity_id === deals[0].id)).toHaveLength(1);
			}
			expect(new Set(rows.map((row) => row.deal_id)).size).toBe(LEADS);
			for (const row of rows) {
				expect(telegram.messages.filter((m) => new RegExp(`New lead #${row.id}(?!\\d)`).test(m.text))).toHaveLength(1);
			}
			expect(telegram.messages).toHaveLength(LEADS);

			// The runs did overlap: a run started before the one before it had finished.
			const runs = (await n8n.executions(workflowId))
				.filter((e) => e.mode !== 'webhook')
				.map((e) => ({ start: Date.parse(e.startedAt), stop: Date.parse(e.stoppedAt ?? e.startedAt) }))
				.sort((a, b) => a.start - b.start);
			expect(runs.filter((run, i) => i > 0 && run.start < runs[i - 1].stop).length).toBeGreaterThan(2);
		});
	});
}

overlapSuite('dataTable');
overlapSuite('postgres');

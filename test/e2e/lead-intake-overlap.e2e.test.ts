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
import { type Execution, type N8nInstance } from './harness';
import {
	LEAD_ACCOUNT,
	readLeadRows,
	startLeadIntake,
	SYNC_TRIGGER,
	syncEvery,
	TOKEN,
	userPicks,
	type LeadIntakeRun,
	type LeadRow,
	type Storage,
} from './harness/lead-intake';

const LEADS = 20;
const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

function overlapSuite(storage: Storage): void {
	describe(`lead-intake template (${storage === 'postgres' ? 'PostgreSQL' : 'Data table'}): overlapping sync runs`, () => {
		let n8n: N8nInstance;
		let run: LeadIntakeRun;
		const amo = new FakeAmoCrm({ subdomain: LEAD_ACCOUNT.subdomain, accessTokens: [TOKEN] });
		const telegram = new FakeTelegram();
		let workflowId: string;

		beforeAll(async () => {
			run = await startLeadIntake(storage, amo, telegram);
			({ n8n, workflowId } = run);
			// While amoCRM refuses, a failed lead is not due again during the test.
			await n8n.updateWorkflow(workflowId, userPicks(run.template, { retryAfterMinutes: 60 }));
			await n8n.activate(workflowId);
		}, 10 * 60_000);

		afterAll(async () => await run?.stop());

		/** Starts the sync part now, as its schedule would, without waiting for it. */
		async function startSync(): Promise<string> {
			const started = await n8n.rest<{ executionId?: string }>(
				'POST',
				`/workflows/${workflowId}/run`,
				{ triggerToStartFrom: { name: SYNC_TRIGGER } },
			);
			if (!started?.executionId)
				throw new Error(`the sync did not start: ${JSON.stringify(started)}`);
			return started.executionId;
		}
		/** Waits until these runs, and every other run of the workflow, have finished (the public API lists running ones only when asked). */
		async function allFinished(ids: string[]): Promise<void> {
			const deadline = Date.now() + 180_000;
			for (;;) {
				const running = await n8n.api<{ data: unknown[] }>(
					'GET',
					`/executions?workflowId=${workflowId}&status=running&limit=250`,
				);
				const states = await Promise.all(
					ids.map(async (id) => (await n8n.api<Execution>('GET', `/executions/${id}`)).status),
				);
				if (
					running.data.length === 0 &&
					states.every((status) => ['success', 'error', 'crashed', 'canceled'].includes(status))
				) {
					expect(states).toEqual(ids.map(() => 'success'));
					return;
				}
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
				posted.map(
					async (lead) =>
						await n8n.webhook('lead', {
							method: 'POST',
							headers: { 'content-type': 'application/json' },
							body: JSON.stringify(lead),
						}),
				),
			);
			expect(answers.map((a) => a.status)).toEqual(posted.map(() => 200));
			await n8n.waitForExecutions(workflowId, LEADS, { timeoutMs: 60_000 });

			await allFinished(await Promise.all([startSync(), startSync(), startSync()]));

			const rows = await readLeadRows(n8n, storage);
			expect(rows.map((row) => [row.status, row.attempts])).toEqual(
				posted.map(() => ['failed', 1]),
			);
			for (const row of rows) {
				expect(
					telegram.messages.filter((m) =>
						new RegExp(`Lead #${row.id} is NOT in amoCRM yet`).test(m.text),
					),
				).toHaveLength(1);
			}
			expect(amo.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
		});

		it('then, amoCRM healed but slow, runs every 2 seconds plus three at once: one contact, deal and note per lead, one Telegram message each', async () => {
			amo.setMode('up');
			amo.setLatency(700);
			telegram.reset();
			// Failed leads due at once, the template's lease (10 minutes), the schedule every 2 seconds.
			await n8n.deactivate(workflowId);
			await n8n.updateWorkflow(
				workflowId,
				syncEvery(userPicks(run.template, { retryAfterMinutes: 0 }), 2),
			);
			await n8n.activate(workflowId);
			const started = await Promise.all([startSync(), startSync(), startSync()]);

			let rows: LeadRow[] = [];
			const deadline = Date.now() + 4 * 60_000;
			for (;;) {
				rows = await readLeadRows(n8n, storage);
				if (rows.every((row) => row.status === 'synced') || Date.now() > deadline) break;
				await sleep(1_000);
			}
			await n8n.deactivate(workflowId);
			await sleep(3_000); // a schedule run starting as the workflow was unpublished
			await allFinished(started);
			rows = await readLeadRows(n8n, storage);

			// Each lead was claimed once more (attempt 2), by one run only.
			expect(rows.map((row) => [row.status, row.attempts])).toEqual(
				posted.map(() => ['synced', 2]),
			);
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
				expect(
					telegram.messages.filter((m) => new RegExp(`New lead #${row.id}(?!\\d)`).test(m.text)),
				).toHaveLength(1);
			}
			expect(telegram.messages).toHaveLength(LEADS);

			// The runs did overlap: a run started before the one before it had finished.
			const runs = (await n8n.executions(workflowId))
				.filter((e) => e.mode !== 'webhook')
				.map((e) => ({
					start: Date.parse(e.startedAt),
					stop: Date.parse(e.stoppedAt ?? e.startedAt),
				}))
				.sort((a, b) => a.start - b.start);
			expect(runs.filter((run, i) => i > 0 && run.start < runs[i - 1].stop).length).toBeGreaterThan(
				2,
			);
		});
	});
}

overlapSuite('dataTable');
overlapSuite('postgres');

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
import { type N8nInstance } from './harness';
import {
	LEAD_ACCOUNT,
	readLeadRows,
	startLeadIntake,
	syncEvery,
	TOKEN,
	userPicks,
	type LeadIntakeRun,
	type Storage,
} from './harness/lead-intake';
import {
	drainLeads,
	expectEachLeadSyncedOnce,
	expectSyncRunsSucceeded,
	overlappingRuns,
	startSync,
} from './harness/sync-runs';

const LEADS = 20;

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

			const sync = async () => await startSync(n8n, workflowId);
			await expectSyncRunsSucceeded(n8n, workflowId, await Promise.all([sync(), sync(), sync()]));

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

		it('then, amoCRM healed but slow, runs every 2 seconds plus three at once: one contact, deal and note per lead, each lead announced once on Telegram', async () => {
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
			const sync = async () => await startSync(n8n, workflowId);
			const started = await Promise.all([sync(), sync(), sync()]);
			const rows = await drainLeads(n8n, workflowId, storage, started, 4 * 60_000);

			// Each lead was claimed once more (attempt 2), by one run only.
			expectEachLeadSyncedOnce(amo, telegram, posted, rows, 2);
			// The runs did overlap: a run started before the one before it had finished.
			const syncRuns = (await n8n.executions(workflowId)).filter((e) => e.mode !== 'webhook');
			expect(overlappingRuns(syncRuns)).toBeGreaterThan(2);
		});
	});
}

overlapSuite('dataTable');
overlapSuite('postgres');

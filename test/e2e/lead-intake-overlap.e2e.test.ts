/**
 * Sync runs of the lead-intake template that overlap, in a real n8n, for both storage
 * variants, as users run it: every webhook execution syncs after answering, the schedule fires
 * every 2 seconds while amoCRM answers slowly, and three more runs start at the same moment, so
 * runs compete for the same stored leads. The leads are first refused by amoCRM, then it heals,
 * as after an outage, and new leads arrive meanwhile. Each lead must be claimed by one run at a
 * time and end with exactly one contact for its phone, one deal and one note in amoCRM and one
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
	headlines,
	overlappingRuns,
	startSync,
} from './harness/sync-runs';

const LEADS = 20;
const LATE_LEADS = 10;

const lead = (i: number) => ({
	name: `Overlap lead ${i + 1}`,
	phone: `+998 91 555 ${String(1000 + i)}`,
	email: `overlap${i + 1}@example.uz`,
	source: 'Landing page',
	message: `Lead ${i + 1} wants a call`,
	productId: `P-${i + 1}`,
});

export function overlapSuite(storage: Storage): void {
	describe(`lead-intake template (${storage === 'postgres' ? 'PostgreSQL' : 'Data table'}): overlapping sync runs`, () => {
		let n8n: N8nInstance;
		let run: LeadIntakeRun;
		const amo = new FakeAmoCrm({ subdomain: LEAD_ACCOUNT.subdomain, accessTokens: [TOKEN] });
		const telegram = new FakeTelegram();
		let workflowId: string;

		beforeAll(async () => {
			run = await startLeadIntake(storage, amo, telegram);
			({ n8n, workflowId } = run);
			// While amoCRM refuses, a failed lead is not due again during the test; the template's
			// lease (10 minutes).
			await n8n.updateWorkflow(
				workflowId,
				userPicks(run.template, { timings: { retryAfterMinutes: 60 }, webhookSyncs: true }),
			);
			await n8n.activate(workflowId);
		}, 10 * 60_000);

		afterAll(async () => await run?.stop());

		const posted = Array.from({ length: LEADS }, (_, i) => lead(i));
		const post = async (body: ReturnType<typeof lead>) => {
			const response = await n8n.webhook('lead', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
			});
			// A refusal shows its reason.
			const answer = (await response.json()) as { error?: string };
			return [response.status, answer.error];
		};

		it('twenty webhook executions and three sync runs at once while amoCRM refuses: each lead is claimed by one run only, and warned about once', async () => {
			amo.setMode('html403');
			const statuses = await Promise.all(posted.map(post));
			expect(statuses).toEqual(posted.map(() => [200, undefined]));
			// The three runs start while the webhook executions sync.
			const sync = async () => await startSync(n8n, workflowId);
			const started = await Promise.all([sync(), sync(), sync()]);
			await n8n.waitForExecutions(workflowId, LEADS + 3, { timeoutMs: 120_000 });
			await expectSyncRunsSucceeded(n8n, workflowId, started);

			const rows = await readLeadRows(n8n, storage);
			// Stored in the order the posts arrived: compared by name.
			const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
			expect([...rows].sort(byName).map((row) => [row.name, row.status, row.attempts])).toEqual(
				[...posted].sort(byName).map((p) => [p.name, 'failed', 1]),
			);
			expect(headlines(telegram).sort()).toEqual(
				rows.map((row) => `⚠️ Lead #${row.id} is NOT in amoCRM yet (attempt 1)`).sort(),
			);
			expect(amo.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
		});

		it('then, amoCRM healed but slow, runs every 2 seconds, three at once and new leads syncing after their answer: one contact, deal and note per lead, each lead announced once on Telegram', async () => {
			amo.setMode('up');
			amo.setLatency(700);
			telegram.reset();
			// Failed leads due at once, the template's lease (10 minutes), the schedule every 2 seconds.
			await n8n.deactivate(workflowId);
			await n8n.updateWorkflow(
				workflowId,
				syncEvery(
					userPicks(run.template, { timings: { retryAfterMinutes: 0 }, webhookSyncs: true }),
					2,
				),
			);
			await n8n.activate(workflowId);
			const sync = async () => await startSync(n8n, workflowId);
			const started = await Promise.all([sync(), sync(), sync()]);
			const late = Array.from({ length: LATE_LEADS }, (_, i) => lead(LEADS + i));
			expect(await Promise.all(late.map(post))).toEqual(late.map(() => [200, undefined]));
			const rows = await drainLeads(n8n, workflowId, storage, started, 4 * 60_000);

			// Each failed lead was claimed once more (attempt 2), each new one once, by one run only.
			expectEachLeadSyncedOnce(amo, telegram, [...posted, ...late], rows, [
				...posted.map(() => 2),
				...late.map(() => 1),
			]);
			// The runs did overlap: a run started before the one before it had finished.
			expect(overlappingRuns(await n8n.executions(workflowId))).toBeGreaterThan(2);
		});
	});
}

// The PostgreSQL variant runs in lead-intake-overlap-postgres.e2e.test.ts; the Data table one only
// when jest runs this file.
if (expect.getState().testPath === __filename) overlapSuite('dataTable');

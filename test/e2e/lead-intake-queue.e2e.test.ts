/**
 * The lead-intake template in n8n's queue mode, for both storage variants: n8n as the main
 * process (webhooks, schedules) with Redis and two `n8n worker` processes that run the
 * executions, PostgreSQL as n8n's database, and the amoCRM credential at 3 requests per second
 * (7 per account shared by two workers, as the README says). A burst of 50 leads posted at once
 * must get 50 answers with every lead stored; each webhook execution then syncs after answering,
 * as imported, with the schedule every 2 seconds and more runs started at once, amoCRM answering
 * slowly and small batches, so that runs on both workers compete for the same stored leads: each
 * lead must end with exactly one contact, one deal and one note in amoCRM and one Telegram
 * message, and amoCRM must never get more than 7 requests in a second (no 429).
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
	overlappingRuns,
	startSync,
} from './harness/sync-runs';

const LEADS = 50;
const WORKERS = 2;

/** The ids of the executions each worker ran, from its log ("Worker started execution 12 (job 3)"). */
function executionsByWorker(n8n: N8nInstance): Array<Set<string>> {
	return n8n
		.workerLogs()
		.map((log) => new Set([...log.matchAll(/Worker started execution (\d+) /g)].map((m) => m[1])));
}

export function queueSuite(storage: Storage): void {
	describe(`lead-intake template (${storage === 'postgres' ? 'PostgreSQL' : 'Data table'}) in queue mode with ${WORKERS} workers`, () => {
		let n8n: N8nInstance;
		let run: LeadIntakeRun;
		// amoCRM slow from the start: the webhook executions sync 2 s after their answers.
		const amo = new FakeAmoCrm({
			subdomain: LEAD_ACCOUNT.subdomain,
			accessTokens: [TOKEN],
			latencyMs: 700,
		});
		const telegram = new FakeTelegram();
		let workflowId: string;

		beforeAll(async () => {
			run = await startLeadIntake(storage, amo, telegram, {
				queue: { workers: WORKERS },
				requestsPerSecond: 3,
			});
			({ n8n, workflowId } = run);
			// Batches of 5, so that runs take leads from each other; the template's lease (10 minutes).
			await n8n.updateWorkflow(
				workflowId,
				syncEvery(
					userPicks(run.template, {
						timings: { retryAfterMinutes: 0, batchSize: 5 },
						webhookSyncs: true,
					}),
					2,
				),
			);
			await n8n.activate(workflowId);
		}, 10 * 60_000);

		afterAll(async () => await run?.stop());

		const posted = Array.from({ length: LEADS }, (_, i) => ({
			name: `Queue lead ${i + 1}`,
			phone: `+998 93 444 ${String(1000 + i)}`,
			email: `queue${i + 1}@example.uz`,
			source: 'Landing page',
			message: `Lead ${i + 1} wants a call`,
			productId: `P-${i + 1}`,
		}));

		it(`${LEADS} leads posted at once: ${LEADS} answers 200 with distinct ids, every lead stored once, the executions run on the workers`, async () => {
			const answers = await Promise.all(
				posted.map(async (lead) => {
					const response = await n8n.webhook('lead', {
						method: 'POST',
						headers: { 'content-type': 'application/json' },
						body: JSON.stringify(lead),
					});
					return {
						status: response.status,
						body: (await response.json()) as { id?: number; error?: string; message?: string },
					};
				}),
			);
			// A refusal shows its reason (the template's, or n8n's own).
			expect(answers.map((a) => [a.status, a.body.error ?? a.body.message])).toEqual(
				posted.map(() => [200, undefined]),
			);
			const ids = answers.map((a) => a.body.id as number);
			expect(new Set(ids).size).toBe(LEADS);

			const rows = await readLeadRows(n8n, storage);
			const byId = new Map(rows.map((row) => [row.id, row]));
			expect(rows).toHaveLength(LEADS);
			posted.forEach((lead, i) => {
				const row = byId.get(ids[i]);
				expect([row?.name, row?.email, row?.stored_by]).toEqual([
					lead.name,
					lead.email,
					expect.stringMatching(/^\d+$/),
				]);
			});

			// Every answer came from a worker (the execution that stored the lead); the main process ran none.
			const webhookRuns = rows.map((row) => row.stored_by as string);
			expect(new Set(webhookRuns).size).toBe(LEADS);
			const byWorker = executionsByWorker(n8n);
			expect(webhookRuns.filter((id) => byWorker.some((ran) => ran.has(id)))).toEqual(webhookRuns);
			expect(byWorker.map((ran) => webhookRuns.some((id) => ran.has(id)))).toEqual([true, true]);
		});

		it('the webhook executions, the schedule every 2 s and four runs at once sync them on both workers: one contact, deal and note per lead, each announced once on Telegram, at most 7 requests a second, no 429', async () => {
			const sync = async () => await startSync(n8n, workflowId);
			const started = await Promise.all([sync(), sync(), sync(), sync()]);
			const rows = await drainLeads(n8n, workflowId, storage, started, 5 * 60_000);

			// Each lead was claimed once (attempt 1), by one run only.
			expectEachLeadSyncedOnce(amo, telegram, posted, rows, 1);
			// Two workers at 3 requests per second each stay within amoCRM's 7.
			expect(amo.maxRequestsPerSecond()).toBeLessThanOrEqual(7);
			expect(amo.tooManyRequestsCount).toBe(0);

			// The runs did compete: both workers synced leads, and runs overlapped.
			const syncedBy = new Set(rows.map((row) => row.synced_by as string));
			const byWorker = executionsByWorker(n8n);
			expect(byWorker.map((ran) => [...syncedBy].some((id) => ran.has(id)))).toEqual([true, true]);
			expect(overlappingRuns(await n8n.executions(workflowId))).toBeGreaterThan(2);
		});
	});
}

// The PostgreSQL variant runs in lead-intake-queue-postgres.e2e.test.ts; the Data table one only
// when jest runs this file.
if (expect.getState().testPath === __filename) queueSuite('dataTable');

/**
 * The lead-intake template in n8n's queue mode, for both storage variants: n8n as the main
 * process (webhooks, schedules) with Redis and two `n8n worker` processes that run the
 * executions, PostgreSQL as n8n's database, and the amoCRM credential at 3 requests per second
 * (7 per account shared by two workers, as the README says). A burst of 50 leads posted at once
 * must get 50 answers with every lead stored; then sync runs on both workers at once, with
 * amoCRM answering slowly and small batches, so that the runs compete for the same stored
 * leads: each lead must end with exactly one contact, one deal and one note in amoCRM and one
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

function queueSuite(storage: Storage): void {
	describe(`lead-intake template (${storage === 'postgres' ? 'PostgreSQL' : 'Data table'}) in queue mode with ${WORKERS} workers`, () => {
		let n8n: N8nInstance;
		let run: LeadIntakeRun;
		const amo = new FakeAmoCrm({ subdomain: LEAD_ACCOUNT.subdomain, accessTokens: [TOKEN] });
		const telegram = new FakeTelegram();
		let workflowId: string;

		beforeAll(async () => {
			run = await startLeadIntake(storage, amo, telegram, {
				queue: { workers: WORKERS },
				requestsPerSecond: 3,
			});
			({ n8n, workflowId } = run);
			await n8n.updateWorkflow(workflowId, userPicks(run.template));
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
					return { status: response.status, body: (await response.json()) as { id?: number } };
				}),
			);
			expect(answers.map((a) => a.status)).toEqual(posted.map(() => 200));
			const ids = answers.map((a) => a.body.id);
			expect(new Set(ids).size).toBe(LEADS);

			const rows = await readLeadRows(n8n, storage);
			expect(rows.map((row) => row.id).sort((a, b) => a - b)).toEqual(
				[...(ids as number[])].sort((a, b) => a - b),
			);
			const byId = new Map(rows.map((row) => [row.id, row]));
			posted.forEach((lead, i) => {
				const row = byId.get(ids[i] as number);
				expect([row?.name, row?.email, row?.status, row?.attempts]).toEqual([
					lead.name,
					lead.email,
					'pending',
					0,
				]);
			});
			expect(amo.requests).toHaveLength(0);

			// Every answer came from a worker; the main process ran none of them.
			const webhookRuns = (await n8n.waitForExecutions(workflowId, LEADS)).map((e) => e.id);
			const byWorker = executionsByWorker(n8n);
			expect(webhookRuns.filter((id) => byWorker.some((ran) => ran.has(id)))).toEqual(webhookRuns);
			expect(byWorker.map((ran) => webhookRuns.some((id) => ran.has(id)))).toEqual([true, true]);
		});

		it('then sync runs on both workers at once, amoCRM slow, batches of 5: one contact, deal and note per lead, each lead announced once on Telegram, no 429', async () => {
			amo.setLatency(700);
			await n8n.deactivate(workflowId);
			await n8n.updateWorkflow(workflowId, syncEvery(userPicks(run.template, { batchSize: 5 }), 2));
			await n8n.activate(workflowId);
			const sync = async () => await startSync(n8n, workflowId);
			const started = await Promise.all([sync(), sync(), sync(), sync()]);
			const rows = await drainLeads(n8n, workflowId, storage, started, 5 * 60_000);

			// Each lead was claimed once (attempt 1), by one run only.
			expectEachLeadSyncedOnce(amo, telegram, posted, rows, 1);
			// Two workers at 3 requests per second each stay within amoCRM's 7.
			expect(amo.tooManyRequestsCount).toBe(0);

			// The runs did compete: both workers ran sync runs, and runs overlapped.
			const syncRuns = (await n8n.executions(workflowId)).filter((e) => e.mode !== 'webhook');
			const byWorker = executionsByWorker(n8n);
			expect(byWorker.map((ran) => syncRuns.some((e) => ran.has(e.id)))).toEqual([true, true]);
			expect(overlappingRuns(syncRuns)).toBeGreaterThan(2);
		});
	});
}

queueSuite('postgres');
queueSuite('dataTable');

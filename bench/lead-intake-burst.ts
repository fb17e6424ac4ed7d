/**
 * `npm run bench` (second part): the lead-intake template in a real n8n (the end-to-end
 * harness: n8n 2.41 on Node 24, PostgreSQL, the fake amoCRM on a loopback port 443 with amoCRM's
 * 7 requests per second, the fake Telegram), fed bursts of posts on /webhook/lead. Prints one
 * row per burst: the site's answer times, the time until every lead is synced, requests,
 * 429s and duplicates, then a PASS/MISS line per target. The template runs as imported: each
 * webhook execution syncs right after answering (and the schedule runs too). Regular
 * mode, and queue mode (Redis, main + 2 `n8n worker` processes, the credential at 3 requests per
 * second per worker). Not a test. The "n8n alone" rows post the same burst, in the same run, to
 * a Webhook → Respond to Webhook workflow: the least any n8n workflow's answer costs on the
 * machine. The targets compare the template's answers with those: what the template adds.
 *
 * BENCH_BURSTS=0 skips it (it needs root for port 443 and /etc/hosts, and takes a quarter of an
 * hour); BENCH_BURSTS=queue (any part of the bursts' names, comma-separated) runs those only.
 */
import { performance } from 'node:perf_hooks';

import { FakeAmoCrm } from '../test/fakes/amocrm';
import { FakeTelegram } from '../test/fakes/telegram';
import {
	LEAD_INTAKE_BURST_ENV,
	readLeadRows,
	startLeadIntake,
	syncEvery,
	TOKEN,
	userPicks,
	type Storage,
} from '../test/e2e/harness/lead-intake';
import type { WorkflowJson } from '../test/e2e/harness/n8n';

/**
 * An amoCRM account with a loopback address of its own, so that the benchmark does not wait for
 * the end-to-end tests' turn at port 443 (it still shares the machine's cores with them).
 */
const BENCH_ACCOUNT = {
	subdomain: 'leadbench',
	domain: 'amocrm.ru',
	host: 'leadbench.amocrm.ru',
	loopback: '127.0.0.4',
} as const;

/** The schedule the bench runs the sync on (the template's default is every 30 seconds). */
const SYNC_SECONDS = Number(process.env.BENCH_SYNC_SECONDS ?? 5);

interface BurstRow {
	scenario: string;
	leads: number;
	/** Posts answered with anything but 200 (they are not retried). */
	failed: number;
	p50: number;
	p95: number;
	max: number;
	syncedMs: number | undefined;
	waited: boolean;
	requests: number;
	tooMany: number;
	peakPerSecond: number;
	duplicates: number;
}

/** The name of the rows that measure n8n alone (see `answerOnly`), not the template. */
const FLOOR = 'n8n alone (Webhook → Respond to Webhook, nothing between):';

const percentile = (values: number[], p: number) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};
const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/** Webhook → Respond to Webhook `{ ok: true }`: n8n's own cost of answering a post. */
function answerOnly(path: string): WorkflowJson {
	return {
		name: 'Answer only (benchmark floor)',
		nodes: [
			{
				id: 'b3c1d2e4-0000-4000-8000-000000000001',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2.1,
				position: [0, 0],
				webhookId: 'b3c1d2e4-0000-4000-8000-0000000000aa',
				parameters: { httpMethod: 'POST', path, responseMode: 'responseNode', options: {} },
			},
			{
				id: 'b3c1d2e4-0000-4000-8000-000000000002',
				name: 'Answer 200',
				type: 'n8n-nodes-base.respondToWebhook',
				typeVersion: 1.5,
				position: [220, 0],
				parameters: {
					respondWith: 'json',
					responseBody: '={{ { ok: true } }}',
					options: { responseCode: 200 },
				},
			},
		],
		connections: { Webhook: { main: [[{ node: 'Answer 200', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

async function burst(
	scenario: string,
	options: {
		storage: Storage;
		leads: number;
		concurrent: boolean;
		latencyMs: number;
		waitForSync: boolean;
		/** Queue mode with this many workers (regular mode without). */
		workers?: number;
		/**
		 * Posts to a workflow of two nodes (Webhook → Respond to Webhook) in the same n8n instead
		 * of the template: the least an answer from an n8n workflow costs on this machine.
		 */
		floor?: boolean;
	},
): Promise<BurstRow> {
	const amo = new FakeAmoCrm({
		subdomain: BENCH_ACCOUNT.subdomain,
		accessTokens: [TOKEN],
		latencyMs: options.latencyMs,
	});
	const telegram = new FakeTelegram();
	const run = await startLeadIntake(options.storage, amo, telegram, {
		account: BENCH_ACCOUNT,
		...(options.workers
			? {
					queue: { workers: options.workers },
					// amoCRM's 7 per second shared by the workers, as the README says.
					requestsPerSecond: Math.floor(7 / options.workers),
				}
			: {}),
	});
	try {
		const { n8n, workflowId } = run;
		// As imported: the webhook execution syncs after answering; the template's numbers.
		const workflow = syncEvery(
			userPicks(run.template, { timings: {}, webhookSyncs: true }),
			SYNC_SECONDS,
		);
		await n8n.updateWorkflow(workflowId, workflow);
		await n8n.activate(workflowId);
		const path = options.floor ? 'answer-only' : 'lead';
		if (options.floor) await n8n.activate(await n8n.importWorkflow(answerOnly(path)));
		// A lead first (a few in queue mode, so that each worker gets one), so that n8n's
		// first-use costs are not in the numbers.
		await Promise.all(
			Array.from({ length: 2 * (options.workers ?? 0) + 1 }, async (_, i) => {
				const response = await n8n.webhook(path, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ name: `Warm-up ${i}`, phone: `+998 90 000 00 ${10 + i}` }),
				});
				await response.text();
			}),
		);
		await sleep(SYNC_SECONDS * 1000 + 3000);
		amo.reset();
		telegram.reset();
		const before = (await readLeadRows(n8n, options.storage)).length;

		let failed = 0;
		const post = async (i: number) => {
			const started = performance.now();
			const response = await fetch(n8n.webhookUrl(path), {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({
					name: `Bench lead ${i}`,
					phone: `+998 97 ${String(10_000_000 + i).slice(1)}`,
					email: `bench${i}@example.uz`,
					message: 'Call me',
				}),
			});
			const text = await response.text();
			if (response.status !== 200) {
				failed++;
				if (failed === 1) console.error(`lead ${i}: HTTP ${response.status} ${text.slice(0, 300)}`);
			}
			return performance.now() - started;
		};
		const started = performance.now();
		const times: number[] = [];
		if (options.concurrent)
			times.push(
				...(await Promise.all(
					Array.from({ length: options.leads }, async (_, i) => await post(i)),
				)),
			);
		else for (let i = 0; i < options.leads; i++) times.push(await post(i));

		let syncedMs: number | undefined;
		if (options.waitForSync) {
			const deadline = Date.now() + 10 * 60_000;
			while (Date.now() < deadline) {
				const rows = await readLeadRows(n8n, options.storage);
				if (
					rows.length >= before + options.leads - failed &&
					rows.every((row) => row.status === 'synced')
				) {
					syncedMs = performance.now() - started;
					break;
				}
				await sleep(250);
			}
		}
		await n8n.deactivate(workflowId);
		const duplicates = (names: string[]) => names.length - new Set(names).size;
		return {
			scenario,
			leads: options.leads,
			failed,
			p50: percentile(times, 50),
			p95: percentile(times, 95),
			max: Math.max(...times),
			syncedMs,
			waited: options.waitForSync,
			requests: amo.requests.length,
			tooMany: amo.tooManyRequestsCount,
			peakPerSecond: amo.maxRequestsPerSecond(),
			// Deals, contacts and notes beyond one per lead.
			duplicates:
				duplicates(amo.leads.map((deal) => deal.name)) +
				duplicates(amo.contacts.map((contact) => contact.name)) +
				duplicates(amo.notes.map((note) => `${note.entity_type} ${note.entity_id}`)),
		};
	} finally {
		await run.stop();
	}
}

async function main() {
	const only = process.env.BENCH_BURSTS ?? '';
	if (only === '0') return;
	type Burst = Parameters<typeof burst>[1];
	/** A burst through the template, and the same posts to `answerOnly` (no sync to wait for). */
	const withFloor = (name: string, floorName: string, options: Burst): Array<[string, Burst]> => [
		[name, options],
		[`${FLOOR} ${floorName}`, { ...options, waitForSync: false, floor: true }],
	];
	const atOnce = (storage: Storage, leads: number, more: Partial<Burst> = {}): Burst => ({
		storage,
		leads,
		concurrent: true,
		latencyMs: 150,
		waitForSync: true,
		...more,
	});
	const scenarios: Array<[string, Burst]> = [
		...withFloor(
			'200 leads posted at once (Data table)',
			'200 posted at once',
			atOnce('dataTable', 200),
		),
		...withFloor('one lead at a time, amoCRM answering in 2 s (Data table)', 'one at a time', {
			...atOnce('dataTable', 30, { latencyMs: 2000 }),
			concurrent: false,
			waitForSync: false,
		}),
		['500 new phones at once (PostgreSQL)', atOnce('postgres', 500)],
		[
			'50 leads posted at once, queue mode, 2 workers (PostgreSQL)',
			atOnce('postgres', 50, { workers: 2 }),
		],
		...withFloor(
			'50 leads posted at once, queue mode, 2 workers (Data table)',
			'50 posted at once, queue mode, 2 workers',
			atOnce('dataTable', 50, { workers: 2 }),
		),
	];
	const wanted = only
		.split(',')
		.map((part) => part.trim().toLowerCase())
		.filter((part) => part !== '' && part !== '1');
	const chosen = scenarios.filter(
		([scenario]) =>
			wanted.length === 0 || wanted.some((part) => scenario.toLowerCase().includes(part)),
	);
	const ms = (value: number | undefined) =>
		value === undefined
			? 'not all'
			: value >= 10_000
				? `${(value / 1000).toFixed(1)} s`
				: `${Math.round(value)} ms`;
	console.log(
		`\nLead-intake template in a real n8n, sync every ${SYNC_SECONDS} s, fake amoCRM at 7 requests/s, at most ${LEAD_INTAKE_BURST_ENV.N8N_CONCURRENCY_PRODUCTION_LIMIT} executions at once (regular mode) and ${LEAD_INTAKE_BURST_ENV.DB_POSTGRESDB_POOL_SIZE} connections to n8n's database per process (ping timeout ${LEAD_INTAKE_BURST_ENV.DB_PING_TIMEOUT_MS} ms):\n`,
	);
	console.log(
		'| burst | leads | answers not 200 | answer p50 | answer p95 | answer max | all synced after | requests | 429s | max requests in a second | duplicates |',
	);
	console.log('|---|---|---|---|---|---|---|---|---|---|---|');
	// Each row is printed as soon as it is measured; a burst that fails is a row saying why.
	const rows = new Map<string, BurstRow | undefined>();
	for (const [scenario, options] of chosen) {
		try {
			const row = await burst(scenario, options);
			rows.set(scenario, row);
			console.log(
				`| ${row.scenario} | ${row.leads} | ${row.failed} | ${ms(row.p50)} | ${ms(row.p95)} | ${ms(row.max)} | ${row.waited ? ms(row.syncedMs) : '—'} | ${row.requests} | ${row.tooMany} | ${row.peakPerSecond} | ${row.duplicates} |`,
			);
		} catch (error) {
			rows.set(scenario, undefined);
			console.log(
				`| ${scenario} | ${options.leads} | failed: ${(error as Error).message} | | | | | | | | |`,
			);
		}
	}
	/** The burst whose name starts with `prefix`: ran (and its row, if it was measured). */
	const named = (prefix: string) => [...rows.keys()].find((name) => name.startsWith(prefix));
	const row = (prefix: string) => rows.get(named(prefix) ?? '');
	const floor = (prefix: string) => rows.get(named(`${FLOOR} ${prefix}`) ?? '');
	const at200 = [row('200 leads'), floor('200 posted at once')] as const;
	const oneByOne = [row('one lead at a time'), floor('one at a time')] as const;
	const queued = [
		row('50 leads posted at once, queue mode, 2 workers (Data table)'),
		floor('50 posted at once, queue mode'),
	] as const;
	const manyNew = row('500 new phones');
	const measured = [...rows.values()].filter((m): m is BurstRow => m !== undefined);
	const allMeasured = measured.length === rows.size;
	/** Template ÷ n8n alone, for the same burst (undefined unless both were measured). */
	const ratio = ([template, alone]: readonly [BurstRow?, BurstRow?]) =>
		template && alone ? template.p95 / alone.p95 : undefined;
	const difference = ([template, alone]: readonly [BurstRow?, BurstRow?]) =>
		template && alone ? template.p95 - alone.p95 : undefined;
	const times = (value: number | undefined) =>
		value === undefined ? 'not measured' : `${value.toFixed(2)}×`;
	const plus = (value: number | undefined) =>
		value === undefined ? 'not measured' : `${value >= 0 ? '+' : ''}${Math.round(value)} ms`;
	console.log('\nThe template against n8n alone, same burst, same run (answer p95):');
	console.log(`- 200 posted at once: ${times(ratio(at200))} (target ≤ 1.25×)`);
	console.log(`- one at a time: ${plus(difference(oneByOne))} (target ≤ +25 ms)`);
	console.log(`- 50 at once, queue mode, 2 workers: ${times(ratio(queued))} (target ≤ 1.25×)`);
	// The targets of the bursts that ran: [ran, target, met].
	const targets: Array<[boolean, string, boolean]> = [
		[
			!!named('200 leads') && !!named(`${FLOOR} 200`),
			'200 at once: answer p95 ≤ 1.25 × n8n alone',
			(ratio(at200) ?? Infinity) <= 1.25,
		],
		[
			!!named('one lead at a time') && !!named(`${FLOOR} one at a time`),
			'one at a time, amoCRM at 2 s: answer p95 ≤ n8n alone + 25 ms',
			(difference(oneByOne) ?? Infinity) <= 25,
		],
		[
			!!named('50 leads posted at once, queue mode, 2 workers (Data table)') &&
				!!named(`${FLOOR} 50 posted at once, queue mode`),
			'50 at once in queue mode with 2 workers: answer p95 ≤ 1.25 × n8n alone',
			(ratio(queued) ?? Infinity) <= 1.25,
		],
		[
			!!named('500 new phones'),
			'500 new phones: all synced < 90 s',
			(manyNew?.syncedMs ?? Infinity) < 90_000,
		],
		[true, 'every post answered 200', allMeasured && measured.every((m) => m.failed === 0)],
		[
			true,
			'no 429 and never more than 7 requests in a second',
			allMeasured && measured.every((m) => m.tooMany === 0 && m.peakPerSecond <= 7),
		],
		[
			true,
			'no duplicate contact, deal or note',
			allMeasured && measured.every((m) => m.duplicates === 0),
		],
	];
	const checks = targets
		.filter(([ran]) => ran)
		.map(([, what, ok]): [string, boolean] => [what, ok]);
	console.log('');
	for (const [what, ok] of checks) console.log(`${ok ? 'PASS' : 'MISS'}  ${what}`);
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);

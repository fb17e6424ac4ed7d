/**
 * `npm run bench` (second part): the lead-intake template in a real n8n (the end-to-end
 * harness: n8n 2.41 on Node 24, PostgreSQL, the fake amoCRM on a loopback port 443 with amoCRM's
 * 7 requests per second, the fake Telegram), fed bursts of posts on /webhook/lead. Prints one
 * row per burst: the site's answer times, the time until every lead is synced, requests,
 * 429s and duplicates, then a PASS/MISS line per target. Not a test.
 *
 * BENCH_BURSTS=0 skips it (it needs root for port 443 and /etc/hosts, and takes a few minutes).
 */
import { performance } from 'node:perf_hooks';

import { FakeAmoCrm } from '../test/fakes/amocrm';
import { FakeTelegram } from '../test/fakes/telegram';
import {
	LEAD_ACCOUNT,
	readLeadRows,
	startLeadIntake,
	syncEvery,
	TOKEN,
	userPicks,
	type Storage,
} from '../test/e2e/harness/lead-intake';

/** The schedule the bench runs the sync on (the template's default is every 30 seconds). */
const SYNC_SECONDS = Number(process.env.BENCH_SYNC_SECONDS ?? 5);

interface BurstRow {
	scenario: string;
	leads: number;
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

const percentile = (values: number[], p: number) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};
const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

async function burst(
	scenario: string,
	options: {
		storage: Storage;
		leads: number;
		concurrent: boolean;
		latencyMs: number;
		duplicateSearch: boolean;
		waitForSync: boolean;
	},
): Promise<BurstRow> {
	const amo = new FakeAmoCrm({
		subdomain: LEAD_ACCOUNT.subdomain,
		accessTokens: [TOKEN],
		latencyMs: options.latencyMs,
	});
	const telegram = new FakeTelegram();
	const run = await startLeadIntake(options.storage, amo, telegram);
	try {
		const { n8n, workflowId } = run;
		const workflow = syncEvery(userPicks(run.template, { retryAfterMinutes: 0 }), SYNC_SECONDS);
		const deal = workflow.nodes.find((n) => n.name === 'Create deal');
		if (deal) deal.parameters.newContactAvoidDuplicates = options.duplicateSearch;
		await n8n.updateWorkflow(workflowId, workflow);
		await n8n.activate(workflowId);
		// One lead first, so that n8n's first-use costs are not in the numbers.
		await (
			await n8n.webhook('lead', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ name: 'Warm-up', phone: '+998 90 000 00 00' }),
			})
		).text();
		await sleep(SYNC_SECONDS * 1000 + 3000);
		amo.reset();
		telegram.reset();
		const before = (await readLeadRows(n8n, options.storage)).length;

		const post = async (i: number) => {
			const started = performance.now();
			const response = await fetch(n8n.webhookUrl('lead'), {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({
					name: `Bench lead ${i}`,
					phone: `+998 97 ${String(10_000_000 + i).slice(1)}`,
					email: `bench${i}@example.uz`,
					message: 'Call me',
				}),
			});
			await response.text();
			if (response.status !== 200) throw new Error(`lead ${i}: HTTP ${response.status}`);
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
				if (rows.length >= before + options.leads && rows.every((row) => row.status === 'synced')) {
					syncedMs = performance.now() - started;
					break;
				}
				await sleep(250);
			}
		}
		await n8n.deactivate(workflowId);
		return {
			scenario,
			leads: options.leads,
			p50: percentile(times, 50),
			p95: percentile(times, 95),
			max: Math.max(...times),
			syncedMs,
			waited: options.waitForSync,
			requests: amo.requests.length,
			tooMany: amo.tooManyRequestsCount,
			peakPerSecond: amo.maxRequestsPerSecond(),
			duplicates: amo.leads.length - new Set(amo.leads.map((deal) => deal.name)).size,
		};
	} finally {
		await run.stop();
	}
}

async function main() {
	if (process.env.BENCH_BURSTS === '0') return;
	const scenarios: Array<[string, Parameters<typeof burst>[1]]> = [
		[
			'200 leads posted at once (Data table)',
			{
				storage: 'dataTable',
				leads: 200,
				concurrent: true,
				latencyMs: 150,
				duplicateSearch: true,
				waitForSync: true,
			},
		],
		[
			'one lead at a time, amoCRM answering in 2 s (Data table)',
			{
				storage: 'dataTable',
				leads: 30,
				concurrent: false,
				latencyMs: 2000,
				duplicateSearch: true,
				waitForSync: false,
			},
		],
		[
			'500 new phones at once, duplicate search on (PostgreSQL)',
			{
				storage: 'postgres',
				leads: 500,
				concurrent: true,
				latencyMs: 150,
				duplicateSearch: true,
				waitForSync: true,
			},
		],
		[
			'500 new phones at once, duplicate search off (PostgreSQL)',
			{
				storage: 'postgres',
				leads: 500,
				concurrent: true,
				latencyMs: 150,
				duplicateSearch: false,
				waitForSync: true,
			},
		],
	];
	const ms = (value: number | undefined) =>
		value === undefined
			? 'not all'
			: value >= 10_000
				? `${(value / 1000).toFixed(1)} s`
				: `${Math.round(value)} ms`;
	console.log(
		`\nLead-intake template in a real n8n (regular mode), sync every ${SYNC_SECONDS} s, fake amoCRM at 7 requests/s:\n`,
	);
	console.log(
		'| burst | leads | answer p50 | answer p95 | answer max | all synced after | requests | 429s | max requests in a second | duplicate deals |',
	);
	console.log('|---|---|---|---|---|---|---|---|---|---|');
	// Each row is printed as soon as it is measured; a burst that fails is a row saying why.
	const rows: Array<BurstRow | undefined> = [];
	for (const [scenario, options] of scenarios) {
		try {
			const row = await burst(scenario, options);
			rows.push(row);
			console.log(
				`| ${row.scenario} | ${row.leads} | ${ms(row.p50)} | ${ms(row.p95)} | ${ms(row.max)} | ${row.waited ? ms(row.syncedMs) : '—'} | ${row.requests} | ${row.tooMany} | ${row.peakPerSecond} | ${row.duplicates} |`,
			);
		} catch (error) {
			rows.push(undefined);
			console.log(
				`| ${scenario} | ${options.leads} | failed: ${(error as Error).message} | | | | | | | |`,
			);
		}
	}
	const [at200, oneByOne, withSearch, withoutSearch] = rows;
	const measured = rows.filter((row): row is BurstRow => row !== undefined);
	const checks: Array<[string, boolean]> = [
		['200 at once: answer p95 < 300 ms', !!at200 && at200.p95 < 300],
		['200 at once: answer max < 1 s', !!at200 && at200.max < 1000],
		['one at a time, amoCRM at 2 s: answer p95 < 100 ms', !!oneByOne && oneByOne.p95 < 100],
		['500 new phones, search on: all synced < 90 s', (withSearch?.syncedMs ?? Infinity) < 90_000],
		[
			'500 new phones, search off: all synced < 10 s',
			(withoutSearch?.syncedMs ?? Infinity) < 10_000,
		],
		[
			'no 429 and never more than 7 requests in a second',
			measured.length === rows.length &&
				measured.every((row) => row.tooMany === 0 && row.peakPerSecond <= 7),
		],
		[
			'no duplicate deal',
			measured.length === rows.length && measured.every((row) => row.duplicates === 0),
		],
	];
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

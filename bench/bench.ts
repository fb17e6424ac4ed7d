/**
 * `npm run bench`: the node against the fake amoCRM (test/fakes/amocrm.ts) with realistic
 * latency and amoCRM's limits (7 requests per second at arrival -> 429, 250 per batch),
 * in-process through the unit tests' mocked n8n context (test/support). Not a test: it
 * prints a table and checks the targets of the issues it names.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';

import type { IDataObject, IHttpRequestOptions, INode } from 'n8n-workflow';

import type { AmoCrm as AmoCrmType } from '../nodes/AmoCrm/AmoCrm.node';
import { FakeAmoCrm } from '../test/fakes/amocrm';
import { executeContext } from '../test/support/executeContext';
import { fakeTransport } from '../test/support/fakeAmoCrm';
import { resetTransportState } from '../test/support/runNode';

// By full file name: next to AmoCrm.node.ts lies AmoCrm.node.json, which Node would load first.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { AmoCrm } = require('../nodes/AmoCrm/AmoCrm.node.ts') as { AmoCrm: typeof AmoCrmType };

const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 150);

interface Row {
	scenario: string;
	mode: string;
	items: number;
	requests: number;
	tooMany: number;
	wallMs: number;
	itemsPerSecond: number;
	peakMb: number;
	overheadMsPerItem: number;
}

async function measure(
	scenario: string,
	mode: string,
	items: IDataObject[],
	setup?: (fake: FakeAmoCrm) => void,
): Promise<Row> {
	resetTransportState();
	const fake = new FakeAmoCrm({ latencyMs: LATENCY_MS });
	setup?.(fake);
	fake.clearRequests();
	const transport = fakeTransport(fake);
	let inTransportMs = 0;
	const timed = async (node: INode, type: string, options: IHttpRequestOptions) => {
		const started = performance.now();
		try {
			return await transport(node, type, options);
		} finally {
			inTransportMs += performance.now() - started;
		}
	};
	global.gc?.();
	let peak = process.memoryUsage().rss;
	const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
	const started = performance.now();
	const [output] = await new AmoCrm().execute.call(executeContext({ items, transport: timed }));
	const wallMs = performance.now() - started;
	clearInterval(sampler);
	peak = Math.max(peak, process.memoryUsage().rss);
	if (output.length !== items.length || output.some((item) => item.json.error))
		throw new Error(`${scenario}/${mode}: not every item succeeded`);
	void inTransportMs;
	return {
		scenario,
		mode,
		items: items.length,
		requests: fake.requests.length,
		tooMany: fake.tooManyRequestsCount,
		wallMs,
		itemsPerSecond: (items.length / wallMs) * 1000,
		peakMb: peak / 1024 / 1024,
		overheadMsPerItem: 0,
	};
}

/** The node's own time per item: the same run with no latency and no rate limit. */
async function overheadPerItem(items: IDataObject[]): Promise<number> {
	resetTransportState();
	const fake = new FakeAmoCrm({ latencyMs: 0, rateLimitPerSecond: 0 });
	const transport = fakeTransport(fake);
	let inFake = 0;
	const started = performance.now();
	await new AmoCrm().execute.call(
		executeContext({
			items,
			credentials: {
				subdomain: 'e2e',
				domain: 'amocrm.ru',
				accessToken: 'test-token',
				requestsPerSecond: 1000,
			},
			transport: async (node, type, options) => {
				const t = performance.now();
				try {
					return await transport(node, type, options);
				} finally {
					inFake += performance.now() - t;
				}
			},
		}),
	);
	return (performance.now() - started - inFake) / items.length;
}

const contacts = (n: number, batchSize: number) =>
	Array.from({ length: n }, (_, i) => ({
		resource: 'contact',
		operation: 'create',
		name: `Lead ${i}`,
		phones: { phone: [{ number: `+998 90 ${String(10000000 + i).slice(1)}`, type: 'MOB' }] },
		avoidDuplicates: false,
		options: { batchSize },
	}));

const webhookLead = (avoidDuplicates: boolean) => [
	{
		resource: 'deal',
		operation: 'create',
		name: 'Site lead',
		pipelineId: 1001,
		statusId: 2002,
		contactMode: 'new',
		newContactName: 'Aziz Karimov',
		newContactPhone: '+998 71 202-14-41',
		newContactAvoidDuplicates: avoidDuplicates,
	},
];

async function main(): Promise<void> {
	const rows: Row[] = [];
	const only = process.env.BENCH_SIZES
		? process.env.BENCH_SIZES.split(',').map(Number)
		: [1, 50, 500];
	for (const n of only) {
		for (const [mode, batchSize] of [
			['per item', 1],
			['batched (50)', 50],
		] as const) {
			const row = await measure('Contact > Create', mode, contacts(n, batchSize));
			row.overheadMsPerItem = await overheadPerItem(contacts(n, batchSize));
			rows.push(row);
			process.stderr.write(`  ${row.scenario} ${row.mode} x${n}: ${Math.round(row.wallMs)} ms\n`);
		}
	}
	// One webhook lead: Deal > Create with a New Contact (/leads/complex), then Note > Add.
	// The first lead after n8n started reads the pipelines once (kept a day, to check Pipeline
	// and Stage before creating); warm: the next lead; cold: a lead after an hour without any
	// (the clock is moved on by an hour, not waited for).
	const realNow = Date.now;
	let clockOffsetMs = 0;
	Date.now = () => realNow() + clockOffsetMs;
	for (const avoid of [false, true]) {
		resetTransportState();
		const fake = new FakeAmoCrm({ latencyMs: LATENCY_MS });
		const transport = fakeTransport(fake);
		for (const temperature of ['first after start', 'warm', 'cold (an hour later)']) {
			if (temperature === 'cold (an hour later)') clockOffsetMs += 60 * 60 * 1000;
			fake.clearRequests();
			const started = performance.now();
			const [[deal]] = await new AmoCrm().execute.call(
				executeContext({ items: webhookLead(avoid), transport }),
			);
			await new AmoCrm().execute.call(
				executeContext({
					items: [
						{
							resource: 'note',
							operation: 'add',
							entityType: 'deal',
							entityId: String(deal.json.id),
							text: 'From the site form',
						},
					],
					transport,
				}),
			);
			const wallMs = performance.now() - started;
			rows.push({
				scenario: 'Webhook lead (deal+new contact, note)',
				mode: `${temperature}, duplicate search ${avoid ? 'on' : 'off'}`,
				items: 1,
				requests: fake.requests.length,
				tooMany: fake.tooManyRequestsCount,
				wallMs,
				itemsPerSecond: 1000 / wallMs,
				peakMb: process.memoryUsage().rss / 1024 / 1024,
				overheadMsPerItem: NaN,
			});
			// The next lead of the same kind comes a second later: its requests do not queue behind these.
			await new Promise((resolve) => setTimeout(resolve, 1100));
		}
	}

	const header = [
		'scenario',
		'mode',
		'items',
		'requests',
		'429s',
		'wall time',
		'items/s',
		'peak RSS',
		'node overhead/item',
	];
	const lines = rows.map((row) => [
		row.scenario,
		row.mode,
		String(row.items),
		String(row.requests),
		String(row.tooMany),
		row.wallMs >= 10_000 ? `${(row.wallMs / 1000).toFixed(1)} s` : `${Math.round(row.wallMs)} ms`,
		row.itemsPerSecond.toFixed(1),
		`${Math.round(row.peakMb)} MB`,
		Number.isNaN(row.overheadMsPerItem) ? '' : `${row.overheadMsPerItem.toFixed(2)} ms`,
	]);
	console.log(
		`\nFake amoCRM: ${LATENCY_MS} ms latency, 7 requests/s (429 beyond), 250 per batch. Node ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GB, ${os.platform()} ${os.release()}.\n`,
	);
	console.log(`| ${header.join(' | ')} |`);
	console.log(`|${header.map(() => '---').join('|')}|`);
	for (const line of lines) console.log(`| ${line.join(' | ')} |`);

	const find = (scenario: string, mode: string, items: number) =>
		rows.find((row) => row.scenario === scenario && row.mode === mode && row.items === items);
	const checks: Array<[string, boolean | undefined]> = [];
	const batched500 = find('Contact > Create', 'batched (50)', 500);
	const perItem500 = find('Contact > Create', 'per item', 500);
	const lead = find('Webhook lead (deal+new contact, note)', 'warm, duplicate search off', 1);
	if (batched500)
		checks.push([
			'500 contacts batched: <= 10 requests and < 2 s',
			batched500.requests <= 10 && batched500.wallMs < 2000,
		]);
	if (perItem500)
		checks.push(['500 contacts per item: zero 429s (target about 72 s)', perItem500.tooMany === 0]);
	if (lead)
		checks.push([
			'one webhook lead (warm): <= 2 requests and < 450 ms',
			lead.requests <= 2 && lead.wallMs < 450,
		]);
	const quiet = find(
		'Webhook lead (deal+new contact, note)',
		'cold (an hour later), duplicate search off',
		1,
	);
	if (quiet)
		checks.push([
			'one webhook lead after an hour of quiet (cold): <= 2 requests, account metadata still remembered',
			quiet.requests <= 2,
		]);
	checks.push([
		'node overhead < 2 ms per item',
		rows.every((row) => Number.isNaN(row.overheadMsPerItem) || row.overheadMsPerItem < 2),
	]);
	console.log('');
	for (const [what, ok] of checks) console.log(`${ok ? 'PASS' : 'MISS'}  ${what}`);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});

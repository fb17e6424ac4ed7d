/**
 * Overlapping sync runs of the lead-intake template, shared by the tests that make them compete
 * (regular mode, queue mode): start runs as the schedule would, let them drain the stored leads,
 * and check that each lead reached amoCRM and Telegram exactly once. For jest test files only.
 */
import type { FakeAmoCrm } from '../../fakes/amocrm';
import type { FakeTelegram } from '../../fakes/telegram';
import { readLeadRows, SYNC_TRIGGER, type LeadRow, type Storage } from './lead-intake';
import type { Execution, N8nInstance } from './n8n';

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));
const finished = new Set(['success', 'error', 'crashed', 'canceled']);

/** Starts the sync part now, as its schedule would, without waiting for it; returns the execution's id. */
export async function startSync(n8n: N8nInstance, workflowId: string): Promise<string> {
	const started = await n8n.rest<{ executionId?: string }>('POST', `/workflows/${workflowId}/run`, {
		triggerToStartFrom: { name: SYNC_TRIGGER },
	});
	if (!started?.executionId) throw new Error(`the sync did not start: ${JSON.stringify(started)}`);
	return started.executionId;
}

/**
 * Waits until these runs, and every other run of the workflow, have finished (the public API
 * lists running ones only when asked); expects each of these to have succeeded.
 */
export async function expectSyncRunsSucceeded(
	n8n: N8nInstance,
	workflowId: string,
	ids: string[],
): Promise<void> {
	const deadline = Date.now() + 180_000;
	for (;;) {
		const running = await n8n.api<{ data: unknown[] }>(
			'GET',
			`/executions?workflowId=${workflowId}&status=running&limit=250`,
		);
		const states = await Promise.all(
			ids.map(async (id) => (await n8n.api<Execution>('GET', `/executions/${id}`)).status),
		);
		if (running.data.length === 0 && states.every((status) => finished.has(status))) {
			expect(states).toEqual(ids.map(() => 'success'));
			return;
		}
		if (Date.now() > deadline) throw new Error('sync runs did not finish');
		await sleep(500);
	}
}

/**
 * Lets the published workflow's schedule and the `started` runs drain the stored leads: waits
 * until every lead is synced (or `timeoutMs`), unpublishes the workflow, waits for every run to
 * end, and returns the stored leads.
 */
export async function drainLeads(
	n8n: N8nInstance,
	workflowId: string,
	storage: Storage,
	started: string[],
	timeoutMs: number,
): Promise<LeadRow[]> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const rows = await readLeadRows(n8n, storage);
		if (rows.every((row) => row.status === 'synced') || Date.now() > deadline) break;
		await sleep(1_000);
	}
	await n8n.deactivate(workflowId);
	await sleep(3_000); // a schedule run starting as the workflow was unpublished
	await expectSyncRunsSucceeded(n8n, workflowId, started);
	return await readLeadRows(n8n, storage);
}

/**
 * Each posted lead is one synced row, claimed `attempts` times, with one contact, one deal
 * ("Website lead: <name>") and one note on it in amoCRM, and one Telegram message.
 */
export function expectEachLeadSyncedOnce(
	amo: FakeAmoCrm,
	telegram: FakeTelegram,
	posted: Array<{ name: string }>,
	rows: LeadRow[],
	attempts: number,
): void {
	expect(rows.map((row) => [row.status, row.attempts])).toEqual(
		posted.map(() => ['synced', attempts]),
	);
	expect(amo.leads).toHaveLength(posted.length);
	expect(amo.contacts).toHaveLength(posted.length);
	expect(amo.notes).toHaveLength(posted.length);
	for (const lead of posted) {
		const deals = amo.leads.filter((deal) => deal.name === `Website lead: ${lead.name}`);
		expect(deals).toHaveLength(1);
		expect(amo.notes.filter((note) => note.entity_id === deals[0].id)).toHaveLength(1);
	}
	expect(new Set(rows.map((row) => row.deal_id)).size).toBe(posted.length);
	for (const row of rows) {
		expect(
			telegram.messages.filter((m) => new RegExp(`New lead #${row.id}(?!\\d)`).test(m.text)),
		).toHaveLength(1);
	}
	// Nothing else: the messages (a run's leads may share one) announce exactly these leads.
	const announced = telegram.messages.flatMap((m) =>
		[...m.text.matchAll(/New lead #(\d+)/g)].map((match) => Number(match[1])),
	);
	expect(announced.sort((a, b) => a - b)).toEqual(rows.map((row) => row.id).sort((a, b) => a - b));
}

/** How many of these runs started before the run started just before them had finished. */
export function overlappingRuns(runs: Execution[]): number {
	const spans = runs
		.map((e) => ({ start: Date.parse(e.startedAt), stop: Date.parse(e.stoppedAt ?? e.startedAt) }))
		.sort((a, b) => a.start - b.start);
	return spans.filter((span, i) => i > 0 && span.start < spans[i - 1].stop).length;
}

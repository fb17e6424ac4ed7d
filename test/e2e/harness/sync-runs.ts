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

/** `success`, or the status with the failing node and its error. */
function outcome(e: Execution): string {
	if (e.status === 'success') return e.status;
	const result = e.data?.resultData;
	return `${e.status} at ${result?.lastNodeExecuted}: ${result?.error?.message} ${result?.error?.description ?? ''}`;
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
		const runs = await Promise.all(
			ids.map(async (id) => await n8n.api<Execution>('GET', `/executions/${id}`)),
		);
		if (running.data.length === 0 && runs.every((e) => finished.has(e.status))) {
			// A run that failed shows where and why (its data read only then: it can be large).
			const outcomes = await Promise.all(
				runs.map(async (e) =>
					e.status === 'success'
						? e.status
						: outcome(await n8n.api<Execution>('GET', `/executions/${e.id}?includeData=true`)),
				),
			);
			expect(outcomes).toEqual(ids.map(() => 'success'));
			return;
		}
		if (Date.now() > deadline) throw new Error('sync runs did not finish');
		await sleep(500);
	}
}

/**
 * Lets the published workflow's runs (webhook executions syncing after their answer, the
 * schedule, the `started` runs) drain the stored leads: waits until every lead is synced with its
 * Telegram message sent (or `timeoutMs`), unpublishes the workflow, waits for every run to end,
 * and returns the stored leads.
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
		const done = rows.every((row) => row.status === 'synced' && row.telegram === 'sent');
		if (done || Date.now() > deadline) break;
		await sleep(1_000);
	}
	await n8n.deactivate(workflowId);
	await sleep(3_000); // a schedule run starting as the workflow was unpublished
	await expectSyncRunsSucceeded(n8n, workflowId, started);
	return await readLeadRows(n8n, storage);
}

/** The first line of each Telegram message: what it says about which lead. */
export const headlines = (telegram: FakeTelegram): string[] =>
	telegram.messages.map((message) => message.text.split('\n')[0]);

/**
 * Each posted lead is one synced row, claimed `attempts` times (one number for all, or one per
 * posted lead), with one contact for its phone, one deal ("Website lead: <name>") on that contact
 * and one note on the deal in amoCRM, and one Telegram message "✅ New lead #<id>": nothing else.
 */
export function expectEachLeadSyncedOnce(
	amo: FakeAmoCrm,
	telegram: FakeTelegram,
	posted: Array<{ name: string }>,
	rows: LeadRow[],
	attempts: number | number[],
): void {
	const byName = new Map(rows.map((row) => [row.name, row]));
	expect(
		posted.map((lead) => [
			lead.name,
			byName.get(lead.name)?.status,
			byName.get(lead.name)?.attempts,
		]),
	).toEqual(
		posted.map((lead, i) => [
			lead.name,
			'synced',
			typeof attempts === 'number' ? attempts : attempts[i],
		]),
	);
	expect(rows).toHaveLength(posted.length);
	expect(amo.leads).toHaveLength(posted.length);
	expect(amo.contacts).toHaveLength(posted.length);
	expect(amo.notes).toHaveLength(posted.length);
	for (const row of rows) {
		expect(
			amo.leads.filter((deal) => deal.name === `Website lead: ${row.name}`).map((d) => d.id),
		).toEqual([row.deal_id]);
		expect(amo.leadContacts(row.deal_id as number)).toEqual([
			{ id: row.contact_id, is_main: true },
		]);
		expect(amo.contactValues(row.contact_id as number, 'PHONE')).toEqual([row.phone]);
		expect(amo.notes.filter((note) => note.entity_id === row.deal_id).map((n) => n.id)).toEqual([
			row.note_id,
		]);
		expect(row.telegram).toBe('sent');
	}
	// One message per lead, and nothing else.
	expect(headlines(telegram).sort()).toEqual(rows.map((row) => `✅ New lead #${row.id}`).sort());
}

/** How many of these runs started before the run started just before them had finished. */
export function overlappingRuns(runs: Execution[]): number {
	const spans = runs
		.map((e) => ({ start: Date.parse(e.startedAt), stop: Date.parse(e.stoppedAt ?? e.startedAt) }))
		.sort((a, b) => a.start - b.start);
	return spans.filter((span, i) => i > 0 && span.start < spans[i - 1].stop).length;
}

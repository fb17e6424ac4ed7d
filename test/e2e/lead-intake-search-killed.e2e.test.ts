/**
 * n8n killed (SIGKILL) while a sync run of the lead-intake template waits for amoCRM's answer to
 * its contact create (amoCRM has made the contacts, n8n never hears of them), then started
 * again, in both storage variants, as imported (webhook executions sync after answering, the
 * schedule too). The leads are still `syncing` (no deal can have gone out), so nothing may be
 * left for a manual check: they are taken again when their lease ends, each contact is found
 * by its phone instead of being made twice, and each lead ends synced with one deal on that
 * contact and one note.
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
	waitForLeadRows,
	type LeadIntakeRun,
	type LeadRow,
	type Storage,
} from './harness/lead-intake';

const LEADS = 6;
const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

export function searchKilledSuite(storage: Storage): void {
	describe(`lead-intake template (${storage === 'postgres' ? 'PostgreSQL' : 'Data table'}): n8n killed while its contacts are being made`, () => {
		let n8n: N8nInstance;
		let run: LeadIntakeRun;
		const amo = new FakeAmoCrm({ subdomain: LEAD_ACCOUNT.subdomain, accessTokens: [TOKEN] });
		const telegram = new FakeTelegram();
		let workflowId: string;

		beforeAll(async () => {
			run = await startLeadIntake(storage, amo, telegram);
			({ n8n, workflowId } = run);
			// Sync every 2 seconds besides the webhook executions, with a lease of 60 seconds: long
			// enough to read the rows of the killed run after the restart (the Data table is read
			// through n8n; a restart takes 10 to 30 s on a busy machine), short enough to see them
			// taken again soon after.
			await n8n.updateWorkflow(
				workflowId,
				syncEvery(
					userPicks(run.template, {
						timings: { retryAfterMinutes: 0, leaseMinutes: 1 },
						webhookSyncs: true,
					}),
					2,
				),
			);
		}, 10 * 60_000);

		afterAll(async () => await run?.stop());

		it('leaves the leads `syncing` with their contacts made but no deal, and after the restart finds each contact by its phone and sends each lead exactly once: synced, none `check`', async () => {
			// amoCRM makes the contacts but takes a minute to answer: the run is still waiting when killed.
			amo.setLatencyFor('POST', '/api/v4/contacts', 60_000);
			await n8n.activate(workflowId);
			const ids: number[] = [];
			for (let i = 1; i <= LEADS; i++) {
				const response = await n8n.webhook('lead', {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({
						name: `Searched lead ${i}`,
						phone: `+998 94 555 00 ${String(i).padStart(2, '0')}`,
						email: `searched${i}@example.uz`,
						message: `Searched lead ${i}`,
					}),
				});
				expect(response.status).toBe(200);
				ids.push(((await response.json()) as { id: number }).id);
			}

			let rows: LeadRow[] = [];
			const creatingBy = Date.now() + 60_000;
			for (;;) {
				rows = await readLeadRows(n8n, storage);
				if (amo.contacts.length === LEADS && rows.every((row) => row.status === 'syncing')) break;
				if (Date.now() > creatingBy)
					throw new Error(
						`expected every lead \`syncing\` with its contact made (contacts: ${amo.contacts.length}); statuses: ${JSON.stringify(rows.map((r) => r.status))}`,
					);
				await sleep(200);
			}
			await n8n.kill();

			// Killed while the contacts were being made: no deal went out.
			const made = amo.contacts.map((contact) => contact.id);
			expect(amo.requests.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual(
				amo.requests.filter((r) => r.method === 'POST').map(() => '/api/v4/contacts'),
			);
			expect(amo.leads).toEqual([]);
			amo.setLatencyFor('POST', '/api/v4/contacts', 0);
			await n8n.restart();
			// The leads are not marked as sending: they wait for their lease to end.
			rows = await readLeadRows(n8n, storage);
			expect(rows.map((row) => [row.id, row.status, row.deal_id])).toEqual(
				ids.map((id) => [id, 'syncing', null]),
			);
			// A synced lead's Telegram message follows its row's `synced`: wait for the row to say
			// how the message went.
			rows = await waitForLeadRows(
				n8n,
				storage,
				(row) => (row.status === 'synced' && row.telegram !== null) || row.status === 'check',
				{ timeoutMs: 4 * 60_000, everyMs: 1_000 },
			);
			await n8n.deactivate(workflowId);

			expect(rows.map((row) => [row.id, row.status, row.telegram])).toEqual(
				ids.map((id) => [id, 'synced', 'sent']),
			);
			for (const row of rows) {
				const deals = amo.leads.filter((deal) => deal.name === `Website lead: ${row.name}`);
				expect(deals.map((deal) => deal.id)).toEqual([row.deal_id]);
				expect(amo.leadContacts(row.deal_id as number)).toEqual([
					{ id: row.contact_id, is_main: true },
				]);
				// The contact made before the kill, found by its phone.
				expect(made).toContain(row.contact_id);
				expect(amo.contactValues(row.contact_id as number, 'PHONE')).toEqual([row.phone]);
				expect(
					amo.notes.filter((note) => note.entity_id === row.deal_id).map((note) => note.id),
				).toEqual([row.note_id]);
			}
			// One message per lead: that it is in amoCRM.
			expect(telegram.messages.map((m) => m.text.split('\n')[0]).sort()).toEqual(
				rows.map((row) => `✅ New lead #${row.id}`).sort(),
			);
			// Nothing twice: one deal, one contact (those made before the kill) and one note per lead.
			expect(amo.leads).toHaveLength(LEADS);
			expect(amo.contacts.map((contact) => contact.id)).toEqual(made);
			expect(amo.notes).toHaveLength(LEADS);
		});
	});
}

// The PostgreSQL variant runs in lead-intake-search-killed-postgres.e2e.test.ts; the Data table one
// only when jest runs this file.
if (expect.getState().testPath === __filename) searchKilledSuite('dataTable');

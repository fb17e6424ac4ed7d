/**
 * The lead-intake template (Data table) in a real n8n with Settings > incomingLeads on: a posted
 * lead is stored and answered as always, and the sync puts it in the main pipeline's Incoming
 * leads (amoCRM "Unsorted") with its contact and the form's metadata, instead of a deal in the
 * chosen stage; the row keeps the deal's ID, the note goes on that deal, Telegram says it once.
 */
import { FakeAmoCrm } from '../fakes/amocrm';
import { FakeTelegram } from '../fakes/telegram';
import {
	serveFakeAmoCrm,
	startN8n,
	type Execution,
	type N8nInstance,
	type ServedFakeAmoCrm,
} from './harness';
import {
	installTemplate,
	LEAD_ACCOUNT,
	readLeadRows,
	SYNC_TRIGGER,
	TOKEN,
	userPicks,
} from './harness/lead-intake';

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

describe('lead-intake template with incoming leads (Unsorted) in a real n8n', () => {
	let n8n: N8nInstance;
	let served: ServedFakeAmoCrm;
	let amo: FakeAmoCrm;
	const telegram = new FakeTelegram();
	let telegramServer: Awaited<ReturnType<FakeTelegram['listen']>>;
	let workflowId: string;

	beforeAll(async () => {
		amo = new FakeAmoCrm({ subdomain: LEAD_ACCOUNT.subdomain, accessTokens: [TOKEN] });
		served = await serveFakeAmoCrm(amo, LEAD_ACCOUNT.host, LEAD_ACCOUNT.loopback);
		telegramServer = await telegram.listen();
		n8n = await startN8n({ env: served.n8nEnv });
		const template = await installTemplate(n8n, 'dataTable', telegramServer.url);
		workflowId = template.id as string;
		await n8n.updateWorkflow(
			workflowId,
			userPicks(template, {
				retryAfterMinutes: 0,
				leaseMinutes: 0,
				incomingLeads: true,
				findExistingContacts: false,
				formPage: 'https://clinic.example.uz/contacts',
			}),
		);
		await n8n.activate(workflowId);
	}, 10 * 60_000);

	afterAll(async () => {
		await n8n?.stop();
		await served?.stop();
		await telegramServer?.close();
	});

	/** Runs the sync part now, as its schedule would, and waits for it. */
	async function runSync(): Promise<Execution> {
		const started = await n8n.rest<{ executionId?: string }>(
			'POST',
			`/workflows/${workflowId}/run`,
			{
				triggerToStartFrom: { name: SYNC_TRIGGER },
			},
		);
		if (!started?.executionId)
			throw new Error(`the sync did not start: ${JSON.stringify(started)}`);
		const deadline = Date.now() + 90_000;
		for (;;) {
			const execution = await n8n
				.api<Execution>('GET', `/executions/${started.executionId}?includeData=true`)
				.catch(() => undefined);
			if (execution && ['success', 'error', 'crashed', 'canceled'].includes(execution.status))
				return execution;
			if (Date.now() > deadline)
				throw new Error(`sync execution ${started.executionId} did not finish`);
			await sleep(250);
		}
	}

	it('a posted lead becomes an incoming lead with its contact, form metadata and note; the row is synced with its deal', async () => {
		const response = await n8n.webhook('lead', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				name: 'Aziza Karimova',
				phone: '+998 90 123-45-67',
				email: 'aziza@example.uz',
				source: 'Landing page',
				message: 'Call me after 18:00',
				productId: 'HA-101',
			}),
		});
		expect(response.status).toBe(200);
		const { id: rowId } = (await response.json()) as { id: number };
		await n8n.waitForExecutions(workflowId, 1);

		const sync = await runSync();
		expect(sync.data?.resultData.error).toBeUndefined();
		expect(sync.status).toBe('success');

		// amoCRM: one incoming lead in the main pipeline's Incoming stage, no deal made in a stage.
		expect(amo.requests.filter((r) => r.path === '/api/v4/leads/complex')).toHaveLength(0);
		expect(amo.unsorted).toHaveLength(1);
		const [incoming] = amo.unsorted;
		expect(incoming).toMatchObject({
			state: 'incoming',
			source_uid: `lead-${rowId}`,
			source_name: 'n8n lead intake',
			pipeline_id: 1001,
			metadata: expect.objectContaining({
				form_id: 'lead-intake',
				form_name: 'Website form',
				form_page: 'https://clinic.example.uz/contacts',
				ip: '0.0.0.0',
			}),
		});
		const deal = amo.lead(incoming.lead_id);
		expect(deal).toMatchObject({ name: 'Website lead: Aziza Karimova', status_id: 2001 });
		expect(amo.contactValues(incoming.contact_ids[0], 'PHONE')).toEqual(['+998901234567']);
		expect(amo.notes.filter((note) => note.entity_id === incoming.lead_id)).toEqual([
			expect.objectContaining({ params: { text: 'Call me after 18:00' } }),
		]);

		// The row: synced, with the deal and contact amoCRM made for the incoming lead.
		const [row] = (await readLeadRows(n8n, 'dataTable')).filter((r) => r.id === rowId);
		expect(row).toMatchObject({
			status: 'synced',
			deal_id: incoming.lead_id,
			contact_id: incoming.contact_ids[0],
			deal_url: `https://${LEAD_ACCOUNT.host}/leads/detail/${incoming.lead_id}`,
		});
		expect(telegram.messages).toHaveLength(1);
		expect(telegram.messages[0].text).toContain(`/leads/detail/${incoming.lead_id}`);

		// Nothing left: another run sends nothing.
		amo.clearRequests();
		await runSync();
		expect(amo.requests).toHaveLength(0);
		expect(amo.unsorted).toHaveLength(1);
	});
});

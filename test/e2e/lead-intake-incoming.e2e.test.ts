/**
 * The README's recipe f, "Incoming leads instead of deals", applied step by step to the Data
 * table template in a real n8n: Create deal replaced by Incoming Lead > Create From a Form (named
 * Create deal, wired like it), Find or create contact deleted, contact_id gone from Mark sending,
 * Save deal reading the incoming lead's dealId, and Mark failed telling a lost answer for an
 * incoming lead apart. A lead then waits in amoCRM's Incoming stage with its contact, the row
 * records its deal, and the team hears of it once; a lost answer makes the lead `check`, never a
 * second incoming lead.
 */
import { FakeAmoCrm } from '../fakes/amocrm';
import { FakeTelegram } from '../fakes/telegram';
import type { N8nInstance, WorkflowJson } from './harness';
import {
	LEAD_ACCOUNT,
	startLeadIntake,
	TOKEN,
	userPicks,
	waitForLeadRows,
	type LeadIntakeRun,
} from './harness/lead-intake';

type Node = WorkflowJson['nodes'][number];
type Connections = Record<
	string,
	{ main: Array<Array<{ node: string; type: string; index: number }>> }
>;

/** The template after the user followed recipe f, as the README words it. */
function incomingLeadsRecipe(template: WorkflowJson): WorkflowJson {
	const workflow = structuredClone(template);
	const connections = workflow.connections as Connections;
	const node = (name: string): Node => {
		const found = workflow.nodes.find((n) => n.name === name);
		if (!found) throw new Error(`template has no node "${name}"`);
		return found;
	};
	const claim = (field: string) => `$('Claim').item.json.${field}`;
	// Replace Create deal with Incoming Lead > Create From a Form, named Create deal: the old
	// node's connections (success to Add product, errors to Mark failed) stay with the name.
	const old = node('Create deal');
	workflow.nodes = workflow.nodes.filter((n) => n !== old);
	workflow.nodes.push({
		id: 'b7f2c1d0-4e5a-4b6c-8d7e-0f1a2b3c4d5e',
		name: 'Create deal',
		type: old.type,
		typeVersion: old.typeVersion,
		position: old.position,
		onError: 'continueErrorOutput',
		credentials: old.credentials,
		parameters: {
			authentication: 'longLivedToken',
			resource: 'incomingLead',
			operation: 'create',
			dealName: `=Website lead: {{ ${claim('name')} }}`,
			contactName: `={{ ${claim('name')} }}`,
			contactPhone: `={{ ${claim('phone')} }}`,
			contactEmail: `={{ ${claim('email')} }}`,
			formPage: 'https://clinic.example.uz/',
			visitorIp: '0.0.0.0',
			sourceUid: `=lead-{{ ${claim('id')} }}`,
		},
	});
	// amoCRM makes the contact with the incoming lead: Find or create contact goes, Claimed to
	// sync? leads to Mark sending, and Mark sending no longer writes contact_id.
	workflow.nodes = workflow.nodes.filter((n) => n.name !== 'Find or create contact');
	delete connections['Find or create contact'];
	connections['Claimed to sync?'].main[0] = [{ node: 'Mark sending', type: 'main', index: 0 }];
	const markSending = node('Mark sending').parameters.columns as {
		value: Record<string, unknown>;
		schema: Array<{ id: string; removed: boolean }>;
	};
	delete markSending.value.contact_id;
	markSending.schema.find((column) => column.id === 'contact_id')!.removed = true;
	// Save deal maps deal_id to the incoming lead's deal.
	(node('Save deal').parameters.columns as { value: Record<string, unknown> }).value.deal_id =
		"={{ $('Create deal').item.json.dealId }}";
	// Mark failed's two expressions: (deal|incoming lead) for deal.
	const markFailed = node('Mark failed').parameters.columns as { value: Record<string, string> };
	for (const column of ['status', 'error']) {
		const before = markFailed.value[column];
		markFailed.value[column] = before
			.split('/the deal may have been created$|^amoCRM did not return the new deal/')
			.join(
				'/the (deal|incoming lead) may have been created$|^amoCRM did not return the new (deal|incoming lead)/',
			);
		if (markFailed.value[column] === before)
			throw new Error(`Mark failed's ${column} has no such text`);
	}
	return workflow;
}

describe('lead-intake template (Data table) with the recipe "Incoming leads instead of deals"', () => {
	let n8n: N8nInstance;
	let run: LeadIntakeRun;
	const amo = new FakeAmoCrm({ subdomain: LEAD_ACCOUNT.subdomain, accessTokens: [TOKEN] });
	const telegram = new FakeTelegram();

	beforeAll(async () => {
		run = await startLeadIntake('dataTable', amo, telegram);
		n8n = run.n8n;
		await n8n.updateWorkflow(
			run.workflowId,
			incomingLeadsRecipe(userPicks(run.template, { webhookSyncs: true })),
		);
		await n8n.activate(run.workflowId);
	}, 10 * 60_000);

	afterAll(async () => await run?.stop());

	const post = async (lead: Record<string, string>) => {
		const response = await n8n.webhook('lead', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(lead),
		});
		expect(response.status).toBe(200);
		return ((await response.json()) as { id: number }).id;
	};

	it('a lead becomes an incoming lead with its contact; the row records its deal; the team is told once', async () => {
		const id = await post({
			name: 'Aziza Karimova',
			phone: '+998 90 123-45-67',
			email: 'aziza@example.uz',
			message: 'Call me after 18:00',
		});
		const [row] = await waitForLeadRows(
			n8n,
			'dataTable',
			(r) => r.status === 'synced' && r.telegram === 'sent',
			{ timeoutMs: 60_000, everyMs: 200 },
		);
		const [incoming] = amo.unsorted;
		expect(amo.unsorted).toHaveLength(1);
		expect(incoming).toMatchObject({ source_uid: `lead-${id}`, state: 'incoming' });
		expect(incoming.metadata).toMatchObject({
			form_page: 'https://clinic.example.uz/',
			ip: '0.0.0.0',
		});
		const dealId = amo.leads[0].id;
		expect(amo.leads.map((deal) => deal.name)).toEqual(['Website lead: Aziza Karimova']);
		expect(amo.leadContacts(dealId).map((link) => amo.contactValues(link.id, 'PHONE'))).toEqual([
			['+998901234567'],
		]);
		// No contact search, no /leads/complex, no note: the incoming lead carries it all.
		expect(amo.requests.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual([
			'/api/v4/leads/unsorted/forms',
		]);
		expect(row).toMatchObject({
			id,
			status: 'synced',
			attempts: 1,
			deal_id: dealId,
			contact_id: null,
		});
		expect(telegram.messages.map((m) => m.text.split('\n')[0])).toEqual([`✅ New lead #${id}`]);
	});

	it("amoCRM's answer lost: the lead is `check`, for a person, and no second incoming lead is sent", async () => {
		amo.reset();
		telegram.reset();
		amo.dropResponseOfNext('POST', '/api/v4/leads/unsorted/forms');
		const id = await post({ name: 'Bobur Aliev', phone: '+998 93 555-44-33' });
		const rows = await waitForLeadRows(
			n8n,
			'dataTable',
			(r) => r.id !== id || (r.status === 'check' && r.telegram === 'sent'),
			{ timeoutMs: 60_000, everyMs: 200 },
		);
		const row = rows.find((r) => r.id === id)!;
		expect(row.status).toBe('check');
		expect(row.error).toMatch(
			/^amoCRM's answer was lost: the incoming lead may have been created It is not sent again automatically/,
		);
		expect(amo.unsorted).toHaveLength(1);
		expect(amo.requests.filter((r) => r.path === '/api/v4/leads/unsorted/forms')).toHaveLength(1);
		expect(telegram.messages.map((m) => m.text.split('\n')[0])).toEqual([
			`⚠️ Lead #${id} needs a manual check in amoCRM`,
		]);
	});
});

/**
 * Incoming Lead (amoCRM "Unsorted") in a real n8n 2.x with the built package and the long-lived
 * token credential, against the fake amoCRM at https://e2e.amocrm.ru: a workflow creates two
 * incoming leads from one form post (they wait in the pipeline's Incoming stage with the form's
 * metadata), another accepts one into a chosen stage, a third declines the other.
 */
import { FakeAmoCrm } from '../../fakes/amocrm';
import {
	amoCrmTokenCredential,
	E2E_AMOCRM,
	nodeOutput,
	serveFakeAmoCrm,
	type N8nInstance,
	type ServedFakeAmoCrm,
	type WorkflowJson,
	webhookToAmoCrm,
} from '../harness';
import type { SharedN8n } from './shared';

const credential = amoCrmTokenCredential('e2eAmoCrmIncoming1');
const credentials = { amoCrmApi: { id: credential.id, name: credential.name } };

/** Webhook (answering with every item of the last node) -> [Split Out] -> AmoCRM. */
function webhookWorkflow(
	key: string,
	amoCrm: Record<string, unknown>,
	splitField?: string,
): WorkflowJson {
	const id = (n: number) =>
		`5e1f0c3a-7a4b-4c2d-8e9f-${key}${String(n).padStart(12 - key.length, '0')}`;
	const nodes: WorkflowJson['nodes'] = [
		{
			id: id(1),
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: id(9),
			parameters: {
				httpMethod: 'POST',
				path: `e2e-incoming-${key}`,
				responseMode: 'lastNode',
				responseData: 'allEntries',
				options: {},
			},
		},
	];
	if (splitField)
		nodes.push({
			id: id(2),
			name: 'Split Out',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: [220, 0],
			parameters: { fieldToSplitOut: splitField, options: {} },
		});
	nodes.push({
		id: id(3),
		name: 'AmoCRM',
		type: 'n8n-nodes-amocrm.amoCrm',
		typeVersion: 1,
		position: [440, 0],
		parameters: { authentication: 'longLivedToken', resource: 'incomingLead', ...amoCrm },
		credentials,
	});
	const names = nodes.map((node) => node.name);
	const connections: WorkflowJson['connections'] = {};
	for (let i = 0; i + 1 < names.length; i++)
		connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	return {
		name: `e2e: incoming lead ${key}`,
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
	};
}

const createWorkflow = webhookWorkflow(
	'create',
	{
		operation: 'create',
		pipelineId: 1001,
		dealName: '={{ "Site: " + $json.name }}',
		price: '={{ $json.price }}',
		contactName: '={{ $json.name }}',
		contactPhone: '={{ $json.phone }}',
		contactEmail: '={{ $json.email }}',
		formPage: '={{ $json.page }}',
		visitorIp: '={{ $json.ip }}',
		formName: 'Hearing test sign-up',
		formId: 'signup-1',
		formSentAt: '={{ $json.sentAt }}',
		referer: '={{ $json.referer }}',
		sourceName: 'clinic.example.uz',
		options: { defaultCountryCode: '998' },
		// Submission ID left at its default: n8n-{{ $execution.id }}-{{ $itemIndex }}
	},
	'body.leads',
);
const acceptWorkflow = webhookToAmoCrm({
	name: 'e2e: incoming lead accept',
	path: 'e2e-incoming-accept',
	key: '5e1f0c3b',
	nodeName: 'Accept',
	credential,
	parameters: {
		resource: 'incomingLead',
		operation: 'accept',
		uid: '={{ $json.body.uid }}',
		statusId: { __rl: true, mode: 'id', value: '={{ $json.body.stage }}' },
		userId: 502,
	},
});
const declineWorkflow = webhookToAmoCrm({
	name: 'e2e: incoming lead decline',
	path: 'e2e-incoming-decline',
	key: '5e1f0c3c',
	nodeName: 'Decline',
	credential,
	parameters: { resource: 'incomingLead', operation: 'decline', uid: '={{ $json.body.uid }}' },
});

export function incomingLeadSuite(shared: SharedN8n): void {
	describe('Incoming Lead in a real n8n 2.x', () => {
		let n8n: N8nInstance;
		let amo: ServedFakeAmoCrm;
		const ids = { create: '', accept: '', decline: '' };

		beforeAll(async () => {
			amo = await serveFakeAmoCrm(new FakeAmoCrm({ subdomain: E2E_AMOCRM.subdomain }));
			({ n8n } = shared);
			await n8n.importCredentials([credential]);
		});

		afterAll(async () => await amo?.stop());

		const post = async (path: string, body: unknown) => {
			const response = await n8n.webhook(path, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
			});
			return { status: response.status, json: (await response.json()) as unknown };
		};

		it('creates two incoming leads with the form metadata, accepts one into a chosen stage and declines the other', async () => {
			ids.create = await n8n.importWorkflow(createWorkflow);
			ids.accept = await n8n.importWorkflow(acceptWorkflow);
			ids.decline = await n8n.importWorkflow(declineWorkflow);
			for (const id of Object.values(ids)) await n8n.activate(id);

			const created = await post('e2e-incoming-create', {
				leads: [
					{
						name: 'Aziza Karimova',
						price: 1500000,
						phone: '90 123-45-67',
						email: 'aziza@example.uz',
						page: 'https://clinic.example.uz/signup',
						ip: '203.0.113.7',
						sentAt: '2026-11-28T09:15:00+05:00',
						referer: 'https://www.google.com/',
					},
					{
						name: 'Spam Bot',
						price: 0,
						phone: '',
						email: 'bot@spam.example',
						page: 'https://clinic.example.uz/signup',
						ip: '198.51.100.66',
						sentAt: '2026-11-28T09:16:00+05:00',
						referer: '',
					},
				],
			});
			expect(created.status).toBe(200);
			const [aziza, bot] = created.json as Array<Record<string, unknown>>;

			// Both wait in Sales' Incoming stage, with the form's metadata, sent in one request.
			expect(
				amo.fake.requests.filter((r) => r.path === '/api/v4/leads/unsorted/forms'),
			).toHaveLength(1);
			expect(
				amo.fake.unsorted.map((u) => ({
					uid: u.uid,
					state: u.state,
					pipeline: u.pipeline_id,
					source: u.source_name,
					metadata: u.metadata,
				})),
			).toEqual([
				{
					uid: aziza.uid,
					state: 'incoming',
					pipeline: 1001,
					source: 'clinic.example.uz',
					metadata: {
						form_id: 'signup-1',
						form_name: 'Hearing test sign-up',
						form_page: 'https://clinic.example.uz/signup',
						ip: '203.0.113.7',
						form_sent_at: '1795839300',
						referer: 'https://www.google.com/',
						visitor_uid: null,
					},
				},
				{
					uid: bot.uid,
					state: 'incoming',
					pipeline: 1001,
					source: 'clinic.example.uz',
					metadata: {
						form_id: 'signup-1',
						form_name: 'Hearing test sign-up',
						form_page: 'https://clinic.example.uz/signup',
						ip: '198.51.100.66',
						form_sent_at: '1795839360',
						visitor_uid: null,
					},
				},
			]);
			const [createExecution] = await n8n.waitForExecutions(ids.create, 1);
			expect(createExecution.status).toBe('success');
			expect(amo.fake.unsorted.map((u) => u.source_uid)).toEqual([
				`n8n-${createExecution.id}-0`,
				`n8n-${createExecution.id}-1`,
			]);
			const azizaDeal = amo.fake.lead(aziza.dealId as number);
			expect(azizaDeal).toMatchObject({
				name: 'Site: Aziza Karimova',
				price: 1500000,
				status_id: 2001,
			});
			expect(amo.fake.contactValues(aziza.contactId as number, 'PHONE')).toEqual(['+998901234567']);
			expect(created.json).toEqual([
				{
					uid: aziza.uid,
					sourceUid: `n8n-${createExecution.id}-0`,
					dealId: aziza.dealId,
					contactId: aziza.contactId,
					pipelineId: 1001,
					pipelineName: 'Sales',
					url: `https://e2e.amocrm.ru/leads/detail/${aziza.dealId}`,
				},
				{
					uid: bot.uid,
					sourceUid: `n8n-${createExecution.id}-1`,
					dealId: bot.dealId,
					contactId: bot.contactId,
					pipelineId: 1001,
					pipelineName: 'Sales',
					url: `https://e2e.amocrm.ru/leads/detail/${bot.dealId}`,
				},
			]);
			expect(nodeOutput(createExecution, 'AmoCRM')).toEqual(created.json);

			// Accepted into "Qualified": the deal moves there.
			const accepted = await post('e2e-incoming-accept', { uid: aziza.uid, stage: '1001:2003' });
			expect(accepted).toEqual({
				status: 200,
				json: {
					uid: aziza.uid,
					dealId: aziza.dealId,
					contactId: aziza.contactId,
					pipelineId: 1001,
					statusId: 2003,
					url: `https://e2e.amocrm.ru/leads/detail/${aziza.dealId}`,
				},
			});
			expect(amo.fake.lead(aziza.dealId as number)).toMatchObject({
				status_id: 2003,
				updated_by: 502,
			});

			// Declined: the deal and its new contact go to the trash.
			const declined = await post('e2e-incoming-decline', { uid: bot.uid });
			expect(declined).toEqual({
				status: 200,
				json: {
					uid: bot.uid,
					declined: true,
					dealId: bot.dealId,
					contactId: bot.contactId,
					pipelineId: 1001,
				},
			});
			expect(amo.fake.unsorted.map((u) => u.state)).toEqual(['accepted', 'declined']);
			expect(amo.fake.lead(bot.dealId as number)).toBeUndefined();
			expect(amo.fake.trash.leads.map((lead) => lead.id)).toEqual([bot.dealId]);
			expect(amo.fake.requests.every((r) => r.headers.authorization === 'Bearer ***')).toBe(true);
		});

		it('declining the accepted lead again fails with the message naming the field', async () => {
			const [accepted] = amo.fake.unsorted;
			const response = await n8n.webhook('e2e-incoming-decline', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ uid: accepted.uid }),
			});
			expect(response.status).toBe(500);
			const executions = await n8n.waitForExecutions(ids.decline, 2);
			const failed = executions.find((execution) => execution.status === 'error');
			expect(JSON.stringify(failed)).toContain('This incoming lead was already accepted in amoCRM');
		});
	});
}

/**
 * AmoCRM Trigger in a real n8n 2.x: publishing registers exactly one webhook in amoCRM (the fake at
 * https://e2e.amocrm.ru), amoCRM's form-encoded deliveries start the workflow with one clean item
 * per entity event, deliveries with a wrong secret or for another account start nothing, and
 * unpublishing removes the webhook.
 */
import { ACCOUNT_ID, FakeAmoCrm, encodeForm } from '../../fakes/amocrm';
import {
	E2E_AMOCRM,
	nodeOutput,
	serveFakeAmoCrm,
	type N8nInstance,
	type ServedFakeAmoCrm,
	type WorkflowJson,
} from '../harness';
import type { SharedN8n } from './shared';

const credential = {
	id: 'e2eAmoCrmTrigger1',
	name: 'amoCRM e2e (long-lived token)',
	type: 'amoCrmApi',
	data: { subdomain: E2E_AMOCRM.subdomain, domain: E2E_AMOCRM.domain, accessToken: 'test-token' },
};

const WEBHOOK_ID = '7d3e1c55-2b8f-4c1a-9a57-0000000000a1';

const workflow: WorkflowJson = {
	name: 'e2e: AmoCRM Trigger',
	nodes: [
		{
			id: '7d3e1c55-2b8f-4c1a-9a57-000000000001',
			name: 'AmoCRM Trigger',
			type: 'n8n-nodes-amocrm.amoCrmTrigger',
			typeVersion: 1,
			position: [0, 0],
			webhookId: WEBHOOK_ID,
			parameters: {
				authentication: 'longLivedToken',
				events: ['status_lead', 'add_lead', 'add_contact'],
				dealFilter: {},
			},
			credentials: { amoCrmApi: { id: credential.id, name: credential.name } },
		},
	],
	connections: {},
	settings: { executionOrder: 'v1' },
};

/** Two deals moved and a contact added in one delivery, as amoCRM posts them. */
const delivery = (accountId: number = ACCOUNT_ID) =>
	encodeForm({
		leads: {
			status: [
				{
					id: '20000001',
					name: 'Заказ с сайта',
					status_id: '142',
					old_status_id: '2003',
					pipeline_id: '1001',
					old_pipeline_id: '1001',
					price: '15000',
					responsible_user_id: '501',
					last_modified: '1764300000',
					account_id: String(accountId),
					custom_fields: [
						{ id: '4001', name: 'Источник', values: [{ value: 'Сайт' }] },
						{ id: '4003', name: 'Канал', values: [{ value: 'Telegram', enum: '4102' }] },
					],
				},
				{
					id: '20000002',
					name: 'Опт: 200 коробок',
					status_id: '2102',
					old_status_id: '2101',
					pipeline_id: '1002',
					price: '480000',
					account_id: String(accountId),
				},
			],
		},
		contacts: {
			add: [
				{
					id: '10000001',
					name: 'Азиза Каримова',
					type: 'contact',
					responsible_user_id: '502',
					account_id: String(accountId),
					custom_fields: [
						{
							id: '3001',
							name: 'Телефон',
							code: 'PHONE',
							values: [{ value: '+998901234567', enum: '3103' }],
						},
					],
				},
			],
		},
		account: { subdomain: E2E_AMOCRM.subdomain, id: String(accountId) },
	});

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/** n8n answers the publish and unpublish calls before its trigger's webhook methods have run. */
async function settled(check: () => void, timeoutMs = 15_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			check();
			return;
		} catch (error) {
			if (Date.now() > deadline) throw error;
			await sleep(200);
		}
	}
}

export function triggerSuite(shared: SharedN8n): void {
	describe('AmoCRM Trigger in a real n8n', () => {
		let n8n: N8nInstance;
		let amo: ServedFakeAmoCrm;
		let workflowId: string;

		beforeAll(async () => {
			amo = await serveFakeAmoCrm(new FakeAmoCrm({ subdomain: E2E_AMOCRM.subdomain }));
			({ n8n } = shared);
			await n8n.importCredentials([credential]);
			workflowId = await n8n.importWorkflow(workflow);
		});

		afterAll(async () => await amo?.stop());

		/** amoCRM's delivery; n8n may answer 404 for a moment after publishing. */
		async function deliver(
			destination: string,
			body: string,
		): Promise<{ status: number; text: string }> {
			const deadline = Date.now() + 3_000;
			for (;;) {
				const answer = await amo.fake.deliverWebhook(destination, body);
				if (answer.status !== 404 || Date.now() > deadline) return answer;
				await sleep(100);
			}
		}

		const ownHook = () => new RegExp(`/webhook/${WEBHOOK_ID}/amocrm-${workflowId}/[0-9a-f]{64}$`);

		it('publish: amoCRM has exactly one webhook, at the workflow’s production URL with a secret, for the chosen events', async () => {
			await n8n.activate(workflowId);
			await settled(() =>
				expect(amo.fake.webhooks).toEqual([
					expect.objectContaining({
						disabled: false,
						settings: ['add_contact', 'add_lead', 'status_lead'],
					}),
				]),
			);
			expect(amo.fake.webhooks[0].destination).toMatch(
				new RegExp(`^${n8n.baseUrl.replace('127.0.0.1', '(127\\.0\\.0\\.1|localhost)')}`),
			);
			expect(amo.fake.webhooks[0].destination).toMatch(ownHook());
			// n8n stores the node's static data (the secret) only after its webhook methods return; a
			// delivery before that is refused as an unknown address.
			const deadline = Date.now() + 15_000;
			for (;;) {
				const stored = await n8n.api<{ staticData: Record<string, { secret?: string }> | null }>(
					'GET',
					`/workflows/${workflowId}`,
				);
				const secrets = Object.values(stored.staticData ?? {}).map((data) => data?.secret);
				if (
					secrets.some(
						(secret) => secret && amo.fake.webhooks[0].destination.endsWith(`/${secret}`),
					)
				)
					break;
				if (Date.now() > deadline)
					throw new Error(
						`n8n did not store the webhook's secret: ${secrets.length} static data entries`,
					);
				await sleep(200);
			}
		});

		it('amoCRM posts events: answered 200 at once, one run with one item per entity event', async () => {
			const [hook] = amo.fake.webhooks;
			const started = Date.now();
			const answer = await deliver(hook.destination, delivery());
			expect(answer.status).toBe(200);
			expect(Date.now() - started).toBeLessThan(2_000);

			const [execution] = await n8n.waitForExecutions(workflowId, 1);
			expect(execution.status).toBe('success');
			const items = nodeOutput(execution, 'AmoCRM Trigger');
			expect(items.map(({ raw, ...item }) => item)).toEqual([
				{
					event: 'deal.statusChanged',
					entity: 'deal',
					id: 20000001,
					name: 'Заказ с сайта',
					statusId: 142,
					oldStatusId: 2003,
					pipelineId: 1001,
					oldPipelineId: 1001,
					responsibleUserId: 501,
					oldResponsibleUserId: null,
					price: 15000,
					tags: [],
					createdAt: null,
					updatedAt: 1764300000,
					customFields: { Source: 'Сайт', Channel: 'Telegram' },
					accountId: ACCOUNT_ID,
				},
				{
					event: 'deal.statusChanged',
					entity: 'deal',
					id: 20000002,
					name: 'Опт: 200 коробок',
					statusId: 2102,
					oldStatusId: 2101,
					pipelineId: 1002,
					oldPipelineId: null,
					responsibleUserId: null,
					oldResponsibleUserId: null,
					price: 480000,
					tags: [],
					createdAt: null,
					updatedAt: null,
					customFields: {},
					accountId: ACCOUNT_ID,
				},
				{
					event: 'contact.added',
					entity: 'contact',
					id: 10000001,
					name: 'Азиза Каримова',
					responsibleUserId: 502,
					oldResponsibleUserId: null,
					companyId: null,
					dealIds: [],
					phones: ['+998901234567'],
					emails: [],
					tags: [],
					createdAt: null,
					updatedAt: null,
					customFields: {},
					accountId: ACCOUNT_ID,
				},
			]);
			expect(items[2].raw).toMatchObject({ id: '10000001', type: 'contact' });
			// amoCRM's own event dispatch reaches the same workflow.
			expect(await amo.fake.deliverEvent('status_lead', delivery())).toEqual([
				{ destination: hook.destination, status: 200 },
			]);
			await n8n.waitForExecutions(workflowId, 2);
		});

		it('a post with a wrong secret, or for another account, is refused and runs nothing', async () => {
			const [hook] = amo.fake.webhooks;
			const wrongSecret = hook.destination.replace(/[0-9a-f]{64}$/, 'a'.repeat(64));
			expect((await deliver(wrongSecret, delivery())).status).toBe(403);
			expect((await deliver(hook.destination, delivery(7039099))).status).toBe(403);
			await sleep(1_500);
			expect(await n8n.executions(workflowId)).toHaveLength(2);
		});

		// n8n takes a second publish of a published workflow as done; finding the webhook already in
		// amoCRM (at n8n's start, or a switched-off one) is proven in the trigger's unit tests.
		it('publish twice: still one webhook', async () => {
			const before = amo.fake.webhooks;
			amo.fake.clearRequests();
			await n8n.activate(workflowId);
			// Give n8n the time to register anything it would register.
			await sleep(3_000);
			expect(amo.fake.webhooks).toEqual(before);
		});

		let unpublished = '';

		it('unpublish: the webhook is gone, and its address starts nothing', async () => {
			const [hook] = amo.fake.webhooks;
			unpublished = hook.destination;
			await n8n.deactivate(workflowId);
			await settled(() => expect(amo.fake.webhooks).toEqual([]));
			expect((await amo.fake.deliverWebhook(hook.destination, delivery())).status).toBe(404);
		});

		it('publish after unpublish: one new webhook with a new secret', async () => {
			await n8n.activate(workflowId);
			await settled(() => expect(amo.fake.webhooks).toHaveLength(1));
			expect(amo.fake.webhooks[0].destination).toMatch(ownHook());
			expect(amo.fake.webhooks[0].destination).not.toBe(unpublished);
			await n8n.activate(workflowId);
			await sleep(3_000);
			expect(amo.fake.webhooks).toHaveLength(1);
		});
	});
}

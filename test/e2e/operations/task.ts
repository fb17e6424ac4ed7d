/**
 * Task > Create in a real n8n 2.x: a manager's "call back in 15 minutes" for two deals, filled in
 * as a user would (only the deal chosen; every other field at its default), lands in amoCRM (the
 * fake at https://e2e.amocrm.ru) as two tasks on the right deals, of type Call, due 15 minutes
 * after the run.
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
} from '../harness';
import type { SharedN8n } from './shared';

const credential = amoCrmTokenCredential('e2eAmoCrmTasks01');

const amoCrmCredential = { amoCrmApi: { id: credential.id, name: credential.name } };

/** A Webhook node answering with every item of the last node. */
function webhookNode(id: string, path: string): WorkflowJson['nodes'][number] {
	return {
		id: `5c1d8e20-7a41-4f0b-8d3e-${id}`,
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: `5c1d8e20-7a41-4f0b-8d3e-${id.replace(/^0{4}/, 'aaaa')}`,
		parameters: {
			httpMethod: 'POST',
			path,
			responseMode: 'lastNode',
			responseData: 'allEntries',
			options: {},
		},
	};
}

/** Webhook (a list of deals) -> one item per deal -> AmoCRM Task > Create with its defaults. */
const callBackWorkflow: WorkflowJson = {
	name: 'e2e: call back in 15 minutes',
	nodes: [
		webhookNode('000000000001', 'e2e-call-back'),
		{
			id: '5c1d8e20-7a41-4f0b-8d3e-000000000002',
			name: 'Each Deal',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: [220, 0],
			parameters: { fieldToSplitOut: 'body.deals', options: {} },
		},
		{
			id: '5c1d8e20-7a41-4f0b-8d3e-000000000003',
			name: 'Call Back',
			type: 'n8n-nodes-amocrm.amoCrm',
			typeVersion: 1,
			position: [440, 0],
			parameters: {
				authentication: 'longLivedToken',
				resource: 'task',
				operation: 'create',
				dealId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
			},
			credentials: amoCrmCredential,
		},
	],
	connections: {
		Webhook: { main: [[{ node: 'Each Deal', type: 'main', index: 0 }]] },
		'Each Deal': { main: [[{ node: 'Call Back', type: 'main', index: 0 }]] },
	},
	settings: { executionOrder: 'v1' },
};

/** Webhook (a deal) -> its open tasks (Get Many) -> each completed with a result (Complete). */
const completeWorkflow: WorkflowJson = {
	name: 'e2e: complete the open tasks of a deal',
	nodes: [
		webhookNode('000000000011', 'e2e-called-back'),
		{
			id: '5c1d8e20-7a41-4f0b-8d3e-000000000012',
			name: 'Open Tasks',
			type: 'n8n-nodes-amocrm.amoCrm',
			typeVersion: 1,
			position: [220, 0],
			parameters: {
				authentication: 'longLivedToken',
				resource: 'task',
				operation: 'getAll',
				entityType: 'deal',
				dealId: { __rl: true, mode: 'id', value: '={{ $json.body.dealId }}' },
			},
			credentials: amoCrmCredential,
		},
		{
			id: '5c1d8e20-7a41-4f0b-8d3e-000000000013',
			name: 'Complete Task',
			type: 'n8n-nodes-amocrm.amoCrm',
			typeVersion: 1,
			position: [440, 0],
			parameters: {
				authentication: 'longLivedToken',
				resource: 'task',
				operation: 'complete',
				taskId: '={{ $json.id }}',
				resultText: "={{ $('Webhook').item.json.body.result }}",
			},
			credentials: amoCrmCredential,
		},
	],
	connections: {
		Webhook: { main: [[{ node: 'Open Tasks', type: 'main', index: 0 }]] },
		'Open Tasks': { main: [[{ node: 'Complete Task', type: 'main', index: 0 }]] },
	},
	settings: { executionOrder: 'v1' },
};

/** Webhook (a path) -> AmoCRM API Request > Send (GET that path of the account's API v4). */
const apiRequestWorkflow: WorkflowJson = {
	name: 'e2e: API Request',
	nodes: [
		webhookNode('000000000021', 'e2e-api-request'),
		{
			id: '5c1d8e20-7a41-4f0b-8d3e-000000000022',
			name: 'API Request',
			type: 'n8n-nodes-amocrm.amoCrm',
			typeVersion: 1,
			position: [220, 0],
			parameters: {
				authentication: 'longLivedToken',
				resource: 'apiRequest',
				operation: 'send',
				method: 'GET',
				path: '={{ $json.body.path }}',
			},
			credentials: amoCrmCredential,
		},
	],
	connections: { Webhook: { main: [[{ node: 'API Request', type: 'main', index: 0 }]] } },
	settings: { executionOrder: 'v1' },
};

export function taskOperationsSuite(shared: SharedN8n): void {
	describe('Task > Create, Get Many, Complete and API Request in a real n8n', () => {
		let n8n: N8nInstance;
		let amo: ServedFakeAmoCrm;

		beforeAll(async () => {
			amo = await serveFakeAmoCrm(new FakeAmoCrm({ subdomain: E2E_AMOCRM.subdomain }));
			({ n8n } = shared);
			await n8n.importCredentials([credential]);
		});

		afterAll(async () => await amo?.stop());

		it('creates "call back in 15 minutes" tasks for two deals: right deal, type Call, due now + 15 min', async () => {
			const dealA = amo.fake.seedLead({ name: 'Hearing aid for Aziz' });
			const dealB = amo.fake.seedLead({ name: 'Batteries for Malika' });
			const workflowId = await n8n.importWorkflow(callBackWorkflow);
			await n8n.activate(workflowId);

			const postedAt = Date.now() / 1000;
			const response = await n8n.webhook('e2e-call-back', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ deals: [{ id: dealA.id }, { id: dealB.id }] }),
			});
			expect(response.status).toBe(200);
			const answer = (await response.json()) as Array<Record<string, unknown>>;

			// Both tasks in one request.
			expect(
				amo.fake.requests
					.filter((request) => request.path === '/api/v4/tasks')
					.map((request) => request.method),
			).toEqual(['POST']);
			const tasks = [...amo.fake.tasks].sort((a, b) => a.id - b.id);
			expect(
				tasks.map((task) => ({
					text: task.text,
					entity: `${task.entity_type}:${task.entity_id}`,
					type: task.task_type_id,
					completed: task.is_completed,
				})),
			).toEqual([
				{ text: 'Call back', entity: `leads:${dealA.id}`, type: 1, completed: false },
				{ text: 'Call back', entity: `leads:${dealB.id}`, type: 1, completed: false },
			]);
			for (const task of tasks) {
				expect(Math.abs(task.complete_till - (postedAt + 15 * 60))).toBeLessThanOrEqual(60);
			}

			const [execution] = await n8n.waitForExecutions(workflowId, 1);
			expect(execution.status).toBe('success');
			const output = nodeOutput(execution, 'Call Back');
			expect(output).toEqual(answer);
			expect(output).toEqual(
				tasks.map((task) => ({
					id: task.id,
					text: 'Call back',
					entityType: 'deal',
					entityId: task.entity_id,
					taskTypeId: 1,
					dueAt: new Date(task.complete_till * 1000).toISOString(),
					completeTill: task.complete_till,
					// amoCRM's default, the user the token acts as, as amoCRM assigned it
					responsibleUserId: task.responsible_user_id,
					isCompleted: false,
					result: null,
					url: `https://e2e.amocrm.ru/leads/detail/${task.entity_id}`,
				})),
			);
		});

		it("then Get Many finds one deal's open task and Complete closes it with the result; the other deal's task stays open", async () => {
			const [first, second] = [...amo.fake.tasks].sort((a, b) => a.id - b.id);
			const workflowId = await n8n.importWorkflow(completeWorkflow);
			await n8n.activate(workflowId);

			const response = await n8n.webhook('e2e-called-back', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ dealId: first.entity_id, result: 'Called back, comes on Monday' }),
			});
			expect(response.status).toBe(200);

			expect(amo.fake.task(first.id)).toMatchObject({
				is_completed: true,
				result: { text: 'Called back, comes on Monday' },
			});
			expect(amo.fake.task(second.id)).toMatchObject({ is_completed: false, result: null });
			const [execution] = await n8n.waitForExecutions(workflowId, 1);
			expect(execution.status).toBe('success');
			expect(nodeOutput(execution, 'Complete Task')).toEqual([
				{
					id: first.id,
					isCompleted: true,
					result: 'Called back, comes on Monday',
					updatedAt: new Date((amo.fake.task(first.id)?.updated_at ?? 0) * 1000).toISOString(),
				},
			]);
		});

		it("API Request > Send: GET /api/v4/account with the long-lived token returns amoCRM's answer as it is", async () => {
			const workflowId = await n8n.importWorkflow(apiRequestWorkflow);
			await n8n.activate(workflowId);
			const before = amo.fake.requests.length;

			const response = await n8n.webhook('e2e-api-request', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ path: 'account' }),
			});
			expect(response.status).toBe(200);
			const sent = amo.fake.requests.slice(before);
			expect(
				sent.map((request) => [request.method, request.path, request.headers.authorization]),
			).toEqual([['GET', '/api/v4/account', 'Bearer ***']]);
			const [execution] = await n8n.waitForExecutions(workflowId, 1);
			expect(execution.status).toBe('success');
			const [account] = nodeOutput(execution, 'API Request') as Array<Record<string, unknown>>;
			expect(account).toMatchObject({
				subdomain: E2E_AMOCRM.subdomain,
				current_user_id: 501,
				_links: { self: { href: 'https://e2e.amocrm.ru/api/v4/account' } },
			});
		});
	});
}

/**
 * Deal operations in a real n8n 2.x with the built package, against the fake amoCRM at
 * https://e2e.amocrm.ru with the long-lived-token credential: Get Many over amoCRM's pages
 * (Return All and Limit), Update moving a deal to another pipeline's stage, Add Products
 * followed by Get with the deal's products, and Call > Log landing on the contact with that phone.
 */
import { FakeAmoCrm } from '../../fakes/amocrm';
import {
	amoCrmTokenCredential,
	E2E_AMOCRM,
	nodeOutput,
	serveFakeAmoCrm,
	type N8nInstance,
	type ServedFakeAmoCrm,
	webhookToAmoCrm,
} from '../harness';
import type { SharedN8n } from './shared';

const credential = amoCrmTokenCredential('e2eAmoCrmToken02');

/** Webhook (answers when the run is done) -> one AmoCRM node with these parameters. */
const webhookTo = (
	path: string,
	key: string,
	nodeName: string,
	parameters: Record<string, unknown>,
) =>
	webhookToAmoCrm({
		name: `e2e: webhook -> AmoCRM ${nodeName} (${path})`,
		path,
		key,
		nodeName,
		parameters,
		credential,
	});

const returnAllWorkflow = webhookTo('e2e-deals-return-all', '0d0a0001', 'Get Many Deals', {
	resource: 'deal',
	operation: 'getAll',
	returnAll: true,
	filters: {},
});

const limitWorkflow = webhookTo('e2e-deals-limit', '0d0a0002', 'Get Many Deals', {
	resource: 'deal',
	operation: 'getAll',
	returnAll: false,
	limit: '={{ $json.body.limit }}',
	filters: {},
});

const moveWorkflow = webhookTo('e2e-deal-move', '0d0a0003', 'Move Deal', {
	resource: 'deal',
	operation: 'update',
	dealId: { __rl: true, mode: 'id', value: '={{ $json.body.dealId }}' },
	updateFields: {
		statusId: { __rl: true, mode: 'list', value: '={{ $json.body.stage }}' },
		tags: 'moved',
	},
});

/** Webhook -> Add Products (the body's deal, product and quantity) -> Get Deal with its products. */
const productsWorkflow = (() => {
	const workflow = webhookTo('e2e-deal-products', '0d0a0004', 'Add Product', {
		resource: 'deal',
		operation: 'addProducts',
		dealId: { __rl: true, mode: 'id', value: '={{ $json.body.dealId }}' },
		catalogId: '',
		productId: { __rl: true, mode: 'id', value: '={{ $json.body.productId }}' },
		quantity: '={{ $json.body.quantity }}',
	});
	const [, add] = workflow.nodes;
	workflow.nodes.push({
		...add,
		id: '0d0a0004-0000-4000-8000-000000000003',
		name: 'Get Deal',
		position: [440, 0],
		parameters: {
			authentication: 'longLivedToken',
			resource: 'deal',
			operation: 'get',
			dealId: { __rl: true, mode: 'id', value: '={{ $json.dealId }}' },
			options: { includeProducts: true },
		},
	});
	workflow.connections['Add Product'] = {
		main: [[{ node: 'Get Deal', type: 'main', index: 0 }]],
	};
	return workflow;
})();

/** Webhook -> Call > Log of an incoming call from the body's phone. */
const callWorkflow = webhookTo('e2e-call-log', '0d0a0005', 'Log Call', {
	resource: 'call',
	operation: 'log',
	direction: 'inbound',
	phone: '={{ $json.body.phone }}',
	duration: '={{ $json.body.duration }}',
	source: 'Asterisk',
});

export function dealOperationsSuite(shared: SharedN8n): void {
	describe('deal operations in a real n8n', () => {
		let n8n: N8nInstance;
		let amo: ServedFakeAmoCrm;
		let returnAllId: string;
		let limitId: string;
		let moveId: string;
		let productsId: string;
		let callId: string;

		beforeAll(async () => {
			amo = await serveFakeAmoCrm(new FakeAmoCrm({ subdomain: E2E_AMOCRM.subdomain }));
			({ n8n } = shared);
			await n8n.importCredentials([credential]);
			returnAllId = await n8n.importWorkflow(returnAllWorkflow);
			limitId = await n8n.importWorkflow(limitWorkflow);
			moveId = await n8n.importWorkflow(moveWorkflow);
			productsId = await n8n.importWorkflow(productsWorkflow);
			callId = await n8n.importWorkflow(callWorkflow);
			for (const id of [returnAllId, limitId, moveId, productsId, callId]) await n8n.activate(id);
		});

		afterAll(async () => await amo?.stop());

		const post = async (path: string, body: unknown) =>
			await n8n.webhook(path, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
			});

		/** The fake's GET /api/v4/leads requests since `from`, as `page/limit`. */
		const leadPages = (from: number) =>
			amo.fake.requests
				.slice(from)
				.filter((request) => request.method === 'GET' && request.path === '/api/v4/leads')
				.map((request) => `${request.query.page}/${request.query.limit}`);

		it("Get Many with Return All reads every page of amoCRM's list: more deals than one page, all of them out", async () => {
			const seeded = amo.fake.seedLeads(300);
			const from = amo.fake.requests.length;

			const response = await post('e2e-deals-return-all', {});
			expect(response.status).toBe(200);
			const [execution] = await n8n.waitForExecutions(returnAllId, 1);
			expect(execution.status).toBe('success');

			// 250 per page (amoCRM's maximum), until amoCRM gives no next page.
			expect(leadPages(from)).toEqual(['1/250', '2/250']);
			const output = nodeOutput(execution, 'Get Many Deals');
			expect(output).toHaveLength(300);
			expect(output.map((deal) => deal.id)).toEqual(seeded.map((lead) => lead.id));
			expect(output[0]).toMatchObject({
				id: seeded[0].id,
				name: 'Deal 1',
				pipelineId: 1001,
				pipeline: 'Sales',
				url: `https://e2e.amocrm.ru/leads/detail/${seeded[0].id}`,
			});
		});

		it('Get Many with Limit returns exactly that many deals, from one page of that size', async () => {
			const from = amo.fake.requests.length;

			await post('e2e-deals-limit', { limit: 7 });
			const [execution] = await n8n.waitForExecutions(limitId, 1);
			expect(execution.status).toBe('success');

			expect(leadPages(from)).toEqual(['1/7']);
			expect(nodeOutput(execution, 'Get Many Deals').map((deal) => deal.id)).toEqual(
				amo.fake.leads.slice(0, 7).map((lead) => lead.id),
			);
		});

		it("Update moves a deal to another pipeline's stage; the fake's deal is there, its tags kept", async () => {
			const lead = amo.fake.seedLead({
				name: 'Wholesale order',
				pipeline_id: 1001,
				status_id: 2002,
				_embedded: { tags: [{ name: 'site' }] },
			});

			const response = await post('e2e-deal-move', { dealId: lead.id, stage: '1002:2102' });
			expect(response.status).toBe(200);
			const [execution] = await n8n.waitForExecutions(moveId, 1);
			expect(execution.status).toBe('success');

			const moved = amo.fake.leads.find((candidate) => candidate.id === lead.id);
			expect(moved).toMatchObject({ pipeline_id: 1002, status_id: 2102 });
			expect(moved?.tags.map((tag) => tag.name).sort()).toEqual(['moved', 'site']);
			const patches = amo.fake.requests.filter((request) => request.method === 'PATCH');
			expect(patches.map((request) => [request.path, request.body])).toEqual([
				[
					'/api/v4/leads',
					[
						{
							id: lead.id,
							tags_to_add: [{ name: 'moved' }],
							pipeline_id: 1002,
							status_id: 2102,
							request_id: '0',
						},
					],
				],
			]);
			expect(nodeOutput(execution, 'Move Deal')).toEqual([
				{
					id: lead.id,
					pipelineId: 1002,
					statusId: 2102,
					tagsAdded: ['moved'],
					updatedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
					url: `https://e2e.amocrm.ru/leads/detail/${lead.id}`,
				},
			]);
		});

		it('Add Products puts a product of the Products list on a deal; Deal > Get then lists it with its quantity', async () => {
			const lead = amo.fake.seedLead({ name: 'Hearing aid order' });
			const product = amo.fake.seedProduct('Hearing aid HA-200', 1500);

			const response = await post('e2e-deal-products', {
				dealId: lead.id,
				productId: product.id,
				quantity: 2,
			});
			expect(response.status).toBe(200);
			const [execution] = await n8n.waitForExecutions(productsId, 1);
			expect(execution.status).toBe('success');

			const links = amo.fake.requests.filter(
				(request) => request.method === 'POST' && request.path === `/api/v4/leads/${lead.id}/link`,
			);
			expect(links.map((request) => request.body)).toEqual([
				[
					{
						to_entity_id: product.id,
						to_entity_type: 'catalog_elements',
						metadata: { catalog_id: 4521, quantity: 2 },
					},
				],
			]);
			expect(nodeOutput(execution, 'Add Product')).toEqual([
				{ dealId: lead.id, productId: product.id, catalogId: 4521, quantity: 2 },
			]);
			const [deal] = nodeOutput(execution, 'Get Deal');
			expect(deal).toMatchObject({
				id: lead.id,
				name: 'Hearing aid order',
				products: [{ id: product.id, catalogId: 4521, quantity: 2 }],
			});
		});

		it('Call > Log lands on the contact that has the phone, however it was typed: amoCRM puts an incoming-call note on its card', async () => {
			const contact = amo.fake.seedContact({
				name: 'Aziz Karimov',
				custom_fields_values: [
					{ field_code: 'PHONE', values: [{ value: '+998901234567', enum_code: 'MOB' }] },
				],
			});
			const from = amo.fake.requests.length;

			const response = await post('e2e-call-log', { phone: '+998 90 123-45-67', duration: 42 });
			expect(response.status).toBe(200);
			const [execution] = await n8n.waitForExecutions(callId, 1);
			expect(execution.status).toBe('success');

			const calls = amo.fake.requests
				.slice(from)
				.filter((request) => request.method === 'POST' && request.path === '/api/v4/calls');
			expect(calls.map((request) => request.body)).toEqual([
				[
					{
						direction: 'inbound',
						phone: '+998 90 123-45-67',
						duration: 42,
						source: 'Asterisk',
						request_id: '0',
					},
				],
			]);
			const note = amo.fake.notes.find(
				(candidate) => candidate.entity_type === 'contacts' && candidate.entity_id === contact.id,
			);
			expect(note).toMatchObject({ note_type: 'call_in' });
			expect(nodeOutput(execution, 'Log Call')).toEqual([
				{
					noteId: note?.id,
					entityType: 'contact',
					entityId: contact.id,
					phone: '+998 90 123-45-67',
					direction: 'inbound',
					duration: 42,
					url: `https://e2e.amocrm.ru/contacts/detail/${contact.id}`,
				},
			]);
		});
	});
}

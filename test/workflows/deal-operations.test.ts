import { runWorkflow } from '../harness';
import { pipelinesAnswer } from '../support/dealAnswers';
import { mockAmoCrm } from './amocrm-mock';
import { amoCrmNode, chain, isolateEachTest, oauth2Credentials, startNode } from './fixtures';

isolateEachTest();

const pipelines = { status: 200, ...pipelinesAnswer };

const patched = (...ids: number[]) => ({
	status: 200,
	body: { _embedded: { leads: ids.map((id) => ({ id, updated_at: 1764300000 })) } },
});

const lead = (id: number, statusId: number, pipelineId = 1001) => ({
	id,
	name: `Order ${id}`,
	price: 100,
	responsible_user_id: 501,
	status_id: statusId,
	pipeline_id: pipelineId,
	created_at: 1764201600,
	updated_at: 1764288000,
	closed_at: null,
	custom_fields_values: null,
	_embedded: { tags: [{ id: 1, name: 'site' }] },
});

test("Deal > Update: each item's deal, stage and tags from expressions go in one PATCH; with Continue On Fail a stage the account lacks fails only its item, before sending", async () => {
	const amo = mockAmoCrm()
		.expect('GET', '/api/v4/leads/pipelines?page=1&limit=250', pipelines)
		.expect('PATCH', '/api/v4/leads', patched(11, 13));
	const update = amoCrmNode(
		'Update Deal',
		{
			resource: 'deal',
			operation: 'update',
			dealId: { __rl: true, mode: 'id', value: '={{ $json.deal }}' },
			updateFields: { statusId: '={{ $json.stage }}', tags: '={{ $json.tags }}' },
		},
		{ continueOnFail: true },
	);
	const result = await runWorkflow({
		workflow: { nodes: [startNode(), update], connections: chain('Start', 'Update Deal') },
		credentials: oauth2Credentials(),
		items: [
			{ deal: '11', stage: '1001:2003', tags: 'paid' },
			{ deal: '12', stage: '1001:9999', tags: 'paid' },
			// A deal's page pasted by an earlier node, and a bare stage ID of one pipeline.
			{ deal: 'https://e2e.amocrm.ru/leads/detail/13', stage: '2102', tags: 'vip, wholesale' },
		],
	});

	expect(result.error).toBeUndefined();
	expect(amo.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
		'GET /api/v4/leads/pipelines?page=1&limit=250',
		'PATCH /api/v4/leads',
	]);
	expect(amo.requests[1].body).toEqual([
		{
			id: 11,
			tags_to_add: [{ name: 'paid' }],
			pipeline_id: 1001,
			status_id: 2003,
			request_id: '0',
		},
		{
			id: 13,
			tags_to_add: [{ name: 'vip' }, { name: 'wholesale' }],
			pipeline_id: 1002,
			status_id: 2102,
			request_id: '2',
		},
	]);
	expect(result.outputsByNode['Update Deal']).toEqual([
		{
			json: {
				id: 11,
				pipelineId: 1001,
				statusId: 2003,
				tagsAdded: ['paid'],
				updatedAt: '2025-11-28T03:20:00.000Z',
				url: 'https://e2e.amocrm.ru/leads/detail/11',
			},
			pairedItem: { item: 0 },
		},
		{
			json: { error: 'Stage 9999 is not a stage of pipeline "Sales"' },
			error: expect.objectContaining({
				name: 'NodeOperationError',
				description:
					'Choose Pipeline and Stage from the list again. "Sales" has: "Incoming" (2001), "New lead" (2002), "Paid" (2003), "Won" (142), "Lost" (143).',
				context: { itemIndex: 1 },
			}),
			pairedItem: { item: 1 },
		},
		{
			json: {
				id: 13,
				pipelineId: 1002,
				statusId: 2102,
				tagsAdded: ['vip', 'wholesale'],
				updatedAt: '2025-11-28T03:20:00.000Z',
				url: 'https://e2e.amocrm.ru/leads/detail/13',
			},
			pairedItem: { item: 2 },
		},
	]);
});

test("Deal > Get Many: each item's filters from expressions; an item amoCRM finds nothing for (204) has no output, the others are paired to their item", async () => {
	const amo = mockAmoCrm()
		.expect('GET', '/api/v4/leads?filter%5Bpipeline_id%5D=1001&query=Order&page=1&limit=5', {
			status: 200,
			body: { _embedded: { leads: [lead(11, 2003), lead(12, 2002)] } },
		})
		.expect('GET', '/api/v4/leads/pipelines?page=1&limit=250', pipelines)
		.expect('GET', '/api/v4/leads?filter%5Bpipeline_id%5D=1002&query=nobody&page=1&limit=5', {
			status: 204,
		});
	const getMany = amoCrmNode('Find Deals', {
		resource: 'deal',
		operation: 'getAll',
		limit: 5,
		filters: { query: '={{ $json.text }}', pipelineId: '={{ $json.pipeline }}' },
	});
	const result = await runWorkflow({
		workflow: { nodes: [startNode(), getMany], connections: chain('Start', 'Find Deals') },
		credentials: oauth2Credentials(),
		items: [
			{ text: 'Order', pipeline: 1001 },
			{ text: 'nobody', pipeline: 1002 },
		],
	});

	expect(result.error).toBeUndefined();
	expect(amo.isDone()).toBe(true);
	expect(
		result.outputsByNode['Find Deals'].map((item) => [
			item.json.id,
			item.json.stage,
			item.json.tags,
			item.pairedItem,
		]),
	).toEqual([
		[11, 'Paid', ['site'], { item: 0 }],
		[12, 'New lead', ['site'], { item: 0 }],
	]);
});

test('Tag > Remove: the deal from an expression in a URL locator, other tags untouched', async () => {
	const amo = mockAmoCrm().expect('PATCH', '/api/v4/leads', patched(21));
	const remove = amoCrmNode('Remove Tag', {
		resource: 'tag',
		operation: 'remove',
		entityType: 'deal',
		dealId: { __rl: true, mode: 'url', value: '={{ $json.url }}' },
		tags: '={{ $json.tag }}',
	});
	const result = await runWorkflow({
		workflow: { nodes: [startNode(), remove], connections: chain('Start', 'Remove Tag') },
		credentials: oauth2Credentials(),
		items: [{ url: 'https://e2e.amocrm.ru/leads/detail/21', tag: 'cold' }],
	});

	expect(result.error).toBeUndefined();
	expect(amo.requests[0].body).toEqual([
		{ id: 21, tags_to_delete: [{ name: 'cold' }], request_id: '0' },
	]);
	expect(result.outputsByNode['Remove Tag']).toEqual([
		{
			json: {
				id: 21,
				entityType: 'deal',
				tagsRemoved: ['cold'],
				url: 'https://e2e.amocrm.ru/leads/detail/21',
			},
			pairedItem: { item: 0 },
		},
	]);
});

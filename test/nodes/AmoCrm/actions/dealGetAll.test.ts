import { AmoCrmScript } from '../../../support/executeContext';
import { apiLead, pipelinesAnswer } from '../../../support/dealAnswers';
import { resetTransportState, runNode } from '../../../support/runNode';

const base = { resource: 'deal', operation: 'getAll' };
const PIPELINES = '/api/v4/leads/pipelines?page=1&limit=250';

const page = (leads: unknown[], next?: string) => ({
	body: {
		_page: 1,
		_links: {
			self: { href: 'https://e2e.amocrm.ru/api/v4/leads' },
			...(next ? { next: { href: next } } : {}),
		},
		_embedded: { leads },
	},
});

beforeEach(() => resetTransportState());

describe('Deal > Get Many', () => {
	it('with Return All reads every page with the filters, as amoCRM takes them', async () => {
		const filters =
			'filter%5Bstatuses%5D%5B0%5D%5Bpipeline_id%5D=1002&filter%5Bstatuses%5D%5B0%5D%5Bstatus_id%5D=2102' +
			'&filter%5Bresponsible_user_id%5D=501' +
			'&filter%5Bcreated_at%5D%5Bfrom%5D=1764183600&filter%5Bcreated_at%5D%5Bto%5D=1764287999' +
			'&filter%5Bupdated_at%5D%5Bfrom%5D=1764288000&query=Order';
		const script = new AmoCrmScript()
			.on('GET', PIPELINES, pipelinesAnswer)
			.on(
				'GET',
				`/api/v4/leads?${filters}&page=1&limit=250`,
				page(
					[apiLead(1, { pipeline_id: 1002, status_id: 2102 })],
					'https://e2e.amocrm.ru/api/v4/leads?page=2',
				),
			)
			.on(
				'GET',
				`/api/v4/leads?${filters}&page=2&limit=250`,
				page([apiLead(2, { pipeline_id: 1002, status_id: 2102 })]),
			);
		const output = await runNode({
			script,
			timezone: 'Asia/Tashkent',
			items: [
				{
					...base,
					returnAll: true,
					filters: {
						query: ' Order ',
						statusId: { __rl: true, mode: 'list', value: '1002:2102' },
						responsibleUserId: 501,
						// Midnight in Tashkent (UTC+5); an expression's ISO time with its zone.
						createdFrom: '2025-11-27T00:00:00',
						createdTo: '2025-11-27T23:59:59Z',
						updatedFrom: 1764288000,
					},
				},
			],
		});
		expect(script.pending()).toEqual([]);
		expect(output.map((item) => [item.json.id, item.json.stage, item.pairedItem])).toEqual([
			[1, 'Contract', { item: 0 }],
			[2, 'Contract', { item: 0 }],
		]);
	});

	it('with Limit reads only that many deals, in pages no larger than needed', async () => {
		const script = new AmoCrmScript()
			.on(
				'GET',
				'/api/v4/leads?filter%5Bpipeline_id%5D=1001&page=1&limit=2',
				page([apiLead(1), apiLead(2)], 'https://e2e.amocrm.ru/api/v4/leads?page=2'),
			)
			.on('GET', PIPELINES, pipelinesAnswer);
		const output = await runNode({
			script,
			items: [{ ...base, returnAll: false, limit: 2, filters: { pipelineId: '1001' } }],
		});
		expect(output.map((item) => item.json.id)).toEqual([1, 2]);
		expect(output[0].json).toEqual({
			id: 1,
			name: 'Deal 1',
			price: 1500000,
			pipelineId: 1001,
			pipeline: 'Sales',
			statusId: 2002,
			stage: 'New lead',
			responsibleUserId: 501,
			createdAt: '2025-11-27T00:00:00.000Z',
			updatedAt: '2025-11-28T00:00:00.000Z',
			closedAt: null,
			tags: [],
			customFields: {},
			companyId: null,
			url: 'https://e2e.amocrm.ru/leads/detail/1',
		});
	});

	it('looks a bare stage ID up in the Pipeline filter (won is in every pipeline)', async () => {
		const script = new AmoCrmScript()
			.on('GET', PIPELINES, pipelinesAnswer)
			.on(
				'GET',
				'/api/v4/leads?filter%5Bstatuses%5D%5B0%5D%5Bpipeline_id%5D=1002&filter%5Bstatuses%5D%5B0%5D%5Bstatus_id%5D=142&filter%5Bpipeline_id%5D=1002&page=1&limit=50',
				{ status: 204 },
			);
		const output = await runNode({
			script,
			items: [{ ...base, filters: { pipelineId: 1002, statusId: '142' } }],
		});
		expect(script.pending()).toEqual([]);
		expect(output).toEqual([]);
	});

	it('outputs nothing for an input item when amoCRM finds no deal (204)', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/leads?query=nobody&page=1&limit=50', { status: 204 })
			.on('GET', '/api/v4/leads?query=Deal&page=1&limit=50', page([apiLead(7)]))
			.on('GET', PIPELINES, pipelinesAnswer);
		const output = await runNode({
			script,
			items: [
				{ ...base, filters: { query: 'nobody' } },
				{ ...base, filters: { query: 'Deal' } },
			],
		});
		expect(output.map((item) => [item.json.id, item.pairedItem])).toEqual([[7, { item: 1 }]]);
	});

	it('refuses a stage of another pipeline than the Pipeline filter, before any deal is read', async () => {
		const script = new AmoCrmScript().on('GET', PIPELINES, pipelinesAnswer);
		await expect(
			runNode({
				script,
				items: [{ ...base, filters: { pipelineId: 1001, statusId: '1002:2101' } }],
			}),
		).rejects.toMatchObject({
			message:
				'Filters: Pipeline and Stage is a stage of another pipeline (1002) than Pipeline (1001)',
			description: 'Remove one of the two filters, or choose a stage of the chosen pipeline.',
		});
		expect(script.sent.map((request) => request.url)).toEqual([
			`https://e2e.amocrm.ru${PIPELINES}`,
		]);
	});

	it('refuses a date that is not one, before any request', async () => {
		const script = new AmoCrmScript();
		await expect(
			runNode({ script, items: [{ ...base, filters: { updatedTo: 'yesterday' } }] }),
		).rejects.toMatchObject({
			message: 'Filters > Updated Before: "yesterday" is not a date',
			description:
				'Pick a date in the calendar, or map a date such as 2026-11-26T09:00:00 or a Unix timestamp in seconds.',
			context: { itemIndex: 0 },
		});
		expect(script.sent).toEqual([]);
	});

	it('refuses a Limit below 1, before any request', async () => {
		const script = new AmoCrmScript();
		await expect(
			runNode({ script, items: [{ ...base, returnAll: false, limit: 0 }] }),
		).rejects.toMatchObject({
			message: 'Limit must be a whole number of 1 or more, not "0"',
		});
		expect(script.sent).toEqual([]);
	});
});

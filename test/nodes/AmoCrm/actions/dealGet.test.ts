import { AmoCrmScript } from '../../../support/executeContext';
import { apiLead, pipelinesAnswer } from '../../../support/dealAnswers';
import { resetTransportState, runNode } from '../../../support/runNode';

const base = { resource: 'deal', operation: 'get' };
const PIPELINES = '/api/v4/leads/pipelines?page=1&limit=250';

beforeEach(() => resetTransportState());

describe('Deal > Get', () => {
	it('outputs the deal with pipeline and stage names, dates, tags, custom fields by name and its page', async () => {
		const lead = apiLead(9001, {
			name: 'Hearing aid request',
			pipeline_id: 1002,
			status_id: 2102,
			custom_fields_values: [
				{
					field_id: 4001,
					field_name: 'Source',
					field_code: null,
					field_type: 'text',
					values: [{ value: 'instagram' }],
				},
				{
					field_id: 4002,
					field_name: 'Services',
					field_code: null,
					field_type: 'multiselect',
					values: [
						{ value: 'Fitting', enum_id: 11, enum_code: null },
						{ value: 'Repair', enum_id: 12, enum_code: null },
					],
				},
				{
					field_id: 4003,
					field_name: 'Fitting date',
					field_code: null,
					field_type: 'date',
					values: [{ value: 1764547200 }],
				},
			],
			_embedded: { tags: [{ id: 1, name: 'site', color: null }], companies: [] },
		});
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/leads/9001', { body: lead })
			.on('GET', PIPELINES, pipelinesAnswer);
		const output = await runNode({
			script,
			items: [
				{
					...base,
					dealId: {
						__rl: true,
						mode: 'url',
						value: 'https://e2e.amocrm.ru/leads/detail/9001',
					},
				},
			],
		});
		expect(script.sent[0].url).toBe('https://e2e.amocrm.ru/api/v4/leads/9001');
		expect(output).toEqual([
			{
				json: {
					id: 9001,
					name: 'Hearing aid request',
					price: 1500000,
					pipelineId: 1002,
					pipeline: 'Wholesale',
					statusId: 2102,
					stage: 'Contract',
					responsibleUserId: 501,
					createdAt: '2025-11-27T00:00:00.000Z',
					updatedAt: '2025-11-28T00:00:00.000Z',
					closedAt: null,
					tags: ['site'],
					customFields: {
						Source: 'instagram',
						Services: ['Fitting', 'Repair'],
						'Fitting date': '2025-12-01T00:00:00.000Z',
					},
					companyId: null,
					url: 'https://e2e.amocrm.ru/leads/detail/9001',
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('lists the linked contacts with Include Contacts (with=contacts)', async () => {
		const lead = apiLead(9001, {
			_embedded: {
				tags: [],
				contacts: [
					{ id: 40401635, is_main: true },
					{ id: 40401636, is_main: false },
				],
				companies: [{ id: 777 }],
			},
		});
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/leads/9001?with=contacts', { body: lead })
			.on('GET', PIPELINES, pipelinesAnswer);
		const output = await runNode({
			script,
			items: [{ ...base, dealId: '9001', options: { includeContacts: true } }],
		});
		expect(output[0].json).toMatchObject({
			contacts: [
				{ id: 40401635, isMain: true },
				{ id: 40401636, isMain: false },
			],
			companyId: 777,
		});
	});

	it('says which deal does not exist when amoCRM answers 204', async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/leads/404', { status: 204 });
		await expect(runNode({ script, items: [{ ...base, dealId: 404 }] })).rejects.toMatchObject({
			message: 'Deal 404 was not found in amoCRM',
			description:
				'Check the deal chosen in Deal: it may have been deleted or merged into another one.',
			context: { itemIndex: 0 },
		});
	});

	it('refuses a deal that is not an ID or a deal page, before any request', async () => {
		const script = new AmoCrmScript();
		await expect(
			runNode({ script, items: [{ ...base, dealId: 'Order 42' }] }),
		).rejects.toMatchObject({
			message: 'Deal must be an amoCRM ID or the deal\'s page address, not "Order 42"',
		});
		expect(script.sent).toEqual([]);
	});

	it('with Continue On Fail a missing deal becomes an error item and the next deal is read', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/leads/1', { status: 204 })
			.on('GET', '/api/v4/leads/2', { body: apiLead(2) })
			.on('GET', PIPELINES, pipelinesAnswer);
		const output = await runNode({
			script,
			continueOnFail: true,
			items: [
				{ ...base, dealId: 1 },
				{ ...base, dealId: 2 },
			],
		});
		expect(output.map((item) => [item.json.error ?? item.json.stage, item.pairedItem])).toEqual([
			['Deal 1 was not found in amoCRM', { item: 0 }],
			['New lead', { item: 1 }],
		]);
	});
});

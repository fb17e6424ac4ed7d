import { validationRefusal } from '../../../support/amoCrmAnswers';
import { AmoCrmScript } from '../../../support/executeContext';
import { leadFieldsAnswer, patched, pipelinesAnswer } from '../../../support/dealAnswers';
import { resetTransportState, runNode } from '../../../support/runNode';

const base = { resource: 'deal', operation: 'update' };
const PIPELINES = '/api/v4/leads/pipelines?page=1&limit=250';
const FIELDS = '/api/v4/leads/custom_fields?page=1&limit=250';

beforeEach(() => resetTransportState());

describe('Deal > Update', () => {
	it("moves the deal to another pipeline's stage and sends only the fields filled in", async () => {
		const script = new AmoCrmScript()
			.on('GET', PIPELINES, pipelinesAnswer)
			.on('GET', FIELDS, leadFieldsAnswer)
			.on('PATCH', '/api/v4/leads', patched('leads', 9001));
		const output = await runNode({
			script,
			items: [
				{
					...base,
					dealId: { __rl: true, mode: 'list', value: '9001', cachedResultName: 'Order (#9001)' },
					updateFields: {
						name: ' Order 1042 ',
						statusId: { __rl: true, mode: 'list', value: '1002:2102' },
						price: 2500000,
						responsibleUserId: 502,
						tags: 'paid, vip',
					},
					customFields: {
						field: [
							{ fieldId: { __rl: true, mode: 'list', value: '4001' }, value: 'instagram' },
							{ fieldId: '4002', value: 'Fitting, Repair' },
						],
					},
				},
			],
		});
		expect(script.sent[2]).toMatchObject({
			method: 'PATCH',
			url: 'https://e2e.amocrm.ru/api/v4/leads',
		});
		expect(script.sent[2].body).toEqual([
			{
				id: 9001,
				name: 'Order 1042',
				price: 2500000,
				responsible_user_id: 502,
				tags_to_add: [{ name: 'paid' }, { name: 'vip' }],
				pipeline_id: 1002,
				status_id: 2102,
				custom_fields_values: [
					{ field_id: 4001, values: [{ value: 'instagram' }] },
					{ field_id: 4002, values: [{ enum_id: 11 }, { enum_id: 12 }] },
				],
				request_id: '0',
			},
		]);
		expect(output).toEqual([
			{
				json: {
					id: 9001,
					name: 'Order 1042',
					price: 2500000,
					pipelineId: 1002,
					statusId: 2102,
					responsibleUserId: 502,
					tagsAdded: ['paid', 'vip'],
					customFields: { Source: 'instagram', Services: ['Fitting', 'Repair'] },
					updatedAt: '2025-11-28T03:20:00.000Z',
					url: 'https://e2e.amocrm.ru/leads/detail/9001',
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it("replaces the deal's tags with Tags Mode: Replace All Tags", async () => {
		const script = new AmoCrmScript().on('PATCH', '/api/v4/leads', patched('leads', 5));
		const output = await runNode({
			script,
			items: [{ ...base, dealId: 5, updateFields: { tags: 'vip', tagsMode: 'replace' } }],
		});
		expect(script.sent[0].body).toEqual([
			{ id: 5, _embedded: { tags: [{ name: 'vip' }] }, request_id: '0' },
		]);
		expect(output[0].json).toMatchObject({ id: 5, tags: ['vip'] });
	});

	it('closes the deal as won by stage ID 142 in its own pipeline (no pipeline sent)', async () => {
		const script = new AmoCrmScript()
			.on('GET', PIPELINES, pipelinesAnswer)
			.on('PATCH', '/api/v4/leads', patched('leads', 5));
		await runNode({ script, items: [{ ...base, dealId: '5', updateFields: { statusId: '142' } }] });
		expect(script.sent[1].body).toEqual([{ id: 5, status_id: 142, request_id: '0' }]);
	});

	it('leaves out fields added but left empty', async () => {
		const script = new AmoCrmScript().on('PATCH', '/api/v4/leads', patched('leads', 5));
		await runNode({
			script,
			items: [
				{
					...base,
					dealId: 5,
					updateFields: {
						name: 'Renamed',
						statusId: { __rl: true, mode: 'list', value: '' },
						price: '',
						responsibleUserId: '',
						tags: ' , ',
					},
				},
			],
		});
		expect(script.sent[0].body).toEqual([{ id: 5, name: 'Renamed', request_id: '0' }]);
	});

	it('refuses a stage that is not in the pipeline given, before sending anything', async () => {
		const script = new AmoCrmScript().on('GET', PIPELINES, pipelinesAnswer);
		await expect(
			runNode({ script, items: [{ ...base, dealId: 5, updateFields: { statusId: '1001:2101' } }] }),
		).rejects.toMatchObject({
			message: 'Stage 2101 is not a stage of pipeline "Sales"',
			description:
				'Choose Pipeline and Stage from the list again. "Sales" has: "Incoming" (2001), "New lead" (2002), "Paid" (2003), "Won" (142), "Lost" (143).',
			context: { itemIndex: 0 },
		});
		expect(script.sent.map((request) => request.method)).toEqual(['GET']);
	});

	it('when amoCRM refuses the stage (deleted since it was read), reads the pipelines again and says what is wrong now', async () => {
		const [sales, wholesale] = pipelinesAnswer.body._embedded.pipelines;
		const withoutPaid = {
			body: {
				_embedded: {
					pipelines: [
						{
							...sales,
							_embedded: {
								statuses: sales._embedded.statuses.filter((status) => status.id !== 2003),
							},
						},
						wholesale,
					],
				},
			},
		};
		const script = new AmoCrmScript()
			.on('GET', PIPELINES, pipelinesAnswer)
			.on('PATCH', '/api/v4/leads', validationRefusal('status_id'))
			.on('GET', PIPELINES, withoutPaid);
		await expect(
			runNode({ script, items: [{ ...base, dealId: 5, updateFields: { statusId: '1001:2003' } }] }),
		).rejects.toMatchObject({
			message: 'Stage 2003 is not a stage of pipeline "Sales"',
			context: { itemIndex: 0 },
		});
		expect(script.pending()).toEqual([]);
	});

	it('refuses an item with nothing to change, before any request', async () => {
		const script = new AmoCrmScript();
		await expect(
			runNode({ script, items: [{ ...base, dealId: 5, updateFields: {} }] }),
		).rejects.toMatchObject({
			message: 'Nothing to change in deal 5',
			description:
				'Add a field under Update Fields (for example Pipeline and Stage) or a Custom Field, and fill it in.',
		});
		expect(script.sent).toEqual([]);
	});

	it('refuses a negative price and an empty name, naming the field', async () => {
		const script = new AmoCrmScript();
		await expect(
			runNode({ script, items: [{ ...base, dealId: 5, updateFields: { price: -1 } }] }),
		).rejects.toMatchObject({
			message: 'Update Fields: Price must be a positive number, not "-1"',
		});
		await expect(
			runNode({ script, items: [{ ...base, dealId: 5, updateFields: { name: ' ' } }] }),
		).rejects.toMatchObject({
			message: 'Update Fields: Name is empty',
			description: "Enter the deal's new name, or remove Name from Update Fields to keep it.",
		});
		expect(script.sent).toEqual([]);
	});

	it('sends the items in one request; with Continue On Fail a deal amoCRM does not know fails alone', async () => {
		const script = new AmoCrmScript()
			.on('PATCH', '/api/v4/leads', {
				status: 400,
				body: {
					'validation-errors': [
						{
							request_id: '1',
							errors: [{ code: 'NotFound', path: 'id', detail: 'Entity not found' }],
						},
					],
					title: 'Bad Request',
					type: 'https://httpstatus.es/400',
					status: 400,
					detail: 'Request validation failed',
				},
			})
			.on('PATCH', '/api/v4/leads', patched('leads', 1, 3));
		const output = await runNode({
			script,
			continueOnFail: true,
			items: [
				{ ...base, dealId: 1, updateFields: { price: 10 } },
				{ ...base, dealId: 2, updateFields: { price: 20 } },
				{ ...base, dealId: 3, updateFields: { price: 30 } },
			],
		});
		expect(script.sent.map((request) => request.body)).toEqual([
			[
				{ id: 1, price: 10, request_id: '0' },
				{ id: 2, price: 20, request_id: '1' },
				{ id: 3, price: 30, request_id: '2' },
			],
			[
				{ id: 1, price: 10, request_id: '0' },
				{ id: 3, price: 30, request_id: '2' },
			],
		]);
		expect(output.map((item) => [item.json.error ?? item.json.price, item.pairedItem])).toEqual([
			[10, { item: 0 }],
			['Deal 2 was not found in amoCRM', { item: 1 }],
			[30, { item: 2 }],
		]);
	});
});

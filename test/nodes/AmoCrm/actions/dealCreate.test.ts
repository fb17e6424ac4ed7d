import { complexCreated } from '../../../support/amoCrmAnswers';
import { AmoCrmScript } from '../../../support/executeContext';
import { resetTransportState, runNode } from '../../../support/runNode';

const base = { resource: 'deal', operation: 'create' };
const pipelines = {
	body: {
		_embedded: {
			pipelines: [
				{
					id: 1001,
					name: 'Sales',
					sort: 1,
					is_main: true,
					_embedded: {
						statuses: [
							{ id: 2002, name: 'New lead', sort: 10, pipeline_id: 1001 },
							{ id: 142, name: 'Won', sort: 10000, pipeline_id: 1001 },
						],
					},
				},
				{
					id: 1002,
					name: 'Wholesale',
					sort: 2,
					is_main: false,
					_embedded: { statuses: [{ id: 2101, name: 'New', sort: 10, pipeline_id: 1002 }] },
				},
			],
		},
	},
};
const leadFields = {
	body: {
		_embedded: {
			custom_fields: [
				{ id: 4001, name: 'Source', type: 'text', code: null, enums: null },
				{
					id: 4003,
					name: 'Channel',
					type: 'select',
					code: null,
					enums: [{ id: 1, value: 'Site' }],
				},
			],
		},
	},
};
const created = (id: number) => ({ body: { _embedded: { leads: [{ id, request_id: '0' }] } } });

beforeEach(() => resetTransportState());

describe('Deal > Create', () => {
	it('creates a deal in the chosen pipeline and stage with its main contact, custom fields and tags', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/leads/pipelines?page=1&limit=250', pipelines)
			.on('GET', '/api/v4/leads/custom_fields?page=1&limit=250', leadFields)
			.on('POST', '/api/v4/leads', created(9001));
		const output = await runNode({
			script,
			items: [
				{
					...base,
					name: 'Hearing aid request',
					price: 1500000,
					pipelineId: 1001,
					statusId: '2002',
					contactId: '40401635',
					additionalFields: { responsibleUserId: 501, tags: 'site' },
					customFields: {
						field: [
							{
								fieldId: { __rl: true, mode: 'list', value: '4001', cachedResultName: 'Source' },
								value: 'instagram',
							},
							{ fieldId: '4003', value: 'site' },
						],
					},
				},
			],
		});
		expect(script.sent[2]).toMatchObject({
			method: 'POST',
			url: 'https://e2e.amocrm.ru/api/v4/leads',
		});
		expect(script.sent[2].body).toEqual([
			{
				name: 'Hearing aid request',
				price: 1500000,
				pipeline_id: 1001,
				status_id: 2002,
				responsible_user_id: 501,
				custom_fields_values: [
					{ field_id: 4001, values: [{ value: 'instagram' }] },
					{ field_id: 4003, values: [{ enum_id: 1 }] },
				],
				_embedded: { tags: [{ name: 'site' }], contacts: [{ id: 40401635, is_main: true }] },
				request_id: '0',
			},
		]);
		expect(output).toEqual([
			{
				json: {
					id: 9001,
					name: 'Hearing aid request',
					price: 1500000,
					pipelineId: 1001,
					statusId: 2002,
					contactId: 40401635,
					url: 'https://e2e.amocrm.ru/leads/detail/9001',
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('creates a bare deal in the main pipeline with one request', async () => {
		const script = new AmoCrmScript().on('POST', '/api/v4/leads', created(1));
		const output = await runNode({
			script,
			items: [{ ...base, name: '', price: 0, pipelineId: '', statusId: '', contactId: '' }],
		});
		expect(script.sent.map((request) => request.body)).toEqual([[{ request_id: '0' }]]);
		expect(output[0].json).toEqual({
			id: 1,
			name: '',
			price: 0,
			pipelineId: null,
			statusId: null,
			contactId: null,
			url: 'https://e2e.amocrm.ru/leads/detail/1',
		});
	});

	it("reads the account's pipelines once for many items and creates them in one request", async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/leads/pipelines?page=1&limit=250', pipelines)
			.on('POST', '/api/v4/leads', {
				body: {
					_embedded: {
						leads: [
							{ id: 1, request_id: '0' },
							{ id: 2, request_id: '1' },
						],
					},
				},
			});
		const output = await runNode({
			script,
			items: [
				{ ...base, name: 'A', pipelineId: 1001, statusId: 2002 },
				{ ...base, name: 'B', pipelineId: 1002, statusId: 2101 },
			],
		});
		expect(script.sent.map((request) => request.method)).toEqual(['GET', 'POST']);
		expect(script.sent[1].body).toEqual([
			{ name: 'A', pipeline_id: 1001, status_id: 2002, request_id: '0' },
			{ name: 'B', pipeline_id: 1002, status_id: 2101, request_id: '1' },
		]);
		expect(output.map((item) => [item.json.id, item.json.pipelineId, item.pairedItem])).toEqual([
			[1, 1001, { item: 0 }],
			[2, 1002, { item: 1 }],
		]);
	});

	it('refuses a stage that is not in the pipeline it names, before creating anything', async () => {
		const script = new AmoCrmScript().on(
			'GET',
			'/api/v4/leads/pipelines?page=1&limit=250',
			pipelines,
		);
		await expect(
			runNode({ script, items: [{ ...base, name: 'A', statusId: '1002:2002' }] }),
		).rejects.toMatchObject({
			message: 'Stage 2002 is not a stage of pipeline "Wholesale"',
			description: 'Choose Pipeline and Stage from the list again. "Wholesale" has: "New" (2101).',
			context: { itemIndex: 0 },
		});
		expect(script.sent.map((request) => request.method)).toEqual(['GET']);
	});

	it('takes pipeline and stage from the choice in the list ("pipeline:stage"), as the resource locator stores it', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/leads/pipelines?page=1&limit=250', pipelines)
			.on('POST', '/api/v4/leads', created(9002));
		const output = await runNode({
			script,
			items: [
				{
					...base,
					name: 'A',
					statusId: {
						__rl: true,
						mode: 'list',
						value: '1002:2101',
						cachedResultName: 'Wholesale → New',
					},
				},
			],
		});
		expect(script.sent[1].body).toEqual([
			{ name: 'A', pipeline_id: 1002, status_id: 2101, request_id: '0' },
		]);
		expect(output[0].json).toMatchObject({ id: 9002, pipelineId: 1002, statusId: 2101 });
	});

	it('tells a closing stage apart by its pipeline (142 is "won" in every pipeline)', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/leads/pipelines?page=1&limit=250', pipelines)
			.on('POST', '/api/v4/leads', created(9003));
		await runNode({
			script,
			items: [{ ...base, name: 'A', statusId: { __rl: true, mode: 'list', value: '1001:142' } }],
		});
		expect(script.sent[1].body).toEqual([
			{ name: 'A', pipeline_id: 1001, status_id: 142, request_id: '0' },
		]);
	});

	it('takes IDs typed in the "By ID" mode, with spaces', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/leads/pipelines?page=1&limit=250', pipelines)
			.on('POST', '/api/v4/leads', created(9004));
		await runNode({
			script,
			items: [{ ...base, name: 'A', statusId: { __rl: true, mode: 'id', value: ' 1002 : 2101 ' } }],
		});
		expect(script.sent[1].body).toEqual([
			{ name: 'A', pipeline_id: 1002, status_id: 2101, request_id: '0' },
		]);
	});

	it('refuses a pipeline the account does not have', async () => {
		const script = new AmoCrmScript().on(
			'GET',
			'/api/v4/leads/pipelines?page=1&limit=250',
			pipelines,
		);
		await expect(
			runNode({ script, items: [{ ...base, statusId: '77:2101' }] }),
		).rejects.toMatchObject({
			message: 'Pipeline 77 does not exist in this amoCRM account',
			description:
				'Choose Pipeline and Stage from the list again. The account has: "Sales" (1001), "Wholesale" (1002).',
		});
	});

	it('finds the pipeline of a bare stage ID (from an expression)', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/leads/pipelines?page=1&limit=250', pipelines)
			.on('POST', '/api/v4/leads', created(9005));
		await runNode({ script, items: [{ ...base, name: 'A', statusId: '2101' }] });
		expect(script.sent[1].body).toEqual([
			{ name: 'A', pipeline_id: 1002, status_id: 2101, request_id: '0' },
		]);
	});

	it('refuses a bare closing stage (in several pipelines), and a stage the account does not have', async () => {
		const twoWon = {
			body: {
				_embedded: {
					pipelines: [
						{
							id: 1001,
							name: 'Sales',
							sort: 1,
							is_main: true,
							_embedded: { statuses: [{ id: 142, name: 'Won', sort: 10000 }] },
						},
						{
							id: 1002,
							name: 'Wholesale',
							sort: 2,
							is_main: false,
							_embedded: { statuses: [{ id: 142, name: 'Won', sort: 10000 }] },
						},
					],
				},
			},
		};
		const script = new AmoCrmScript().on('GET', '/api/v4/leads/pipelines?page=1&limit=250', twoWon);
		await expect(runNode({ script, items: [{ ...base, statusId: 142 }] })).rejects.toMatchObject({
			message: 'Stage 142 is in several pipelines: give its pipeline too',
			description:
				'Choose Pipeline and Stage from the list, or map "pipeline:stage" such as 1001:142. The account\'s pipelines: "Sales" (1001), "Wholesale" (1002).',
		});
		await expect(runNode({ script, items: [{ ...base, statusId: 999 }] })).rejects.toMatchObject({
			message: 'Stage 999 does not exist in this amoCRM account',
		});
	});

	it('refuses a stage that is neither "pipeline:stage" nor a stage ID', async () => {
		await expect(
			runNode({ script: new AmoCrmScript(), items: [{ ...base, statusId: 'New lead' }] }),
		).rejects.toMatchObject({
			message: 'Pipeline and Stage must be "pipeline:stage" or a stage ID, not "New lead"',
		});
	});

	it('refuses an existing contact that is neither an ID nor a contact page', async () => {
		const script = new AmoCrmScript();
		await expect(
			runNode({ script, items: [{ ...base, contactId: 'Aziz' }] }),
		).rejects.toMatchObject({
			message: 'Existing Contact must be an amoCRM ID or the contact\'s page address, not "Aziz"',
			description:
				'amoCRM IDs are whole numbers such as 12345678; a page address looks like https://mycompany.amocrm.ru/contacts/detail/12345678. If you mapped it from an earlier node, map its "id" field.',
		});
		expect(script.sent).toEqual([]);
	});

	it('attaches the existing contact chosen by its amoCRM page (locator) as main contact', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/leads/pipelines?page=1&limit=250', pipelines)
			.on('POST', '/api/v4/leads', created(9002));
		await runNode({
			script,
			items: [
				{
					...base,
					statusId: { __rl: true, mode: 'list', value: '1002:2101' },
					contactId: {
						__rl: true,
						mode: 'url',
						value: 'https://e2e.amocrm.ru/contacts/detail/40401635',
					},
				},
			],
		});
		expect(script.sent[1].body).toEqual([
			{
				pipeline_id: 1002,
				status_id: 2101,
				_embedded: { contacts: [{ id: 40401635, is_main: true }] },
				request_id: '0',
			},
		]);
	});

	it("refuses a select value that is not one of the field's choices", async () => {
		const script = new AmoCrmScript().on(
			'GET',
			'/api/v4/leads/custom_fields?page=1&limit=250',
			leadFields,
		);
		await expect(
			runNode({
				script,
				items: [{ ...base, customFields: { field: [{ fieldId: 4003, value: 'TV' }] } }],
			}),
		).rejects.toMatchObject({
			message: 'Custom Fields: "TV" is not one of the choices of "Channel": "Site"',
		});
	});

	it('reports a deal amoCRM merged into an existing one (/leads/complex "merged": true) as merged, with the existing deal\'s ID', async () => {
		const script = new AmoCrmScript().on(
			'POST',
			'/api/v4/leads/complex',
			complexCreated(8001, 40401635, true),
		);
		const output = await runNode({
			script,
			items: [
				{
					...base,
					name: 'Site lead',
					contactMode: 'new',
					newContactName: 'Aziz',
					newContactPhone: '+998 71 202-14-41',
					newContactAvoidDuplicates: false,
				},
			],
		});
		expect(output).toEqual([
			{
				json: {
					id: 8001,
					name: 'Site lead',
					price: 0,
					pipelineId: null,
					statusId: null,
					contactId: 40401635,
					url: 'https://e2e.amocrm.ru/leads/detail/8001',
					contactReused: true,
					merged: true,
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('reports a new deal with its new contact as not merged', async () => {
		const script = new AmoCrmScript().on(
			'POST',
			'/api/v4/leads/complex',
			complexCreated(8002, 40401636),
		);
		const output = await runNode({
			script,
			items: [
				{
					...base,
					name: 'Site lead',
					contactMode: 'new',
					newContactName: 'Aziz',
					newContactPhone: '+998 71 202-14-41',
					newContactAvoidDuplicates: false,
				},
			],
		});
		expect(output[0].json).toMatchObject({
			id: 8002,
			contactId: 40401636,
			contactReused: false,
			merged: false,
		});
	});
});

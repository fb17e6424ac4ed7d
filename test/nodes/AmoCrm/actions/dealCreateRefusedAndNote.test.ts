/**
 * Deal > Create > Options > If a Field Value Is Refused and Note: a deal whose custom field value
 * amoCRM refuses is sent again without it (listed in refusedFields and in the note), and each
 * created deal gets its note in one batched request; a failed note never hides the deal's ID.
 */
import { validationRefusal } from '../../../support/amoCrmAnswers';
import { leadFieldsAnswer, pipelinesAnswer } from '../../../support/dealAnswers';
import { AmoCrmScript } from '../../../support/executeContext';
import { resetTransportState, runNode } from '../../../support/runNode';

beforeEach(() => resetTransportState());

const pipelines = pipelinesAnswer;
const leadFields = leadFieldsAnswer;
const created = (...ids: number[]) => ({
	body: { _embedded: { leads: ids.map((id, index) => ({ id, request_id: String(index) })) } },
});
const notesCreated = (...notes: Array<[number, number, string]>) => ({
	body: {
		_embedded: {
			notes: notes.map(([id, dealId, requestId]) => ({
				id,
				entity_id: dealId,
				request_id: requestId,
			})),
		},
	},
});

const deal = (options: Record<string, unknown>, name = 'Site lead') => ({
	resource: 'deal',
	operation: 'create',
	name,
	price: 0,
	statusId: '1001:2002',
	contactId: '',
	customFields: {
		field: [
			{ fieldId: '4001', value: 'instagram' },
			{ fieldId: '4002', value: 'Repair' },
		],
	},
	options,
});

const requests = (script: AmoCrmScript) =>
	script.sent.map(
		(request) => `${request.method} ${request.url.replace('https://e2e.amocrm.ru', '')}`,
	);

describe('Deal > Create: a refused field value', () => {
	it('Create the Deal Without It: sends the deal again without the refused value and puts it in the note', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/leads/pipelines?page=1&limit=250', pipelines)
			.on('GET', '/api/v4/leads/custom_fields?page=1&limit=250', leadFields)
			.on('POST', '/api/v4/leads', validationRefusal('custom_fields_values.1.values.0.enum_id'))
			.on('GET', '/api/v4/leads/pipelines?page=1&limit=250', pipelines)
			.on('GET', '/api/v4/leads/custom_fields?page=1&limit=250', leadFields)
			.on('POST', '/api/v4/leads', created(9001))
			.on('POST', '/api/v4/leads/notes', notesCreated([77, 9001, '0']));
		const output = await runNode({
			script,
			items: [deal({ ifFieldRefused: 'dropAndNote', note: 'Call after 6' })],
		});
		expect(requests(script)).toEqual([
			'GET /api/v4/leads/pipelines?page=1&limit=250',
			'GET /api/v4/leads/custom_fields?page=1&limit=250',
			'POST /api/v4/leads',
			'GET /api/v4/leads/pipelines?page=1&limit=250',
			'GET /api/v4/leads/custom_fields?page=1&limit=250',
			'POST /api/v4/leads',
			'POST /api/v4/leads/notes',
		]);
		expect(script.sent[5].body).toEqual([
			{
				name: 'Site lead',
				pipeline_id: 1001,
				status_id: 2002,
				custom_fields_values: [{ field_id: 4001, values: [{ value: 'instagram' }] }],
				request_id: '0',
			},
		]);
		expect(script.sent[6].body).toEqual([
			{
				entity_id: 9001,
				note_type: 'common',
				params: {
					text: "Call after 6\n\nNot saved in the deal's fields (amoCRM refused them):\nServices: Repair (The value you selected is not a valid choice.)",
				},
				request_id: '0',
			},
		]);
		expect(output).toEqual([
			{
				json: {
					id: 9001,
					name: 'Site lead',
					price: 0,
					pipelineId: 1001,
					statusId: 2002,
					contactId: null,
					url: 'https://e2e.amocrm.ru/leads/detail/9001',
					refusedFields: [
						{
							field: 'Services',
							value: 'Repair',
							reason: 'The value you selected is not a valid choice.',
						},
					],
					noteId: 77,
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('Fail the Item (default): the refused deal fails, and is not sent again', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/leads/pipelines?page=1&limit=250', pipelines)
			.on('GET', '/api/v4/leads/custom_fields?page=1&limit=250', leadFields)
			.on('POST', '/api/v4/leads', validationRefusal('custom_fields_values.1.values.0.enum_id'))
			.on('GET', '/api/v4/leads/pipelines?page=1&limit=250', pipelines)
			.on('GET', '/api/v4/leads/custom_fields?page=1&limit=250', leadFields);
		const output = await runNode({ script, continueOnFail: true, items: [deal({ note: 'Hi' })] });
		expect(requests(script).filter((request) => request.startsWith('POST'))).toEqual([
			'POST /api/v4/leads',
		]);
		expect(output[0].json.error).toEqual(expect.stringContaining('Services'));
	});

	it('Create the Deal Without It does not drop anything when amoCRM refuses more than field values', async () => {
		const refusal = validationRefusal('custom_fields_values.1.values.0.enum_id');
		refusal.body['validation-errors'][0].errors.push({
			code: 'InvalidType',
			path: 'name',
			detail: 'This value should be of type string.',
		});
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/leads/pipelines?page=1&limit=250', pipelines)
			.on('GET', '/api/v4/leads/custom_fields?page=1&limit=250', leadFields)
			.on('POST', '/api/v4/leads', refusal)
			.on('GET', '/api/v4/leads/pipelines?page=1&limit=250', pipelines)
			.on('GET', '/api/v4/leads/custom_fields?page=1&limit=250', leadFields);
		const output = await runNode({
			script,
			continueOnFail: true,
			items: [deal({ ifFieldRefused: 'dropAndNote', note: 'Hi' })],
		});
		expect(requests(script).filter((request) => request.startsWith('POST'))).toEqual([
			'POST /api/v4/leads',
		]);
		expect(output[0].json).toHaveProperty('error');
	});
});

describe('Deal > Create: Options > Note', () => {
	it('adds each created deal its note in one request, output noteId', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/leads/pipelines?page=1&limit=250', pipelines)
			.on('POST', '/api/v4/leads', created(9001, 9002))
			.on('POST', '/api/v4/leads/notes', notesCreated([77, 9001, '0'], [78, 9002, '1']));
		const plain = (note: string, name: string) => ({ ...deal({ note }, name), customFields: {} });
		const output = await runNode({
			script,
			items: [plain('Call after 6', 'A'), plain('Wants a demo', 'B')],
		});
		expect(requests(script)).toEqual([
			'GET /api/v4/leads/pipelines?page=1&limit=250',
			'POST /api/v4/leads',
			'POST /api/v4/leads/notes',
		]);
		expect(script.sent[2].body).toEqual([
			{ entity_id: 9001, note_type: 'common', params: { text: 'Call after 6' }, request_id: '0' },
			{ entity_id: 9002, note_type: 'common', params: { text: 'Wants a demo' }, request_id: '1' },
		]);
		expect(output.map((item) => [item.json.id, item.json.noteId])).toEqual([
			[9001, 77],
			[9002, 78],
		]);
	});

	it('a note amoCRM fails to add leaves the deal created and its ID in the output, with noteError; the note is not sent again', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/leads/pipelines?page=1&limit=250', pipelines)
			.on('POST', '/api/v4/leads', created(9001))
			.on('POST', '/api/v4/leads/notes', { status: 502, body: 'Bad Gateway' });
		const output = await runNode({
			script,
			items: [{ ...deal({ note: 'Call after 6' }), customFields: {} }],
		});
		expect(requests(script)).toEqual([
			'GET /api/v4/leads/pipelines?page=1&limit=250',
			'POST /api/v4/leads',
			'POST /api/v4/leads/notes',
		]);
		expect(output[0].json).toEqual({
			id: 9001,
			name: 'Site lead',
			price: 0,
			pipelineId: 1001,
			statusId: 2002,
			contactId: null,
			url: 'https://e2e.amocrm.ru/leads/detail/9001',
			noteId: null,
			noteError:
				"The note may not have been added (amoCRM is having trouble (HTTP 502): try again later). Look at the deal's notes in amoCRM before adding it again.",
		});
	});

	it('no note and no refusal option: the output is as before (no noteId, no refusedFields)', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/leads/pipelines?page=1&limit=250', pipelines)
			.on('POST', '/api/v4/leads', created(9001));
		const output = await runNode({ script, items: [{ ...deal({}), customFields: {} }] });
		expect(Object.keys(output[0].json)).toEqual([
			'id',
			'name',
			'price',
			'pipelineId',
			'statusId',
			'contactId',
			'url',
		]);
	});
});

it('without Continue On Fail, a refused deal stops the node after the others got their notes, and its error lists the deals created', async () => {
	const script = new AmoCrmScript()
		.on('GET', '/api/v4/leads/pipelines?page=1&limit=250', pipelines)
		.on('POST', '/api/v4/leads', {
			status: 400,
			body: {
				...validationRefusal('name', '1').body,
			},
		})
		.on('POST', '/api/v4/leads', created(9001))
		.on('POST', '/api/v4/leads/notes', notesCreated([77, 9001, '0']));
	const plain = (note: string, name: string) => ({ ...deal({ note }, name), customFields: {} });
	await expect(
		runNode({ script, items: [plain('Call after 6', 'A'), plain('Wants a demo', 'B')] }),
	).rejects.toMatchObject({
		context: { itemIndex: 1 },
		description: expect.stringContaining(
			'Created in amoCRM before this: items 0 (deal 9001); do not send them again.',
		),
	});
	expect(script.sent.map((request) => request.url.replace('https://e2e.amocrm.ru', ''))).toEqual([
		'/api/v4/leads/pipelines?page=1&limit=250',
		'/api/v4/leads',
		'/api/v4/leads',
		'/api/v4/leads/notes',
	]);
});

describe('Deal > Create > Create the Deal Without It: what the item gave is what is reported', () => {
	/** Source (text), Services (multiselect), Channel (select) and Budget (number). */
	const fieldsWith = (channelChoices: Array<{ id: number; value: string }>) => ({
		body: {
			_embedded: {
				custom_fields: [
					...leadFields.body._embedded.custom_fields,
					{ id: 4003, name: 'Channel', type: 'select', code: null, enums: channelChoices },
					{ id: 4004, name: 'Budget', type: 'numeric', code: null, enums: null },
				],
			},
		},
	});
	const channelFields = fieldsWith([
		{ id: 4199, value: 'Site' },
		{ id: 4200, value: 'Instagram' },
	]);
	const siteRemoved = fieldsWith([{ id: 4200, value: 'Instagram' }]);
	const withRows = (rows: Array<Record<string, unknown>>, options: Record<string, unknown>) => ({
		...deal(options),
		customFields: { field: rows },
	});
	const dealOutput = (extra: Record<string, unknown>) => ({
		id: 9001,
		name: 'Site lead',
		price: 0,
		pipelineId: 1001,
		statusId: 2002,
		contactId: null,
		url: 'https://e2e.amocrm.ru/leads/detail/9001',
		...extra,
	});
	const noteRequest = (text: string) => [
		{ entity_id: 9001, note_type: 'common', params: { text }, request_id: '0' },
	];

	it('a choice amoCRM refused after it was removed is reported as the text the item gave, not as its ID', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/leads/pipelines?page=1&limit=250', pipelines)
			.on('GET', '/api/v4/leads/custom_fields?page=1&limit=250', channelFields)
			.on('POST', '/api/v4/leads', validationRefusal('custom_fields_values.1.values.0.enum_id'))
			.on('GET', '/api/v4/leads/pipelines?page=1&limit=250', pipelines)
			.on('GET', '/api/v4/leads/custom_fields?page=1&limit=250', siteRemoved)
			.on('POST', '/api/v4/leads', created(9001))
			.on('POST', '/api/v4/leads/notes', notesCreated([77, 9001, '0']));
		const output = await runNode({
			script,
			items: [
				withRows(
					[
						{ fieldId: '4001', value: 'instagram' },
						{ fieldId: '4003', value: 'site' },
					],
					{ ifFieldRefused: 'dropAndNote', note: 'Call after 6' },
				),
			],
		});
		expect(requests(script)).toEqual([
			'GET /api/v4/leads/pipelines?page=1&limit=250',
			'GET /api/v4/leads/custom_fields?page=1&limit=250',
			'POST /api/v4/leads',
			'GET /api/v4/leads/pipelines?page=1&limit=250',
			'GET /api/v4/leads/custom_fields?page=1&limit=250',
			'POST /api/v4/leads',
			'POST /api/v4/leads/notes',
		]);
		expect(script.sent[2].body).toEqual([
			{
				name: 'Site lead',
				pipeline_id: 1001,
				status_id: 2002,
				custom_fields_values: [
					{ field_id: 4001, values: [{ value: 'instagram' }] },
					{ field_id: 4003, values: [{ enum_id: 4199 }] },
				],
				request_id: '0',
			},
		]);
		expect(script.sent[5].body).toEqual([
			{
				name: 'Site lead',
				pipeline_id: 1001,
				status_id: 2002,
				custom_fields_values: [{ field_id: 4001, values: [{ value: 'instagram' }] }],
				request_id: '0',
			},
		]);
		expect(script.sent[6].body).toEqual(
			noteRequest(
				"Call after 6\n\nNot saved in the deal's fields (amoCRM refused them):\nChannel: site (The value you selected is not a valid choice.)",
			),
		);
		expect(output).toEqual([
			{
				json: dealOutput({
					refusedFields: [
						{
							field: 'Channel',
							value: 'site',
							reason: 'The value you selected is not a valid choice.',
						},
					],
					noteId: 77,
				}),
				pairedItem: { item: 0 },
			},
		]);
	});

	it('a value its field does not take (not one of the choices, not a number) is left out before sending and reported with the reason', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/leads/pipelines?page=1&limit=250', pipelines)
			.on('GET', '/api/v4/leads/custom_fields?page=1&limit=250', channelFields)
			.on('POST', '/api/v4/leads', created(9001))
			.on('POST', '/api/v4/leads/notes', notesCreated([77, 9001, '0']));
		const output = await runNode({
			script,
			items: [
				withRows(
					[
						{ fieldId: '4003', value: 'TV' },
						{ fieldId: '4001', value: 'instagram' },
						{ fieldId: '4004', value: 'about 5 million' },
					],
					{ ifFieldRefused: 'dropAndNote', note: 'Call after 6' },
				),
			],
		});
		// The field list is read once: a second look within seconds of the first is not sent.
		expect(requests(script)).toEqual([
			'GET /api/v4/leads/pipelines?page=1&limit=250',
			'GET /api/v4/leads/custom_fields?page=1&limit=250',
			'POST /api/v4/leads',
			'POST /api/v4/leads/notes',
		]);
		expect(script.sent[2].body).toEqual([
			{
				name: 'Site lead',
				pipeline_id: 1001,
				status_id: 2002,
				custom_fields_values: [{ field_id: 4001, values: [{ value: 'instagram' }] }],
				request_id: '0',
			},
		]);
		expect(script.sent[3].body).toEqual(
			noteRequest(
				"Call after 6\n\nNot saved in the deal's fields (amoCRM refused them):\n" +
					'Channel: TV ("TV" is not one of the choices of "Channel": "Site", "Instagram")\n' +
					'Budget: about 5 million ("about 5 million" is not a number (field "Budget"))',
			),
		);
		expect(output).toEqual([
			{
				json: dealOutput({
					refusedFields: [
						{
							field: 'Channel',
							value: 'TV',
							reason: '"TV" is not one of the choices of "Channel": "Site", "Instagram"',
						},
						{
							field: 'Budget',
							value: 'about 5 million',
							reason: '"about 5 million" is not a number (field "Budget")',
						},
					],
					noteId: 77,
				}),
				pairedItem: { item: 0 },
			},
		]);
	});

	it('a value left out before sending and one amoCRM refuses are both reported, each by what the item gave', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/leads/pipelines?page=1&limit=250', pipelines)
			.on('GET', '/api/v4/leads/custom_fields?page=1&limit=250', channelFields)
			// Position 1 of what was sent is Services: Channel was left out before.
			.on('POST', '/api/v4/leads', validationRefusal('custom_fields_values.1.values.0.enum_id'))
			.on('GET', '/api/v4/leads/pipelines?page=1&limit=250', pipelines)
			.on('GET', '/api/v4/leads/custom_fields?page=1&limit=250', channelFields)
			.on('POST', '/api/v4/leads', created(9001))
			.on('POST', '/api/v4/leads/notes', notesCreated([77, 9001, '0']));
		const output = await runNode({
			script,
			items: [
				withRows(
					[
						{ fieldId: '4001', value: 'instagram' },
						{ fieldId: '4003', value: 'TV' },
						{ fieldId: '4002', value: '', choices: ['12', '11'] },
					],
					{ ifFieldRefused: 'dropAndNote' },
				),
			],
		});
		expect(script.sent[2].body).toEqual([
			{
				name: 'Site lead',
				pipeline_id: 1001,
				status_id: 2002,
				custom_fields_values: [
					{ field_id: 4001, values: [{ value: 'instagram' }] },
					{ field_id: 4002, values: [{ enum_id: 12 }, { enum_id: 11 }] },
				],
				request_id: '0',
			},
		]);
		expect(script.sent[5].body).toEqual([
			{
				name: 'Site lead',
				pipeline_id: 1001,
				status_id: 2002,
				custom_fields_values: [{ field_id: 4001, values: [{ value: 'instagram' }] }],
				request_id: '0',
			},
		]);
		// No Note option: the note holds only the refused values.
		expect(script.sent[6].body).toEqual(
			noteRequest(
				"Not saved in the deal's fields (amoCRM refused them):\n" +
					'Channel: TV ("TV" is not one of the choices of "Channel": "Site", "Instagram")\n' +
					'Services: Repair, Fitting (The value you selected is not a valid choice.)',
			),
		);
		expect(requests(script)).toHaveLength(7);
		expect(output[0].json.refusedFields).toEqual([
			{
				field: 'Channel',
				value: 'TV',
				reason: '"TV" is not one of the choices of "Channel": "Site", "Instagram"',
			},
			{
				field: 'Services',
				value: 'Repair, Fitting',
				reason: 'The value you selected is not a valid choice.',
			},
		]);
	});

	it('Fail the Item (default): a value its field does not take fails the item before anything is sent', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/leads/pipelines?page=1&limit=250', pipelines)
			.on('GET', '/api/v4/leads/custom_fields?page=1&limit=250', channelFields);
		const output = await runNode({
			script,
			continueOnFail: true,
			items: [withRows([{ fieldId: '4003', value: 'TV' }], { note: 'Call after 6' })],
		});
		expect(requests(script)).toEqual([
			'GET /api/v4/leads/pipelines?page=1&limit=250',
			'GET /api/v4/leads/custom_fields?page=1&limit=250',
		]);
		expect(output).toEqual([
			{
				json: {
					error: 'Custom Fields: "TV" is not one of the choices of "Channel": "Site", "Instagram"',
					description: 'Choose the field again from the list, or fix the value mapped to it.',
				},
				error: expect.any(Error),
				pairedItem: { item: 0 },
			},
		]);
	});

	const RECHOOSE = 'Choose the field again from the list, or fix the value mapped to it.';
	it.each([
		[
			'a field the account does not have',
			{ fieldId: '4999', value: 'site' },
			'Custom Fields: The account has no custom field with ID 4999',
			RECHOOSE,
		],
		[
			'no field chosen',
			{ fieldId: '', value: 'site' },
			'Custom Fields, row 2: no field chosen',
			'Choose the amoCRM field this value goes to, or remove the row.',
		],
		[
			'both Choices and a Value',
			{ fieldId: '4003', value: 'Site', choices: ['4200'] },
			'Custom Fields: "Channel" has both Choices and a Value: keep one of them',
			RECHOOSE,
		],
		[
			'Choices for a field without any',
			{ fieldId: '4004', value: '', choices: ['4200'] },
			'Custom Fields: "Budget" has no choices: clear Choices and fill Value',
			RECHOOSE,
		],
		[
			'two Choices for a field that takes one',
			{ fieldId: '4003', value: '', choices: ['4199', '4200'] },
			'Custom Fields: "Channel" takes one choice, not 2: keep one in Choices',
			RECHOOSE,
		],
	])(
		'Create the Deal Without It still fails the item for a row set up wrongly in the node: %s',
		async (_, row, message, description) => {
			const script = new AmoCrmScript()
				.on('GET', '/api/v4/leads/pipelines?page=1&limit=250', pipelines)
				.on('GET', '/api/v4/leads/custom_fields?page=1&limit=250', channelFields);
			const output = await runNode({
				script,
				continueOnFail: true,
				items: [
					withRows([{ fieldId: '4001', value: 'instagram' }, row], {
						ifFieldRefused: 'dropAndNote',
						note: 'Call after 6',
					}),
				],
			});
			expect(requests(script).filter((request) => request.startsWith('POST'))).toEqual([]);
			expect(output).toEqual([
				{
					json: { error: message, description },
					error: expect.any(Error),
					pairedItem: { item: 0 },
				},
			]);
		},
	);
});

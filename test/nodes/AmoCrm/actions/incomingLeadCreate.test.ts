import { pipelinesWithIncoming, validationRefusal } from '../../../support/amoCrmAnswers';
import { AmoCrmScript } from '../../../support/executeContext';
import { resetTransportState, runNode } from '../../../support/runNode';

const base = {
	resource: 'incomingLead',
	operation: 'create',
	formPage: 'https://clinic.example.uz/contacts',
	visitorIp: '203.0.113.7',
	formName: 'Site form',
	formId: 'n8n-form',
	sourceName: 'n8n',
	options: { defaultCountryCode: '998' },
};
const PIPELINES = '/api/v4/leads/pipelines?page=1&limit=250';
const pipelines = pipelinesWithIncoming;
const leadFields = {
	body: {
		_embedded: {
			custom_fields: [{ id: 4001, name: 'Source', type: 'text', code: null, enums: null }],
		},
	},
};
/** amoCRM's answer to POST /leads/unsorted/forms (unsorted-api): one entry per incoming lead, by request_id. */
const unsortedCreated = (
	...entries: Array<[uid: string, requestId: string, dealId: number, contactId?: number]>
) => ({
	body: {
		_total_items: entries.length,
		_embedded: {
			unsorted: entries.map(([uid, requestId, dealId, contactId]) => ({
				uid,
				account_id: 30000001,
				request_id: requestId,
				_links: { self: { href: `https://e2e.amocrm.ru/api/v4/leads/unsorted/${uid}` } },
				_embedded: {
					contacts: contactId === undefined ? [] : [{ id: contactId }],
					leads: [{ id: dealId }],
					companies: [],
				},
			})),
		},
	},
});

beforeEach(() => resetTransportState());
afterEach(() => jest.restoreAllMocks());

describe('Incoming Lead > Create', () => {
	it("sends a form's lead with its deal, contact and form metadata to the chosen pipeline's incoming leads", async () => {
		const script = new AmoCrmScript()
			.on('GET', PIPELINES, pipelines)
			.on('GET', '/api/v4/leads/custom_fields?page=1&limit=250', leadFields)
			.on('POST', '/api/v4/leads/unsorted/forms', unsortedCreated(['aa401aff', '0', 9001, 7001]));
		const output = await runNode({
			script,
			items: [
				{
					...base,
					pipelineId: 1003,
					dealName: ' Hearing aid request ',
					price: 1500000,
					contactName: 'Aziz Karimov',
					contactPhone: '71 202-14-41',
					contactEmail: 'Aziz@Example.uz',
					formSentAt: '2026-11-28T09:15:00+05:00',
					referer: 'https://www.google.com/',
					sourceUid: 'n8n-345-0',
					additionalFields: { tags: 'site, hearing-aids' },
					customFields: { field: [{ fieldId: { mode: 'list', value: '4001' }, value: 'Site' }] },
				},
			],
		});
		expect(script.sent.map((request) => `${request.method} ${request.url}`)).toEqual([
			`GET https://e2e.amocrm.ru${PIPELINES}`,
			'GET https://e2e.amocrm.ru/api/v4/leads/custom_fields?page=1&limit=250',
			'POST https://e2e.amocrm.ru/api/v4/leads/unsorted/forms',
		]);
		expect(script.sent[2].body).toEqual([
			{
				source_uid: 'n8n-345-0',
				source_name: 'n8n',
				pipeline_id: 1003,
				metadata: {
					form_id: 'n8n-form',
					form_name: 'Site form',
					form_page: 'https://clinic.example.uz/contacts',
					ip: '203.0.113.7',
					form_sent_at: 1795839300,
					referer: 'https://www.google.com/',
				},
				_embedded: {
					leads: [
						{
							name: 'Hearing aid request',
							price: 1500000,
							custom_fields_values: [{ field_id: 4001, values: [{ value: 'Site' }] }],
							_embedded: { tags: [{ name: 'site' }, { name: 'hearing-aids' }] },
						},
					],
					contacts: [
						{
							name: 'Aziz Karimov',
							custom_fields_values: [
								{ field_code: 'PHONE', values: [{ value: '+998712021441', enum_code: 'MOB' }] },
								{ field_code: 'EMAIL', values: [{ value: 'Aziz@Example.uz', enum_code: 'WORK' }] },
							],
						},
					],
				},
				request_id: '0',
			},
		]);
		expect(output).toEqual([
			{
				json: {
					uid: 'aa401aff',
					sourceUid: 'n8n-345-0',
					dealId: 9001,
					contactId: 7001,
					pipelineId: 1003,
					pipelineName: 'Dealers',
					url: 'https://e2e.amocrm.ru/leads/detail/9001',
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('defaults: the main pipeline, sent now, no referer, no contact when name, phone and email are empty', async () => {
		jest.spyOn(Date, 'now').mockReturnValue(1795320900_123);
		const script = new AmoCrmScript()
			.on('GET', PIPELINES, pipelines)
			.on('POST', '/api/v4/leads/unsorted/forms', unsortedCreated(['bb02', '0', 9002]));
		const output = await runNode({
			script,
			items: [{ ...base, pipelineId: '', formSentAt: '', sourceUid: 'form-77' }],
		});
		expect(script.sent[1].body).toEqual([
			{
				source_uid: 'form-77',
				source_name: 'n8n',
				pipeline_id: 1001,
				metadata: {
					form_id: 'n8n-form',
					form_name: 'Site form',
					form_page: 'https://clinic.example.uz/contacts',
					ip: '203.0.113.7',
					form_sent_at: 1795320900,
				},
				_embedded: { leads: [{}] },
				request_id: '0',
			},
		]);
		expect(output[0].json).toEqual({
			uid: 'bb02',
			sourceUid: 'form-77',
			dealId: 9002,
			contactId: null,
			pipelineId: 1001,
			pipelineName: 'Sales',
			url: 'https://e2e.amocrm.ru/leads/detail/9002',
		});
	});

	it('sends many items in batches of Options > Batch Size and pairs the answers by request_id', async () => {
		const script = new AmoCrmScript()
			.on('GET', PIPELINES, pipelines)
			.on(
				'POST',
				'/api/v4/leads/unsorted/forms',
				unsortedCreated(['u1', '1', 9011, 7011], ['u0', '0', 9010, 7010]),
			)
			.on('POST', '/api/v4/leads/unsorted/forms', unsortedCreated(['u2', '2', 9012, 7012]));
		const items = ['Aziz', 'Malika', 'Rustam'].map((name, index) => ({
			...base,
			options: { ...base.options, batchSize: 2 },
			contactName: name,
			formSentAt: 1795320900 + index,
			sourceUid: `n8n-9-${index}`,
		}));
		const output = await runNode({ script, items });
		expect(
			script.sent
				.slice(1)
				.map((request) =>
					(request.body as Array<{ source_uid: string }>).map((lead) => lead.source_uid),
				),
		).toEqual([['n8n-9-0', 'n8n-9-1'], ['n8n-9-2']]);
		expect(output.map((item) => [item.json.uid, item.json.dealId, item.pairedItem])).toEqual([
			['u0', 9010, { item: 0 }],
			['u1', 9011, { item: 1 }],
			['u2', 9012, { item: 2 }],
		]);
	});

	it('refuses a pipeline without incoming leads before sending anything, naming the pipelines that take them', async () => {
		const script = new AmoCrmScript()
			.on('GET', PIPELINES, pipelines)
			.on('GET', PIPELINES, pipelines);
		await expect(
			runNode({ script, items: [{ ...base, pipelineId: 1002, sourceUid: 'x1' }] }),
		).rejects.toMatchObject({
			message: 'Pipeline "Wholesale" does not take incoming leads',
			description:
				'It has no Incoming leads stage ("Unsorted"). Choose another pipeline ("Sales" (1001), "Dealers" (1003)), or switch on incoming leads for this pipeline in amoCRM.',
			context: { itemIndex: 0 },
		});
		expect(script.sent.every((request) => request.method === 'GET')).toBe(true);
	});

	it.each([
		[
			{ formPage: ' ' },
			'Form Page URL is empty',
			'Enter the address of the page your form is on, e.g. https://example.com/contacts.',
		],
		[
			{ visitorIp: '' },
			'Visitor IP is empty',
			"amoCRM requires the IP the form was sent from. From an n8n Webhook node map {{ $json.headers['x-forwarded-for'] }}; if your form does not pass it, enter your server's IP.",
		],
		[
			{ sourceUid: '' },
			'Submission ID is empty',
			'Map a unique ID of this submission, or put back the default n8n-{{ $execution.id }}-{{ $itemIndex }}.',
		],
		[
			{ formSentAt: 'yesterday-ish' },
			'Sent At must be a date and time, not "yesterday-ish"',
			'Pick a date and time, map one such as 2026-11-28T09:15:00+05:00, or leave it empty for now.',
		],
		[
			{ contactPhone: 'call me' },
			'Contact Phone: "call me" is not a phone number',
			'Use 7 to 15 digits with an optional +, spaces, dashes or brackets, e.g. +998 71 202-14-41. Read with country 998: start a number from another country with + and its code, or set Options > Default Country Code.',
		],
		[
			{ price: -5 },
			'Price must be a positive number, not "-5"',
			"Enter the deal's value as a number such as 1500000, or 0 to leave it empty.",
		],
	])('refuses %j before any request', async (input, message, description) => {
		const script = new AmoCrmScript();
		await expect(
			runNode({ script, items: [{ ...base, sourceUid: 'x1', ...input }] }),
		).rejects.toMatchObject({ message, description, context: { itemIndex: 0 } });
		expect(script.sent).toEqual([]);
	});

	it("names this node's field when amoCRM refuses a form value; with Continue On Fail the other leads are sent again and created", async () => {
		const refusal = validationRefusal('metadata.ip');
		(refusal.body['validation-errors'][0] as { request_id: string }).request_id = '1';
		const script = new AmoCrmScript()
			.on('GET', PIPELINES, pipelines)
			.on('POST', '/api/v4/leads/unsorted/forms', refusal)
			.on('POST', '/api/v4/leads/unsorted/forms', unsortedCreated(['u0', '0', 9010]));
		const output = await runNode({
			script,
			continueOnFail: true,
			items: [
				{ ...base, sourceUid: 'a' },
				{ ...base, sourceUid: 'b', visitorIp: 'not-an-ip' },
			],
		});
		expect(
			script.sent
				.slice(1)
				.map((request) =>
					(request.body as Array<{ source_uid: string }>).map((lead) => lead.source_uid),
				),
		).toEqual([['a', 'b'], ['a']]);
		expect(output.map((item) => item.json)).toEqual([
			expect.objectContaining({ uid: 'u0', dealId: 9010 }),
			{
				error:
					'amoCRM refused the incoming lead: Visitor IP: The value you selected is not a valid choice.',
				description: 'Fix the value of the field named above in this node, then run it again.',
			},
		]);
	});

	it('a later batch stopped by amoCRM: the error names the incoming leads already created by their UIDs', async () => {
		const script = new AmoCrmScript()
			.on('GET', PIPELINES, pipelines)
			.on('POST', '/api/v4/leads/unsorted/forms', unsortedCreated(['u0', '0', 9010]))
			.on('POST', '/api/v4/leads/unsorted/forms', {
				status: 402,
				body: { title: 'Payment Required', status: 402, detail: 'Payment required' },
			});
		await expect(
			runNode({
				script,
				items: [
					{ ...base, options: { ...base.options, batchSize: 1 }, sourceUid: 'a' },
					{ ...base, sourceUid: 'b' },
				],
			}),
		).rejects.toMatchObject({
			message: 'The amoCRM account is unpaid or its trial ended',
			description:
				'amoCRM answers "Payment Required" until the account is paid. Pay for the account in amoCRM, then run again. Items 0 were created in amoCRM before this (incoming lead UIDs u0): do not send them again. Not created: items 1.',
			context: { itemIndex: 1 },
		});
	});
});

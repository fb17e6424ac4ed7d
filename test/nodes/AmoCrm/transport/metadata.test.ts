/**
 * Account metadata (pipelines, deal fields, the account's country) is remembered for a day,
 * so a site with a lead an hour pays no extra read per lead. It is read again when it may
 * be out of date: an item about to fail on what we remember, amoCRM refusing a pipeline,
 * stage or field, a dropdown being opened.
 */
import type { ILoadOptionsFunctions } from 'n8n-workflow';

import * as loadOptions from '../../../../nodes/AmoCrm/methods/loadOptions';
import { AmoCrmScript, LONG_LIVED_CREDENTIALS, NODE } from '../../../support/executeContext';
import { validationRefusal } from '../../../support/amoCrmAnswers';
import { resetTransportState, runNode } from '../../../support/runNode';

const HOUR = 60 * 60 * 1000;
const PIPELINES = '/api/v4/leads/pipelines?page=1&limit=250';
const FIELDS = '/api/v4/leads/custom_fields?page=1&limit=250';

const sales = {
	id: 1001,
	name: 'Sales',
	sort: 1,
	is_main: true,
	is_unsorted_on: true,
	is_archive: false,
	_embedded: {
		statuses: [
			{
				id: 2002,
				name: 'New lead',
				sort: 10,
				is_editable: true,
				pipeline_id: 1001,
				color: '#99ccff',
				type: 0,
			},
		],
	},
};
const wholesale = {
	id: 1002,
	name: 'Wholesale',
	sort: 2,
	is_main: false,
	is_unsorted_on: true,
	is_archive: false,
	_embedded: {
		statuses: [
			{
				id: 2101,
				name: 'New',
				sort: 10,
				is_editable: true,
				pipeline_id: 1002,
				color: '#fffeb2',
				type: 0,
			},
		],
	},
};
const pipelinesAnswer = (...pipelines: unknown[]) => ({
	body: { _total_items: pipelines.length, _embedded: { pipelines } },
});
const channel = (...choices: string[]) => ({
	body: {
		_embedded: {
			custom_fields: [
				{
					id: 4003,
					name: 'Channel',
					type: 'select',
					code: null,
					sort: 510,
					enums: choices.map((value, i) => ({ id: 6001 + i, value, sort: i })),
				},
			],
		},
	},
});
const created = (id: number) => ({ body: { _embedded: { leads: [{ id, request_id: '0' }] } } });
const deal = (extra: Record<string, unknown> = {}) => ({
	resource: 'deal',
	operation: 'create',
	name: 'Site lead',
	pipelineId: 1001,
	statusId: 2002,
	...extra,
});

const refusedField = validationRefusal('custom_fields_values.0.field_id');

let now = Date.parse('2026-11-28T09:00:00Z');
beforeEach(() => {
	resetTransportState();
	now += 48 * HOUR;
	jest.spyOn(Date, 'now').mockImplementation(() => now);
});
afterEach(() => jest.restoreAllMocks());

describe('account metadata', () => {
	it('after an hour of quiet a lead costs its create alone: the pipelines read for the first lead are still remembered', async () => {
		const script = new AmoCrmScript()
			.on('GET', PIPELINES, pipelinesAnswer(sales))
			.on('POST', '/api/v4/leads', created(1));
		await runNode({ script, items: [deal()] });
		now += HOUR;
		script.on('POST', '/api/v4/leads', created(2));
		await runNode({ script, items: [deal()] });
		expect(script.sent.map((request) => `${request.method} ${request.url}`)).toEqual([
			`GET https://e2e.amocrm.ru${PIPELINES}`,
			'POST https://e2e.amocrm.ru/api/v4/leads',
			'POST https://e2e.amocrm.ru/api/v4/leads',
		]);
	});

	it('is read again after a day', async () => {
		const script = new AmoCrmScript()
			.on('GET', PIPELINES, pipelinesAnswer(sales))
			.on('POST', '/api/v4/leads', created(1));
		await runNode({ script, items: [deal()] });
		now += 25 * HOUR;
		script.on('GET', PIPELINES, pipelinesAnswer(sales)).on('POST', '/api/v4/leads', created(2));
		await runNode({ script, items: [deal()] });
		expect(script.sent.map((request) => request.method)).toEqual(['GET', 'POST', 'GET', 'POST']);
	});

	it('a pipeline added in amoCRM since it was remembered: read once more, then the deal is created', async () => {
		const script = new AmoCrmScript()
			.on('GET', PIPELINES, pipelinesAnswer(sales))
			.on('POST', '/api/v4/leads', created(1));
		await runNode({ script, items: [deal()] });
		now += HOUR;
		script
			.on('GET', PIPELINES, pipelinesAnswer(sales, wholesale))
			.on('POST', '/api/v4/leads', created(2));
		const output = await runNode({ script, items: [deal({ pipelineId: 1002, statusId: 2101 })] });
		expect(script.sent.map((request) => request.method)).toEqual(['GET', 'POST', 'GET', 'POST']);
		expect(script.sent[3].body).toEqual([
			{ name: 'Site lead', pipeline_id: 1002, status_id: 2101, request_id: '0' },
		]);
		expect(output[0].json).toMatchObject({ id: 2, pipelineId: 1002, statusId: 2101 });
	});

	it('a pipeline the account really lacks fails after one more read, however many items name it', async () => {
		const script = new AmoCrmScript()
			.on('GET', PIPELINES, pipelinesAnswer(sales))
			.on('POST', '/api/v4/leads', created(1));
		await runNode({ script, items: [deal()] });
		now += HOUR;
		script.on('GET', PIPELINES, pipelinesAnswer(sales));
		const output = await runNode({
			script,
			continueOnFail: true,
			items: [deal({ statusId: '77:2002' }), deal({ statusId: '77:2002' })],
		});
		expect(output.map((item) => item.json)).toEqual([
			{
				error: 'Pipeline 77 does not exist in this amoCRM account',
				description:
					'Choose Pipeline and Stage from the list again. The account has: "Sales" (1001).',
			},
			{
				error: 'Pipeline 77 does not exist in this amoCRM account',
				description:
					'Choose Pipeline and Stage from the list again. The account has: "Sales" (1001).',
			},
		]);
		expect(script.sent.map((request) => request.method)).toEqual(['GET', 'POST', 'GET']);
	});

	it('pipelines just read are not read a second time before failing', async () => {
		const script = new AmoCrmScript().on('GET', PIPELINES, pipelinesAnswer(sales));
		await expect(runNode({ script, items: [deal({ statusId: '77:2002' })] })).rejects.toMatchObject(
			{ message: 'Pipeline 77 does not exist in this amoCRM account' },
		);
		expect(script.sent.map((request) => request.method)).toEqual(['GET']);
	});

	it('a list choice added in amoCRM since the fields were remembered: read once more, then used', async () => {
		const script = new AmoCrmScript()
			.on('GET', FIELDS, channel('Site'))
			.on('POST', '/api/v4/leads', created(1));
		await runNode({
			script,
			items: [
				deal({
					pipelineId: '',
					statusId: '',
					customFields: { field: [{ fieldId: 4003, value: 'Site' }] },
				}),
			],
		});
		now += HOUR;
		script.on('GET', FIELDS, channel('Site', 'Instagram')).on('POST', '/api/v4/leads', created(2));
		await runNode({
			script,
			items: [
				deal({
					pipelineId: '',
					statusId: '',
					customFields: { field: [{ fieldId: 4003, value: 'Instagram' }] },
				}),
			],
		});
		expect(script.sent.map((request) => request.method)).toEqual(['GET', 'POST', 'GET', 'POST']);
		expect(script.sent[3].body).toEqual([
			{
				name: 'Site lead',
				custom_fields_values: [{ field_id: 4003, values: [{ enum_id: 6002 }] }],
				request_id: '0',
			},
		]);
	});

	it('amoCRM refusing a field (deleted since it was remembered): the fields are read again and the item says what is wrong', async () => {
		const script = new AmoCrmScript()
			.on('GET', FIELDS, channel('Site'))
			.on('POST', '/api/v4/leads', refusedField)
			.on('GET', FIELDS, { status: 204 });
		await expect(
			runNode({
				script,
				items: [
					deal({
						pipelineId: '',
						statusId: '',
						customFields: { field: [{ fieldId: 4003, value: 'Site' }] },
					}),
				],
			}),
		).rejects.toMatchObject({
			message: 'Custom Fields: The account has no custom field with ID 4003',
			description: 'Choose the field again from the list, or fix the value mapped to it.',
			context: { itemIndex: 0 },
		});
		expect(script.sent.map((request) => request.method)).toEqual(['GET', 'POST', 'GET']);
	});

	it('Contact > Create: amoCRM refusing a contact field deleted since it was remembered: the item says so after one more read', async () => {
		const position = {
			body: {
				_embedded: {
					custom_fields: [
						{ id: 3003, name: 'Position', type: 'text', code: null, sort: 510, enums: null },
					],
				},
			},
		};
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/contacts/custom_fields?page=1&limit=250', position)
			.on('POST', '/api/v4/contacts', refusedField)
			.on('GET', '/api/v4/contacts/custom_fields?page=1&limit=250', { status: 204 });
		await expect(
			runNode({
				script,
				items: [
					{
						resource: 'contact',
						operation: 'create',
						name: 'A',
						avoidDuplicates: false,
						customFields: { field: [{ fieldId: 3003, value: 'Doctor' }] },
					},
				],
			}),
		).rejects.toMatchObject({
			message: 'Custom Fields: The account has no custom field with ID 3003',
			context: { itemIndex: 0 },
		});
		expect(script.sent.map((request) => request.method)).toEqual(['GET', 'POST', 'GET']);
	});

	it("when the second read fails, the item keeps amoCRM's own refusal", async () => {
		const script = new AmoCrmScript()
			.on('GET', FIELDS, channel('Site'))
			.on('POST', '/api/v4/leads', refusedField)
			.on('GET', FIELDS, {
				status: 403,
				body: {
					title: 'Forbidden',
					type: 'https://httpstatus.es/403',
					status: 403,
					detail: 'Forbidden',
				},
			});
		await expect(
			runNode({
				script,
				items: [
					deal({
						pipelineId: '',
						statusId: '',
						customFields: { field: [{ fieldId: 4003, value: 'Site' }] },
					}),
				],
			}),
		).rejects.toMatchObject({
			message:
				'amoCRM refused the deal: custom field "Channel" (ID 4003): The value you selected is not a valid choice.',
			context: { itemIndex: 0 },
		});
	});

	it('amoCRM refusing something else (a responsible user) does not read the account again', async () => {
		const script = new AmoCrmScript()
			.on('GET', PIPELINES, pipelinesAnswer(sales))
			.on('POST', '/api/v4/leads', validationRefusal('responsible_user_id'));
		await expect(
			runNode({ script, items: [deal({ additionalFields: { responsibleUserId: 999 } })] }),
		).rejects.toMatchObject({
			message:
				'amoCRM refused the deal: Responsible User: The value you selected is not a valid choice.',
		});
		expect(script.sent.map((request) => request.method)).toEqual(['GET', 'POST']);
	});
});

describe('dropdowns read the account again when opened', () => {
	const context = (script: AmoCrmScript): ILoadOptionsFunctions =>
		({
			getNode: () => NODE,
			getCredentials: async () => LONG_LIVED_CREDENTIALS,
			getCurrentNodeParameter: (name: string) =>
				name === 'authentication' ? 'longLivedToken' : name === 'pipelineId' ? 1002 : undefined,
			getNodeParameter: (_name: string, fallback: unknown) => fallback,
			helpers: {
				httpRequestWithAuthentication: async (type: string, options: never) =>
					await script.handle(NODE, type, options),
			},
		}) as unknown as ILoadOptionsFunctions;

	it('a pipeline added in amoCRM shows the next time the list is opened; lists opened together share one read', async () => {
		const script = new AmoCrmScript().on('GET', PIPELINES, pipelinesAnswer(sales));
		const [pipelines, again] = await Promise.all([
			loadOptions.getPipelines.call(context(script)),
			loadOptions.getPipelines.call(context(script)),
		]);
		expect(pipelines.map((option) => option.value)).toEqual([1001]);
		expect(again).toEqual(pipelines);
		now += 60 * 1000;
		script.on('GET', PIPELINES, pipelinesAnswer(sales, wholesale));
		expect(
			(await loadOptions.getPipelines.call(context(script))).map((option) => option.value),
		).toEqual([1001, 1002]);
		expect(script.sent.map((request) => request.method)).toEqual(['GET', 'GET']);
	});
});

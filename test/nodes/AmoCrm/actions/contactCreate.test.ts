import { NodeOperationError } from 'n8n-workflow';

import { validationRefusal } from '../../../support/amoCrmAnswers';
import { AmoCrmScript } from '../../../support/executeContext';
import { resetTransportState, runNode } from '../../../support/runNode';

const base = { resource: 'contact', operation: 'create' };
const created = (id: number) => ({
	status: 200,
	body: { _embedded: { contacts: [{ id, request_id: '0' }] } },
});
const contact = (id: number, name: string, phones: string[], emails: string[] = []) => ({
	id,
	name,
	custom_fields_values: [
		...(phones.length
			? [
					{
						field_id: 3001,
						field_code: 'PHONE',
						values: phones.map((value) => ({ value, enum_code: 'WORK' })),
					},
				]
			: []),
		...(emails.length
			? [
					{
						field_id: 3002,
						field_code: 'EMAIL',
						values: emails.map((value) => ({ value, enum_code: 'WORK' })),
					},
				]
			: []),
	],
});

beforeEach(() => resetTransportState());

describe('Contact > Create', () => {
	it('creates a contact with normalised phone and email by field code, tags and responsible user', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/contacts?query=712021441&limit=50', { status: 204 })
			.on('GET', '/api/v4/contacts?query=aziz%40example.uz&limit=50', { status: 204 })
			.on('POST', '/api/v4/contacts', created(40401635));
		const output = await runNode({
			script,
			items: [
				{
					...base,
					name: 'Aziz Karimov',
					phones: { phone: [{ number: '71 202-14-41', type: 'MOB' }] },
					emails: { email: [{ address: ' aziz@example.uz ', type: 'PRIV' }] },
					avoidDuplicates: true,
					additionalFields: { responsibleUserId: '502', tags: 'site, hearing-aids' },
					options: { defaultCountryCode: '998' },
				},
			],
		});
		expect(script.sent[2]).toEqual({
			credentialType: 'amoCrmApi',
			method: 'POST',
			url: 'https://e2e.amocrm.ru/api/v4/contacts',
			qs: undefined,
			body: [
				{
					name: 'Aziz Karimov',
					responsible_user_id: 502,
					custom_fields_values: [
						{ field_code: 'PHONE', values: [{ value: '+998712021441', enum_code: 'MOB' }] },
						{ field_code: 'EMAIL', values: [{ value: 'aziz@example.uz', enum_code: 'PRIV' }] },
					],
					_embedded: { tags: [{ name: 'site' }, { name: 'hearing-aids' }] },
					request_id: '0',
				},
			],
		});
		expect(output).toEqual([
			{
				json: {
					id: 40401635,
					name: 'Aziz Karimov',
					reused: false,
					url: 'https://e2e.amocrm.ru/contacts/detail/40401635',
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(script.pending()).toEqual([]);
	});

	it('returns the existing contact with the same number, however it was typed', async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/contacts?query=712021441&limit=50', {
			body: {
				_embedded: {
					contacts: [
						contact(11, 'Other person', ['+998 90 712-02-14']),
						contact(12, 'Aziz', ['+998 (71) 202-14-41']),
					],
				},
			},
		});
		const output = await runNode({
			script,
			items: [
				{
					...base,
					name: 'Aziz Karimov',
					phones: { phone: [{ number: '998712021441', type: 'MOB' }] },
					avoidDuplicates: true,
					options: { defaultCountryCode: '998' },
				},
			],
		});
		expect(output).toEqual([
			{
				json: {
					id: 12,
					name: 'Aziz',
					reused: true,
					url: 'https://e2e.amocrm.ru/contacts/detail/12',
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(script.sent.map((request) => request.method)).toEqual(['GET']);
	});

	it('ignores a search hit whose number only contains the digits elsewhere', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/contacts?query=712021441&limit=50', {
				body: { _embedded: { contacts: [contact(11, 'Note mentions it', ['+7 712 021 44 10'])] } },
			})
			.on('POST', '/api/v4/contacts', created(13));
		const output = await runNode({
			script,
			items: [
				{
					...base,
					name: 'Aziz',
					phones: { phone: [{ number: '+998712021441', type: 'WORK' }] },
					avoidDuplicates: true,
				},
			],
		});
		expect(output[0].json).toMatchObject({ id: 13, reused: false });
	});

	it('returns the existing contact with the same email when no phone matches', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/contacts?query=712021441&limit=50', { status: 204 })
			.on('GET', '/api/v4/contacts?query=aziz%40example.uz&limit=50', {
				body: { _embedded: { contacts: [contact(21, 'Aziz K.', [], ['Aziz@Example.uz'])] } },
			});
		const output = await runNode({
			script,
			items: [
				{
					...base,
					name: 'Aziz',
					phones: { phone: [{ number: '+998712021441', type: 'MOB' }] },
					emails: { email: [{ address: 'aziz@example.uz', type: 'WORK' }] },
					avoidDuplicates: true,
				},
			],
		});
		expect(output[0].json).toEqual({
			id: 21,
			name: 'Aziz K.',
			reused: true,
			url: 'https://e2e.amocrm.ru/contacts/detail/21',
		});
	});

	it('creates without searching when Avoid Duplicates is off', async () => {
		const script = new AmoCrmScript().on('POST', '/api/v4/contacts', created(30));
		await runNode({
			script,
			items: [
				{
					...base,
					name: 'Aziz',
					phones: { phone: [{ number: '+998712021441', type: 'MOB' }] },
					avoidDuplicates: false,
				},
			],
		});
		expect(script.sent.map((request) => `${request.method} ${request.url}`)).toEqual([
			'POST https://e2e.amocrm.ru/api/v4/contacts',
		]);
	});

	it('sends the items in one request, each with its own data and its item index as request_id', async () => {
		const script = new AmoCrmScript().on('POST', '/api/v4/contacts', {
			// amoCRM's order need not be ours: answers are matched by request_id
			body: {
				_embedded: {
					contacts: [
						{ id: 2, request_id: '1' },
						{ id: 1, request_id: '0' },
					],
				},
			},
		});
		const output = await runNode({
			script,
			items: [
				{
					...base,
					name: 'First',
					phones: { phone: [{ number: '+998 71 111 11 11', type: 'MOB' }] },
					avoidDuplicates: false,
				},
				{
					...base,
					name: 'Second',
					phones: { phone: [{ number: '+998 71 222 22 22', type: 'MOB' }] },
					avoidDuplicates: false,
				},
			],
		});
		expect(script.sent.map((request) => request.body)).toEqual([
			[
				{
					name: 'First',
					custom_fields_values: [
						{ field_code: 'PHONE', values: [{ value: '+998711111111', enum_code: 'MOB' }] },
					],
					request_id: '0',
				},
				{
					name: 'Second',
					custom_fields_values: [
						{ field_code: 'PHONE', values: [{ value: '+998712222222', enum_code: 'MOB' }] },
					],
					request_id: '1',
				},
			],
		]);
		expect(output).toEqual([
			{
				json: {
					id: 1,
					name: 'First',
					reused: false,
					url: 'https://e2e.amocrm.ru/contacts/detail/1',
				},
				pairedItem: { item: 0 },
			},
			{
				json: {
					id: 2,
					name: 'Second',
					reused: false,
					url: 'https://e2e.amocrm.ru/contacts/detail/2',
				},
				pairedItem: { item: 1 },
			},
		]);
	});

	it("sends custom fields by the account's field types", async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/contacts/custom_fields?page=1&limit=250', {
				body: {
					_embedded: {
						custom_fields: [{ id: 3003, name: 'Position', type: 'text', code: null, enums: null }],
					},
					_links: {},
				},
			})
			.on('POST', '/api/v4/contacts', created(5));
		await runNode({
			script,
			items: [
				{
					...base,
					name: 'Aziz',
					avoidDuplicates: true,
					customFields: { field: [{ fieldId: 3003, value: 'Doctor' }] },
				},
			],
		});
		expect(script.sent[1].body).toEqual([
			{
				name: 'Aziz',
				custom_fields_values: [{ field_id: 3003, values: [{ value: 'Doctor' }] }],
				request_id: '0',
			},
		]);
	});

	it('refuses a contact with no name, phone or email before any request', async () => {
		const script = new AmoCrmScript();
		await expect(
			runNode({ script, items: [{ ...base, name: '  ', avoidDuplicates: true }] }),
		).rejects.toMatchObject({
			message: 'The contact has no name, phone or email',
			description:
				'Fill in Name, or add a phone or an email: amoCRM needs something to recognise the contact by.',
			context: { itemIndex: 0 },
		});
		expect(script.sent).toEqual([]);
	});

	it('refuses a bad phone, naming the row', async () => {
		const script = new AmoCrmScript();
		await expect(
			runNode({
				script,
				items: [
					{
						...base,
						name: 'A',
						phones: { phone: [{ number: '+998712021441' }, { number: 'call me' }] },
					},
				],
			}),
		).rejects.toMatchObject({
			message: 'Phones, row 2: "call me" is not a phone number',
			context: { itemIndex: 0 },
		});
		expect(script.sent).toEqual([]);
	});

	it('refuses a malformed email, naming the row', async () => {
		await expect(
			runNode({
				script: new AmoCrmScript(),
				items: [{ ...base, emails: { email: [{ address: 'aziz@' }] } }],
			}),
		).rejects.toMatchObject({
			message: 'Emails, row 1: "aziz@" is not an email address',
		});
	});

	it('refuses a responsible user that is not an ID', async () => {
		await expect(
			runNode({
				script: new AmoCrmScript(),
				items: [{ ...base, name: 'A', additionalFields: { responsibleUserId: 'Olga' } }],
			}),
		).rejects.toMatchObject({ message: 'Responsible User ID must be a number, not "Olga"' });
	});

	it('refuses a custom field row with a value but no field', async () => {
		await expect(
			runNode({
				script: new AmoCrmScript(),
				items: [{ ...base, name: 'A', customFields: { field: [{ fieldId: '', value: 'x' }] } }],
			}),
		).rejects.toMatchObject({ message: 'Custom Fields, row 1: no field chosen' });
	});

	it('names the custom field amoCRM refused (after reading the fields again, which show nothing wrong)', async () => {
		const fields = {
			body: {
				_embedded: {
					custom_fields: [{ id: 3003, name: 'Position', type: 'text', code: null, enums: null }],
				},
			},
		};
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/contacts/custom_fields?page=1&limit=250', fields)
			.on('GET', '/api/v4/contacts/custom_fields?page=1&limit=250', fields)
			.on('POST', '/api/v4/contacts', validationRefusal('custom_fields_values.0.field_id'));
		await expect(
			runNode({
				script,
				items: [
					{
						...base,
						name: 'A',
						avoidDuplicates: false,
						customFields: { field: [{ fieldId: 3003, value: 'Doctor' }] },
					},
				],
			}),
		).rejects.toMatchObject({
			message:
				'amoCRM refused the contact: custom field "Position" (ID 3003): The value you selected is not a valid choice.',
			httpCode: '400',
			context: { itemIndex: 0 },
		});
		expect(script.sent.map((request) => request.method)).toEqual(['GET', 'POST', 'GET']);
	});

	it('turns a failing item into an error item with Continue On Fail and goes on', async () => {
		const script = new AmoCrmScript().on('POST', '/api/v4/contacts', created(7));
		const output = await runNode({
			script,
			continueOnFail: true,
			items: [
				{ ...base, emails: { email: [{ address: 'bad' }] } },
				{ ...base, name: 'Good', avoidDuplicates: false },
			],
		});
		expect(output).toEqual([
			{
				json: {
					error: 'Emails, row 1: "bad" is not an email address',
					description: 'Use an address like name@example.com, or leave it empty.',
				},
				// n8n sends an item to the error output only when it carries its error.
				error: expect.objectContaining({
					message: 'Emails, row 1: "bad" is not an email address',
					context: expect.objectContaining({ itemIndex: 0 }),
				}),
				pairedItem: { item: 0 },
			},
			{
				json: {
					id: 7,
					name: 'Good',
					reused: false,
					url: 'https://e2e.amocrm.ru/contacts/detail/7',
				},
				pairedItem: { item: 1 },
			},
		]);
		expect(output[0].error).toBeInstanceOf(NodeOperationError);
	});

	it('names the failing item when it stops the workflow, before sending anything', async () => {
		const script = new AmoCrmScript();
		await expect(
			runNode({
				script,
				items: [
					{ ...base, name: 'Good', avoidDuplicates: false },
					{ ...base, phones: { phone: [{ number: '12' }] } },
				],
			}),
		).rejects.toMatchObject({ context: { itemIndex: 1 } });
		expect(script.sent).toEqual([]);
	});
});

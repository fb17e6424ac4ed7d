import { storedContact } from '../../../support/contactRecords';
import { AmoCrmScript } from '../../../support/executeContext';
import { resetTransportState, runNode } from '../../../support/runNode';

const base = { resource: 'contact', operation: 'update', options: { defaultCountryCode: '998' } };

beforeEach(() => resetTransportState());

const updated = (...ids: number[]) => ({
	body: {
		_embedded: {
			contacts: ids.map((id, index) => ({
				id,
				updated_at: 1764288000,
				request_id: String(index),
			})),
		},
	},
});

const contactFields = {
	body: {
		_embedded: {
			custom_fields: [
				{
					id: 4001,
					name: 'Source',
					type: 'select',
					code: null,
					enums: [{ id: 11, value: 'Website' }],
				},
			],
		},
		_links: {},
	},
};

describe('Contact > Update', () => {
	it('sends only the fields filled in; replaced phones are sent as given, tags are added', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/contacts/custom_fields?page=1&limit=250', contactFields)
			.on('PATCH', '/api/v4/contacts', updated(40401635));
		const output = await runNode({
			script,
			items: [
				{
					...base,
					contactId: { __rl: true, mode: 'id', value: '40401635' },
					updateFields: { name: ' Aziz Karimov ', responsibleUserId: '504141', tags: 'vip, paid' },
					phones: { phone: [{ number: '71 202-14-41', type: 'WORK' }] },
					phonesMode: 'replace',
					customFields: {
						field: [{ fieldId: { __rl: true, mode: 'list', value: '4001' }, value: 'website' }],
					},
				},
			],
		});
		expect(script.sent.map((request) => `${request.method} ${request.url}`)).toEqual([
			'GET https://e2e.amocrm.ru/api/v4/contacts/custom_fields?page=1&limit=250',
			'PATCH https://e2e.amocrm.ru/api/v4/contacts',
		]);
		expect(script.sent[1].body).toEqual([
			{
				id: 40401635,
				name: 'Aziz Karimov',
				responsible_user_id: 504141,
				tags_to_add: [{ name: 'vip' }, { name: 'paid' }],
				custom_fields_values: [
					{ field_code: 'PHONE', values: [{ value: '+998712021441', enum_code: 'WORK' }] },
					{ field_id: 4001, values: [{ enum_id: 11 }] },
				],
				request_id: '0',
			},
		]);
		expect(output).toEqual([
			{
				json: {
					id: 40401635,
					updatedAt: '2025-11-28T00:00:00.000Z',
					url: 'https://e2e.amocrm.ru/contacts/detail/40401635',
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('adds phones and emails to the stored ones: one read, one batch, no value twice', async () => {
		const other = { ...storedContact, id: 7, custom_fields_values: null };
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/contacts', {
				body: { _embedded: { contacts: [other, storedContact] } },
			})
			.on('PATCH', '/api/v4/contacts', updated(40401635, 7));
		const output = await runNode({
			script,
			items: [
				{
					...base,
					contactId: 40401635,
					// The first is stored already (typed differently), the second is new.
					phones: {
						phone: [{ number: '+998 71 202 14 41' }, { number: '93 555-00-11', type: 'HOME' }],
					},
					emails: { email: [{ address: 'AZIZ@example.uz' }, { address: 'karimov@work.uz' }] },
				},
				{ ...base, contactId: 7, emails: { email: [{ address: 'new@example.uz', type: 'PRIV' }] } },
			],
		});
		expect(script.sent[0].qs).toEqual({
			'filter[id][0]': 40401635,
			'filter[id][1]': 7,
			page: 1,
			limit: 250,
		});
		expect(script.sent[1].body).toEqual([
			{
				id: 40401635,
				custom_fields_values: [
					{
						field_code: 'PHONE',
						values: [
							{ value: '+998712021441', enum_code: 'MOB' },
							{ value: '+998901234567', enum_code: 'WORK' },
							{ value: '+998935550011', enum_code: 'HOME' },
						],
					},
					{
						field_code: 'EMAIL',
						values: [
							{ value: 'aziz@example.uz', enum_code: 'WORK' },
							{ value: 'karimov@work.uz', enum_code: 'WORK' },
						],
					},
				],
				request_id: '0',
			},
			{
				id: 7,
				custom_fields_values: [
					{ field_code: 'EMAIL', values: [{ value: 'new@example.uz', enum_code: 'PRIV' }] },
				],
				request_id: '1',
			},
		]);
		expect(output.map((item) => [item.json.id, item.pairedItem])).toEqual([
			[40401635, { item: 0 }],
			[7, { item: 1 }],
		]);
	});

	it("two items adding phones to one contact: the second goes in a later request and sends the first one's number too", async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/contacts', {
				body: { _embedded: { contacts: [{ ...storedContact, custom_fields_values: null }] } },
			})
			.on('PATCH', '/api/v4/contacts', updated(40401635))
			.on('PATCH', '/api/v4/contacts', updated(40401635));
		await runNode({
			script,
			items: [
				{ ...base, contactId: 40401635, phones: { phone: [{ number: '90 123 45 67' }] } },
				{ ...base, contactId: 40401635, phones: { phone: [{ number: '93 555 00 11' }] } },
			],
		});
		expect(script.sent[0].qs).toEqual({ 'filter[id][0]': 40401635, page: 1, limit: 250 });
		expect(script.sent.slice(1).map((request) => request.body)).toEqual([
			[
				{
					id: 40401635,
					custom_fields_values: [
						{ field_code: 'PHONE', values: [{ value: '+998901234567', enum_code: 'MOB' }] },
					],
					request_id: '0',
				},
			],
			[
				{
					id: 40401635,
					custom_fields_values: [
						{
							field_code: 'PHONE',
							values: [
								{ value: '+998901234567', enum_code: 'MOB' },
								{ value: '+998935550011', enum_code: 'MOB' },
							],
						},
					],
					request_id: '1',
				},
			],
		]);
	});

	it('refuses an item with nothing to change, or a wrong phone, before any request', async () => {
		const script = new AmoCrmScript();
		await expect(
			runNode({ script, items: [{ ...base, contactId: 1, updateFields: { name: '  ' } }] }),
		).rejects.toMatchObject({
			message: 'Nothing to update',
			description:
				'Fill in at least one of Update Fields, Phones, Emails or Custom Fields: only the fields filled in are changed.',
			context: { itemIndex: 0 },
		});
		await expect(
			runNode({
				script,
				items: [{ ...base, contactId: 1, phones: { phone: [{ number: 'call me' }] } }],
			}),
		).rejects.toMatchObject({
			message: 'Phones, row 1: "call me" is not a phone number',
		});
		expect(script.sent).toEqual([]);
	});

	it('with Continue On Fail: a contact that is gone and a refused one fail alone, the others are changed', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/contacts', { body: { _embedded: { contacts: [storedContact] } } })
			.on('PATCH', '/api/v4/contacts', {
				status: 400,
				body: {
					'validation-errors': [
						{
							request_id: '2',
							errors: [{ code: 'NotFound', path: 'id', detail: 'Entity not found' }],
						},
					],
					title: 'Bad Request',
					status: 400,
					detail: 'Request validation failed',
				},
			})
			.on('PATCH', '/api/v4/contacts', {
				body: { _embedded: { contacts: [{ id: 40401635, updated_at: 1764288000 }] } },
			});
		const output = await runNode({
			script,
			continueOnFail: true,
			items: [
				{ ...base, contactId: 40401635, emails: { email: [{ address: 'a@b.uz' }] } },
				{ ...base, contactId: 99, emails: { email: [{ address: 'c@d.uz' }] } },
				{ ...base, contactId: 98, updateFields: { lastName: 'Karimova' } },
			],
		});
		expect(script.sent.map((request) => request.method)).toEqual(['GET', 'PATCH', 'PATCH']);
		expect((script.sent[2].body as Array<{ id: number }>).map((body) => body.id)).toEqual([
			40401635,
		]);
		expect(output.map((item) => item.json)).toEqual([
			{
				id: 40401635,
				updatedAt: '2025-11-28T00:00:00.000Z',
				url: 'https://e2e.amocrm.ru/contacts/detail/40401635',
			},
			{
				error: 'Contact 99 was not found in amoCRM',
				description:
					'Check the contact chosen in Contact: it may have been deleted or merged into another one.',
			},
			expect.objectContaining({ error: 'Contact 98 was not found in amoCRM' }),
		]);
	});
});

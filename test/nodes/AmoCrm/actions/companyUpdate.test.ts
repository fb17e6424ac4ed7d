import { listedContact } from '../../../support/amoCrmAnswers';
import { AmoCrmScript } from '../../../support/executeContext';
import { resetTransportState, runNode } from '../../../support/runNode';

const base = { resource: 'company', operation: 'update' };
const locator = (id: number) => ({ __rl: true, mode: 'id', value: String(id) });
/** `PATCH /api/v4/companies` answered for these companies. */
const updated = (...ids: number[]) => ({
	body: {
		_links: { self: { href: 'https://e2e.amocrm.ru/api/v4/companies' } },
		_embedded: {
			companies: ids.map((id) => ({
				id,
				updated_at: 1764300000,
				_links: { self: { href: `https://e2e.amocrm.ru/api/v4/companies/${id}` } },
			})),
		},
	},
});
const output = (id: number, item: number) => ({
	json: {
		id,
		updatedAt: '2025-11-28T03:20:00.000Z',
		url: `https://e2e.amocrm.ru/companies/detail/${id}`,
	},
	pairedItem: { item },
});

beforeEach(() => resetTransportState());

describe('Company > Update', () => {
	it('sends only the fields filled in, each item its own company, in one PATCH; tags are added', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/companies/custom_fields?page=1&limit=250', {
				body: {
					_embedded: {
						custom_fields: [{ id: 5003, name: 'TIN', type: 'text', code: null, enums: null }],
					},
				},
			})
			.on('PATCH', '/api/v4/companies', updated(7001, 7002));
		const result = await runNode({
			script,
			items: [
				{
					...base,
					companyId: locator(7001),
					updateFields: { name: ' Shifo Med Group ', responsibleUserId: 503, tags: 'vip' },
				},
				{
					...base,
					companyId: 'https://e2e.amocrm.ru/companies/detail/7002',
					customFields: { field: [{ fieldId: { mode: 'list', value: '5003' }, value: '30123' }] },
				},
			],
		});
		expect(script.sent.map((request) => `${request.method} ${request.url}`)).toEqual([
			'GET https://e2e.amocrm.ru/api/v4/companies/custom_fields?page=1&limit=250',
			'PATCH https://e2e.amocrm.ru/api/v4/companies',
		]);
		expect(script.sent[1].body).toEqual([
			{
				id: 7001,
				name: 'Shifo Med Group',
				responsible_user_id: 503,
				tags_to_add: [{ name: 'vip' }],
				request_id: '0',
			},
			{
				id: 7002,
				custom_fields_values: [{ field_id: 5003, values: [{ value: '30123' }] }],
				request_id: '1',
			},
		]);
		expect(result).toEqual([output(7001, 0), output(7002, 1)]);
	});

	it("adds phones and emails after the company's stored ones (read first, one request), skipping those it has", async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/companies?filter%5Bid%5D%5B0%5D=7001&page=1&limit=250', {
				body: {
					_embedded: {
						companies: [
							listedContact(7001, 'Shifo Med', ['+998 71 202-14-41'], ['info@shifomed.uz']),
						],
					},
				},
			})
			.on('PATCH', '/api/v4/companies', updated(7001));
		await runNode({
			script,
			items: [
				{
					...base,
					companyId: locator(7001),
					phones: {
						phone: [
							{ number: '998712021441', type: 'WORK' },
							{ number: '+998 90 123 45 67', type: 'MOB' },
						],
					},
					emails: { email: [{ address: 'sales@shifomed.uz', type: 'WORK' }] },
					options: { defaultCountryCode: '998' },
				},
			],
		});
		expect(script.sent[1].body).toEqual([
			{
				id: 7001,
				custom_fields_values: [
					{
						field_code: 'PHONE',
						values: [
							{ value: '+998 71 202-14-41', enum_code: 'WORK' },
							{ value: '+998901234567', enum_code: 'MOB' },
						],
					},
					{
						field_code: 'EMAIL',
						values: [
							{ value: 'info@shifomed.uz', enum_code: 'WORK' },
							{ value: 'sales@shifomed.uz', enum_code: 'WORK' },
						],
					},
				],
				request_id: '0',
			},
		]);
	});

	it('keeps every addition when two items of one run add phones to the same company (sent in order, one PATCH each)', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/companies?filter%5Bid%5D%5B0%5D=7001&page=1&limit=250', {
				body: { _embedded: { companies: [listedContact(7001, 'Shifo Med', ['+998712021441'])] } },
			})
			.on('PATCH', '/api/v4/companies', updated(7001))
			.on('PATCH', '/api/v4/companies', updated(7001));
		await runNode({
			script,
			items: [
				{
					...base,
					companyId: locator(7001),
					phones: { phone: [{ number: '+998901234567', type: 'MOB' }] },
				},
				{
					...base,
					companyId: locator(7001),
					phones: { phone: [{ number: '+998935550011', type: 'MOB' }] },
				},
			],
		});
		expect(script.sent.map((request) => request.method)).toEqual(['GET', 'PATCH', 'PATCH']);
		const phonesSent = (index: number) =>
			(
				script.sent[index].body as Array<{
					custom_fields_values: Array<{ values: Array<{ value: string }> }>;
				}>
			)[0].custom_fields_values[0].values.map((value) => value.value);
		expect(phonesSent(1)).toEqual(['+998712021441', '+998901234567']);
		expect(phonesSent(2)).toEqual(['+998712021441', '+998901234567', '+998935550011']);
	});

	it('replaces phones and emails without reading the company when asked', async () => {
		const script = new AmoCrmScript().on('PATCH', '/api/v4/companies', updated(7001));
		await runNode({
			script,
			items: [
				{
					...base,
					companyId: locator(7001),
					phones: { phone: [{ number: '+998712021441', type: 'WORK' }] },
					phonesMode: 'replace',
					emails: { email: [{ address: 'info@shifomed.uz', type: 'WORK' }] },
					emailsMode: 'replace',
				},
			],
		});
		expect(script.sent.map((request) => request.method)).toEqual(['PATCH']);
		expect(script.sent[0].body).toEqual([
			{
				id: 7001,
				custom_fields_values: [
					{ field_code: 'PHONE', values: [{ value: '+998712021441', enum_code: 'WORK' }] },
					{ field_code: 'EMAIL', values: [{ value: 'info@shifomed.uz', enum_code: 'WORK' }] },
				],
				request_id: '0',
			},
		]);
	});

	it('says which company was not found: when read first, and when amoCRM refuses its id', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/companies?filter%5Bid%5D%5B0%5D=404&page=1&limit=250', { status: 204 })
			.on('PATCH', '/api/v4/companies', {
				status: 400,
				body: {
					'validation-errors': [
						{
							request_id: '1',
							errors: [{ code: 'NotFound', path: 'id', detail: 'Entity not found' }],
						},
					],
					title: 'Bad Request',
					status: 400,
					detail: 'Request validation failed',
				},
			})
			.on('PATCH', '/api/v4/companies', updated(7002));
		const result = await runNode({
			script,
			continueOnFail: true,
			items: [
				{ ...base, companyId: locator(404), phones: { phone: [{ number: '+998712021441' }] } },
				{ ...base, companyId: locator(405), updateFields: { name: 'Gone' } },
				{ ...base, companyId: locator(7002), updateFields: { name: 'Stays' } },
			],
		});
		expect(result.map((item) => item.json)).toEqual([
			{
				error: 'Company 404 was not found in amoCRM',
				description:
					'Check the company chosen in Company: it may have been deleted or merged into another one.',
			},
			expect.objectContaining({ error: 'Company 405 was not found in amoCRM' }),
			output(7002, 2).json,
		]);
		expect(script.sent.map((request) => request.method)).toEqual(['GET', 'PATCH', 'PATCH']);
		expect(script.sent[2].body).toEqual([{ id: 7002, name: 'Stays', request_id: '2' }]);
	});

	it('refuses bad input before any request, naming the field', async () => {
		const script = new AmoCrmScript();
		await expect(
			runNode({ script, items: [{ ...base, companyId: locator(7001) }] }),
		).rejects.toMatchObject({
			message: 'Nothing to update',
			description:
				'Fill in at least one of Update Fields, Phones, Emails or Custom Fields: only the fields filled in are changed.',
			context: { itemIndex: 0 },
		});
		await expect(
			runNode({ script, items: [{ ...base, updateFields: { name: 'A' } }] }),
		).rejects.toMatchObject({ message: 'Company is empty' });
		await expect(
			runNode({
				script,
				items: [
					{ ...base, companyId: locator(1), updateFields: { name: 'A' } },
					{ ...base, companyId: locator(2), phones: { phone: [{ number: '12' }] } },
				],
			}),
		).rejects.toMatchObject({
			message: 'Phones, row 1: "12" is not a phone number',
			context: { itemIndex: 1 },
		});
		await expect(
			runNode({
				script,
				items: [{ ...base, companyId: locator(1), updateFields: { responsibleUserId: 'Olga' } }],
			}),
		).rejects.toMatchObject({ message: 'Responsible User ID must be a number, not "Olga"' });
		expect(script.sent).toEqual([]);
	});
});

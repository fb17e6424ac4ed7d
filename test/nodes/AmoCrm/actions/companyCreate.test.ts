import { NodeOperationError } from 'n8n-workflow';

import { accountAnswer, listedContact, validationRefusal } from '../../../support/amoCrmAnswers';
import { AmoCrmScript } from '../../../support/executeContext';
import { resetTransportState, runNode } from '../../../support/runNode';

const base = { resource: 'company', operation: 'create' };
/** A company as `GET /api/v4/companies?query=…` lists it (companies keep phones and emails as contacts do). */
const listedCompany = listedContact;
const found = (...companies: Array<ReturnType<typeof listedCompany>>) => ({
	body: { _embedded: { companies } },
});
const created = (...ids: Array<[number, string]>) => ({
	body: {
		_embedded: { companies: ids.map(([id, requestId]) => ({ id, request_id: requestId })) },
	},
});
const url = (id: number) => `https://e2e.amocrm.ru/companies/detail/${id}`;
const nameSearch = (query: string) => `/api/v4/companies?query=${query}&limit=50`;

beforeEach(() => resetTransportState());

describe('Company > Create', () => {
	it('creates a company with normalised phone and email by field code, a custom field, tags and responsible user, after searching its name, phone and email', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/companies/custom_fields?page=1&limit=250', {
				body: {
					_embedded: {
						custom_fields: [{ id: 5003, name: 'TIN', type: 'text', code: null, enums: null }],
					},
				},
			})
			.on('GET', nameSearch('Shifo+Med+LLC'), { status: 204 })
			.on('GET', nameSearch('712021441'), { status: 204 })
			.on('GET', nameSearch('Info%40ShifoMed.uz'), { status: 204 })
			.on('POST', '/api/v4/companies', created([7001, '0']));
		const output = await runNode({
			script,
			items: [
				{
					...base,
					name: ' Shifo Med LLC ',
					phones: { phone: [{ number: '71 202-14-41', type: 'WORK' }] },
					emails: { email: [{ address: ' Info@ShifoMed.uz ', type: 'WORK' }] },
					avoidDuplicates: true,
					additionalFields: { responsibleUserId: '502', tags: 'clinic, partner' },
					customFields: {
						field: [{ fieldId: { mode: 'list', value: '5003' }, value: '301234567' }],
					},
					options: { defaultCountryCode: '998' },
				},
			],
		});
		expect(script.sent.map((request) => `${request.method} ${request.url}`)).toEqual([
			'GET https://e2e.amocrm.ru/api/v4/companies/custom_fields?page=1&limit=250',
			'GET https://e2e.amocrm.ru/api/v4/companies?query=Shifo+Med+LLC&limit=50',
			'GET https://e2e.amocrm.ru/api/v4/companies?query=712021441&limit=50',
			'GET https://e2e.amocrm.ru/api/v4/companies?query=Info%40ShifoMed.uz&limit=50',
			'POST https://e2e.amocrm.ru/api/v4/companies',
		]);
		expect(script.sent[4].body).toEqual([
			{
				name: 'Shifo Med LLC',
				responsible_user_id: 502,
				custom_fields_values: [
					{ field_code: 'PHONE', values: [{ value: '+998712021441', enum_code: 'WORK' }] },
					{ field_code: 'EMAIL', values: [{ value: 'Info@ShifoMed.uz', enum_code: 'WORK' }] },
					{ field_id: 5003, values: [{ value: '301234567' }] },
				],
				_embedded: { tags: [{ name: 'clinic' }, { name: 'partner' }] },
				request_id: '0',
			},
		]);
		expect(output).toEqual([
			{
				json: { id: 7001, name: 'Shifo Med LLC', reused: false, url: url(7001) },
				pairedItem: { item: 0 },
			},
		]);
		expect(script.pending()).toEqual([]);
	});

	it('returns the existing company with the same name, whatever its case and spaces, without searching further', async () => {
		const script = new AmoCrmScript().on(
			'GET',
			nameSearch('Shifo+Med'),
			found(
				// amoCRM's search also finds names that only contain the words
				listedCompany(11, 'Shifo Med Pharmacy', []),
				listedCompany(12, 'SHIFO  med', []),
			),
		);
		const output = await runNode({
			script,
			items: [
				{
					...base,
					name: 'Shifo Med',
					phones: { phone: [{ number: '+998712021441', type: 'WORK' }] },
					avoidDuplicates: true,
				},
			],
		});
		expect(output).toEqual([
			{ json: { id: 12, name: 'SHIFO  med', reused: true, url: url(12) }, pairedItem: { item: 0 } },
		]);
		expect(script.sent).toHaveLength(1);
	});

	it('returns the existing company with the same phone when no name matches', async () => {
		const script = new AmoCrmScript()
			// a number typed without + is read with the account's country
			.on('GET', '/api/v4/account', accountAnswer('UZ'))
			.on('GET', nameSearch('Shifo+Med'), found(listedCompany(11, 'Shifo Med Pharmacy', [])))
			.on(
				'GET',
				nameSearch('712021441'),
				found(listedCompany(21, 'Shifo Med (old name)', ['+998 (71) 202-14-41'])),
			);
		const output = await runNode({
			script,
			items: [
				{
					...base,
					name: 'Shifo Med',
					phones: { phone: [{ number: '998712021441', type: 'WORK' }] },
					emails: { email: [{ address: 'info@shifomed.uz', type: 'WORK' }] },
				},
			],
		});
		expect(output[0].json).toEqual({
			id: 21,
			name: 'Shifo Med (old name)',
			reused: true,
			url: url(21),
		});
		expect(script.pending()).toEqual([]);
		expect(script.sent).toHaveLength(3);
	});

	it('returns the existing company with the same email when neither name nor phone matches', async () => {
		const script = new AmoCrmScript()
			.on('GET', nameSearch('Shifo+Med'), { status: 204 })
			.on(
				'GET',
				nameSearch('712021441'),
				// the digits in another company's other number are no match
				found(listedCompany(31, 'Other', ['+7 712 021 44 10'])),
			)
			.on(
				'GET',
				nameSearch('info%40shifomed.uz'),
				found(listedCompany(32, 'Shifo', [], ['INFO@shifomed.uz'])),
			);
		const output = await runNode({
			script,
			items: [
				{
					...base,
					name: 'Shifo Med',
					phones: { phone: [{ number: '+998712021441', type: 'WORK' }] },
					emails: { email: [{ address: 'info@shifomed.uz', type: 'WORK' }] },
				},
			],
		});
		expect(output[0].json).toEqual({ id: 32, name: 'Shifo', reused: true, url: url(32) });
	});

	it('makes one company of items of one run with the same name, phone or email, in one request', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/account', accountAnswer('UZ'))
			.on('GET', nameSearch('Shifo+Med'), { status: 204 })
			.on('GET', nameSearch('712021441'), { status: 204 })
			.on('GET', nameSearch('Nur+Optika'), { status: 204 })
			.on('GET', nameSearch('nur%40optika.uz'), { status: 204 })
			.on('GET', nameSearch('Dori+Darmon'), { status: 204 })
			.on('POST', '/api/v4/companies', created([7001, '0'], [7002, '2'], [7004, '4']));
		const output = await runNode({
			script,
			items: [
				{ ...base, name: 'Shifo Med', phones: { phone: [{ number: '+998712021441' }] } },
				// the same name, typed otherwise
				{ ...base, name: 'shifo med' },
				{ ...base, name: 'Nur Optika', emails: { email: [{ address: 'nur@optika.uz' }] } },
				// another name, but item 0's phone: the same company
				{ ...base, name: 'Shifo Med Clinic', phones: { phone: [{ number: '998 71 202 14 41' }] } },
				{ ...base, name: 'Dori Darmon' },
				// item 2's email
				{ ...base, name: 'Nur', emails: { email: [{ address: 'NUR@optika.uz' }] } },
			],
		});
		expect(script.sent.map((request) => `${request.method} ${request.url}`)).toEqual([
			'GET https://e2e.amocrm.ru/api/v4/account',
			'GET https://e2e.amocrm.ru/api/v4/companies?query=Shifo+Med&limit=50',
			'GET https://e2e.amocrm.ru/api/v4/companies?query=712021441&limit=50',
			'GET https://e2e.amocrm.ru/api/v4/companies?query=Nur+Optika&limit=50',
			'GET https://e2e.amocrm.ru/api/v4/companies?query=nur%40optika.uz&limit=50',
			'GET https://e2e.amocrm.ru/api/v4/companies?query=Dori+Darmon&limit=50',
			'POST https://e2e.amocrm.ru/api/v4/companies',
		]);
		expect(
			(script.sent[6].body as Array<{ name: string; request_id: string }>).map((company) => [
				company.name,
				company.request_id,
			]),
		).toEqual([
			['Shifo Med', '0'],
			['Nur Optika', '2'],
			['Dori Darmon', '4'],
		]);
		expect(
			output.map((item) => [item.json.id, item.json.name, item.json.reused, item.pairedItem]),
		).toEqual([
			[7001, 'Shifo Med', false, { item: 0 }],
			[7001, 'Shifo Med', true, { item: 1 }],
			[7002, 'Nur Optika', false, { item: 2 }],
			[7001, 'Shifo Med', true, { item: 3 }],
			[7004, 'Dori Darmon', false, { item: 4 }],
			[7002, 'Nur Optika', true, { item: 5 }],
		]);
	});

	it('creates every item without searching when Avoid Duplicates is off, even with the same name', async () => {
		const script = new AmoCrmScript().on('POST', '/api/v4/companies', created([1, '0'], [2, '1']));
		const output = await runNode({
			script,
			items: [
				{ ...base, name: 'Shifo Med', avoidDuplicates: false },
				{ ...base, name: 'Shifo Med', avoidDuplicates: false },
			],
		});
		expect(script.sent.map((request) => request.method)).toEqual(['POST']);
		expect(script.sent[0].body).toEqual([
			{ name: 'Shifo Med', request_id: '0' },
			{ name: 'Shifo Med', request_id: '1' },
		]);
		expect(output.map((item) => item.json)).toEqual([
			{ id: 1, name: 'Shifo Med', reused: false, url: url(1) },
			{ id: 2, name: 'Shifo Med', reused: false, url: url(2) },
		]);
	});

	it('refuses a company without a name before any request', async () => {
		const script = new AmoCrmScript();
		await expect(
			runNode({
				script,
				items: [{ ...base, name: '  ', phones: { phone: [{ number: '+998712021441' }] } }],
			}),
		).rejects.toMatchObject({
			message: 'Name is empty',
			description:
				"Enter the company's name, or map it from an earlier node, e.g. {{ $json.company }}.",
			context: { itemIndex: 0 },
		});
		expect(script.sent).toEqual([]);
	});

	it('refuses a bad phone, a malformed email and a responsible user that is not an ID, naming the field, before any request', async () => {
		const script = new AmoCrmScript();
		await expect(
			runNode({
				script,
				items: [
					{ ...base, name: 'A' },
					{
						...base,
						name: 'B',
						phones: { phone: [{ number: '+998712021441' }, { number: 'call us' }] },
					},
				],
			}),
		).rejects.toMatchObject({
			message: 'Phones, row 2: "call us" is not a phone number',
			context: { itemIndex: 1 },
		});
		await expect(
			runNode({
				script,
				items: [{ ...base, name: 'A', emails: { email: [{ address: 'info@' }] } }],
			}),
		).rejects.toMatchObject({
			message: 'Emails, row 1: "info@" is not an email address',
			description: 'Use an address like name@example.com, or leave it empty.',
		});
		await expect(
			runNode({
				script,
				items: [{ ...base, name: 'A', additionalFields: { responsibleUserId: 'Olga' } }],
			}),
		).rejects.toMatchObject({ message: 'Responsible User ID must be a number, not "Olga"' });
		await expect(
			runNode({
				script,
				items: [{ ...base, name: 'A', customFields: { field: [{ fieldId: '', value: 'x' }] } }],
			}),
		).rejects.toMatchObject({ message: 'Custom Fields, row 1: no field chosen' });
		expect(script.sent).toEqual([]);
	});

	it('refuses a value a company field cannot take, after reading the company fields once more', async () => {
		const fields = {
			body: {
				_embedded: {
					custom_fields: [
						{
							id: 5004,
							name: 'Segment',
							type: 'select',
							code: null,
							enums: [{ id: 7, value: 'Clinic' }],
						},
					],
				},
			},
		};
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/companies/custom_fields?page=1&limit=250', fields)
			.on('GET', '/api/v4/companies/custom_fields?page=1&limit=250', fields);
		await expect(
			runNode({
				script,
				items: [
					{ ...base, name: 'A', customFields: { field: [{ fieldId: 5004, value: 'Bank' }] } },
				],
			}),
		).rejects.toMatchObject({
			message: 'Custom Fields: "Bank" is not one of the choices of "Segment": "Clinic"',
			context: { itemIndex: 0 },
		});
		// The list read a moment ago counts as fresh: one read.
		expect(script.sent.map((request) => request.method)).toEqual(['GET']);
	});

	it('names the company field amoCRM refused', async () => {
		const fields = {
			body: {
				_embedded: {
					custom_fields: [{ id: 5003, name: 'TIN', type: 'text', code: null, enums: null }],
				},
			},
		};
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/companies/custom_fields?page=1&limit=250', fields)
			.on('GET', '/api/v4/companies/custom_fields?page=1&limit=250', fields)
			.on('POST', '/api/v4/companies', validationRefusal('custom_fields_values.0.field_id'));
		await expect(
			runNode({
				script,
				items: [
					{
						...base,
						name: 'A',
						avoidDuplicates: false,
						customFields: { field: [{ fieldId: 5003, value: '30123' }] },
					},
				],
			}),
		).rejects.toMatchObject({
			message:
				'amoCRM refused the company: custom field "TIN" (ID 5003): The value you selected is not a valid choice.',
			httpCode: '400',
			context: { itemIndex: 0 },
		});
	});

	it('turns a failing item into an error item with Continue On Fail; an item the same as a failed one says which to fix', async () => {
		const script = new AmoCrmScript()
			.on('GET', nameSearch('Good'), { status: 204 })
			.on('GET', nameSearch('Refused'), { status: 204 })
			.on('POST', '/api/v4/companies', {
				status: 400,
				body: {
					'validation-errors': [
						{
							request_id: '1',
							errors: [{ code: 'InvalidType', path: 'name', detail: 'This value is not valid.' }],
						},
					],
					title: 'Bad Request',
					status: 400,
					detail: 'Request validation failed',
				},
			})
			.on('POST', '/api/v4/companies', created([9, '2']));
		const output = await runNode({
			script,
			continueOnFail: true,
			items: [
				{ ...base, name: '' },
				{ ...base, name: 'Refused' },
				{ ...base, name: 'Good' },
				{ ...base, name: 'REFUSED' },
			],
		});
		expect(output[0]).toMatchObject({
			json: { error: 'Name is empty' },
			pairedItem: { item: 0 },
		});
		expect(output[0].error).toBeInstanceOf(NodeOperationError);
		expect(output[1]).toMatchObject({
			json: { error: expect.stringMatching(/^amoCRM refused the company/) },
			pairedItem: { item: 1 },
		});
		expect(output[2]).toEqual({
			json: { id: 9, name: 'Good', reused: false, url: url(9) },
			pairedItem: { item: 2 },
		});
		expect(output[3]).toMatchObject({
			json: {
				error: 'Not created: item 1 has the same name, phone or email and could not be created',
			},
			pairedItem: { item: 3 },
		});
		expect(script.sent.map((request) => request.method)).toEqual(['GET', 'GET', 'POST', 'POST']);
	});
});

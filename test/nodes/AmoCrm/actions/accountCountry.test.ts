/**
 * Phones typed without a country code, with Options > Default Country Code empty: the node
 * completes them with the amoCRM account's own country (`GET /api/v4/account` -> `country`),
 * read once and only when a number needs it. The option still overrides.
 */
import { AmoCrmScript } from '../../../support/executeContext';
import {
	accountAnswer,
	complexCreated,
	contactCreated,
	contactsFound,
	listedContact,
} from '../../../support/amoCrmAnswers';
import { resetTransportState, runNode } from '../../../support/runNode';

beforeEach(() => resetTransportState());

const contact = (phone: string, options: Record<string, unknown> = {}) => ({
	resource: 'contact',
	operation: 'create',
	name: 'Ivan',
	phones: { phone: [{ number: phone, type: 'MOB' }] },
	avoidDuplicates: true,
	options,
});

describe('Contact > Create: a phone without a country code', () => {
	it('in a Russian account, 8 901 555-00-11 finds the contact stored as +79015550011 instead of making a second one', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/account', accountAnswer('RU'))
			.on(
				'GET',
				'/api/v4/contacts?query=015550011&limit=50',
				contactsFound(listedContact(40401635, 'Ivan Petrov', ['+79015550011'])),
			);
		const output = await runNode({ script, items: [contact('8 901 555-00-11')] });
		expect(script.sent.map((request) => `${request.method} ${request.url}`)).toEqual([
			'GET https://e2e.amocrm.ru/api/v4/account',
			'GET https://e2e.amocrm.ru/api/v4/contacts?query=015550011&limit=50',
		]);
		expect(output).toEqual([
			{
				json: {
					id: 40401635,
					name: 'Ivan Petrov',
					reused: true,
					url: 'https://e2e.amocrm.ru/contacts/detail/40401635',
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('in a Kazakh account, 8 701 555 00 11 is stored as +77015550011', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/account', accountAnswer('KZ'))
			.on('POST', '/api/v4/contacts', contactCreated(7));
		await runNode({ script, items: [{ ...contact('8 701 555 00 11'), avoidDuplicates: false }] });
		expect(script.sent[1].body).toEqual([
			{
				name: 'Ivan',
				custom_fields_values: [
					{ field_code: 'PHONE', values: [{ value: '+77015550011', enum_code: 'MOB' }] },
				],
				request_id: '0',
			},
		]);
	});

	it('in an Uzbek account, a 9-digit 90 123-45-67 is stored as +998901234567; the account is read once for all items', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/account', accountAnswer('UZ'))
			.on('POST', '/api/v4/contacts', {
				body: {
					_embedded: {
						contacts: [
							{ id: 1, request_id: '0' },
							{ id: 2, request_id: '1' },
						],
					},
				},
			});
		await runNode({
			script,
			items: [
				{ ...contact('90 123-45-67'), avoidDuplicates: false },
				{ ...contact('(93) 555 00 11'), avoidDuplicates: false },
			],
		});
		expect(script.sent.map((request) => request.method)).toEqual(['GET', 'POST']);
		expect(
			(script.sent[1].body as Array<{ custom_fields_values: unknown }>).map(
				(body) => body.custom_fields_values,
			),
		).toEqual([
			[{ field_code: 'PHONE', values: [{ value: '+998901234567', enum_code: 'MOB' }] }],
			[{ field_code: 'PHONE', values: [{ value: '+998935550011', enum_code: 'MOB' }] }],
		]);
	});

	it("Default Country Code overrides the account's country, and then the account is not read", async () => {
		const script = new AmoCrmScript().on('POST', '/api/v4/contacts', contactCreated(8));
		await runNode({
			script,
			items: [
				{ ...contact('90 123-45-67', { defaultCountryCode: '998' }), avoidDuplicates: false },
			],
		});
		expect(script.sent.map((request) => request.url)).toEqual([
			'https://e2e.amocrm.ru/api/v4/contacts',
		]);
		expect(script.sent[0].body).toEqual([
			{
				name: 'Ivan',
				custom_fields_values: [
					{ field_code: 'PHONE', values: [{ value: '+998901234567', enum_code: 'MOB' }] },
				],
				request_id: '0',
			},
		]);
	});

	it('a number with + needs no country: the account is not read', async () => {
		const script = new AmoCrmScript().on('POST', '/api/v4/contacts', contactCreated(9));
		await runNode({ script, items: [{ ...contact('+998 90 123-45-67'), avoidDuplicates: false }] });
		expect(script.sent.map((request) => request.url)).toEqual([
			'https://e2e.amocrm.ru/api/v4/contacts',
		]);
	});

	it("a number that does not fit the account's country fails its item before any create, saying how to fix it", async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/account', accountAnswer('RU'));
		await expect(runNode({ script, items: [contact('90 123 45 67')] })).rejects.toMatchObject({
			message: 'Phones, row 1: "90 123 45 67" is not a phone number',
			description:
				'Use 7 to 15 digits with an optional +, spaces, dashes or brackets, e.g. +998 71 202-14-41. Read with country RU: start a number from another country with + and its code, or set Options > Default Country Code.',
			context: { itemIndex: 0 },
		});
		expect(script.sent.map((request) => request.url)).toEqual([
			'https://e2e.amocrm.ru/api/v4/account',
		]);
	});

	it("a number stored in amoCRM without its country code is read with the account's country when comparing", async () => {
		const script = new AmoCrmScript()
			.on(
				'GET',
				'/api/v4/contacts?query=015550011&limit=50',
				contactsFound(listedContact(12, 'Ivan (typed by a manager)', ['8 (901) 555-00-11'])),
			)
			.on('GET', '/api/v4/account', accountAnswer('RU'));
		const output = await runNode({ script, items: [contact('+7 901 555-00-11')] });
		expect(output[0].json).toEqual({
			id: 12,
			name: 'Ivan (typed by a manager)',
			reused: true,
			url: 'https://e2e.amocrm.ru/contacts/detail/12',
		});
		// The country is read only once a stored number needs it.
		expect(script.sent.map((request) => request.url)).toEqual([
			'https://e2e.amocrm.ru/api/v4/contacts?query=015550011&limit=50',
			'https://e2e.amocrm.ru/api/v4/account',
		]);
	});
});

describe('Deal > Create with a New Contact: a phone without a country code', () => {
	it("is completed with the account's country", async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/account', accountAnswer('UZ'))
			.on('POST', '/api/v4/leads/complex', complexCreated(9001, 40401700));
		await runNode({
			script,
			items: [
				{
					resource: 'deal',
					operation: 'create',
					name: 'Site lead',
					contactMode: 'new',
					newContactName: 'Aziz',
					newContactPhone: '90 123 45 67',
					newContactAvoidDuplicates: false,
				},
			],
		});
		expect(script.sent[1].body).toEqual([
			{
				name: 'Site lead',
				_embedded: {
					contacts: [
						{
							name: 'Aziz',
							custom_fields_values: [
								{ field_code: 'PHONE', values: [{ value: '+998901234567', enum_code: 'MOB' }] },
							],
						},
					],
				},
				request_id: '0',
			},
		]);
	});
});

describe('Contact > Search by phone', () => {
	it("completes the searched number with the account's country", async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/account', accountAnswer('RU'))
			.on(
				'GET',
				'/api/v4/contacts?query=015550011&limit=50',
				contactsFound(listedContact(40401635, 'Ivan Petrov', ['+7 901 555-00-11'])),
			);
		const output = await runNode({
			script,
			items: [
				{
					resource: 'contact',
					operation: 'search',
					searchBy: 'phone',
					searchValue: '8 901 555-00-11',
				},
			],
		});
		expect(output.map((item) => item.json.id)).toEqual([40401635]);
	});
});

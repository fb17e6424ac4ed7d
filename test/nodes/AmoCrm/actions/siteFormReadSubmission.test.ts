/**
 * Site Form > Read Submission: the Webhook's item in, one checked lead out. A bad submission is
 * output (valid: false, errors per field), never thrown, so a workflow can answer 400 with it.
 */
import type { IDataObject } from 'n8n-workflow';

import { AmoCrmScript } from '../../../support/executeContext';
import { accountAnswer } from '../../../support/amoCrmAnswers';
import { resetTransportState, runNode } from '../../../support/runNode';

beforeEach(() => resetTransportState());

const read = (
	formFields: IDataObject | IDataObject[] | number[] | string,
	extra: Record<string, unknown> = {},
	contentType = 'application/json',
) => ({
	resource: 'siteForm',
	operation: 'readSubmission',
	formFields,
	contentType,
	requiredFields: ['name', 'phone'],
	...extra,
});

const lead = (json: Record<string, unknown>) => ({ json, pairedItem: { item: 0 } });

describe('Site Form > Read Submission', () => {
	it('reads known fields by name whatever their case, keeps every other field, and asks amoCRM nothing when a country code is given', async () => {
		const script = new AmoCrmScript();
		const output = await runNode({
			script,
			items: [
				read(
					{
						Name: ' Aziza Karimova ',
						PHONE: '90 123 45 67',
						Email: 'aziza@example.uz',
						source: 'instagram',
						Message: 'Call after 6',
						product_id: 'HA-200',
						city: 'Tashkent',
						'Preferred time': 'evening',
					},
					{ options: { defaultCountryCode: '998' } },
				),
			],
		});
		expect(script.sent).toEqual([]);
		expect(output).toEqual([
			lead({
				valid: true,
				errors: {},
				errorMessage: '',
				name: 'Aziza Karimova',
				phone: '+998901234567',
				email: 'aziza@example.uz',
				source: 'instagram',
				message: 'Call after 6',
				productId: 'HA-200',
				phoneChecked: true,
				fields: { city: 'Tashkent', 'Preferred time': 'evening' },
			}),
		]);
	});

	it('outputs a bad submission with what to fix per field instead of failing', async () => {
		const output = await runNode({
			items: [
				read(
					{ phone: 'call me', email: 'aziza@', message: 'x'.repeat(4001), tags: { a: 1 } },
					{ options: { defaultCountryCode: '998' } },
				),
			],
		});
		expect(output).toEqual([
			lead({
				valid: false,
				errors: {
					message: 'shorten it to 4000 characters',
					tags: 'send a text value',
					name: 'fill it in',
					email: 'type an email address like name@example.com',
					phone:
						'"call me" is not a phone number. Use 7 to 15 digits with an optional +, spaces, dashes or brackets, e.g. +998 71 202-14-41. Read with country 998: start a number from another country with + and its code.',
				},
				errorMessage: 'Invalid lead: message, tags, name, email, phone',
				name: '',
				phone: '',
				email: 'aziza@',
				source: '',
				message: '',
				productId: '',
				phoneChecked: true,
				fields: {},
			}),
		]);
	});

	it('refuses "8 901 555-00-11" read with 998 with a clear message, never +89015550011', async () => {
		const output = await runNode({
			items: [
				read(
					{ name: 'Ivan', phone: '8 901 555-00-11' },
					{ options: { defaultCountryCode: '998' } },
				),
			],
		});
		expect(output[0].json).toMatchObject({
			valid: false,
			phone: '',
			errors: {
				phone:
					'"8 901 555-00-11" is not a phone number of country code 998. With country code 998 a number that starts with 8 is 8 and 9 more digits. Type a number from another country with + and its code, e.g. +7 901 555-00-11.',
			},
		});
	});

	it('refuses a form sent as text/plain, naming the Content-Type', async () => {
		const output = await runNode({ items: [read('name=Aziza', {}, 'text/plain; charset=utf-8')] });
		expect(output[0].json).toMatchObject({
			valid: false,
			errors: {
				'Content-Type':
					'send the form as application/json, application/x-www-form-urlencoded or multipart/form-data, not text/plain',
			},
			errorMessage: 'Invalid lead: Content-Type',
			fields: {},
		});
	});

	it('refuses a body that is not form fields', async () => {
		const output = await runNode({ items: [read([1, 2])] });
		expect(output[0].json.errors).toEqual({
			body: 'send the form fields (a JSON object or form fields)',
		});
	});

	it('reads the form fields named in Form Field Names, several per field, check boxes as one text', async () => {
		const output = await runNode({
			items: [
				read(
					{ 'Full Name': 'Aziza', tel: '+998 71 202-14-41', Interests: ['hearing', 'repair'] },
					{ fieldNames: { name: 'fio, full_name', phone: 'tel' }, requiredFields: ['name'] },
				),
			],
		});
		expect(output[0].json).toMatchObject({
			valid: true,
			name: 'Aziza',
			phone: '+998712021441',
			fields: { Interests: 'hearing, repair' },
		});
	});

	it("with Default Country Code empty, completes the phone with the account's country, read once for all items", async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/account', accountAnswer('RU'));
		const output = await runNode({
			script,
			items: [
				read({ name: 'Ivan', phone: '8 901 555-00-11' }),
				read({ name: 'Olga', phone: '8 (916) 123-45-67' }),
			],
		});
		expect(script.sent.map((request) => `${request.method} ${request.url}`)).toEqual([
			'GET https://e2e.amocrm.ru/api/v4/account',
		]);
		expect(output.map((item) => [item.json.valid, item.json.phone])).toEqual([
			[true, '+79015550011'],
			[true, '+79161234567'],
		]);
	});

	it('when amoCRM refuses the credential, still reads the lead: a national phone is kept as typed digits, phoneChecked false', async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/account', {
			status: 401,
			body: { title: 'Unauthorized', status: 401, detail: 'Invalid token' },
		});
		const output = await runNode({
			script,
			items: [read({ name: 'Ivan', phone: '8 901 555-00-11' })],
		});
		expect(output).toEqual([
			lead({
				valid: true,
				errors: {},
				errorMessage: '',
				name: 'Ivan',
				phone: '89015550011',
				email: '',
				source: '',
				message: '',
				productId: '',
				phoneChecked: false,
				fields: {},
			}),
		]);
	});

	it('after amoCRM could not be asked, the posts of the next minute do not ask again (each would wait for the read to give up)', async () => {
		const refused = new AmoCrmScript().on('GET', '/api/v4/account', {
			status: 401,
			body: { title: 'Unauthorized', status: 401, detail: 'Invalid token' },
		});
		await runNode({ script: refused, items: [read({ name: 'Ivan', phone: '8 901 555-00-11' })] });
		const next = new AmoCrmScript();
		const output = await runNode({
			script: next,
			items: [read({ name: 'Olga', phone: '8 (916) 123-45-67' })],
		});
		expect(next.sent).toEqual([]);
		expect(output[0].json).toMatchObject({
			valid: true,
			phone: '89161234567',
			phoneChecked: false,
		});
	});

	it('a phone with + needs no country: amoCRM is not asked', async () => {
		const script = new AmoCrmScript();
		const output = await runNode({
			script,
			items: [read({ name: 'Ivan', phone: '+7 901 555-00-11' })],
		});
		expect(script.sent).toEqual([]);
		expect(output[0].json).toMatchObject({
			valid: true,
			phone: '+79015550011',
			phoneChecked: true,
		});
	});
});

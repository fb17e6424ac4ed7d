import { AmoCrmScript } from '../../../support/executeContext';
import { resetTransportState, runNode } from '../../../support/runNode';

const base = { resource: 'contact', operation: 'search' };
const contact = (id: number, name: string, phones: string[], emails: string[] = []) => ({
	id,
	name,
	custom_fields_values: [
		{ field_id: 3001, field_code: 'PHONE', values: phones.map((value) => ({ value })) },
		{ field_id: 3002, field_code: 'EMAIL', values: emails.map((value) => ({ value })) },
	],
});

beforeEach(() => resetTransportState());

describe('Contact > Search', () => {
	it('returns only contacts whose phone really matches', async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/contacts?query=712021441&limit=50', {
			body: {
				_embedded: {
					contacts: [
						contact(1, 'Match', ['+998 71 202 14 41'], ['a@b.uz']),
						contact(2, 'Text only', ['+1 712021441 99']),
					],
				},
			},
		});
		const output = await runNode({
			script,
			items: [
				{
					...base,
					searchBy: 'phone',
					searchValue: '71 202-14-41',
					options: { defaultCountryCode: '998' },
				},
			],
		});
		expect(output).toEqual([
			{
				json: {
					id: 1,
					name: 'Match',
					phones: ['+998 71 202 14 41'],
					emails: ['a@b.uz'],
					url: 'https://e2e.amocrm.ru/contacts/detail/1',
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('matches emails without regard to case', async () => {
		const script = new AmoCrmScript().on(
			'GET',
			'/api/v4/contacts?query=aziz%40example.uz&limit=50',
			{
				body: {
					_embedded: {
						contacts: [
							contact(3, 'Aziz', [], ['AZIZ@example.uz']),
							contact(4, 'Forwarded', [], ['other@example.uz']),
						],
					},
				},
			},
		);
		const output = await runNode({
			script,
			items: [{ ...base, searchBy: 'email', searchValue: 'aziz@example.uz' }],
		});
		expect(output.map((item) => item.json.id)).toEqual([3]);
	});

	it("returns amoCRM's full-text hits up to the limit", async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/contacts?query=Karimov&limit=2', {
			body: { _embedded: { contacts: [contact(5, 'A Karimov', []), contact(6, 'B Karimov', [])] } },
		});
		const output = await runNode({
			script,
			items: [{ ...base, searchBy: 'query', searchValue: 'Karimov', options: { limit: 2 } }],
		});
		expect(output.map((item) => item.json.id)).toEqual([5, 6]);
	});

	it('returns nothing when amoCRM finds nothing (204)', async () => {
		const script = new AmoCrmScript().on(
			'GET',
			'/api/v4/contacts?query=nobody%40example.uz&limit=50',
			{ status: 204 },
		);
		expect(
			await runNode({
				script,
				items: [{ ...base, searchBy: 'email', searchValue: 'nobody@example.uz' }],
			}),
		).toEqual([]);
	});

	it('refuses a phone that is not a phone number', async () => {
		await expect(
			runNode({
				script: new AmoCrmScript(),
				items: [{ ...base, searchBy: 'phone', searchValue: 'abc' }],
			}),
		).rejects.toMatchObject({
			message: '"abc" is not a phone number',
		});
	});
});

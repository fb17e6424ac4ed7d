import { readableContact, storedContact } from '../../../support/contactRecords';
import { AmoCrmScript } from '../../../support/executeContext';
import { resetTransportState, runNode } from '../../../support/runNode';

const base = { resource: 'contact', operation: 'getAll' };

beforeEach(() => resetTransportState());

const { _embedded: embedded, ...plain } = storedContact;
const listed = (id: number) => ({ ...plain, id, _embedded: { tags: embedded.tags } });
const output = (id: number) => ({
	...readableContact,
	id,
	url: `https://e2e.amocrm.ru/contacts/detail/${id}`,
});

describe('Contact > Get Many', () => {
	it('sends the filters as amoCRM takes them, dates as Unix seconds, and reads only up to Limit', async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/contacts', {
			body: {
				_page: 1,
				_links: { next: { href: 'https://e2e.amocrm.ru/api/v4/contacts?page=2' } },
				_embedded: { contacts: [listed(1), listed(2)] },
			},
		});
		const result = await runNode({
			script,
			items: [
				{
					...base,
					returnAll: false,
					limit: 2,
					filters: {
						responsibleUserId: '504141',
						createdFrom: '2026-11-01T00:00:00Z',
						createdTo: '2026-11-30T23:59:59Z',
						updatedFrom: 1764547200,
						query: ' Karimov ',
					},
				},
			],
		});
		expect(script.sent.map((request) => request.qs)).toEqual([
			{
				'filter[responsible_user_id]': 504141,
				'filter[created_at][from]': 1793491200,
				'filter[created_at][to]': 1796083199,
				'filter[updated_at][from]': 1764547200,
				query: 'Karimov',
				page: 1,
				limit: 2,
			},
		]);
		expect(result).toEqual([
			{ json: output(1), pairedItem: { item: 0 } },
			{ json: output(2), pairedItem: { item: 0 } },
		]);
	});

	it("follows amoCRM's pages with Return All until there is no next page", async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/contacts', {
				body: {
					_links: { next: { href: 'https://e2e.amocrm.ru/api/v4/contacts?page=2' } },
					_embedded: { contacts: [listed(1)] },
				},
			})
			.on('GET', '/api/v4/contacts', { body: { _embedded: { contacts: [listed(2)] } } });
		const result = await runNode({ script, items: [{ ...base, returnAll: true }] });
		expect(script.sent.map((request) => request.qs)).toEqual([
			{ page: 1, limit: 250 },
			{ page: 2, limit: 250 },
		]);
		expect(result.map((item) => item.json.id)).toEqual([1, 2]);
	});

	it('returns nothing when amoCRM has no contact (its 204)', async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/contacts', { status: 204 });
		expect(await runNode({ script, items: [{ ...base, returnAll: true }] })).toEqual([]);
	});

	it('refuses a wrong date, dates the wrong way round, a wrong user and a wrong limit before any request', async () => {
		const script = new AmoCrmScript();
		const run = (extra: object) => runNode({ script, items: [{ ...base, ...extra }] });
		await expect(run({ filters: { createdFrom: 'yesterday' } })).rejects.toMatchObject({
			message: 'Filters > Created After: "yesterday" is not a date',
			description:
				'Pick a date in the calendar, or map a date such as 2026-11-26T09:00:00 or a Unix timestamp in seconds.',
			context: { itemIndex: 0 },
		});
		await expect(
			run({ filters: { updatedFrom: '2026-11-02T00:00:00Z', updatedTo: '2026-11-01T00:00:00Z' } }),
		).rejects.toMatchObject({
			message: 'Filters > Updated After is later than Updated Before',
			description: 'Nothing can match: set Updated After to a moment before Updated Before.',
		});
		await expect(run({ filters: { responsibleUserId: 'Anna' } })).rejects.toMatchObject({
			message: 'Filters > Responsible User ID must be a number, not "Anna"',
		});
		await expect(run({ returnAll: false, limit: 0 })).rejects.toMatchObject({
			message: 'Limit must be a whole number of 1 or more, not "0"',
		});
		expect(script.sent).toEqual([]);
	});
});

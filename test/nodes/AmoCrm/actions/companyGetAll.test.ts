import { expectedCompany, companyRecord } from '../../../support/companyRecords';
import { AmoCrmScript } from '../../../support/executeContext';
import { resetTransportState, runNode } from '../../../support/runNode';

beforeEach(() => resetTransportState());

describe('Company > Get Many', () => {
	const getAll = { resource: 'company', operation: 'getAll' };

	it('reads up to Limit companies matching the filters, in pages only as large as needed', async () => {
		const script = new AmoCrmScript().on(
			'GET',
			'/api/v4/companies?filter%5Bresponsible_user_id%5D=502&filter%5Bcreated_at%5D%5Bfrom%5D=1764288000&filter%5Bcreated_at%5D%5Bto%5D=1764374399&filter%5Bupdated_at%5D%5Bfrom%5D=1764288000&query=Shifo&page=1&limit=2',
			{
				body: {
					_page: 1,
					_links: { next: { href: 'https://e2e.amocrm.ru/api/v4/companies?page=2' } },
					_embedded: { companies: [companyRecord(7001), companyRecord(7002)] },
				},
			},
		);
		const result = await runNode({
			script,
			items: [
				{
					...getAll,
					returnAll: false,
					limit: 2,
					filters: {
						responsibleUserId: '502',
						createdFrom: '2025-11-28T00:00:00Z',
						createdTo: '2025-11-28T23:59:59Z',
						updatedFrom: '1764288000',
						query: ' Shifo ',
					},
				},
			],
		});
		expect(result).toEqual([
			{ json: expectedCompany(7001), pairedItem: { item: 0 } },
			{ json: expectedCompany(7002), pairedItem: { item: 0 } },
		]);
		expect(script.pending()).toEqual([]);
	});

	it("reads every page with Return All until amoCRM's answer has no next page", async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/companies?page=1&limit=250', {
				body: {
					_links: { next: { href: 'https://e2e.amocrm.ru/api/v4/companies?page=2' } },
					_embedded: { companies: [companyRecord(1)] },
				},
			})
			.on('GET', '/api/v4/companies?page=2&limit=250', {
				body: { _embedded: { companies: [companyRecord(2)] } },
			});
		const result = await runNode({ script, items: [{ ...getAll, returnAll: true }] });
		expect(result.map((item) => item.json.id)).toEqual([1, 2]);
		expect(script.pending()).toEqual([]);
	});

	it('outputs nothing when no company matches (amoCRM answers 204)', async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/companies?query=none&page=1&limit=50', {
			status: 204,
		});
		expect(await runNode({ script, items: [{ ...getAll, filters: { query: 'none' } }] })).toEqual(
			[],
		);
	});

	it('refuses a wrong filter or limit before any request', async () => {
		const script = new AmoCrmScript();
		await expect(
			runNode({
				script,
				items: [
					{
						...getAll,
						filters: { createdFrom: '2025-11-29T00:00:00Z', createdTo: '2025-11-28T00:00:00Z' },
					},
				],
			}),
		).rejects.toMatchObject({
			message: 'Filters > Created After is later than Created Before',
			description: 'Nothing can match: set Created After to a moment before Created Before.',
		});
		await expect(
			runNode({ script, items: [{ ...getAll, filters: { updatedTo: 'yesterday' } }] }),
		).rejects.toMatchObject({ message: 'Filters > Updated Before: "yesterday" is not a date' });
		await expect(
			runNode({ script, items: [{ ...getAll, filters: { responsibleUserId: 'Olga' } }] }),
		).rejects.toMatchObject({
			message: 'Filters > Responsible User ID must be a number, not "Olga"',
		});
		await expect(runNode({ script, items: [{ ...getAll, limit: 0 }] })).rejects.toMatchObject({
			message: 'Limit must be a whole number of 1 or more, not "0"',
		});
		expect(script.sent).toEqual([]);
	});
});

import { expectedCompany, companyRecord } from '../../../support/companyRecords';
import { AmoCrmScript } from '../../../support/executeContext';
import { resetTransportState, runNode } from '../../../support/runNode';

const base = { resource: 'company', operation: 'get' };

beforeEach(() => resetTransportState());

describe('Company > Get', () => {
	it('reads the company chosen from the list: phones, emails, custom fields by name, tags', async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/companies/7001', {
			body: companyRecord(7001),
		});
		const result = await runNode({
			script,
			items: [{ ...base, companyId: { __rl: true, mode: 'list', value: '7001' } }],
		});
		expect(script.sent.map((request) => request.url)).toEqual([
			'https://e2e.amocrm.ru/api/v4/companies/7001',
		]);
		expect(result).toEqual([{ json: expectedCompany(7001), pairedItem: { item: 0 } }]);
	});

	it('adds the IDs of its contacts and deals when asked (with=contacts,leads), for a pasted page address', async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/companies/7001?with=contacts%2Cleads', {
			body: companyRecord(7001, {
				contacts: [{ id: 40401635, _links: {} }, { id: 40401636 }],
				leads: [{ id: 9001 }],
			}),
		});
		const result = await runNode({
			script,
			items: [
				{
					...base,
					companyId: {
						__rl: true,
						mode: 'url',
						value: 'https://e2e.amocrm.ru/companies/detail/7001',
					},
					options: { includeContacts: true, includeDeals: true },
				},
			],
		});
		expect(result[0].json).toEqual({
			...expectedCompany(7001),
			contactIds: [40401635, 40401636],
			dealIds: [9001],
			url: 'https://e2e.amocrm.ru/companies/detail/7001',
		});
		expect(script.pending()).toEqual([]);
	});

	it('says which company was not found (amoCRM answers 204)', async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/companies/404', { status: 204 });
		await expect(runNode({ script, items: [{ ...base, companyId: '404' }] })).rejects.toMatchObject(
			{
				message: 'Company 404 was not found in amoCRM',
				description:
					'Check the company chosen in Company: it may have been deleted or merged into another one.',
				context: { itemIndex: 0 },
			},
		);
	});

	it('refuses an empty or wrong company before any request', async () => {
		const script = new AmoCrmScript();
		await expect(
			runNode({ script, items: [{ ...base, companyId: { __rl: true, mode: 'id', value: ' ' } }] }),
		).rejects.toMatchObject({ message: 'Company is empty', context: { itemIndex: 0 } });
		await expect(
			runNode({
				script,
				items: [{ ...base, companyId: 'https://e2e.amocrm.ru/contacts/detail/5' }],
			}),
		).rejects.toMatchObject({
			message:
				'Company must be an amoCRM ID or the company\'s page address, not "https://e2e.amocrm.ru/contacts/detail/5"',
		});
		expect(script.sent).toEqual([]);
	});
});

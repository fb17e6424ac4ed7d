import { AmoCrmScript } from '../../../support/executeContext';
import { readableContact, storedContact } from '../../../support/contactRecords';
import { resetTransportState, runNode } from '../../../support/runNode';

const base = { resource: 'contact', operation: 'get' };

beforeEach(() => resetTransportState());

describe('Contact > Get', () => {
	it('reads the contact with its deals and company, phones and emails as lists, custom fields by name', async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/contacts/40401635', {
			body: storedContact,
		});
		const output = await runNode({
			script,
			items: [
				{
					...base,
					contactId: { __rl: true, mode: 'list', value: '40401635' },
					options: { includeDeals: true, includeCompanies: true },
				},
			],
		});
		expect(script.sent).toEqual([
			{
				credentialType: 'amoCrmApi',
				method: 'GET',
				url: 'https://e2e.amocrm.ru/api/v4/contacts/40401635?with=leads%2Ccompanies',
				qs: { with: 'leads,companies' },
				body: undefined,
			},
		]);
		expect(output).toEqual([
			{
				json: { ...readableContact, dealIds: [9001, 9002], companyIds: [301] },
				pairedItem: { item: 0 },
			},
		]);
	});

	it('asks for nothing more without the options, and takes the contact from its page address', async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/contacts/40401635', {
			body: storedContact,
		});
		const output = await runNode({
			script,
			items: [
				{
					...base,
					contactId: {
						__rl: true,
						mode: 'url',
						value: 'https://e2e.amocrm.ru/contacts/detail/40401635',
					},
				},
			],
		});
		expect(script.sent[0].url).toBe('https://e2e.amocrm.ru/api/v4/contacts/40401635');
		expect(output).toEqual([{ json: readableContact, pairedItem: { item: 0 } }]);
	});

	it('says which contact amoCRM does not have (its 204)', async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/contacts/5', { status: 204 });
		await expect(runNode({ script, items: [{ ...base, contactId: 5 }] })).rejects.toMatchObject({
			message: 'Contact 5 was not found in amoCRM',
			description:
				'Check the contact chosen in Contact: it may have been deleted or merged into another one.',
			context: { itemIndex: 0 },
		});
	});

	it('refuses an empty contact and a deal page address before any request', async () => {
		const script = new AmoCrmScript();
		await expect(
			runNode({ script, items: [{ ...base, contactId: { __rl: true, mode: 'list', value: '' } }] }),
		).rejects.toMatchObject({
			message: 'Contact is empty',
			description:
				'Choose the contact from the list, paste its amoCRM page address, or map its ID from an earlier node, e.g. {{ $json.id }}.',
		});
		await expect(
			runNode({
				script,
				items: [{ ...base, contactId: 'https://e2e.amocrm.ru/leads/detail/9001' }],
			}),
		).rejects.toMatchObject({
			message:
				'Contact must be an amoCRM ID or the contact\'s page address, not "https://e2e.amocrm.ru/leads/detail/9001"',
		});
		expect(script.sent).toEqual([]);
	});
});

import { AmoCrmScript } from '../../../support/executeContext';
import { resetTransportState, runNode } from '../../../support/runNode';

const base = { resource: 'contact', operation: 'linkCompany' };

beforeEach(() => resetTransportState());

describe('Contact > Link to Company', () => {
	it('links the contact to the company', async () => {
		const script = new AmoCrmScript().on('POST', '/api/v4/contacts/40401635/link', {
			body: {
				_total_items: 1,
				_embedded: {
					links: [
						{
							entity_id: 40401635,
							entity_type: 'contacts',
							to_entity_id: 301,
							to_entity_type: 'companies',
						},
					],
				},
			},
		});
		const output = await runNode({
			script,
			items: [
				{
					...base,
					contactId: { __rl: true, mode: 'id', value: '40401635' },
					companyId: {
						__rl: true,
						mode: 'url',
						value: 'https://e2e.amocrm.ru/companies/detail/301',
					},
				},
			],
		});
		expect(script.sent).toEqual([
			{
				credentialType: 'amoCrmApi',
				method: 'POST',
				url: 'https://e2e.amocrm.ru/api/v4/contacts/40401635/link',
				qs: undefined,
				body: [{ to_entity_id: 301, to_entity_type: 'companies' }],
			},
		]);
		expect(output).toEqual([
			{ json: { contactId: 40401635, companyId: 301 }, pairedItem: { item: 0 } },
		]);
	});

	it('refuses an empty company and a word for a contact before any request', async () => {
		const script = new AmoCrmScript();
		await expect(
			runNode({ script, items: [{ ...base, contactId: 1, companyId: '' }] }),
		).rejects.toMatchObject({
			message: 'Company is empty',
			description:
				'Choose the company from the list, paste its amoCRM page address, or map its ID from an earlier node, e.g. {{ $json.id }}.',
		});
		await expect(
			runNode({ script, items: [{ ...base, contactId: 'Aziz', companyId: 301 }] }),
		).rejects.toMatchObject({
			message: 'Contact must be an amoCRM ID or the contact\'s page address, not "Aziz"',
		});
		expect(script.sent).toEqual([]);
	});

	it('says what amoCRM could not find', async () => {
		const script = new AmoCrmScript().on('POST', '/api/v4/contacts/7/link', {
			status: 404,
			body: { title: 'Not Found', status: 404, detail: 'Not Found' },
		});
		await expect(
			runNode({ script, items: [{ ...base, contactId: 7, companyId: 8 }] }),
		).rejects.toMatchObject({
			message: 'Contact 7 or company 8 was not found in amoCRM',
			httpCode: '404',
		});
	});
});

import { AmoCrmScript } from '../../../support/executeContext';
import { resetTransportState, runNode } from '../../../support/runNode';

const base = { resource: 'deal', operation: 'linkContact' };

beforeEach(() => resetTransportState());

describe('Deal > Link Contact', () => {
	it('links the contact to the deal as main contact', async () => {
		const script = new AmoCrmScript().on('POST', '/api/v4/leads/9001/link', {
			body: {
				_total_items: 1,
				_embedded: {
					links: [
						{
							entity_id: 9001,
							entity_type: 'leads',
							to_entity_id: 40401635,
							to_entity_type: 'contacts',
							metadata: { main_contact: true },
						},
					],
				},
			},
		});
		const output = await runNode({
			script,
			items: [{ ...base, dealId: '9001', contactId: 40401635, isMain: true }],
		});
		expect(script.sent[0].body).toEqual([
			{ to_entity_id: 40401635, to_entity_type: 'contacts', metadata: { is_main: true } },
		]);
		expect(output).toEqual([
			{ json: { dealId: 9001, contactId: 40401635, isMain: true }, pairedItem: { item: 0 } },
		]);
	});

	it('links as a secondary contact when Main Contact is off', async () => {
		const script = new AmoCrmScript().on('POST', '/api/v4/leads/5/link', {
			body: { _embedded: { links: [] } },
		});
		await runNode({ script, items: [{ ...base, dealId: 5, contactId: 6, isMain: false }] });
		expect(script.sent[0].body).toEqual([
			{ to_entity_id: 6, to_entity_type: 'contacts', metadata: { is_main: false } },
		]);
	});

	it('refuses an empty deal before any request', async () => {
		const script = new AmoCrmScript();
		await expect(
			runNode({ script, items: [{ ...base, dealId: '', contactId: 6 }] }),
		).rejects.toMatchObject({
			message: 'Deal is empty',
			description:
				'Choose the deal from the list, paste its amoCRM page address, or map its ID from an earlier node, e.g. {{ $json.id }}.',
		});
		expect(script.sent).toEqual([]);
	});

	it('takes the deal and the contact from the list, a pasted page, or an ID (locators)', async () => {
		const script = new AmoCrmScript().on('POST', '/api/v4/leads/9001/link', {
			body: { _embedded: { links: [] } },
		});
		const output = await runNode({
			script,
			items: [
				{
					...base,
					dealId: { __rl: true, mode: 'list', value: '9001', cachedResultName: 'Order (#9001)' },
					contactId: {
						__rl: true,
						mode: 'url',
						value: 'https://e2e.amocrm.ru/contacts/detail/40401635',
					},
					isMain: true,
				},
			],
		});
		expect(output[0].json).toEqual({ dealId: 9001, contactId: 40401635, isMain: true });
	});

	it('refuses a contact page pasted where the deal goes, before any request', async () => {
		const script = new AmoCrmScript();
		await expect(
			runNode({
				script,
				items: [{ ...base, dealId: 'https://e2e.amocrm.ru/contacts/detail/5', contactId: 6 }],
			}),
		).rejects.toMatchObject({
			message:
				'Deal must be an amoCRM ID or the deal\'s page address, not "https://e2e.amocrm.ru/contacts/detail/5"',
		});
		expect(script.sent).toEqual([]);
	});

	it('says which deal amoCRM could not find', async () => {
		const script = new AmoCrmScript().on('POST', '/api/v4/leads/404/link', {
			status: 404,
			body: { title: 'Not Found', status: 404, detail: 'Not Found' },
		});
		await expect(
			runNode({ script, items: [{ ...base, dealId: 404, contactId: 6 }] }),
		).rejects.toMatchObject({
			message: 'Deal 404 was not found in amoCRM',
			httpCode: '404',
		});
	});
});

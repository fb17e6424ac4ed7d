import { AmoCrmScript } from '../../../support/executeContext';
import { patched } from '../../../support/dealAnswers';
import { resetTransportState, runNode } from '../../../support/runNode';

const base = { resource: 'tag', operation: 'add' };

beforeEach(() => resetTransportState());

describe('Tag > Add', () => {
	it('adds tags by name to deals in one PATCH, other tags untouched (tags_to_add)', async () => {
		const script = new AmoCrmScript().on('PATCH', '/api/v4/leads', patched('leads', 9001, 9002));
		const output = await runNode({
			script,
			items: [
				{
					...base,
					entityType: 'deal',
					dealId: { __rl: true, mode: 'url', value: 'https://e2e.amocrm.ru/leads/detail/9001' },
					tags: ' paid , vip ',
				},
				{ ...base, entityType: 'deal', dealId: '9002', tags: 'paid' },
			],
		});
		expect(script.sent).toHaveLength(1);
		expect(script.sent[0].body).toEqual([
			{ id: 9001, tags_to_add: [{ name: 'paid' }, { name: 'vip' }], request_id: '0' },
			{ id: 9002, tags_to_add: [{ name: 'paid' }], request_id: '1' },
		]);
		expect(output).toEqual([
			{
				json: {
					id: 9001,
					entityType: 'deal',
					tagsAdded: ['paid', 'vip'],
					url: 'https://e2e.amocrm.ru/leads/detail/9001',
				},
				pairedItem: { item: 0 },
			},
			{
				json: {
					id: 9002,
					entityType: 'deal',
					tagsAdded: ['paid'],
					url: 'https://e2e.amocrm.ru/leads/detail/9002',
				},
				pairedItem: { item: 1 },
			},
		]);
	});

	it('adds tags to a contact with PATCH /contacts, keeping the item order across deals and contacts', async () => {
		const script = new AmoCrmScript()
			.on('PATCH', '/api/v4/leads', patched('leads', 7))
			.on('PATCH', '/api/v4/contacts', patched('contacts', 40401635));
		const output = await runNode({
			script,
			items: [
				{ ...base, entityType: 'contact', contactId: '40401635', tags: 'newsletter' },
				{ ...base, entityType: 'deal', dealId: 7, tags: 'paid' },
			],
		});
		expect(script.sent[1]).toMatchObject({
			method: 'PATCH',
			url: 'https://e2e.amocrm.ru/api/v4/contacts',
			body: [{ id: 40401635, tags_to_add: [{ name: 'newsletter' }], request_id: '0' }],
		});
		expect(output.map((item) => [item.json.url, item.pairedItem])).toEqual([
			['https://e2e.amocrm.ru/contacts/detail/40401635', { item: 0 }],
			['https://e2e.amocrm.ru/leads/detail/7', { item: 1 }],
		]);
	});

	it('refuses empty tags before any request', async () => {
		const script = new AmoCrmScript();
		await expect(
			runNode({ script, items: [{ ...base, entityType: 'deal', dealId: 7, tags: ' , ' }] }),
		).rejects.toMatchObject({
			message: 'Tags is empty',
			description: 'Enter the tag names to add, separated by commas, e.g. paid, vip.',
			context: { itemIndex: 0 },
		});
		expect(script.sent).toEqual([]);
	});

	it('refuses a deal page pasted where the contact goes, before any request', async () => {
		const script = new AmoCrmScript();
		await expect(
			runNode({
				script,
				items: [
					{
						...base,
						entityType: 'contact',
						contactId: 'https://e2e.amocrm.ru/leads/detail/7',
						tags: 'x',
					},
				],
			}),
		).rejects.toMatchObject({
			message:
				'Contact must be an amoCRM ID or the contact\'s page address, not "https://e2e.amocrm.ru/leads/detail/7"',
		});
		expect(script.sent).toEqual([]);
	});
});

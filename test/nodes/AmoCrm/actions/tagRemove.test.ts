import { AmoCrmScript } from '../../../support/executeContext';
import { patched } from '../../../support/dealAnswers';
import { resetTransportState, runNode } from '../../../support/runNode';

const base = { resource: 'tag', operation: 'remove' };

beforeEach(() => resetTransportState());

describe('Tag > Remove', () => {
	it('removes tags by name from a deal, other tags untouched (tags_to_delete)', async () => {
		const script = new AmoCrmScript().on('PATCH', '/api/v4/leads', patched('leads', 9001));
		const output = await runNode({
			script,
			items: [{ ...base, entityType: 'deal', dealId: 9001, tags: 'new, cold' }],
		});
		expect(script.sent[0].body).toEqual([
			{ id: 9001, tags_to_delete: [{ name: 'new' }, { name: 'cold' }], request_id: '0' },
		]);
		expect(output[0].json).toEqual({
			id: 9001,
			entityType: 'deal',
			tagsRemoved: ['new', 'cold'],
			url: 'https://e2e.amocrm.ru/leads/detail/9001',
		});
	});

	it('removes tags from a contact', async () => {
		const script = new AmoCrmScript().on('PATCH', '/api/v4/contacts', patched('contacts', 12));
		await runNode({
			script,
			items: [
				{
					...base,
					entityType: 'contact',
					contactId: { __rl: true, mode: 'id', value: '12' },
					tags: 'cold',
				},
			],
		});
		expect(script.sent[0].body).toEqual([
			{ id: 12, tags_to_delete: [{ name: 'cold' }], request_id: '0' },
		]);
	});

	it('says which deal amoCRM does not know; with Continue On Fail only that item fails', async () => {
		const script = new AmoCrmScript()
			.on('PATCH', '/api/v4/leads', {
				status: 400,
				body: {
					'validation-errors': [
						{
							request_id: '0',
							errors: [{ code: 'NotFound', path: 'id', detail: 'Entity not found' }],
						},
					],
					title: 'Bad Request',
					status: 400,
					detail: 'Request validation failed',
				},
			})
			.on('PATCH', '/api/v4/leads', patched('leads', 2));
		const output = await runNode({
			script,
			continueOnFail: true,
			items: [
				{ ...base, entityType: 'deal', dealId: 1, tags: 'cold' },
				{ ...base, entityType: 'deal', dealId: 2, tags: 'cold' },
			],
		});
		expect(output.map((item) => item.json.error ?? item.json.id)).toEqual([
			'Deal 1 was not found in amoCRM',
			2,
		]);
	});
});

import { AmoCrmScript } from '../../../support/executeContext';
import { resetTransportState, runNode } from '../../../support/runNode';

const base = { resource: 'note', operation: 'getAll' };

beforeEach(() => resetTransportState());

/** A note as amoCRM lists it (GET /api/v4/{entity}/{id}/notes). */
const stored = (id: number, entityId: number, noteType = 'common', text = 'Called back') => ({
	id,
	entity_id: entityId,
	created_by: 504141,
	updated_by: 504141,
	created_at: 1764115200,
	updated_at: 1764115200,
	responsible_user_id: 504141,
	group_id: 0,
	note_type: noteType,
	params: { text },
	account_id: 28805383,
	_links: { self: { href: `https://e2e.amocrm.ru/api/v4/companies/${entityId}/notes/${id}` } },
});

describe('Note > Get Many', () => {
	it("reads a company's notes of the types chosen, up to Limit", async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/companies/301/notes', {
			body: {
				_links: { next: { href: 'https://e2e.amocrm.ru/api/v4/companies/301/notes?page=2' } },
				_embedded: { notes: [stored(5, 301), stored(6, 301, 'call_in', '')] },
			},
		});
		const output = await runNode({
			script,
			items: [
				{
					...base,
					entityType: 'company',
					entityId: { __rl: true, mode: 'list', value: '301' },
					returnAll: false,
					limit: 2,
					filters: { noteTypes: ['common', 'call_in'] },
				},
			],
		});
		expect(script.sent).toEqual([
			{
				credentialType: 'amoCrmApi',
				method: 'GET',
				url: 'https://e2e.amocrm.ru/api/v4/companies/301/notes?filter%5Bnote_type%5D%5B0%5D=common&filter%5Bnote_type%5D%5B1%5D=call_in&page=1&limit=2',
				qs: {
					'filter[note_type][0]': 'common',
					'filter[note_type][1]': 'call_in',
					page: 1,
					limit: 2,
				},
				body: undefined,
			},
		]);
		const common = {
			entityType: 'company',
			entityId: 301,
			responsibleUserId: 504141,
			createdBy: 504141,
			createdAt: '2025-11-26T00:00:00.000Z',
			updatedAt: '2025-11-26T00:00:00.000Z',
		};
		expect(output).toEqual([
			{
				json: {
					id: 5,
					...common,
					noteType: 'common',
					text: 'Called back',
					params: { text: 'Called back' },
				},
				pairedItem: { item: 0 },
			},
			{
				json: { id: 6, ...common, noteType: 'call_in', text: '', params: { text: '' } },
				pairedItem: { item: 0 },
			},
		]);
	});

	it("reads every page of a deal's notes with Return All, the deal given by its page address", async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/leads/9001/notes', {
				body: {
					_links: { next: { href: 'https://e2e.amocrm.ru/api/v4/leads/9001/notes?page=2' } },
					_embedded: { notes: [stored(1, 9001)] },
				},
			})
			.on('GET', '/api/v4/leads/9001/notes', { body: { _embedded: { notes: [stored(2, 9001)] } } });
		const output = await runNode({
			script,
			items: [
				{
					...base,
					entityType: 'deal',
					entityId: { __rl: true, mode: 'url', value: 'https://e2e.amocrm.ru/leads/detail/9001' },
					returnAll: true,
				},
			],
		});
		expect(script.sent.map((request) => request.qs)).toEqual([
			{ page: 1, limit: 250 },
			{ page: 2, limit: 250 },
		]);
		expect(output.map((item) => [item.json.id, item.json.entityType])).toEqual([
			[1, 'deal'],
			[2, 'deal'],
		]);
	});

	it('returns nothing for a contact without notes (amoCRM answers 204)', async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/contacts/12/notes', { status: 204 });
		expect(
			await runNode({
				script,
				items: [{ ...base, entityType: 'contact', entityId: '12', returnAll: true }],
			}),
		).toEqual([]);
	});

	it('refuses a contact page address given for a deal before any request', async () => {
		const script = new AmoCrmScript();
		await expect(
			runNode({
				script,
				items: [
					{
						...base,
						entityType: 'deal',
						entityId: 'https://e2e.amocrm.ru/contacts/detail/12',
						returnAll: true,
					},
				],
			}),
		).rejects.toMatchObject({
			message:
				'Deal must be an amoCRM ID or the deal\'s page address, not "https://e2e.amocrm.ru/contacts/detail/12"',
			context: { itemIndex: 0 },
		});
		expect(script.sent).toEqual([]);
	});
});

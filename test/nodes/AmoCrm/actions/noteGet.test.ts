import { FakeAmoCrm } from '../../../fakes/amocrm';
import { AmoCrmScript } from '../../../support/executeContext';
import { runAgainstFake } from '../../../support/fakeAmoCrm';
import { resetTransportState, runNode } from '../../../support/runNode';

beforeEach(() => resetTransportState());

const get = { resource: 'note', operation: 'get' };

// GET /api/v4/{entity_type}/notes/{id}, amoCRM's example (crm_platform/events-and-notes).
const NOTE = {
	id: 42709325,
	entity_id: 26050861,
	created_by: 940088,
	updated_by: 940088,
	created_at: 1540407495,
	updated_at: 1540408317,
	responsible_user_id: 939801,
	group_id: 0,
	note_type: 'common',
	params: { text: 'Текст примечания' },
	account_id: 17079858,
	_links: { self: { href: 'https://example.amocrm.ru/api/v4/leads/26050861/notes/42709325' } },
};

describe('Note > Get', () => {
	it("reads the note from the chosen entity type's notes and outputs it as Get Many does", async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/leads/notes/42709325', { body: NOTE });
		const output = await runNode({
			script,
			items: [{ ...get, entityType: 'deal', noteId: '42709325' }],
		});
		expect(script.sent.map((request) => `${request.method} ${request.url}`)).toEqual([
			'GET https://e2e.amocrm.ru/api/v4/leads/notes/42709325',
		]);
		expect(output).toEqual([
			{
				json: {
					id: 42709325,
					entityType: 'deal',
					entityId: 26050861,
					noteType: 'common',
					text: 'Текст примечания',
					params: { text: 'Текст примечания' },
					responsibleUserId: 939801,
					createdBy: 940088,
					createdAt: '2018-10-24T18:58:15.000Z',
					updatedAt: '2018-10-24T19:11:57.000Z',
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('fails the item when amoCRM has no such note there, saying what to check', async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/contacts/notes/5', { status: 204 });
		await expect(
			runNode({ script, items: [{ ...get, entityType: 'contact', noteId: 5 }] }),
		).rejects.toMatchObject({
			message: 'Note 5 was not found among the contact notes in amoCRM',
			description:
				'Check Note ID, and that Note Of names what the note is on (a contact): the note may also have been deleted.',
		});
	});

	it('refuses an empty Note ID before any request', async () => {
		const script = new AmoCrmScript();
		await expect(
			runNode({ script, items: [{ ...get, entityType: 'company', noteId: '' }] }),
		).rejects.toMatchObject({ message: 'Note ID is empty' });
		expect(script.sent).toEqual([]);
	});
});

test('against the fake amoCRM: a note added is read back by its ID', async () => {
	const fake = new FakeAmoCrm({ accessTokens: ['test-token'] });
	const company = fake.seedCompany({ name: 'Shifo Med' });
	const added = await runAgainstFake(fake, {
		items: [
			{
				resource: 'note',
				operation: 'add',
				entityType: 'company',
				entityId: company.id,
				text: 'Met at the fair',
			},
		],
	});
	const read = await runAgainstFake(fake, {
		items: [{ ...get, entityType: 'company', noteId: added[0].json.id }],
	});
	expect(read[0].json).toMatchObject({
		id: added[0].json.id,
		entityType: 'company',
		entityId: company.id,
		noteType: 'common',
		text: 'Met at the fair',
		params: { text: 'Met at the fair' },
	});
	const elsewhere = await runAgainstFake(fake, {
		continueOnFail: true,
		items: [{ ...get, entityType: 'deal', noteId: added[0].json.id }],
	});
	expect(elsewhere[0].json.error).toBe(
		`Note ${String(added[0].json.id)} was not found among the deal notes in amoCRM`,
	);
});

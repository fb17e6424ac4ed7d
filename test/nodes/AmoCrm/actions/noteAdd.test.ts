import { AmoCrmScript } from '../../../support/executeContext';
import { resetTransportState, runNode } from '../../../support/runNode';

const base = { resource: 'note', operation: 'add' };
const created = { body: { _embedded: { notes: [{ id: 77, entity_id: 9001, request_id: '0' }] } } };

beforeEach(() => resetTransportState());

describe('Note > Add', () => {
	it('adds a common note to a deal', async () => {
		const script = new AmoCrmScript().on('POST', '/api/v4/leads/notes', created);
		const output = await runNode({ script, items: [{ ...base, entityType: 'deal', entityId: '9001', text: ' Needs a fitting on Monday ' }] });
		expect(script.sent[0]).toMatchObject({ method: 'POST', url: 'https://e2e.amocrm.ru/api/v4/leads/notes' });
		expect(script.sent[0].body).toEqual([{ entity_id: 9001, note_type: 'common', params: { text: 'Needs a fitting on Monday' }, request_id: '0' }]);
		expect(output).toEqual([{ json: { id: 77, entityType: 'deal', entityId: 9001, text: 'Needs a fitting on Monday' }, pairedItem: { item: 0 } }]);
	});

	it('adds a note to a contact', async () => {
		const script = new AmoCrmScript().on('POST', '/api/v4/contacts/notes', created);
		await runNode({ script, items: [{ ...base, entityType: 'contact', entityId: 12, text: 'Called back' }] });
		expect(script.sent[0].url).toBe('https://e2e.amocrm.ru/api/v4/contacts/notes');
		expect(script.sent[0].body).toEqual([{ entity_id: 12, note_type: 'common', params: { text: 'Called back' }, request_id: '0' }]);
	});

	it('refuses empty text before any request', async () => {
		const script = new AmoCrmScript();
		await expect(runNode({ script, items: [{ ...base, entityType: 'deal', entityId: 1, text: '   ' }] })).rejects.toMatchObject({
			message: 'Text is empty',
			context: { itemIndex: 0 },
		});
		expect(script.sent).toEqual([]);
	});

	it('says which contact amoCRM could not find', async () => {
		const script = new AmoCrmScript().on('POST', '/api/v4/contacts/notes', {
			status: 400,
			body: {
				'validation-errors': [{ request_id: '0', errors: [{ code: 'NotFound', path: 'entity_id', detail: 'Entity not found' }] }],
				title: 'Bad Request',
				status: 400,
				detail: 'Request validation failed',
			},
		});
		await expect(runNode({ script, items: [{ ...base, entityType: 'contact', entityId: 3, text: 'x' }] })).rejects.toMatchObject({
			message: 'Contact 3 was not found in amoCRM',
			context: { itemIndex: 0 },
		});
	});
});

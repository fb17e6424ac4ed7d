import { AmoCrmScript } from '../../../support/executeContext';
import { resetTransportState, runNode } from '../../../support/runNode';

const base = { resource: 'note', operation: 'add' };
const created = { body: { _embedded: { notes: [{ id: 77, entity_id: 9001, request_id: '0' }] } } };

beforeEach(() => resetTransportState());

describe('Note > Add', () => {
	it('adds a common note to a deal', async () => {
		const script = new AmoCrmScript().on('POST', '/api/v4/leads/notes', created);
		const output = await runNode({
			script,
			items: [
				{ ...base, entityType: 'deal', entityId: '9001', text: ' Needs a fitting on Monday ' },
			],
		});
		expect(script.sent[0]).toMatchObject({
			method: 'POST',
			url: 'https://e2e.amocrm.ru/api/v4/leads/notes',
		});
		expect(script.sent[0].body).toEqual([
			{
				entity_id: 9001,
				note_type: 'common',
				params: { text: 'Needs a fitting on Monday' },
				request_id: '0',
			},
		]);
		expect(output).toEqual([
			{
				json: { id: 77, entityType: 'deal', entityId: 9001, text: 'Needs a fitting on Monday' },
				pairedItem: { item: 0 },
			},
		]);
	});

	it('adds a note to a contact', async () => {
		const script = new AmoCrmScript().on('POST', '/api/v4/contacts/notes', created);
		await runNode({
			script,
			items: [{ ...base, entityType: 'contact', entityId: 12, text: 'Called back' }],
		});
		expect(script.sent[0].url).toBe('https://e2e.amocrm.ru/api/v4/contacts/notes');
		expect(script.sent[0].body).toEqual([
			{ entity_id: 12, note_type: 'common', params: { text: 'Called back' }, request_id: '0' },
		]);
	});

	it('adds a note to a company chosen from the list', async () => {
		const script = new AmoCrmScript().on('POST', '/api/v4/companies/notes', created);
		const output = await runNode({
			script,
			items: [
				{
					...base,
					entityType: 'company',
					entityId: { __rl: true, mode: 'list', value: '301' },
					text: 'Signed the contract',
				},
			],
		});
		expect(script.sent[0].url).toBe('https://e2e.amocrm.ru/api/v4/companies/notes');
		expect(script.sent[0].body).toEqual([
			{
				entity_id: 301,
				note_type: 'common',
				params: { text: 'Signed the contract' },
				request_id: '0',
			},
		]);
		expect(output[0].json).toEqual({
			id: 77,
			entityType: 'company',
			entityId: 301,
			text: 'Signed the contract',
		});
	});

	it("takes the deal from its page address, and refuses a contact's page for a deal before any request", async () => {
		const script = new AmoCrmScript().on('POST', '/api/v4/leads/notes', created);
		await runNode({
			script,
			items: [
				{
					...base,
					entityType: 'deal',
					entityId: { __rl: true, mode: 'url', value: 'https://e2e.amocrm.ru/leads/detail/9001' },
					text: 'x',
				},
			],
		});
		expect((script.sent[0].body as Array<{ entity_id: number }>)[0].entity_id).toBe(9001);
		await expect(
			runNode({
				script,
				items: [
					{
						...base,
						entityType: 'deal',
						entityId: 'https://e2e.amocrm.ru/contacts/detail/12',
						text: 'x',
					},
				],
			}),
		).rejects.toMatchObject({
			message:
				'Deal must be an amoCRM ID or the deal\'s page address, not "https://e2e.amocrm.ru/contacts/detail/12"',
		});
		expect(script.sent).toHaveLength(1);
	});

	it('refuses empty text before any request', async () => {
		const script = new AmoCrmScript();
		await expect(
			runNode({ script, items: [{ ...base, entityType: 'deal', entityId: 1, text: '   ' }] }),
		).rejects.toMatchObject({
			message: 'Text is empty',
			context: { itemIndex: 0 },
		});
		expect(script.sent).toEqual([]);
	});

	it('says which contact amoCRM could not find', async () => {
		const script = new AmoCrmScript().on('POST', '/api/v4/contacts/notes', {
			status: 400,
			body: {
				'validation-errors': [
					{
						request_id: '0',
						errors: [{ code: 'NotFound', path: 'entity_id', detail: 'Entity not found' }],
					},
				],
				title: 'Bad Request',
				status: 400,
				detail: 'Request validation failed',
			},
		});
		await expect(
			runNode({ script, items: [{ ...base, entityType: 'contact', entityId: 3, text: 'x' }] }),
		).rejects.toMatchObject({
			message: 'Contact 3 was not found in amoCRM',
			context: { itemIndex: 0 },
		});
	});

	// amoCRM's other shape of a 400: `errors[]` instead of `validation-errors` (amocrm/amocrm-api-php#52).
	const entityNotFound = (requestId?: string) => ({
		status: 400,
		body: {
			_total_items: 0,
			errors: [
				{
					title: 'Entity not found',
					status: 400,
					detail: 'Entity not found',
					...(requestId === undefined ? {} : { request_id: requestId }),
				},
			],
		},
	});
	const notes = (...entities: Array<[number, number, string]>) => ({
		body: {
			_embedded: {
				notes: entities.map(([id, entityId, requestId]) => ({
					id,
					entity_id: entityId,
					request_id: requestId,
				})),
			},
		},
	});
	const threeNotes = [9001, 9002, 9003].map((entityId) => ({
		...base,
		entityType: 'deal',
		entityId,
		text: `Note for ${entityId}`,
	}));

	it('a 400 with errors[] naming its item fails only that note; the others are sent again and created', async () => {
		const script = new AmoCrmScript()
			.on('POST', '/api/v4/leads/notes', entityNotFound('1'))
			.on('POST', '/api/v4/leads/notes', notes([71, 9001, '0'], [73, 9003, '2']));
		const output = await runNode({ script, continueOnFail: true, items: threeNotes });
		expect(
			script.sent.map((request) =>
				(request.body as Array<{ entity_id: number }>).map((note) => note.entity_id),
			),
		).toEqual([
			[9001, 9002, 9003],
			[9001, 9003],
		]);
		expect(output.map((item) => item.json)).toEqual([
			{ id: 71, entityType: 'deal', entityId: 9001, text: 'Note for 9001' },
			{
				error: 'Deal 9002 was not found in amoCRM',
				description:
					'amoCRM answered "Entity not found". Check the ID given to this node: the deal or contact may have been deleted or merged.',
			},
			{ id: 73, entityType: 'deal', entityId: 9003, text: 'Note for 9003' },
		]);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('a 400 with errors[] naming no item: each note is sent on its own, so that only the unknown deal fails', async () => {
		const script = new AmoCrmScript()
			.on('POST', '/api/v4/leads/notes', entityNotFound())
			.on('POST', '/api/v4/leads/notes', notes([71, 9001, '0']))
			.on('POST', '/api/v4/leads/notes', entityNotFound())
			.on('POST', '/api/v4/leads/notes', notes([73, 9003, '2']));
		const output = await runNode({ script, continueOnFail: true, items: threeNotes });
		expect(
			script.sent.map((request) =>
				(request.body as Array<{ entity_id: number }>).map((note) => note.entity_id),
			),
		).toEqual([[9001, 9002, 9003], [9001], [9002], [9003]]);
		expect(output.map((item) => item.json.error ?? item.json.id)).toEqual([
			71,
			'Deal 9002 was not found in amoCRM',
			73,
		]);
	});

	it('without Continue On Fail the unknown deal stops the node, naming its item and what was created', async () => {
		const script = new AmoCrmScript()
			.on('POST', '/api/v4/leads/notes', entityNotFound())
			.on('POST', '/api/v4/leads/notes', notes([71, 9001, '0']))
			.on('POST', '/api/v4/leads/notes', entityNotFound());
		const error = await runNode({ script, items: threeNotes }).catch((caught: unknown) => caught);
		expect(error).toMatchObject({
			message: 'Deal 9002 was not found in amoCRM',
			context: { itemIndex: 1 },
		});
		expect((error as { description: string }).description).toContain(
			'Items 0 were created in amoCRM before this (note IDs 71): do not send them again. Not created: items 1, 2.',
		);
	});

	it('a contact note refused with errors[] "Entity not found" names the contact', async () => {
		const script = new AmoCrmScript().on('POST', '/api/v4/contacts/notes', entityNotFound('0'));
		await expect(
			runNode({ script, items: [{ ...base, entityType: 'contact', entityId: 3, text: 'x' }] }),
		).rejects.toMatchObject({
			message: 'Contact 3 was not found in amoCRM',
			context: { itemIndex: 0 },
		});
	});
});

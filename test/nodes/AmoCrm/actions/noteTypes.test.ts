import { FakeAmoCrm } from '../../../fakes/amocrm';
import { AmoCrmScript } from '../../../support/executeContext';
import { runAgainstFake } from '../../../support/fakeAmoCrm';
import { resetTransportState, runNode } from '../../../support/runNode';

beforeEach(() => resetTransportState());

const add = { resource: 'note', operation: 'add', entityType: 'deal', entityId: 9001 };
const update = { resource: 'note', operation: 'update', entityType: 'deal', noteId: 77 };
const created = (...ids: number[]) => ({
	body: {
		_embedded: {
			notes: ids.map((id, index) => ({ id, entity_id: 9001, request_id: String(index) })),
		},
	},
});

describe('Note > Add: note types', () => {
	it("sends each type's params as amoCRM documents them (events-and-notes), in one batch", async () => {
		const script = new AmoCrmScript().on('POST', '/api/v4/leads/notes', created(1, 2, 3, 4, 5));
		const output = await runNode({
			script,
			items: [
				{
					...add,
					noteType: 'call_in',
					phone: ' +998901234567 ',
					duration: 95,
					callStatus: 4,
					link: 'https://pbx.example.com/records/1.mp3',
					source: 'Zadarma',
					callResult: 'Agreed on a fitting',
					uniq: 'zd-1001',
				},
				// A missed outgoing call: no recording, no status, the default source.
				{ ...add, noteType: 'call_out', phone: '+998901234568', duration: 0, uniq: 'zd-1002' },
				{ ...add, noteType: 'sms_in', phone: '+998901234567', text: 'Is Monday fine?' },
				{ ...add, noteType: 'sms_out', phone: '+998901234567', text: 'Yes, at 10:00' },
				{ ...add, noteType: 'service_message', service: 'Payme', text: 'Paid 150 000 sum' },
			],
		});
		expect(script.sent[0].body).toEqual([
			{
				entity_id: 9001,
				note_type: 'call_in',
				params: {
					phone: '+998901234567',
					uniq: 'zd-1001',
					duration: 95,
					source: 'Zadarma',
					link: 'https://pbx.example.com/records/1.mp3',
					call_status: 4,
					call_result: 'Agreed on a fitting',
				},
				request_id: '0',
			},
			{
				entity_id: 9001,
				note_type: 'call_out',
				params: { phone: '+998901234568', uniq: 'zd-1002', duration: 0, source: 'n8n' },
				request_id: '1',
			},
			{
				entity_id: 9001,
				note_type: 'sms_in',
				params: { text: 'Is Monday fine?', phone: '+998901234567' },
				request_id: '2',
			},
			{
				entity_id: 9001,
				note_type: 'sms_out',
				params: { text: 'Yes, at 10:00', phone: '+998901234567' },
				request_id: '3',
			},
			{
				entity_id: 9001,
				note_type: 'service_message',
				params: { text: 'Paid 150 000 sum', service: 'Payme' },
				request_id: '4',
			},
		]);
		expect(output[1].json).toEqual({
			id: 2,
			entityType: 'deal',
			entityId: 9001,
			noteType: 'call_out',
			params: { phone: '+998901234568', uniq: 'zd-1002', duration: 0, source: 'n8n' },
		});
		expect(output[2].json).toEqual({
			id: 3,
			entityType: 'deal',
			entityId: 9001,
			noteType: 'sms_in',
			text: 'Is Monday fine?',
			params: { text: 'Is Monday fine?', phone: '+998901234567' },
		});
	});

	it('keeps a workflow saved before note types a text note', async () => {
		const script = new AmoCrmScript().on('POST', '/api/v4/leads/notes', created(1));
		const output = await runNode({ script, items: [{ ...add, text: 'Called back' }] });
		expect(script.sent[0].body).toEqual([
			{ entity_id: 9001, note_type: 'common', params: { text: 'Called back' }, request_id: '0' },
		]);
		expect(output[0].json).toEqual({
			id: 1,
			entityType: 'deal',
			entityId: 9001,
			text: 'Called back',
		});
	});

	it.each([
		[{ noteType: 'call_in', phone: '' }, 'Phone is empty'],
		[{ noteType: 'sms_out', phone: '+998901234567', text: ' ' }, 'Text is empty'],
		[{ noteType: 'service_message', text: 'Paid', service: '' }, 'Service Name is empty'],
		[
			{ noteType: 'call_in', phone: '+998901234567', duration: -5 },
			'Duration (Seconds) must be a whole number of 0 or more, not "-5"',
		],
		[
			{ noteType: 'call_out', phone: '+998901234567', duration: 'a minute' },
			'Duration (Seconds) must be a whole number of 0 or more, not "a minute"',
		],
		[
			{ noteType: 'call_in', phone: '+998901234567', link: 'records/1.mp3' },
			'Recording Link must be a web address, not "records/1.mp3"',
		],
		[
			{ noteType: 'call_in', phone: '+998901234567', callStatus: 9 },
			'Call Status must be one of the list, not "9"',
		],
		[
			{ noteType: 'geolocation', text: 'Here' },
			'Note Type must be one of common, call_in, call_out, sms_in, sms_out, service_message, not "geolocation"',
		],
	])('refuses %j before any request: %s', async (fields, message) => {
		const script = new AmoCrmScript();
		await expect(runNode({ script, items: [{ ...add, ...fields }] })).rejects.toMatchObject({
			message,
			context: { itemIndex: 0 },
		});
		expect(script.sent).toEqual([]);
	});
});

describe('Note > Update', () => {
	it("PATCHes the note's type and params by ID and outputs them with amoCRM's time", async () => {
		const script = new AmoCrmScript().on('PATCH', '/api/v4/leads/notes', {
			// amoCRM's example answer (crm_platform/events-and-notes, "Редактирование примечаний").
			body: {
				_links: { self: { href: 'https://e2e.amocrm.ru/api/v4/leads/notes' } },
				_embedded: {
					notes: [
						{
							id: 77,
							entity_id: 9001,
							updated_at: 1588841241,
							_links: { self: { href: 'https://e2e.amocrm.ru/api/v4/leads/9001/notes/77' } },
						},
					],
				},
			},
		});
		const output = await runNode({
			script,
			items: [
				{ ...update, noteId: '77', noteType: 'sms_in', phone: '+998901234567', text: 'New SMS' },
			],
		});
		expect(script.sent[0]).toMatchObject({
			method: 'PATCH',
			url: 'https://e2e.amocrm.ru/api/v4/leads/notes',
			body: [{ id: 77, note_type: 'sms_in', params: { text: 'New SMS', phone: '+998901234567' } }],
		});
		expect(output).toEqual([
			{
				json: {
					id: 77,
					entityType: 'deal',
					entityId: 9001,
					noteType: 'sms_in',
					text: 'New SMS',
					params: { text: 'New SMS', phone: '+998901234567' },
					updatedAt: '2020-05-07T08:47:21.000Z',
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('refuses an empty Note ID and an empty text before any request', async () => {
		const script = new AmoCrmScript();
		await expect(
			runNode({ script, items: [{ ...update, noteId: '', text: 'x' }] }),
		).rejects.toMatchObject({ message: 'Note ID is empty' });
		await expect(runNode({ script, items: [{ ...update, text: '' }] })).rejects.toMatchObject({
			message: 'Text is empty',
		});
		expect(script.sent).toEqual([]);
	});
});

test('against the fake amoCRM: a call note is added to a contact, changed, and read back', async () => {
	const fake = new FakeAmoCrm({ accessTokens: ['test-token'] });
	const contact = fake.seedContact({ name: 'Aziz' });
	const target = { entityType: 'contact', entityId: contact.id };
	const added = await runAgainstFake(fake, {
		items: [
			{
				resource: 'note',
				operation: 'add',
				...target,
				noteType: 'call_in',
				phone: '+998901234567',
				duration: 30,
				uniq: 'zd-7',
			},
		],
	});
	const id = added[0].json.id as number;
	await runAgainstFake(fake, {
		items: [
			{
				resource: 'note',
				operation: 'update',
				entityType: 'contact',
				noteId: id,
				noteType: 'call_in',
				phone: '+998901234567',
				duration: 95,
				callStatus: 4,
				link: 'https://pbx.example.com/records/7.mp3',
				uniq: 'zd-7',
			},
		],
	});
	const read = await runAgainstFake(fake, {
		items: [{ resource: 'note', operation: 'get', entityType: 'contact', noteId: id }],
	});
	expect(read[0].json).toMatchObject({
		id,
		entityType: 'contact',
		entityId: contact.id,
		noteType: 'call_in',
		text: '',
		params: {
			phone: '+998901234567',
			uniq: 'zd-7',
			duration: 95,
			source: 'n8n',
			link: 'https://pbx.example.com/records/7.mp3',
			call_status: 4,
		},
	});
	const missing = await runAgainstFake(fake, {
		continueOnFail: true,
		items: [{ ...update, entityType: 'contact', noteId: id + 1000, text: 'x' }],
	});
	expect(missing[0].json.error).toMatch(/^amoCRM refused the note: Note ID/);
});

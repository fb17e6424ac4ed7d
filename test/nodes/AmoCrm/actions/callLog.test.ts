import { AmoCrmScript } from '../../../support/executeContext';
import { resetTransportState, runNode } from '../../../support/runNode';

const base = { resource: 'call', operation: 'log' };

// POST /api/v4/calls answer as crm_platform/calls-api shows it: the note made and the card it is on.
const logged = (...calls: Array<[number, number, string, string]>) => ({
	body: {
		_total_items: calls.length,
		errors: [],
		_embedded: {
			calls: calls.map(([id, entityId, entityType, requestId]) => ({
				id,
				entity_id: entityId,
				entity_type: entityType,
				account_id: 28805383,
				request_id: requestId,
				_embedded: {
					entity: {
						id: entityId,
						_links: { self: { href: `https://e2e.amocrm.ru/api/v4/contacts/${entityId}` } },
					},
				},
			})),
		},
	},
});

// No card has the number: amoCRM logs nothing and answers 400 with errors[] (amocrm/amocrm-api-php#52).
const entityNotFound = {
	status: 400,
	body: {
		_total_items: 0,
		errors: [
			{ title: 'Entity not found', status: 400, detail: 'Entity not found', request_id: '0' },
		],
	},
};

beforeEach(() => resetTransportState());

describe('Call > Log', () => {
	it('logs the call with every field filled in, and says which contact and note it made', async () => {
		const script = new AmoCrmScript().on(
			'POST',
			'/api/v4/calls',
			logged([37512063, 11070881, 'contact', '0']),
		);
		const output = await runNode({
			script,
			items: [
				{
					...base,
					direction: 'outbound',
					phone: ' +998 90 123-45-67 ',
					duration: 95,
					source: 'Asterisk',
					additionalFields: {
						uniq: '1701234567.123',
						link: 'https://pbx.example.com/records/123.mp3',
						responsibleUserId: 502,
						callResult: 'Agreed on a fitting',
						callStatus: 4,
						createdAt: '2026-11-26T09:00:00',
					},
				},
			],
		});
		expect(script.sent[0].url).toBe('https://e2e.amocrm.ru/api/v4/calls');
		expect(script.sent[0].body).toEqual([
			{
				direction: 'outbound',
				phone: '+998 90 123-45-67',
				duration: 95,
				source: 'Asterisk',
				link: 'https://pbx.example.com/records/123.mp3',
				uniq: '1701234567.123',
				call_status: 4,
				call_result: 'Agreed on a fitting',
				responsible_user_id: 502,
				created_at: 1795683600,
				request_id: '0',
			},
		]);
		expect(output).toEqual([
			{
				json: {
					noteId: 37512063,
					entityType: 'contact',
					entityId: 11070881,
					phone: '+998 90 123-45-67',
					direction: 'outbound',
					duration: 95,
					url: 'https://e2e.amocrm.ru/contacts/detail/11070881',
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('sends several calls in one request; a call put on a deal names the deal', async () => {
		const script = new AmoCrmScript().on(
			'POST',
			'/api/v4/calls',
			logged([1, 11070881, 'contact', '0'], [2, 9001, 'lead', '1']),
		);
		const output = await runNode({
			script,
			items: [
				{ ...base, phone: '+998901234567', duration: 10, source: 'n8n' },
				{ ...base, phone: '+998907654321', duration: 0, source: 'n8n' },
			],
		});
		expect(script.sent).toHaveLength(1);
		expect(script.sent[0].body).toEqual([
			{
				direction: 'inbound',
				phone: '+998901234567',
				duration: 10,
				source: 'n8n',
				request_id: '0',
			},
			{ direction: 'inbound', phone: '+998907654321', duration: 0, source: 'n8n', request_id: '1' },
		]);
		expect(output[1].json).toMatchObject({
			noteId: 2,
			entityType: 'deal',
			entityId: 9001,
			url: 'https://e2e.amocrm.ru/leads/detail/9001',
		});
	});

	it('fails the item when no contact or company has the phone, saying what to do', async () => {
		const script = new AmoCrmScript().on('POST', '/api/v4/calls', entityNotFound);
		await expect(
			runNode({
				script,
				items: [{ ...base, phone: '+37067052156', duration: 148, source: 'n8n' }],
			}),
		).rejects.toMatchObject({
			message:
				'No contact or company in amoCRM has the phone +37067052156: the call was not logged',
			description:
				'amoCRM answered "Entity not found". amoCRM logs a call only on a contact or company with that number (it compares the last 10 digits). Create the contact first (Contact > Create with this phone), then log the call.',
			context: { itemIndex: 0 },
		});
	});

	it('refuses bad input before any request, naming the field', async () => {
		const script = new AmoCrmScript();
		const item = { ...base, phone: '+998901234567', duration: 10, source: 'n8n' };
		const refusals: Array<[Record<string, unknown>, string]> = [
			[{ phone: '' }, 'Phone is empty'],
			[{ phone: 'unknown' }, 'Phone "unknown" is not a phone number'],
			[{ duration: 1.5 }, 'Duration must be a whole number of seconds, not "1.5"'],
			[{ source: ' ' }, 'Source is empty'],
			[{ direction: 'sideways' }, 'Direction must be "inbound" or "outbound", not "sideways"'],
			[
				{ additionalFields: { link: 'records/123.mp3' } },
				'Additional Fields > Recording Link must be a web address, not "records/123.mp3"',
			],
			[
				{ additionalFields: { callStatus: 9 } },
				'Additional Fields > Status must be one of the listed statuses, not "9"',
			],
			[
				{ additionalFields: { createdAt: 'yesterday' } },
				'Additional Fields > Started At: "yesterday" is not a date',
			],
		];
		for (const [change, message] of refusals) {
			await expect(runNode({ script, items: [{ ...item, ...change }] })).rejects.toMatchObject({
				message,
				context: { itemIndex: 0 },
			});
		}
		expect(script.sent).toEqual([]);
	});
});

/**
 * Call > Log against the fake amoCRM (test/fakes/amocrm.ts), which logs calls as
 * crm_platform/calls-api describes: on the card with the number, or on its only open deal.
 */
import { FakeAmoCrm } from '../../../fakes/amocrm';
import { runAgainstFake } from '../../../support/fakeAmoCrm';
import { resetTransportState } from '../../../support/runNode';

beforeEach(() => resetTransportState());

const phone = (number: string) => [
	{ field_code: 'PHONE', values: [{ value: number, enum_code: 'WORK' }] },
];

test('a call is logged on the contact with that number, or on its only open deal; an unknown number logs nothing', async () => {
	const fake = new FakeAmoCrm();
	const alone = fake.seedContact({ name: 'Aziz', custom_fields_values: phone('+998901234567') });
	const withDeal = fake.seedContact({
		name: 'Dilnoza',
		custom_fields_values: phone('+998907654321'),
	});
	const deal = fake.seedLead({ name: 'Order', _embedded: { contacts: [{ id: withDeal.id }] } });

	const output = await runAgainstFake(fake, {
		continueOnFail: true,
		items: [
			{
				resource: 'call',
				operation: 'log',
				phone: '8 (90) 123-45-67',
				duration: 30,
				source: 'n8n',
			},
			{
				resource: 'call',
				operation: 'log',
				direction: 'outbound',
				phone: '998907654321',
				duration: 12,
				source: 'n8n',
			},
		],
	});
	expect(output.map((item) => [item.json.entityType, item.json.entityId])).toEqual([
		['contact', alone.id],
		['deal', deal.id],
	]);
	expect(fake.notes.map((note) => [note.note_type, note.entity_type, note.entity_id])).toEqual([
		['call_in', 'contacts', alone.id],
		['call_out', 'leads', deal.id],
	]);

	const unknown = await runAgainstFake(fake, {
		continueOnFail: true,
		items: [
			{ resource: 'call', operation: 'log', phone: '+37067052156', duration: 1, source: 'n8n' },
		],
	});
	expect(unknown[0].json.error).toBe(
		'No contact or company in amoCRM has the phone +37067052156: the call was not logged',
	);
	expect(fake.notes).toHaveLength(2);
});

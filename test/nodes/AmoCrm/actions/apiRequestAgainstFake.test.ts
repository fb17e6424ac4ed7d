/**
 * API Request against the fake amoCRM (test/fakes/amocrm.ts): amoCRM's own answers, a link made
 * and taken off again, and the 204 that follows.
 */
import { FakeAmoCrm } from '../../../fakes/amocrm';
import { runAgainstFake } from '../../../support/fakeAmoCrm';
import { resetTransportState } from '../../../support/runNode';

beforeEach(() => resetTransportState());

const send = (method: string, path: string, more: Record<string, unknown> = {}) => ({
	resource: 'apiRequest',
	operation: 'send',
	method,
	path,
	...more,
});

test('reads the account, lists pipelines one item each, and links and unlinks a contact (204: an empty item)', async () => {
	const fake = new FakeAmoCrm({ accessTokens: ['test-token'] });
	const contact = fake.seedContact({ name: 'Aziz' });
	const deal = fake.seedLead({ name: 'Order' });
	const link = JSON.stringify([{ to_entity_id: contact.id, to_entity_type: 'contacts' }]);

	const output = await runAgainstFake(fake, {
		items: [
			send('GET', 'account'),
			send('GET', 'leads/pipelines', { output: 'split' }),
			send('POST', `leads/${deal.id}/link`, { body: link }),
			send('POST', `leads/${deal.id}/unlink`, { body: link }),
			send('GET', `leads/${deal.id}/links`, { output: 'split' }),
		],
	});

	const byItem = (index: number) =>
		output.filter((item) => (item.pairedItem as { item: number }).item === index);
	expect(byItem(0).map((item) => [item.json.subdomain, item.json.current_user_id])).toEqual([
		['e2e', 501],
	]);
	expect(byItem(1).map((item) => item.json.name)).toEqual(fake.pipelines.map((p) => p.name));
	expect(byItem(2)[0].json._embedded).toEqual({
		links: [
			{
				entity_id: deal.id,
				entity_type: 'leads',
				to_entity_id: contact.id,
				to_entity_type: 'contacts',
				metadata: { main_contact: true },
			},
		],
	});
	expect(byItem(3).map((item) => item.json)).toEqual([{}]);
	expect(byItem(4)).toEqual([]);
	expect(fake.leadContacts(deal.id)).toEqual([]);
});

/** Create, Accept and Decline together against the fake amoCRM (its unsorted-api endpoints), in process. */
import { FakeAmoCrm } from '../../../fakes/amocrm';
import { runAgainstFake } from '../../../support/fakeAmoCrm';
import { resetTransportState } from '../../../support/runNode';

const form = {
	resource: 'incomingLead',
	operation: 'create',
	pipelineId: 1001,
	formPage: 'https://clinic.example.uz/contacts',
	visitorIp: '203.0.113.7',
	formName: 'Site form',
	formId: 'contact-form',
	formSentAt: '2026-11-28T09:15:00+05:00',
	sourceName: 'n8n',
	options: { defaultCountryCode: '998' },
};

beforeEach(() => resetTransportState());

it('two leads land in Incoming with their form metadata; one is accepted into a stage, the other declined to the trash', async () => {
	const fake = new FakeAmoCrm({ rateLimitPerSecond: 0 });
	const created = await runAgainstFake(fake, {
		items: [
			{
				...form,
				dealName: 'Aziz',
				contactName: 'Aziz Karimov',
				contactPhone: '90 123 45 67',
				sourceUid: 'n8n-1-0',
			},
			{
				...form,
				dealName: 'Spam',
				contactName: 'Bot',
				contactEmail: 'bot@spam.example',
				sourceUid: 'n8n-1-1',
			},
		],
	});
	expect(fake.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
	const [aziz, spam] = created.map((item) => item.json);
	expect(fake.unsorted.map((u) => [u.uid, u.state, u.source_uid, u.lead_id])).toEqual([
		[aziz.uid, 'incoming', 'n8n-1-0', aziz.dealId],
		[spam.uid, 'incoming', 'n8n-1-1', spam.dealId],
	]);
	expect(fake.unsorted[0].metadata).toEqual({
		form_id: 'contact-form',
		form_name: 'Site form',
		form_page: 'https://clinic.example.uz/contacts',
		ip: '203.0.113.7',
		form_sent_at: '1795839300',
		visitor_uid: null,
	});
	expect(fake.lead(aziz.dealId as number)?.status_id).toBe(2001);
	expect(fake.contactValues(aziz.contactId as number, 'PHONE')).toEqual(['+998901234567']);

	const accepted = await runAgainstFake(fake, {
		items: [
			{
				resource: 'incomingLead',
				operation: 'accept',
				uid: aziz.uid,
				statusId: { mode: 'list', value: '1001:2003' },
			},
		],
	});
	expect(accepted[0].json).toEqual({
		uid: aziz.uid,
		dealId: aziz.dealId,
		contactId: aziz.contactId,
		pipelineId: 1001,
		statusId: 2003,
		url: `https://e2e.amocrm.ru/leads/detail/${aziz.dealId}`,
	});
	expect(fake.lead(aziz.dealId as number)?.status_id).toBe(2003);

	const declined = await runAgainstFake(fake, {
		items: [{ resource: 'incomingLead', operation: 'decline', uid: spam.uid, userId: 502 }],
	});
	expect(declined[0].json).toMatchObject({ uid: spam.uid, declined: true, dealId: spam.dealId });
	expect(fake.unsorted.map((u) => u.state)).toEqual(['accepted', 'declined']);
	expect(fake.trash.leads.map((lead) => lead.id)).toEqual([spam.dealId]);

	// Handled twice: the fake's 400 and the node's message.
	await expect(
		runAgainstFake(fake, {
			items: [{ resource: 'incomingLead', operation: 'decline', uid: aziz.uid }],
		}),
	).rejects.toMatchObject({ message: 'This incoming lead was already accepted in amoCRM' });
});

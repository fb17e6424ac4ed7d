import { FakeAmoCrm } from '../../../fakes/amocrm';
import { AmoCrmScript } from '../../../support/executeContext';
import { runAgainstFake } from '../../../support/fakeAmoCrm';
import { resetTransportState, runNode } from '../../../support/runNode';

beforeEach(() => resetTransportState());

const unlinkContact = { resource: 'deal', operation: 'unlinkContact' };
const unlinkCompany = { resource: 'contact', operation: 'unlinkCompany' };

describe('Deal > Unlink Contact', () => {
	it("posts the contact to /leads/{id}/unlink and outputs both IDs on amoCRM's 204", async () => {
		const script = new AmoCrmScript().on('POST', '/api/v4/leads/9001/unlink', { status: 204 });
		const output = await runNode({
			script,
			items: [
				{
					...unlinkContact,
					dealId: { __rl: true, mode: 'url', value: 'https://e2e.amocrm.ru/leads/detail/9001' },
					contactId: { __rl: true, mode: 'list', value: '40401635' },
				},
			],
		});
		expect(script.sent).toEqual([
			{
				credentialType: 'amoCrmApi',
				method: 'POST',
				url: 'https://e2e.amocrm.ru/api/v4/leads/9001/unlink',
				qs: undefined,
				body: [{ to_entity_id: 40401635, to_entity_type: 'contacts' }],
			},
		]);
		expect(output).toEqual([
			{ json: { dealId: 9001, contactId: 40401635, unlinked: true }, pairedItem: { item: 0 } },
		]);
	});

	it('refuses an empty contact and a company page given as the deal, before any request', async () => {
		const script = new AmoCrmScript();
		await expect(
			runNode({ script, items: [{ ...unlinkContact, dealId: 9001, contactId: '' }] }),
		).rejects.toMatchObject({ message: 'Contact is empty', context: { itemIndex: 0 } });
		await expect(
			runNode({
				script,
				items: [
					{
						...unlinkContact,
						dealId: 'https://e2e.amocrm.ru/companies/detail/5',
						contactId: 6,
					},
				],
			}),
		).rejects.toMatchObject({
			message:
				'Deal must be an amoCRM ID or the deal\'s page address, not "https://e2e.amocrm.ru/companies/detail/5"',
		});
		expect(script.sent).toEqual([]);
	});

	it('says which deal amoCRM could not find', async () => {
		const script = new AmoCrmScript().on('POST', '/api/v4/leads/404/unlink', {
			status: 404,
			body: {
				title: 'Not Found',
				type: 'https://httpstatus.es/404',
				status: 404,
				detail: 'Not Found',
			},
		});
		await expect(
			runNode({ script, items: [{ ...unlinkContact, dealId: 404, contactId: 6 }] }),
		).rejects.toMatchObject({
			message: 'Deal 404 was not found in amoCRM',
			description:
				'amoCRM answered "Not Found" (Not Found). Check the deal chosen in Deal: it may have been deleted or merged into another one.',
			httpCode: '404',
		});
	});
});

describe('Contact > Unlink From Company', () => {
	it('posts the company to /contacts/{id}/unlink and outputs both IDs', async () => {
		const script = new AmoCrmScript().on('POST', '/api/v4/contacts/40401635/unlink', {
			status: 204,
		});
		const output = await runNode({
			script,
			items: [{ ...unlinkCompany, contactId: '40401635', companyId: 301 }],
		});
		expect(script.sent[0].body).toEqual([{ to_entity_id: 301, to_entity_type: 'companies' }]);
		expect(output[0].json).toEqual({ contactId: 40401635, companyId: 301, unlinked: true });
	});

	it('refuses a company ID that is not a number, before any request', async () => {
		const script = new AmoCrmScript();
		await expect(
			runNode({ script, items: [{ ...unlinkCompany, contactId: 5, companyId: 'Shifo' }] }),
		).rejects.toMatchObject({
			message: 'Company must be an amoCRM ID or the company\'s page address, not "Shifo"',
		});
		expect(script.sent).toEqual([]);
	});
});

test('against the fake amoCRM: the links are gone, the deal, contact and company stay', async () => {
	const fake = new FakeAmoCrm({ accessTokens: ['test-token'] });
	const company = fake.seedCompany({ name: 'Shifo Med' });
	const contact = fake.seedContact({ name: 'Aziz' });
	const other = fake.seedContact({ name: 'Malika' });
	const deal = fake.seedLead({
		name: 'Order',
		_embedded: { contacts: [{ id: contact.id, is_main: true }, { id: other.id }] },
	});
	await runAgainstFake(fake, {
		items: [
			{
				resource: 'contact',
				operation: 'linkCompany',
				contactId: contact.id,
				companyId: company.id,
			},
		],
	});
	expect(fake.links.filter((l) => l.to_entity_type === 'companies')).toHaveLength(1);

	// One node per operation, as in a workflow.
	const unlinked = await runAgainstFake(fake, {
		items: [{ ...unlinkContact, dealId: deal.id, contactId: contact.id }],
	});
	const detached = await runAgainstFake(fake, {
		items: [{ ...unlinkCompany, contactId: contact.id, companyId: company.id }],
	});
	expect([...unlinked, ...detached].map((item) => item.json)).toEqual([
		{ dealId: deal.id, contactId: contact.id, unlinked: true },
		{ contactId: contact.id, companyId: company.id, unlinked: true },
	]);
	expect(fake.leadContacts(deal.id)).toEqual([{ id: other.id, is_main: false }]);
	expect(fake.links.filter((l) => l.to_entity_type === 'companies')).toEqual([]);
	expect([
		fake.lead(deal.id)?.id,
		fake.contact(contact.id)?.id,
		fake.company(company.id)?.id,
	]).toEqual([deal.id, contact.id, company.id]);
});

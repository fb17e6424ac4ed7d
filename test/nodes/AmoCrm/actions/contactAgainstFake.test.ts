/**
 * Contact and note operations against the fake amoCRM (test/fakes/amocrm.ts), which keeps
 * what was written: an update's phones and tags are read back by Contact > Get.
 */
import { FakeAmoCrm } from '../../../fakes/amocrm';
import { runAgainstFake } from '../../../support/fakeAmoCrm';
import { resetTransportState } from '../../../support/runNode';

beforeEach(() => resetTransportState());

const phone = (value: string, code = 'MOB') => ({ value, enum_code: code });

function seeded(fake: FakeAmoCrm) {
	return fake.seedContact({
		name: 'Aziz Karimov',
		custom_fields_values: [
			{ field_code: 'PHONE', values: [phone('+998712021441')] },
			{ field_code: 'EMAIL', values: [{ value: 'aziz@example.uz', enum_code: 'WORK' }] },
		],
		_embedded: { tags: [{ name: 'site' }] },
	});
}

describe('Contact operations against the fake amoCRM', () => {
	it('Update adds a phone and a tag, keeps the stored ones, replaces the emails; Get reads them back', async () => {
		const fake = new FakeAmoCrm();
		const { id } = seeded(fake);
		const updated = await runAgainstFake(fake, {
			items: [
				{
					resource: 'contact',
					operation: 'update',
					contactId: { __rl: true, mode: 'id', value: String(id) },
					updateFields: { lastName: 'Karimov', tags: 'paid' },
					phones: {
						phone: [{ number: '71 202 14 41' }, { number: '+998 90 123 45 67', type: 'WORK' }],
					},
					emails: { email: [{ address: 'karimov@work.uz' }] },
					emailsMode: 'replace',
					options: { defaultCountryCode: '998' },
				},
			],
		});
		expect(updated).toEqual([
			{
				json: {
					id,
					updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
					url: `https://e2e.amocrm.ru/contacts/detail/${id}`,
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(fake.contactValues(id, 'PHONE')).toEqual(['+998712021441', '+998901234567']);
		expect(fake.contactValues(id, 'EMAIL')).toEqual(['karimov@work.uz']);

		const [read] = await runAgainstFake(fake, {
			items: [{ resource: 'contact', operation: 'get', contactId: id }],
		});
		expect(read.json).toMatchObject({
			id,
			name: 'Aziz Karimov',
			lastName: 'Karimov',
			phones: ['+998712021441', '+998901234567'],
			emails: ['karimov@work.uz'],
			tags: ['site', 'paid'],
		});
	});

	it('Link to Company, then Get with its company; a note on the company is listed by Note > Get Many', async () => {
		const fake = new FakeAmoCrm();
		const { id } = seeded(fake);
		const company = fake.seedCompany({ name: 'Audio Med' });
		await runAgainstFake(fake, {
			items: [
				{ resource: 'contact', operation: 'linkCompany', contactId: id, companyId: company.id },
			],
		});
		const [read] = await runAgainstFake(fake, {
			items: [
				{
					resource: 'contact',
					operation: 'get',
					contactId: id,
					options: { includeCompanies: true },
				},
			],
		});
		expect(read.json.companyIds).toEqual([company.id]);

		await runAgainstFake(fake, {
			items: [
				{
					resource: 'note',
					operation: 'add',
					entityType: 'company',
					entityId: { __rl: true, mode: 'id', value: String(company.id) },
					text: 'Signed the contract',
				},
			],
		});
		const notes = await runAgainstFake(fake, {
			items: [
				{
					resource: 'note',
					operation: 'getAll',
					entityType: 'company',
					entityId: String(company.id),
					returnAll: true,
					filters: { noteTypes: ['common'] },
				},
			],
		});
		expect(notes.map((note) => note.json)).toEqual([
			expect.objectContaining({
				entityType: 'company',
				entityId: company.id,
				noteType: 'common',
				text: 'Signed the contract',
			}),
		]);
	});

	it('Get Many reads every page with Return All, and up to Limit of the ones the filters let through', async () => {
		const fake = new FakeAmoCrm();
		for (let i = 0; i < 260; i++)
			fake.seedContact({ name: `Contact ${i}`, responsible_user_id: i % 2 ? 502 : 501 });
		const all = await runAgainstFake(fake, {
			items: [{ resource: 'contact', operation: 'getAll', returnAll: true }],
		});
		expect(all).toHaveLength(260);
		expect(fake.requests.filter((request) => request.path === '/api/v4/contacts')).toHaveLength(2);
		const some = await runAgainstFake(fake, {
			items: [
				{
					resource: 'contact',
					operation: 'getAll',
					limit: 3,
					filters: { responsibleUserId: 502, query: 'Contact 2' },
				},
			],
		});
		expect(some.map((item) => [item.json.name, item.json.responsibleUserId])).toEqual([
			['Contact 21', 502],
			['Contact 23', 502],
			['Contact 25', 502],
		]);
	});
});

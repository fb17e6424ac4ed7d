/**
 * The company operations against the fake amoCRM (test/fakes/amocrm.ts), which keeps
 * companies as amoCRM's documentation describes them: what one operation writes, the next reads.
 */
import { FakeAmoCrm } from '../../../fakes/amocrm';
import { runAgainstFake } from '../../../support/fakeAmoCrm';
import { resetTransportState } from '../../../support/runNode';

beforeEach(() => resetTransportState());

const phones = (fake: FakeAmoCrm, id: number) =>
	fake.companies
		.find((company) => company.id === id)
		?.custom_fields_values?.find((field) => field.field_code === 'PHONE')
		?.values.map((value) => value.value);

test('Create avoids duplicates by name and email, Update adds a phone, Get Many and Get read them back', async () => {
	const fake = new FakeAmoCrm();
	const existing = fake.seedCompany({
		name: 'Shifo Med LLC',
		custom_fields_values: [
			{ field_code: 'PHONE', values: [{ value: '+998712021441', enum_code: 'WORK' }] },
		],
	});

	const created = await runAgainstFake(fake, {
		items: [
			{ resource: 'company', operation: 'create', name: 'shifo med llc' },
			{
				resource: 'company',
				operation: 'create',
				name: 'Nur Optika',
				emails: { email: [{ address: 'nur@optika.uz', type: 'WORK' }] },
				additionalFields: { tags: 'partner' },
			},
			{
				resource: 'company',
				operation: 'create',
				name: 'Nur',
				emails: { email: [{ address: 'NUR@optika.uz', type: 'WORK' }] },
			},
		],
	});
	expect(fake.companies.map((company) => company.name)).toEqual(['Shifo Med LLC', 'Nur Optika']);
	const nur = fake.companies[1].id;
	expect(created.map((item) => [item.json.id, item.json.name, item.json.reused])).toEqual([
		[existing.id, 'Shifo Med LLC', true],
		[nur, 'Nur Optika', false],
		[nur, 'Nur Optika', true],
	]);

	await runAgainstFake(fake, {
		items: [
			{
				resource: 'company',
				operation: 'update',
				companyId: { __rl: true, mode: 'id', value: String(existing.id) },
				phones: {
					phone: [
						{ number: '+998 71 202 14 41', type: 'WORK' },
						{ number: '+998 90 123 45 67', type: 'MOB' },
					],
				},
				updateFields: { tags: 'vip' },
			},
		],
	});
	expect(phones(fake, existing.id)).toEqual(['+998712021441', '+998901234567']);

	const listed = await runAgainstFake(fake, {
		items: [{ resource: 'company', operation: 'getAll', filters: { query: 'optika' } }],
	});
	expect(listed.map((item) => item.json)).toEqual([
		expect.objectContaining({
			id: nur,
			name: 'Nur Optika',
			emails: ['nur@optika.uz'],
			tags: ['partner'],
		}),
	]);
	const [read] = await runAgainstFake(fake, {
		items: [
			{
				resource: 'company',
				operation: 'get',
				companyId: { __rl: true, mode: 'id', value: String(existing.id) },
				options: { includeContacts: true, includeDeals: true },
			},
		],
	});
	expect(read.json).toMatchObject({
		id: existing.id,
		phones: ['+998712021441', '+998901234567'],
		tags: ['vip'],
		contactIds: [],
		dealIds: [],
		url: `https://e2e.amocrm.ru/companies/detail/${existing.id}`,
	});
});

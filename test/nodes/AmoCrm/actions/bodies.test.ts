import { contactBody } from '../../../../nodes/AmoCrm/actions/contact/contactBody';
import { dealBody } from '../../../../nodes/AmoCrm/actions/deal/dealBody';

describe('contactBody', () => {
	it('builds the full contact: names, responsible user, phones and emails before other fields, tags', () => {
		expect(
			contactBody({
				name: 'Aziz Karimov',
				firstName: 'Aziz',
				lastName: 'Karimov',
				responsibleUserId: 5001,
				phones: [
					{ value: '+998712021441', digits: '998712021441', type: 'WORK' },
					{ value: '+998901234567', digits: '998901234567', type: 'MOB' },
				],
				emails: [{ value: 'aziz@example.uz', type: 'PRIV' }],
				customFields: [{ field_id: 4001, values: [{ value: 'Site form' }] }],
				tags: [{ name: 'site' }, { name: 'vip' }],
			}),
		).toEqual({
			name: 'Aziz Karimov',
			first_name: 'Aziz',
			last_name: 'Karimov',
			responsible_user_id: 5001,
			custom_fields_values: [
				{
					field_code: 'PHONE',
					values: [
						{ value: '+998712021441', enum_code: 'WORK' },
						{ value: '+998901234567', enum_code: 'MOB' },
					],
				},
				{ field_code: 'EMAIL', values: [{ value: 'aziz@example.uz', enum_code: 'PRIV' }] },
				{ field_id: 4001, values: [{ value: 'Site form' }] },
			],
			_embedded: { tags: [{ name: 'site' }, { name: 'vip' }] },
		});
	});

	it('leaves out empty texts, lists and tags', () => {
		expect(
			contactBody({
				name: '',
				firstName: '',
				lastName: '',
				phones: [],
				emails: [],
				customFields: [],
				tags: [],
			}),
		).toEqual({});
		expect(contactBody({})).toEqual({});
	});

	it('sends only an email when that is all there is', () => {
		expect(contactBody({ emails: [{ value: 'aziz@example.uz', type: 'WORK' }] })).toEqual({
			custom_fields_values: [
				{ field_code: 'EMAIL', values: [{ value: 'aziz@example.uz', enum_code: 'WORK' }] },
			],
		});
	});
});

describe('dealBody', () => {
	it('builds the full deal: price as given, pipeline and stage, fields, tags and main contact', () => {
		expect(
			dealBody({
				name: 'Hearing aid request',
				price: 1500000,
				pipelineId: 1002,
				statusId: 2101,
				responsibleUserId: 5001,
				customFields: [{ field_id: 4101, values: [{ value: 'Landing page' }] }],
				tags: [{ name: 'site' }],
				contactId: 7001,
			}),
		).toEqual({
			name: 'Hearing aid request',
			price: 1500000,
			pipeline_id: 1002,
			status_id: 2101,
			responsible_user_id: 5001,
			custom_fields_values: [{ field_id: 4101, values: [{ value: 'Landing page' }] }],
			_embedded: { tags: [{ name: 'site' }], contacts: [{ id: 7001, is_main: true }] },
		});
	});

	it('leaves out an empty name, custom fields and tags, and what is not given', () => {
		expect(dealBody({ name: '', customFields: [], tags: [] })).toEqual({});
		expect(dealBody({})).toEqual({});
	});

	it('sends a price of 0 when given (to clear it)', () => {
		expect(dealBody({ price: 0 })).toEqual({ price: 0 });
	});

	it('embeds the main contact without tags, and tags without a contact', () => {
		expect(dealBody({ contactId: 7001 })).toEqual({
			_embedded: { contacts: [{ id: 7001, is_main: true }] },
		});
		expect(dealBody({ tags: [{ name: 'site' }] })).toEqual({
			_embedded: { tags: [{ name: 'site' }] },
		});
	});
});

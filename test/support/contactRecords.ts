/** A contact as amoCRM stores it, and as Contact > Get and Get Many output it. */
/** A contact as amoCRM answers GET /api/v4/contacts/{id}?with=leads,companies. */
export const storedContact = {
	id: 40401635,
	name: 'Aziz Karimov',
	first_name: 'Aziz',
	last_name: 'Karimov',
	responsible_user_id: 504141,
	group_id: 0,
	created_by: 504141,
	updated_by: 504141,
	created_at: 1764115200,
	updated_at: 1764201600,
	closest_task_at: null,
	custom_fields_values: [
		{
			field_id: 3,
			field_name: 'Телефон',
			field_code: 'PHONE',
			field_type: 'multitext',
			values: [
				{ value: '+998712021441', enum_id: 1, enum_code: 'MOB' },
				{ value: '+998901234567', enum_id: 2, enum_code: 'WORK' },
			],
		},
		{
			field_id: 5,
			field_name: 'Email',
			field_code: 'EMAIL',
			field_type: 'multitext',
			values: [{ value: 'aziz@example.uz', enum_id: 7, enum_code: 'WORK' }],
		},
		{
			field_id: 4001,
			field_name: 'Source',
			field_code: null,
			field_type: 'select',
			values: [{ value: 'Website', enum_id: 11 }],
		},
		{
			field_id: 4002,
			field_name: 'Birthday',
			field_code: null,
			field_type: 'birthday',
			values: [{ value: 631152000 }],
		},
		{
			field_id: 4003,
			field_name: 'Interests',
			field_code: null,
			field_type: 'multiselect',
			values: [
				{ value: 'Hearing aids', enum_id: 21 },
				{ value: 'Batteries', enum_id: 22 },
			],
		},
	],
	account_id: 28805383,
	_links: { self: { href: 'https://e2e.amocrm.ru/api/v4/contacts/40401635' } },
	_embedded: {
		tags: [
			{ id: 1, name: 'vip', color: null },
			{ id: 2, name: 'site', color: null },
		],
		leads: [{ id: 9001 }, { id: 9002 }],
		companies: [{ id: 301 }],
	},
};

export const readableContact = {
	id: 40401635,
	name: 'Aziz Karimov',
	firstName: 'Aziz',
	lastName: 'Karimov',
	phones: ['+998712021441', '+998901234567'],
	emails: ['aziz@example.uz'],
	customFields: {
		Source: 'Website',
		Birthday: '1990-01-01T00:00:00.000Z',
		Interests: ['Hearing aids', 'Batteries'],
	},
	responsibleUserId: 504141,
	tags: ['vip', 'site'],
	createdAt: '2025-11-26T00:00:00.000Z',
	updatedAt: '2025-11-27T00:00:00.000Z',
	url: 'https://e2e.amocrm.ru/contacts/detail/40401635',
};

/** amoCRM's companies as its API v4 gives them, for the company tests. */

/** A company as `GET /api/v4/companies/{id}` answers (https://www.amocrm.ru/developers/content/crm_platform/contacts-and-companies). */
export const companyRecord = (id: number, embedded: Record<string, unknown> = {}) => ({
	id,
	name: 'Shifo Med LLC',
	responsible_user_id: 502,
	group_id: 0,
	created_by: 501,
	updated_by: 501,
	created_at: 1764288000,
	updated_at: 1764291600,
	closest_task_at: null,
	is_deleted: false,
	custom_fields_values: [
		{
			field_id: 5001,
			field_name: 'Phone',
			field_code: 'PHONE',
			field_type: 'multitext',
			values: [{ value: '+998712021441', enum_id: 6001, enum_code: 'WORK' }],
		},
		{
			field_id: 5002,
			field_name: 'Email',
			field_code: 'EMAIL',
			field_type: 'multitext',
			values: [{ value: 'info@shifomed.uz', enum_id: 6011, enum_code: 'WORK' }],
		},
		{
			field_id: 5004,
			field_name: 'Segment',
			field_code: null,
			field_type: 'select',
			values: [{ value: 'Clinic', enum_id: 7 }],
		},
	],
	account_id: 30000001,
	_links: { self: { href: `https://e2e.amocrm.ru/api/v4/companies/${id}` } },
	_embedded: { tags: [{ id: 1, name: 'partner', color: null }], ...embedded },
});

/** What Company > Get and Get Many output for companyRecord(id). */
export const expectedCompany = (id: number) => ({
	id,
	name: 'Shifo Med LLC',
	phones: ['+998712021441'],
	emails: ['info@shifomed.uz'],
	customFields: { Segment: 'Clinic' },
	responsibleUserId: 502,
	tags: ['partner'],
	createdAt: '2025-11-28T00:00:00.000Z',
	updatedAt: '2025-11-28T01:00:00.000Z',
	url: `https://e2e.amocrm.ru/companies/detail/${id}`,
});

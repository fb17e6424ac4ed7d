/** amoCRM's answers as its API v4 gives them, for unit tests that need them in several files. */

/** `GET /api/v4/account` (https://www.amocrm.ru/developers/content/crm_platform/account-info), for an account in `country`. */
export const accountAnswer = (country: string) => ({
	body: {
		id: 30000001,
		name: 'E2E Test Account',
		subdomain: 'e2e',
		created_at: 1700000000,
		created_by: 0,
		updated_at: 1700000000,
		updated_by: 0,
		current_user_id: 501,
		country,
		customers_mode: 'disabled',
		is_unsorted_on: true,
		is_loss_reason_enabled: true,
		is_helpbot_enabled: false,
		is_technical_account: false,
		contact_name_display_order: 1,
		amojo_id: 'f3c6340d-410e-4ad1-9f7e-c5e663599909',
		uuid: '824f3a59-6154-4edf-ba90-0b5593715d07',
		version: 16,
		_links: { self: { href: 'https://e2e.amocrm.ru/api/v4/account' } },
	},
});

/** A contact as `GET /api/v4/contacts?query=…` lists it, with its phones and emails. */
export const listedContact = (
	id: number,
	name: string,
	phones: string[],
	emails: string[] = [],
) => ({
	id,
	name,
	custom_fields_values: [
		...(phones.length
			? [
					{
						field_id: 3001,
						field_name: 'Phone',
						field_code: 'PHONE',
						field_type: 'multitext',
						values: phones.map((value) => ({ value, enum_id: 5001, enum_code: 'WORK' })),
					},
				]
			: []),
		...(emails.length
			? [
					{
						field_id: 3002,
						field_name: 'Email',
						field_code: 'EMAIL',
						field_type: 'multitext',
						values: emails.map((value) => ({ value, enum_id: 5011, enum_code: 'WORK' })),
					},
				]
			: []),
	],
});

/** `GET /api/v4/contacts?query=…` with these contacts found. */
export const contactsFound = (...contacts: Array<ReturnType<typeof listedContact>>) => ({
	body: { _embedded: { contacts } },
});

/** `POST /api/v4/contacts` creating one contact. */
export const contactCreated = (id: number) => ({
	body: {
		_embedded: {
			contacts: [
				{
					id,
					request_id: '0',
					_links: { self: { href: `https://e2e.amocrm.ru/api/v4/contacts/${id}` } },
				},
			],
		},
	},
});

/** `POST /api/v4/leads/complex` (a bare array; `merged`: amoCRM's duplicate control merged it into an existing deal). */
export const complexCreated = (id: number, contactId: number, merged = false) => ({
	body: [{ id, contact_id: contactId, company_id: null, request_id: ['0'], merged }],
});

/** amoCRM's 400 when it refuses one field of the entity with this `request_id` (error-codes page). */
export const validationRefusal = (path: string, requestId = '0') => ({
	status: 400,
	body: {
		'validation-errors': [
			{
				request_id: requestId,
				errors: [
					{
						code: 'NotSupportedChoice',
						path,
						detail: 'The value you selected is not a valid choice.',
					},
				],
			},
		],
		title: 'Bad Request',
		type: 'https://httpstatus.es/400',
		status: 400,
		detail: 'Request validation failed',
	},
});

/** `GET /api/v4/leads/pipelines`: "Sales" (main) and "Dealers" take incoming leads (an Incoming stage, type 1), "Wholesale" does not. */
export const pipelinesWithIncoming = {
	body: {
		_embedded: {
			pipelines: [
				{
					id: 1001,
					name: 'Sales',
					sort: 1,
					is_main: true,
					_embedded: {
						statuses: [
							{ id: 2001, name: 'Incoming', sort: 10, pipeline_id: 1001, type: 1 },
							{ id: 2002, name: 'New lead', sort: 20, pipeline_id: 1001, type: 0 },
							{ id: 2003, name: 'Qualified', sort: 30, pipeline_id: 1001, type: 0 },
						],
					},
				},
				{
					id: 1002,
					name: 'Wholesale',
					sort: 2,
					is_main: false,
					_embedded: {
						statuses: [{ id: 2101, name: 'New', sort: 10, pipeline_id: 1002, type: 0 }],
					},
				},
				{
					id: 1003,
					name: 'Dealers',
					sort: 3,
					is_main: false,
					_embedded: {
						statuses: [{ id: 2201, name: 'Incoming', sort: 10, pipeline_id: 1003, type: 1 }],
					},
				},
			],
		},
	},
};

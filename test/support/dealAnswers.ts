/** amoCRM's answers about deals (API v4), for the deal and tag unit tests. */

/** `GET /api/v4/leads/pipelines`: "Sales" (main) and "Wholesale", each with won and lost. */
export const pipelinesAnswer = {
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
							{ id: 2003, name: 'Paid', sort: 30, pipeline_id: 1001, type: 0 },
							{ id: 142, name: 'Won', sort: 10000, pipeline_id: 1001, type: 0 },
							{ id: 143, name: 'Lost', sort: 11000, pipeline_id: 1001, type: 0 },
						],
					},
				},
				{
					id: 1002,
					name: 'Wholesale',
					sort: 2,
					is_main: false,
					_embedded: {
						statuses: [
							{ id: 2101, name: 'New', sort: 10, pipeline_id: 1002, type: 0 },
							{ id: 2102, name: 'Contract', sort: 20, pipeline_id: 1002, type: 0 },
							{ id: 142, name: 'Won', sort: 10000, pipeline_id: 1002, type: 0 },
							{ id: 143, name: 'Lost', sort: 11000, pipeline_id: 1002, type: 0 },
						],
					},
				},
			],
		},
	},
};

/** `GET /api/v4/leads/custom_fields`: a text field and a multiselect. */
export const leadFieldsAnswer = {
	body: {
		_embedded: {
			custom_fields: [
				{ id: 4001, name: 'Source', type: 'text', code: null, enums: null },
				{
					id: 4002,
					name: 'Services',
					type: 'multiselect',
					code: null,
					enums: [
						{ id: 11, value: 'Fitting' },
						{ id: 12, value: 'Repair' },
					],
				},
			],
		},
	},
};

/** A deal as `GET /api/v4/leads` and `/leads/{id}` return it. */
export const apiLead = (id: number, extra: Record<string, unknown> = {}) => ({
	id,
	name: `Deal ${id}`,
	price: 1500000,
	responsible_user_id: 501,
	group_id: 0,
	status_id: 2002,
	pipeline_id: 1001,
	loss_reason_id: null,
	created_by: 501,
	updated_by: 501,
	created_at: 1764201600,
	updated_at: 1764288000,
	closed_at: null,
	closest_task_at: null,
	is_deleted: false,
	custom_fields_values: null,
	score: null,
	account_id: 30000001,
	labor_cost: null,
	_links: { self: { href: `https://e2e.amocrm.ru/api/v4/leads/${id}` } },
	_embedded: { tags: [], companies: [] },
	...extra,
});

/** `PATCH /api/v4/leads` (or `/contacts`) answering for these ids. */
export const patched = (key: 'leads' | 'contacts', ...ids: number[]) => ({
	body: {
		_links: { self: { href: `https://e2e.amocrm.ru/api/v4/${key}` } },
		_embedded: {
			[key]: ids.map((id, index) => ({
				id,
				updated_at: 1764300000,
				request_id: String(index),
				_links: { self: { href: `https://e2e.amocrm.ru/api/v4/${key}/${id}` } },
			})),
		},
	},
});

/** amoCRM API v4 shapes we send and read (https://www.amocrm.ru/developers/content/crm_platform/). */
import type { IDataObject } from 'n8n-workflow';

export type AmoCrmDomain = 'amocrm.ru' | 'kommo.com';

export interface AmoCrmLinks {
	self?: { href: string };
	next?: { href: string };
}

export interface CustomFieldValueItem {
	value?: string | number | boolean;
	enum_id?: number;
	enum_code?: string;
}

export interface CustomFieldValue {
	field_id?: number;
	field_code?: string;
	field_name?: string;
	field_type?: string;
	values: CustomFieldValueItem[];
}

export interface CustomField {
	id: number;
	name: string;
	type: string;
	code: string | null;
	enums: Array<{ id: number; value: string; code?: string | null }> | null;
}

export interface Pipeline {
	id: number;
	name: string;
	sort: number;
	is_main: boolean;
	is_archive?: boolean;
	_embedded: { statuses: Status[] };
}

export interface Status {
	id: number;
	name: string;
	sort: number;
	pipeline_id: number;
	type?: number;
}

export interface User {
	id: number;
	name: string;
	email: string;
	rights?: { is_active?: boolean; is_admin?: boolean };
}

export interface Contact {
	id: number;
	name: string;
	first_name?: string;
	last_name?: string;
	responsible_user_id?: number;
	custom_fields_values: CustomFieldValue[] | null;
}

export interface Tag {
	name: string;
}

export interface ContactCreateRequest {
	name?: string;
	first_name?: string;
	last_name?: string;
	responsible_user_id?: number;
	custom_fields_values?: CustomFieldValue[];
	_embedded?: { tags: Tag[] };
	request_id?: string;
}

export interface LeadCreateRequest {
	name?: string;
	price?: number;
	pipeline_id?: number;
	status_id?: number;
	responsible_user_id?: number;
	custom_fields_values?: CustomFieldValue[];
	_embedded?: { tags?: Tag[]; contacts?: Array<{ id: number; is_main?: boolean }> };
	request_id?: string;
}

export interface NoteCreateRequest {
	/** common, call_in, call_out, sms_in, sms_out, service_message (crm_platform/events-and-notes). */
	note_type: string;
	params: IDataObject;
	request_id?: string;
}

export interface LinkRequest {
	to_entity_id: number;
	to_entity_type: 'contacts' | 'companies';
	metadata?: { is_main: boolean };
}

/** A catalog element linked to (or unlinked from) a deal: `POST /api/v4/leads/{id}/link` and `/unlink`. */
export interface CatalogElementLinkRequest {
	to_entity_id: number;
	to_entity_type: 'catalog_elements';
	metadata: { catalog_id: number; quantity?: number; price_id?: number };
}

/** One of the account's lists (`GET /api/v4/catalogs`): `type` regular, invoices or products (at most one). */
export interface Catalog {
	id: number;
	name: string;
	type: string;
	sort?: number;
}

/** An element of a list (a product in the products list): `GET /api/v4/catalogs/{id}/elements`. */
export interface CatalogElement {
	id: number;
	name: string;
	catalog_id: number;
	created_at?: number;
	updated_at?: number;
	is_deleted?: boolean | null;
	custom_fields_values: CustomFieldValue[] | null;
}

/** One element in `POST` / `PATCH /api/v4/catalogs/{id}/elements` (`id` in a PATCH). */
export interface CatalogElementRequest {
	id?: number;
	name?: string;
	custom_fields_values?: Array<{ field_code: string; values: Array<{ value: string | number }> }>;
}

export interface EmbeddedList<K extends string, T> {
	_page?: number;
	_links?: AmoCrmLinks;
	_embedded: Record<K, T[]>;
}

/** amoCRM's problem+json error body (https://www.amocrm.ru/developers/content/crm_platform/error-codes). */
export interface AmoCrmProblem extends IDataObject {
	title?: string;
	type?: string;
	status?: number;
	detail?: string;
	hint?: string;
	retry_after?: number;
	'validation-errors'?: Array<{
		request_id: string;
		errors: Array<{ code: string; path: string; detail: string }>;
	}>;
	/**
	 * Another shape of a 400, e.g. a note for a deal that does not exist: "Entity not found".
	 * amoCRM also sends `errors` as an object keyed by the refused entity's ID (read into
	 * entries with `entity_id`).
	 */
	errors?: AmoCrmProblemError[];
}

/** One entry of a problem's `errors[]`; amoCRM fills some of these fields. */
export interface AmoCrmProblemError extends IDataObject {
	request_id?: string;
	title?: string;
	detail?: string;
	status?: number;
	code?: string;
	path?: string;
	/** The key of `errors` when amoCRM keys its refusals by entity ID (`{"errors":{"11062353":"…"}}`). */
	entity_id?: string;
}

/** A company as GET /api/v4/companies and /companies/{id} answer (with=contacts,leads adds their IDs). */
export interface CompanyRecord {
	id: number;
	name: string;
	responsible_user_id?: number;
	created_at?: number;
	updated_at?: number;
	custom_fields_values: CustomFieldValue[] | null;
	_embedded?: {
		tags?: Array<{ id: number; name: string }>;
		contacts?: Array<{ id: number }>;
		leads?: Array<{ id: number }>;
	};
}

/** One company of POST /api/v4/companies. */
export interface CompanyCreateRequest {
	name: string;
	responsible_user_id?: number;
	custom_fields_values?: CustomFieldValue[];
	_embedded?: { tags: Tag[] };
	request_id?: string;
}

/** One company of PATCH /api/v4/companies: its `id` and only what changes. */
export interface CompanyUpdateRequest {
	id: number;
	name?: string;
	responsible_user_id?: number;
	custom_fields_values?: CustomFieldValue[];
	tags_to_add?: Tag[];
	request_id?: string;
}

/** What a task is attached to, in amoCRM's words (https://www.amocrm.ru/developers/content/crm_platform/tasks-api). */
export type TaskEntityType = 'leads' | 'contacts' | 'companies' | 'customers';

export interface TaskCreateRequest {
	text: string;
	/** Due time, unix seconds. */
	complete_till: number;
	entity_type: TaskEntityType;
	entity_id: number;
	task_type_id: number;
	responsible_user_id?: number;
	request_id?: string;
}

export interface TaskCompleteRequest {
	is_completed: true;
	result?: { text: string };
}

export interface Task {
	id: number;
	text: string;
	entity_type: TaskEntityType | null;
	entity_id: number | null;
	task_type_id: number;
	is_completed: boolean;
	/** An object with `text` once completed with a result; amoCRM sends `[]` when there is none. */
	result: { text?: string } | unknown[] | null;
	complete_till: number;
	responsible_user_id: number;
	created_at?: number;
	updated_at?: number;
}

/** One of the account's task types (`GET /api/v4/account?with=task_types`); 1 (call) and 2 (meeting) are built in. */
export interface TaskType {
	id: number;
	name: string;
	code?: string | null;
}

/** A deal as `GET /api/v4/leads` and `/leads/{id}` return it. */
export interface Lead {
	id: number;
	name: string;
	price: number | null;
	responsible_user_id: number;
	status_id: number;
	pipeline_id: number;
	loss_reason_id?: number | null;
	created_by?: number;
	updated_by?: number;
	created_at: number;
	updated_at: number;
	closed_at?: number | null;
	closest_task_at?: number | null;
	is_deleted?: boolean;
	custom_fields_values: CustomFieldValue[] | null;
	_embedded?: {
		tags?: Array<{ id: number; name: string; color?: string | null }>;
		contacts?: Array<{ id: number; is_main?: boolean }>;
		companies?: Array<{ id: number }>;
		/** With `with=catalog_elements`: the products (catalog elements) on the deal. */
		catalog_elements?: Array<{
			id: number;
			metadata?: { quantity?: number; catalog_id?: number; price_id?: number | null } | null;
		}>;
	};
}

/** One deal in `PATCH /api/v4/leads` (only what changes besides `id`). */
export interface LeadUpdateRequest extends Omit<LeadCreateRequest, '_embedded' | 'request_id'> {
	id: number;
	tags_to_add?: Tag[];
	tags_to_delete?: Tag[];
	_embedded?: { tags: Tag[] | null };
}

/** A tag change of one deal or contact: `PATCH /api/v4/leads` or `/contacts`. */
export interface TagsUpdateRequest {
	id: number;
	tags_to_add?: Tag[];
	tags_to_delete?: Tag[];
}

/** A contact as GET /api/v4/contacts and /contacts/{id} answer (with=leads adds `_embedded.leads`). */
export interface ContactRecord extends Contact {
	created_at?: number;
	updated_at?: number;
	_embedded?: {
		tags?: Array<{ id: number; name: string }>;
		leads?: Array<{ id: number }>;
		companies?: Array<{ id: number }>;
	};
}

/** One contact of PATCH /api/v4/contacts: only the fields to change. */
export interface ContactUpdateRequest {
	id: number;
	name?: string;
	first_name?: string;
	last_name?: string;
	responsible_user_id?: number;
	custom_fields_values?: CustomFieldValue[];
	tags_to_add?: Tag[];
	request_id?: string;
}

/** A note as GET /api/v4/{leads|contacts|companies}/{id}/notes answers. */
export interface Note {
	id: number;
	entity_id: number;
	note_type: string;
	params?: IDataObject & { text?: string };
	created_by?: number;
	updated_by?: number;
	created_at?: number;
	updated_at?: number;
	responsible_user_id?: number;
}

/** One incoming lead (amoCRM "Unsorted") from a site form: `POST /api/v4/leads/unsorted/forms` (crm_platform/unsorted-api). */
/** One incoming lead in `POST /api/v4/leads/unsorted/{forms|sip}`: its deal, contact and metadata. */
export interface UnsortedCreateRequest<M extends object> {
	/** The submission's own ID, unique per submission. */
	source_uid: string;
	source_name: string;
	pipeline_id?: number;
	metadata: M;
	_embedded: {
		leads: LeadCreateRequest[];
		contacts?: ContactCreateRequest[];
	};
	request_id?: string;
}

/** A form's incoming lead (crm_platform/unsorted-api, metadata of category forms). */
export type UnsortedFormCreateRequest = UnsortedCreateRequest<{
	form_id: string;
	form_name: string;
	form_page: string;
	ip: string;
	/** Unix time in seconds. */
	form_sent_at: number;
	referer?: string;
}>;

/** A call's incoming lead (crm_platform/unsorted-api, metadata of category sip). */
export type UnsortedSipCreateRequest = UnsortedCreateRequest<{
	uniq: string;
	phone: string;
	/** Unix time in seconds. */
	called_at: number;
	duration: number;
	link?: string;
	service_code: string;
	from: string;
	call_responsible?: number | string;
	is_call_event_needed?: boolean;
}>;

/** What accepting or declining an incoming lead answers. */
export interface UnsortedHandled {
	uid: string;
	pipeline_id?: number;
	category?: string;
	_embedded?: {
		leads?: Array<{ id: number }>;
		contacts?: Array<{ id: number }>;
		companies?: Array<{ id: number }>;
	};
}

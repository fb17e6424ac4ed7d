import type { IDataObject } from 'n8n-workflow';

import type { CustomField } from '../AmoCrm/transport/types';

/**
 * amoCRM's webhook deliveries (https://www.amocrm.ru/developers/content/crm_platform/webhooks-format):
 * `application/x-www-form-urlencoded` with PHP-style keys in the older API's field names, e.g.
 * `leads[status][0][id]=25399013&leads[status][0][old_status_id]=7039101&account[id]=7039099`.
 * One delivery may carry several entities and several kinds of event. Everything arrives as text.
 */

/** Keys a crafted body must never write through (the body is unauthenticated). */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** `leads[status][0][id]` -> ['leads', 'status', '0', 'id'] */
function keyPath(key: string): string[] {
	const open = key.indexOf('[');
	if (open <= 0) return [key];
	const path = [key.slice(0, open)];
	for (const match of key.slice(open).matchAll(/\[([^[\]]*)\]/g)) path.push(match[1]);
	return path;
}

function setAtPath(target: IDataObject, path: string[], value: unknown): void {
	let node = target;
	for (let depth = 0; depth < path.length; depth++) {
		if (UNSAFE_KEYS.has(path[depth])) return;
		// `key[]=` appends, as PHP reads it.
		const key = path[depth] === '' ? String(Object.keys(node).length) : path[depth];
		if (depth === path.length - 1) {
			node[key] = value as IDataObject[string];
			return;
		}
		const next = node[key];
		if (next === null || typeof next !== 'object' || Array.isArray(next)) node[key] = {};
		node = node[key] as IDataObject;
	}
}

/**
 * Objects keyed 0..n-1 become arrays. Other numeric keys stay (e.g. `linked_leads_id`, keyed by
 * deal ID).
 */
function listsFromIndexes(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(listsFromIndexes);
	if (value === null || typeof value !== 'object') return value;
	const entries = Object.entries(value as IDataObject);
	const dense = entries.length > 0 && entries.every(([key], position) => key === String(position));
	if (dense) return entries.map(([, entry]) => listsFromIndexes(entry));
	return Object.fromEntries(entries.map(([key, entry]) => [key, listsFromIndexes(entry)]));
}

/** Nested data from form fields with bracket keys (as decoded, or as n8n's parser split them). */
export function nestFormFields(fields: Iterable<[string, unknown]>): IDataObject {
	const nested: IDataObject = {};
	for (const [key, value] of fields) {
		if (key === '') continue;
		const path = keyPath(key);
		// A parsed body may repeat a key as an array of values: the last one wins, as in PHP.
		setAtPath(nested, path, Array.isArray(value) ? value[value.length - 1] : value);
	}
	// JavaScript lists an object's integer keys in ascending order, whatever order they came in.
	return listsFromIndexes(nested) as IDataObject;
}

/** Decodes amoCRM's form-encoded body. Malformed escapes are kept as they are, never thrown. */
export function parseFormBody(raw: string): IDataObject {
	return nestFormFields(new URLSearchParams(raw.replace(/^\uFEFF/, '')).entries());
}

/**
 * The delivery as nested data, from the raw body when n8n kept it (n8n's own form parser stops at
 * 1000 keys; one delivery of a bulk edit carries more), else from the body n8n parsed.
 */
export function readDelivery(
	rawBody: Buffer | string | undefined,
	parsedBody: IDataObject,
): IDataObject {
	const raw = Buffer.isBuffer(rawBody) ? rawBody.toString('utf8') : rawBody;
	if (raw !== undefined && raw.trim() !== '' && !/^\s*[[{]/.test(raw)) return parseFormBody(raw);
	return nestFormFields(Object.entries(parsedBody));
}

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

export type EntityKind =
	'deal' | 'contact' | 'company' | 'task' | 'note' | 'incomingLead' | 'talk' | 'message';

/** One entity event of a delivery, before it is made into an item. */
export interface DeliveredEvent {
	/** e.g. "deal.statusChanged" */
	event: string;
	entity: EntityKind | string;
	/** The entity as amoCRM sent it (all values text). */
	data: IDataObject;
	/** Notes: the deal, contact or company the note was added to. */
	parent?: 'deal' | 'contact' | 'company';
}

const ACTION_NAMES: Record<string, string> = {
	add: 'added',
	update: 'updated',
	delete: 'deleted',
	restore: 'restored',
	status: 'statusChanged',
	responsible: 'responsibleChanged',
};

/** The delivery's top-level keys: amoCRM's older (v2) entity names. */
const ENTITY_KEYS: Record<string, EntityKind> = {
	leads: 'deal',
	contacts: 'contact',
	companies: 'company',
	task: 'task',
	tasks: 'task',
	unsorted: 'incomingLead',
	talk: 'talk',
	talks: 'talk',
	message: 'message',
};

/** Not an entity: the account every delivery names. */
const NOT_EVENTS = new Set(['account']);

/** A talk update that leaves it out of work: amoCRM closed it (talks-api: `is_in_work`, "in work, i.e. not closed"). */
function closesTalk(data: IDataObject): boolean {
	const inWork = data.is_in_work;
	return inWork !== undefined && ['0', 'false', ''].includes(String(inWork));
}

function asObject(value: unknown): IDataObject | undefined {
	return value !== null && typeof value === 'object' && !Array.isArray(value)
		? (value as IDataObject)
		: undefined;
}

function rowsOf(value: unknown): unknown[] {
	const list = Array.isArray(value)
		? value
		: asObject(value)
			? Object.values(value as IDataObject)
			: [value];
	// One documented task example wraps each task once more, under "0".
	return list.flatMap((row) => {
		const object = asObject(row);
		if (object && object.id === undefined && object.uid === undefined && asObject(object['0']))
			return Object.values(object);
		return Array.isArray(row) ? row : [row];
	});
}

/** Splits a delivery into its entity events, in the order amoCRM sent them. */
export function deliveredEvents(payload: IDataObject): DeliveredEvent[] {
	const events: DeliveredEvent[] = [];
	for (const [key, actions] of Object.entries(payload)) {
		// A kind of delivery this node does not know (an "Other Event Code") keeps amoCRM's own name.
		const kind: EntityKind | string | undefined = NOT_EVENTS.has(key)
			? undefined
			: (ENTITY_KEYS[key] ?? key);
		const byAction = asObject(actions);
		if (kind === undefined || byAction === undefined) continue;
		for (const [action, rows] of Object.entries(byAction)) {
			for (const row of rowsOf(rows)) {
				// A deletion may name only the ID.
				const data = asObject(row) ?? { id: String(row ?? '') };
				// Companies come under "contacts" with type "company", kept that way for older integrations.
				const entity = kind === 'contact' && data.type === 'company' ? 'company' : kind;
				if (action === 'note') {
					const parent =
						entity === 'deal' || entity === 'contact' || entity === 'company' ? entity : undefined;
					events.push({
						event: 'note.added',
						entity: 'note',
						data: asObject(data.note) ?? data,
						parent,
					});
					continue;
				}
				const name =
					entity === 'talk' && action === 'update' && closesTalk(data)
						? 'closed'
						: (ACTION_NAMES[action] ?? action);
				events.push({ event: `${entity}.${name}`, entity, data });
			}
		}
	}
	return events;
}

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

function text(value: unknown): string | null {
	if (value === undefined || value === null) return null;
	if (typeof value === 'object') return null;
	return String(value);
}

/** "123" -> 123; "" or absent -> null. */
export function toNumber(value: unknown): number | null {
	const raw = text(value);
	if (raw === null || raw.trim() === '') return null;
	const number = Number(raw.replace(',', '.'));
	return Number.isFinite(number) ? number : null;
}

/**
 * The first Unix timestamp among `values`, as a number; null when there is none. Deals and
 * contacts send Unix `date_create`; notes and tasks send a zone-less local date
 * ("2017-07-20 15:00:00", amoCRM's webhooks-format page for tasks) and, for notes, Unix
 * `created_at` beside it. One type per field: the local text goes to its own `…Local` field.
 */
function unixTime(...values: unknown[]): number | null {
	for (const value of values) {
		const raw = text(value)?.trim();
		if (raw && /^\d+$/.test(raw)) return Number(raw);
	}
	return null;
}

/** amoCRM's zone-less local date ("2017-07-20 15:00:00", the account's own time), or null. */
function localTime(value: unknown): string | null {
	const raw = text(value)?.trim();
	return raw && !/^\d+$/.test(raw) ? raw : null;
}

function idList(value: unknown): number[] {
	if (Array.isArray(value)) return value.map(toNumber).filter((id): id is number => id !== null);
	const object = asObject(value);
	if (!object) return [];
	// linked_leads_id: { "7551167": { "ID": "7551167" } }
	return Object.keys(object)
		.map(toNumber)
		.filter((id): id is number => id !== null);
}

function tagNames(value: unknown): string[] {
	const tags = Array.isArray(value)
		? value
		: asObject(value)
			? Object.values(value as IDataObject)
			: [];
	return tags
		.map((tag) => text(asObject(tag)?.name ?? tag))
		.filter((name): name is string => name !== null && name !== '');
}

// ---------------------------------------------------------------------------------------------
// Custom fields
// ---------------------------------------------------------------------------------------------

interface DeliveredValue {
	value: string | null;
	/** The option's ID for list fields ("enum" in the delivery). */
	optionId: number | null;
}

function deliveredValues(field: IDataObject): DeliveredValue[] {
	const values = Array.isArray(field.values)
		? field.values
		: asObject(field.values)
			? Object.values(field.values as IDataObject)
			: [];
	return values.map((entry) => {
		const object = asObject(entry);
		if (!object) return { value: text(entry), optionId: null };
		return { value: text(object.value), optionId: toNumber(object.enum ?? object.enum_id) };
	});
}

function optionText(definition: CustomField | undefined, value: DeliveredValue): string | null {
	const option = definition?.enums?.find((candidate) => candidate.id === value.optionId);
	return option?.value ?? value.value;
}

/** A field's value in the form its type suggests: numbers, yes/no, list choices by their text. */
function fieldValue(definition: CustomField | undefined, field: IDataObject): unknown {
	const values = deliveredValues(field);
	switch (definition?.type) {
		case 'checkbox':
			return values.length === 0 ? false : ['1', 'true', 'Y'].includes(values[0].value ?? '');
		case 'numeric':
		case 'price':
		case 'date':
		case 'date_time':
		case 'birthday':
			return values.length === 0 ? null : toNumber(values[0].value);
		case 'select':
		case 'radiobutton':
			return values.length === 0 ? null : optionText(definition, values[0]);
		case 'multiselect':
			return values.map((value) => optionText(definition, value)).filter((value) => value !== null);
		case 'multitext':
			// Here the option is only the value's kind (WORK, MOB): the value is what was typed.
			return values.map((value) => value.value).filter((value) => value !== null);
		default:
			if (values.length === 1) return values[0].value;
			return values.map((value) => value.value);
	}
}

export interface EntityFields {
	/** The account's fields of this entity (names and types), when they could be read. */
	definitions?: CustomField[];
}

/** `{ "<field name>": value }`; phones and emails apart (contacts and companies list them on their own). */
function customFieldsOf(
	data: IDataObject,
	fields: EntityFields,
): { customFields: IDataObject; phones: string[]; emails: string[] } {
	const customFields: IDataObject = {};
	let phones: string[] = [];
	let emails: string[] = [];
	const list = Array.isArray(data.custom_fields)
		? data.custom_fields
		: asObject(data.custom_fields)
			? Object.values(data.custom_fields as IDataObject)
			: [];
	for (const entry of list) {
		const field = asObject(entry);
		if (!field) continue;
		const id = toNumber(field.id);
		const definition = fields.definitions?.find((candidate) => candidate.id === id);
		const code = text(field.code) ?? definition?.code ?? null;
		if (code === 'PHONE' || code === 'EMAIL') {
			const values = deliveredValues(field)
				.map((value) => value.value)
				.filter((value): value is string => value !== null && value !== '');
			if (code === 'PHONE') phones = [...phones, ...values];
			else emails = [...emails, ...values];
			continue;
		}
		const name = definition?.name ?? text(field.name) ?? `Field ${id ?? '?'}`;
		const key = customFields[name] === undefined ? name : `${name} (${id ?? '?'})`;
		customFields[key] = fieldValue(definition, field) as IDataObject[string];
	}
	return { customFields, phones, emails };
}

// ---------------------------------------------------------------------------------------------
// Items
// ---------------------------------------------------------------------------------------------

/** Field definitions by the entity they belong to. */
export interface AccountFields {
	deal?: CustomField[];
	contact?: CustomField[];
	company?: CustomField[];
}

/** amoCRM's older element types (tasks and notes name the entity they belong to this way). */
const ELEMENT_TYPES: Record<string, string> = {
	'1': 'contact',
	'2': 'deal',
	'3': 'company',
	'12': 'customer',
};

/** The older API's note type numbers for the kinds of note amoCRM API v4 names. */
const NOTE_TYPES: Record<string, string> = {
	'4': 'common',
	'10': 'call_in',
	'11': 'call_out',
	'25': 'service_message',
	'102': 'sms_in',
	'103': 'sms_out',
};

function dealFields(data: IDataObject, fields: AccountFields): IDataObject {
	return {
		name: text(data.name),
		statusId: toNumber(data.status_id),
		oldStatusId: toNumber(data.old_status_id),
		pipelineId: toNumber(data.pipeline_id),
		oldPipelineId: toNumber(data.old_pipeline_id),
		responsibleUserId: toNumber(data.responsible_user_id),
		oldResponsibleUserId: toNumber(data.old_responsible_user_id),
		price: toNumber(data.price),
		tags: tagNames(data.tags),
		createdAt: unixTime(data.created_at, data.date_create),
		updatedAt: unixTime(data.updated_at, data.last_modified),
		customFields: customFieldsOf(data, { definitions: fields.deal }).customFields,
	};
}

function personFields(
	entity: 'contact' | 'company',
	data: IDataObject,
	fields: AccountFields,
): IDataObject {
	const { customFields, phones, emails } = customFieldsOf(data, {
		definitions: entity === 'contact' ? fields.contact : fields.company,
	});
	return {
		name: text(data.name),
		responsibleUserId: toNumber(data.responsible_user_id),
		oldResponsibleUserId: toNumber(data.old_responsible_user_id),
		...(entity === 'contact' ? { companyId: toNumber(data.linked_company_id) } : {}),
		dealIds: idList(data.linked_leads_id),
		phones,
		emails,
		tags: tagNames(data.tags),
		createdAt: unixTime(data.created_at, data.date_create),
		updatedAt: unixTime(data.updated_at, data.last_modified),
		customFields,
	};
}

function taskFields(data: IDataObject): IDataObject {
	const result = asObject(data.result);
	return {
		text: text(data.text),
		taskTypeId: toNumber(data.task_type),
		isCompleted: text(data.status) === '1',
		completeTill: unixTime(data.complete_till),
		completeTillLocal: localTime(data.complete_till),
		// amoCRM names the responsible user main_user_id in some deliveries (webhooks-format page).
		responsibleUserId: toNumber(data.responsible_user_id ?? data.main_user_id),
		oldResponsibleUserId: toNumber(data.old_responsible_user_id),
		entityType: ELEMENT_TYPES[text(data.element_type) ?? ''] ?? text(data.element_type),
		entityId: toNumber(data.element_id),
		resultText: text(result?.text),
		createdAt: unixTime(data.created_at, data.date_create),
		updatedAt: unixTime(data.updated_at, data.last_modified),
		createdAtLocal: localTime(data.date_create),
		updatedAtLocal: localTime(data.last_modified),
	};
}

function noteFields(data: IDataObject, parent: DeliveredEvent['parent']): IDataObject {
	const noteType = text(data.note_type);
	return {
		noteType: NOTE_TYPES[noteType ?? ''] ?? noteType,
		text: text(data.text),
		entityType: parent ?? ELEMENT_TYPES[text(data.element_type) ?? ''] ?? null,
		entityId: toNumber(data.element_id),
		createdBy: toNumber(data.created_by ?? data.created_user_id),
		// A note delivery names the responsible user main_user_id, without responsible_user_id.
		responsibleUserId: toNumber(data.responsible_user_id ?? data.main_user_id),
		createdAt: unixTime(data.created_at, data.date_create),
		createdAtLocal: localTime(data.date_create),
	};
}

function incomingLeadFields(data: IDataObject): IDataObject {
	const source = asObject(data.source_data) ?? {};
	// Form answers: { name_1: { name: "ФИО", value: "Валерий" }, … }
	const formFields: IDataObject = {};
	for (const entry of Object.values(source)) {
		const field = asObject(entry);
		const name = text(field?.name);
		if (field && name !== null && field.value !== undefined) formFields[name] = text(field.value);
	}
	const leads = Array.isArray(asObject(data.data)?.leads)
		? ((asObject(data.data) as IDataObject).leads as unknown[])
		: [];
	return {
		category: text(data.category),
		source: text(data.source),
		pipelineId: toNumber(data.pipeline_id),
		formName: text(source.form_name),
		formFields,
		dealName: text(asObject(leads[0])?.name),
		createdAt: unixTime(data.created_at, source.date),
	};
}

/** Where a talk or message belongs: `entity_type` (leads, contacts…) or the older `element_type` (2, 1…). */
function linkedEntity(data: IDataObject): { entityType: string | null; entityId: number | null } {
	const type = text(data.entity_type) ?? text(data.element_type);
	const names: Record<string, string> = {
		leads: 'deal',
		lead: 'deal',
		contacts: 'contact',
		contact: 'contact',
		companies: 'company',
		company: 'company',
		customers: 'customer',
		customer: 'customer',
		...ELEMENT_TYPES,
	};
	return {
		entityType: type === null ? null : (names[type] ?? type),
		entityId: toNumber(data.entity_id ?? data.element_id),
	};
}

/** A talk (a chat conversation, crm_platform/talks-api): its chat, contact, deal, channel and state. */
function talkFields(data: IDataObject): IDataObject {
	return {
		chatId: text(data.chat_id),
		contactId: toNumber(data.contact_id),
		...linkedEntity(data),
		origin: text(data.origin),
		isInWork:
			data.is_in_work === undefined ? null : !['0', 'false', ''].includes(String(data.is_in_work)),
		isRead: data.is_read === undefined ? null : !['0', 'false', ''].includes(String(data.is_read)),
		rate: toNumber(data.rate),
		createdAt: unixTime(data.created_at),
		updatedAt: unixTime(data.updated_at),
	};
}

/** A chat message (Kommo's add_message): who wrote what, in which chat and talk, on which card. */
function messageFields(data: IDataObject): IDataObject {
	const author = asObject(data.author) ?? {};
	const attachment = asObject(data.attachment) ?? {};
	return {
		messageType: text(data.message_type ?? data.type),
		text: text(data.text),
		chatId: text(data.chat_id),
		talkId: toNumber(data.talk_id),
		contactId: toNumber(data.contact_id),
		...linkedEntity(data),
		origin: text(data.origin),
		authorId: text(author.id),
		authorName: text(author.name),
		attachmentType: text(attachment.type),
		attachmentLink: text(attachment.link),
		createdAt: unixTime(data.created_at),
	};
}

/** One clean item per entity event: numbers as numbers, custom fields by name, the delivery's own data in `raw`. */
export function eventItem(
	delivered: DeliveredEvent,
	accountId: number | null,
	fields: AccountFields,
): IDataObject {
	const { data } = delivered;
	const id =
		delivered.entity === 'incomingLead'
			? text(data.uid)
			: delivered.entity === 'message'
				? text(data.id)
				: delivered.entity === 'talk'
					? toNumber(data.talk_id ?? data.id)
					: (toNumber(data.id) ?? text(data.id));
	let specific: IDataObject;
	switch (delivered.entity) {
		case 'deal':
			specific = dealFields(data, fields);
			break;
		case 'contact':
		case 'company':
			specific = personFields(delivered.entity, data, fields);
			break;
		case 'task':
			specific = taskFields(data);
			break;
		case 'note':
			specific = noteFields(data, delivered.parent);
			break;
		case 'incomingLead':
			specific = incomingLeadFields(data);
			break;
		case 'talk':
			specific = talkFields(data);
			break;
		case 'message':
			specific = messageFields(data);
			break;
		default:
			specific = {};
	}
	return {
		event: delivered.event,
		entity: delivered.entity,
		id,
		...specific,
		accountId: accountId ?? toNumber(data.account_id),
		raw: data,
	};
}

/** The account a delivery says it comes from: `account[id]`, `account[subdomain]`. */
export function deliveryAccount(payload: IDataObject): {
	id: number | null;
	subdomain: string | null;
} {
	const account = asObject(payload.account) ?? {};
	return { id: toNumber(account.id), subdomain: text(account.subdomain) };
}

// ---------------------------------------------------------------------------------------------
// Filter
// ---------------------------------------------------------------------------------------------

export interface DealFilter {
	pipelineIds: number[];
	/** "pipelineId:stageId": a stage ID alone is not unique (142 and 143 close every pipeline). */
	stages: string[];
}

/** Deal events outside the chosen pipelines and stages are left out; other events always pass. */
export function passesDealFilter(item: IDataObject, filter: DealFilter): boolean {
	if (item.entity !== 'deal') return true;
	if (filter.pipelineIds.length > 0 && !filter.pipelineIds.includes(item.pipelineId as number))
		return false;
	if (
		filter.stages.length > 0 &&
		!filter.stages.includes(`${String(item.pipelineId)}:${String(item.statusId)}`)
	)
		return false;
	return true;
}

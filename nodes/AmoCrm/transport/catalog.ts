import { cached, forget } from './cache';
import { amoCrmApiRequest, amoCrmApiRequestAllItems, getAccount } from './request';
import type { AmoCrmContext } from './request';
import type { Catalog, CustomField, Pipeline, TaskType, User } from './types';

/**
 * What the account has: pipelines and stages, users, custom fields, its country. Read for
 * dropdowns and to check input before a create; cached per credential and account
 * (cache.ts). `fresh` reads again unless the list was read in the last few seconds: for a
 * dropdown being opened, and for a second look before an item fails on what we remember.
 */
export type CustomFieldEntity = 'contacts' | 'leads' | 'companies';

export interface ReadOptions {
	fresh?: boolean;
}

/** Lists read this recently count as fresh: the dropdowns one editor opens together, or the items of one run, share one read. */
const FRESH_MS = 10_000;

const maxAge = (options: ReadOptions) => (options.fresh ? FRESH_MS : undefined);

export async function getPipelines(
	this: AmoCrmContext,
	options: ReadOptions = {},
): Promise<Pipeline[]> {
	const account = await getAccount.call(this);
	return await cached(
		`${account.key}:pipelines`,
		async () =>
			(await amoCrmApiRequestAllItems.call(
				this,
				{ path: 'leads/pipelines', subject: 'pipeline list' },
				'pipelines',
			)) as Pipeline[],
		maxAge(options),
	);
}

export async function getCustomFields(
	this: AmoCrmContext,
	entity: CustomFieldEntity,
	options: ReadOptions = {},
): Promise<CustomField[]> {
	const account = await getAccount.call(this);
	return await cached(
		`${account.key}:custom_fields:${entity}`,
		async () =>
			(await amoCrmApiRequestAllItems.call(
				this,
				{ path: `${entity}/custom_fields`, subject: 'custom field list' },
				'custom_fields',
			)) as CustomField[],
		maxAge(options),
	);
}

export async function getUsers(this: AmoCrmContext, options: ReadOptions = {}): Promise<User[]> {
	const account = await getAccount.call(this);
	return await cached(
		`${account.key}:users`,
		async () =>
			(await amoCrmApiRequestAllItems.call(
				this,
				{ path: 'users', subject: 'user list' },
				'users',
			)) as User[],
		maxAge(options),
	);
}

/** The account's own fields (`GET /api/v4/account`), read once for the country and the current user. */
async function getAccountInfo(
	this: AmoCrmContext,
): Promise<{ country?: unknown; current_user_id?: unknown }> {
	const account = await getAccount.call(this);
	return await cached(
		`${account.key}:account`,
		async () =>
			((await amoCrmApiRequest.call(this, {
				method: 'GET',
				path: 'account',
				subject: 'account',
			})) as { country?: unknown; current_user_id?: unknown } | undefined) ?? {},
	);
}

/** The account's country as amoCRM reports it (`GET /api/v4/account`: ISO 3166 code, e.g. "UZ"), or '' when it names none. */
export async function getAccountCountry(this: AmoCrmContext): Promise<string> {
	const { country } = await getAccountInfo.call(this);
	return typeof country === 'string' ? country : '';
}

/** The user the credential acts as (`current_user_id`): whom amoCRM makes responsible when a request names nobody. */
export async function getCurrentUserId(this: AmoCrmContext): Promise<number | undefined> {
	const { current_user_id: id } = await getAccountInfo.call(this);
	return typeof id === 'number' ? id : undefined;
}

/** The account's task types (`GET /api/v4/account?with=task_types`): Call and Meeting, plus the account's own. */
export async function getTaskTypes(
	this: AmoCrmContext,
	options: ReadOptions = {},
): Promise<TaskType[]> {
	const account = await getAccount.call(this);
	return await cached(
		`${account.key}:task_types`,
		async () => {
			const info = (await amoCrmApiRequest.call(this, {
				method: 'GET',
				path: 'account',
				qs: { with: 'task_types' },
				subject: 'task type list',
			})) as { _embedded?: { task_types?: TaskType[] } } | undefined;
			return info?._embedded?.task_types ?? [];
		},
		maxAge(options),
	);
}

/** The account's lists (`GET /api/v4/catalogs`, crm_platform/catalogs-api): products, invoices and its own. */
export async function getCatalogs(
	this: AmoCrmContext,
	options: ReadOptions = {},
): Promise<Catalog[]> {
	const account = await getAccount.call(this);
	return await cached(
		`${account.key}:catalogs`,
		async () =>
			(await amoCrmApiRequestAllItems.call(
				this,
				{ path: 'catalogs', subject: 'list of catalogs' },
				'catalogs',
			)) as Catalog[],
		maxAge(options),
	);
}

/** A list's fields (`GET /api/v4/catalogs/{id}/custom_fields`), e.g. the price fields of the products list. */
export async function getCatalogFields(
	this: AmoCrmContext,
	catalogId: number,
	options: ReadOptions = {},
): Promise<CustomField[]> {
	const account = await getAccount.call(this);
	return await cached(
		`${account.key}:catalog_fields:${catalogId}`,
		async () =>
			(await amoCrmApiRequestAllItems.call(
				this,
				{ path: `catalogs/${catalogId}/custom_fields`, subject: 'custom field list' },
				'custom_fields',
			)) as CustomField[],
		maxAge(options),
	);
}

/** What forgetMetadata can forget. */
export type MetadataList = 'pipelines' | `custom_fields:${CustomFieldEntity}`;

/** Forgets some of what the account has, after amoCRM refused one of them. */
export async function forgetMetadata(this: AmoCrmContext, lists: MetadataList[]): Promise<void> {
	const account = await getAccount.call(this);
	for (const list of lists) forget(`${account.key}:${list}`);
}

/** `custom field "Source" (ID 4001)` for the field a validation-error path points at, if we can tell. */
export function customFieldPathDescriber(
	body: Array<{ custom_fields_values?: Array<{ field_id?: number; field_code?: string }> }>,
	fields: CustomField[] | undefined,
): (path: string, requestIndex: number) => string | undefined {
	return (path, requestIndex) => {
		// A new contact inside /leads/complex: its fields are the node's Contact Phone and Contact Email.
		const contactField = /^_embedded\.contacts\.(\d+)\.custom_fields_values\.(\d+)\./.exec(path);
		if (contactField) {
			const contact = (
				body[Number.isFinite(requestIndex) ? requestIndex : 0] as {
					_embedded?: {
						contacts?: Array<{
							custom_fields_values?: Array<{ field_id?: number; field_code?: string }>;
						}>;
					};
				}
			)?._embedded?.contacts?.[Number(contactField[1])];
			const entry = contact?.custom_fields_values?.[Number(contactField[2])];
			if (entry?.field_code === 'PHONE') return 'Contact Phone';
			if (entry?.field_code === 'EMAIL') return 'Contact Email';
			return entry ? `the new contact's custom field ID ${String(entry.field_id)}` : undefined;
		}
		const match = /^custom_fields_values\.(\d+)\./.exec(path);
		if (!match) return undefined;
		const entry =
			body[Number.isFinite(requestIndex) ? requestIndex : 0]?.custom_fields_values?.[
				Number(match[1])
			];
		if (!entry) return undefined;
		if (entry.field_code === 'PHONE') return 'Phones';
		if (entry.field_code === 'EMAIL') return 'Emails';
		const field = fields?.find((candidate) => candidate.id === entry.field_id);
		return field
			? `custom field "${field.name}" (ID ${field.id})`
			: `custom field ID ${String(entry.field_id)}`;
	};
}

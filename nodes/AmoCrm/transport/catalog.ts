import { cached } from './cache';
import { amoCrmApiRequestAllItems, getAccount } from './request';
import type { AmoCrmContext } from './request';
import type { CustomField, Pipeline, User } from './types';

/**
 * What the account has: pipelines and stages, users, custom fields. Read for dropdowns and
 * to check input before a create; cached per credential and account (cache.ts).
 */
export type CustomFieldEntity = 'contacts' | 'leads';

export async function getPipelines(this: AmoCrmContext): Promise<Pipeline[]> {
	const account = await getAccount.call(this);
	return await cached(`${account.key}:pipelines`, async () =>
		(await amoCrmApiRequestAllItems.call(this, { path: 'leads/pipelines', subject: 'pipeline list' }, 'pipelines')) as Pipeline[],
	);
}

export async function getCustomFields(this: AmoCrmContext, entity: CustomFieldEntity): Promise<CustomField[]> {
	const account = await getAccount.call(this);
	return await cached(`${account.key}:custom_fields:${entity}`, async () =>
		(await amoCrmApiRequestAllItems.call(this, { path: `${entity}/custom_fields`, subject: 'custom field list' }, 'custom_fields')) as CustomField[],
	);
}

export async function getUsers(this: AmoCrmContext): Promise<User[]> {
	const account = await getAccount.call(this);
	return await cached(`${account.key}:users`, async () =>
		(await amoCrmApiRequestAllItems.call(this, { path: 'users', subject: 'user list' }, 'users')) as User[],
	);
}

/** `custom field "Source" (ID 4001)` for the field a validation-error path points at, if we can tell. */
export function customFieldPathDescriber(
	body: Array<{ custom_fields_values?: Array<{ field_id?: number; field_code?: string }> }>,
	fields: CustomField[] | undefined,
): (path: string, requestIndex: number) => string | undefined {
	return (path, requestIndex) => {
		const match = /^custom_fields_values\.(\d+)\./.exec(path);
		if (!match) return undefined;
		const entry = body[Number.isFinite(requestIndex) ? requestIndex : 0]?.custom_fields_values?.[Number(match[1])];
		if (!entry) return undefined;
		if (entry.field_code === 'PHONE') return 'Phones';
		if (entry.field_code === 'EMAIL') return 'Emails';
		const field = fields?.find((candidate) => candidate.id === entry.field_id);
		return field ? `custom field "${field.name}" (ID ${field.id})` : `custom field ID ${String(entry.field_id)}`;
	};
}

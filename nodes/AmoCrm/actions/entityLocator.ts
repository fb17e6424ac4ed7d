import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { amoCrmApiRequest } from '../transport/request';
import type { LinkRequest } from '../transport/types';
import { locatorValue, operationError } from './common';

/**
 * Deals, contacts and companies are chosen the way n8n's own CRM nodes do it: a searchable
 * list by name, the ID, or the entity's amoCRM page pasted (https://mycompany.amocrm.ru/leads/detail/123).
 */
export type LocatedEntity = 'deal' | 'contact' | 'company';

/** The path amoCRM uses for the entity, in the API and in its page URLs. */
export const ENTITY_PATH = { deal: 'leads', contact: 'contacts', company: 'companies' } as const;

const SEARCH_METHOD = {
	deal: 'searchDeals',
	contact: 'searchContacts',
	company: 'searchCompanies',
} as const;

const LABEL = { deal: 'Deal', contact: 'Contact', company: 'Company' } as const;

/** Matches an amoCRM or Kommo page of one entity; group 1 is its ID. */
export function entityUrlRegex(entity: LocatedEntity): string {
	return `^\\s*https?://[^/\\s]+/${ENTITY_PATH[entity]}/detail/(\\d+)`;
}

export function entityIdProperty(
	entity: LocatedEntity,
	options: {
		name: string;
		description: string;
		displayOptions: INodeProperties['displayOptions'];
		displayName?: string;
		required?: boolean;
	},
): INodeProperties {
	const label = LABEL[entity];
	const path = ENTITY_PATH[entity];
	return {
		displayName: options.displayName ?? label,
		name: options.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: options.required ?? true,
		description: options.description,
		displayOptions: options.displayOptions,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: `Choose a ${label.toLowerCase()}…`,
				typeOptions: { searchListMethod: SEARCH_METHOD[entity], searchable: true },
			},
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				placeholder: `https://mycompany.amocrm.ru/${path}/detail/12345678`,
				validation: [
					{
						type: 'regex',
						properties: {
							regex: entityUrlRegex(entity),
							errorMessage: `Paste the address of a ${label.toLowerCase()}'s page in amoCRM, e.g. https://mycompany.amocrm.ru/${path}/detail/12345678`,
						},
					},
				],
				extractValue: { type: 'regex', regex: entityUrlRegex(entity) },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 12345678',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: '^\\s*\\d+\\s*$',
							errorMessage: `Enter the ${label.toLowerCase()}'s amoCRM ID, a whole number such as 12345678`,
						},
					},
				],
			},
		],
	};
}

/**
 * The entity's ID from its locator (list, URL or ID), or from a plain value an expression gave
 * (a number, or a page URL). Throws, naming the field and the fix, when it is not one; returns
 * undefined when it is empty and optional.
 */
export function readEntityId(
	context: IExecuteFunctions,
	itemIndex: number,
	entity: LocatedEntity,
	parameterName: string,
	options: { label?: string; required?: boolean } = {},
): number | undefined {
	const label = options.label ?? LABEL[entity];
	const raw = locatorValue(context.getNodeParameter(parameterName, itemIndex, ''));
	const text = raw === null || raw === undefined ? '' : String(raw).trim();
	if (text === '') {
		if (options.required === false) return undefined;
		throw operationError(
			context,
			itemIndex,
			`${label} is empty`,
			`Choose the ${LABEL[entity].toLowerCase()} from the list, paste its amoCRM page address, or map its ID from an earlier node, e.g. {{ $json.id }}.`,
		);
	}
	const fromUrl = new RegExp(entityUrlRegex(entity)).exec(text);
	const id = fromUrl ? fromUrl[1] : text;
	if (!/^\d+$/.test(id) || Number(id) <= 0) {
		throw operationError(
			context,
			itemIndex,
			`${label} must be an amoCRM ID or the ${LABEL[entity].toLowerCase()}'s page address, not "${text}"`,
			`amoCRM IDs are whole numbers such as 12345678; a page address looks like https://mycompany.amocrm.ru/${ENTITY_PATH[entity]}/detail/12345678. If you mapped it from an earlier node, map its "id" field.`,
		);
	}
	return Number(id);
}

/** What to check when amoCRM does not have (any more) the deal, contact or company given. */
export function entityGoneHint(entity: LocatedEntity): string {
	return `Check the ${entity} chosen in ${LABEL[entity]}: it may have been deleted or merged into another one.`;
}

/**
 * GET /api/v4/<entities>/{id}, with the linked parts asked for (`with`). amoCRM answers 204 for
 * one that does not exist or was deleted: that fails as "Deal 123 was not found in amoCRM", with
 * what to check.
 */
export async function getEntityById(
	this: IExecuteFunctions,
	itemIndex: number,
	entity: LocatedEntity,
	id: number,
	withParts: string[] = [],
): Promise<unknown> {
	return await getRecordById.call(this, itemIndex, {
		path: `${ENTITY_PATH[entity]}/${id}`,
		qs: withParts.length > 0 ? { with: withParts.join(',') } : undefined,
		subject: entity,
		notFound: `${LABEL[entity]} ${id} was not found in amoCRM`,
		hint: entityGoneHint(entity),
	});
}

/**
 * One record read by its ID (a deal, a task, a note): amoCRM's 204 or 404 for one it does not
 * have fails the item with `notFound` and `hint` (what to check).
 */
export async function getRecordById(
	this: IExecuteFunctions,
	itemIndex: number,
	record: {
		path: string;
		qs?: IDataObject;
		subject: string;
		notFound: string;
		hint: string;
		/** What to do about a 404 (default: check the ID given). */
		notFoundFix?: string;
	},
): Promise<unknown> {
	const found = await amoCrmApiRequest.call(this, {
		method: 'GET',
		path: record.path,
		qs: record.qs,
		subject: record.subject,
		itemIndex,
		notFound: record.notFound,
		notFoundFix: record.notFoundFix,
	});
	if (!found) throw operationError(this, itemIndex, record.notFound, record.hint);
	return found;
}

/**
 * POST /api/v4/<entities>/{id}/unlink: takes a link between two existing entities off, leaving
 * both. amoCRM answers 204 with no body (crm_platform/entity-links-api).
 */
export async function unlinkEntities(
	this: IExecuteFunctions,
	itemIndex: number,
	from: { entity: LocatedEntity; id: number },
	to: { entity: 'contact' | 'company'; id: number },
): Promise<void> {
	const body: LinkRequest[] = [{ to_entity_id: to.id, to_entity_type: ENTITY_PATH[to.entity] }];
	await amoCrmApiRequest.call(this, {
		method: 'POST',
		path: `${ENTITY_PATH[from.entity]}/${from.id}/unlink`,
		body,
		subject: 'unlink',
		itemIndex,
		notFound: `${LABEL[from.entity]} ${from.id} was not found in amoCRM`,
		notFoundFix: entityGoneHint(from.entity),
	});
}

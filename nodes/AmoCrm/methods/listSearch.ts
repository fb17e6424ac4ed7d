import type {
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import { getCatalogs, getCustomFields, getPipelines as readPipelines } from '../transport/catalog';
import { amoCrmApiRequest, getAccount } from '../transport/request';
import type { EmbeddedList } from '../transport/types';
import type { CustomFieldEntity } from '../transport/catalog';
import type { CustomField, Pipeline } from '../transport/types';
import { stageValue } from '../helpers/stage';

/**
 * Searchable lists (resource locators) filled from the connected account, so that nobody has
 * to look up an ID. After a credential switch n8n keeps a chosen value that the new
 * credential's list also has (the same account) and empties the others; the required ones
 * then show n8n's parameter issue, so an emptied choice cannot go unnoticed.
 */

function byName(a: INodeListSearchItems, b: INodeListSearchItems): number {
	return a.name.localeCompare(b.name);
}

function matching(
	items: INodeListSearchItems[],
	filter: string | undefined,
): INodeListSearchResult {
	const wanted = (filter ?? '').trim().toLowerCase();
	return {
		results:
			wanted === '' ? items : items.filter((item) => item.name.toLowerCase().includes(wanted)),
	};
}

function activePipelines(pipelines: Pipeline[]): Pipeline[] {
	return pipelines
		.filter((pipeline) => pipeline.is_archive !== true)
		.sort((a, b) => a.sort - b.sort);
}

/**
 * Every stage of every active pipeline, named "Pipeline → Stage", its value naming both
 * ("1002:2101"). The list depends on nothing else in the node, so it cannot show another
 * pipeline's stages, whatever the node's other fields hold.
 */
export async function searchStages(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const pipelines = activePipelines(await readPipelines.call(this));
	return matching(
		pipelines.flatMap((pipeline) =>
			[...pipeline._embedded.statuses]
				.sort((a, b) => a.sort - b.sort)
				.map((status) => ({
					name: `${pipeline.name} → ${status.name}`,
					value: stageValue(pipeline.id, status.id),
				})),
		),
		filter,
	);
}

const LIST_TYPES = ['select', 'multiselect', 'radiobutton'];

/** "Channel (list: Website, Telegram)": a list field shows the values it accepts. */
function fieldName(field: CustomField): string {
	if (!LIST_TYPES.includes(field.type) || !field.enums || field.enums.length === 0)
		return field.name;
	const choices = field.enums.map((option) => option.value);
	return `${field.name} (${field.type === 'multiselect' ? 'one or more of' : 'one of'}: ${choices.join(', ')})`;
}

async function searchCustomFields(
	this: ILoadOptionsFunctions,
	entity: CustomFieldEntity,
	filter?: string,
): Promise<INodeListSearchResult> {
	const fields = (await getCustomFields.call(this, entity))
		// Phones and emails have their own inputs in the node.
		.filter((field) => field.code !== 'PHONE' && field.code !== 'EMAIL')
		.map((field) => ({ name: fieldName(field), value: String(field.id) }))
		.sort(byName);
	return matching(fields, filter);
}

export async function searchContactCustomFields(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return await searchCustomFields.call(this, 'contacts', filter);
}

export async function searchDealCustomFields(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return await searchCustomFields.call(this, 'leads', filter);
}

export async function searchCompanyCustomFields(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return await searchCustomFields.call(this, 'companies', filter);
}

const ENTITY_LIST_PAGE = 50;

/**
 * One page of deals, contacts or companies for a list, newest first; typing searches amoCRM
 * (its `query`: names and every filled field). Each choice shows the ID and opens the page.
 */
async function searchEntities(
	context: ILoadOptionsFunctions,
	path: 'leads' | 'contacts' | 'companies',
	filter: string | undefined,
	paginationToken: string | undefined,
): Promise<INodeListSearchResult> {
	const page = Math.max(1, Number(paginationToken ?? 1) || 1);
	const query = (filter ?? '').trim();
	const answer = (await amoCrmApiRequest.call(context, {
		method: 'GET',
		path,
		qs: {
			page,
			limit: ENTITY_LIST_PAGE,
			'order[updated_at]': 'desc',
			...(query !== '' ? { query } : {}),
		},
		subject: path === 'leads' ? 'deal' : path === 'contacts' ? 'contact' : 'company',
	})) as EmbeddedList<string, { id: number; name?: string }> | undefined;
	const entities = answer?._embedded?.[path] ?? [];
	const { url } = await getAccount.call(context);
	return {
		results: entities.map((entity) => ({
			name: `${entity.name || '(no name)'} (#${entity.id})`,
			value: String(entity.id),
			url: `${url}/${path}/detail/${entity.id}`,
		})),
		paginationToken: answer?._links?.next ? String(page + 1) : undefined,
	};
}

export async function searchDeals(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchEntities(this, 'leads', filter, paginationToken);
}

export async function searchContacts(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchEntities(this, 'contacts', filter, paginationToken);
}

export async function searchCompanies(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchEntities(this, 'companies', filter, paginationToken);
}

/**
 * One page of the products in the list chosen in Catalog (empty: the products list); typing
 * searches amoCRM (its `query`: the name and every filled field, such as the SKU).
 */
export async function searchProducts(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const chosen = this.getCurrentNodeParameter('catalogId') as unknown;
	const catalogId =
		(typeof chosen === 'number' || typeof chosen === 'string') &&
		/^\d+$/.test(String(chosen).trim())
			? Number(chosen)
			: (await getCatalogs.call(this, { fresh: true })).find(
					(catalog) => catalog.type === 'products',
				)?.id;
	if (catalogId === undefined) return { results: [] };
	const page = Math.max(1, Number(paginationToken ?? 1) || 1);
	const query = (filter ?? '').trim();
	const answer = (await amoCrmApiRequest.call(this, {
		method: 'GET',
		path: `catalogs/${catalogId}/elements`,
		qs: { page, limit: ENTITY_LIST_PAGE, ...(query !== '' ? { query } : {}) },
		subject: 'product list',
	})) as EmbeddedList<string, { id: number; name?: string }> | undefined;
	return {
		results: (answer?._embedded?.elements ?? []).map((element) => ({
			name: `${element.name || '(no name)'} (#${element.id})`,
			value: String(element.id),
		})),
		paginationToken: answer?._links?.next ? String(page + 1) : undefined,
	};
}

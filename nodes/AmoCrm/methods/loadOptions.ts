import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { hasIncomingStage } from '../helpers/stage';
import {
	getCatalogFields,
	getCatalogs as readCatalogs,
	getCustomFields,
	getPipelines as readPipelines,
	getTaskTypes as readTaskTypes,
	getUsers as readUsers,
} from '../transport/catalog';
import type { CustomFieldEntity } from '../transport/catalog';

/**
 * Dropdowns filled from the connected account, so that nobody has to look up an ID. Opening
 * one reads the account again (`fresh`), so a pipeline or user just added in amoCRM shows.
 */

function byName(a: INodePropertyOptions, b: INodePropertyOptions): number {
	return a.name.localeCompare(b.name);
}

export async function getPipelines(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const pipelines = await readPipelines.call(this, { fresh: true });
	return pipelines
		.filter((pipeline) => pipeline.is_archive !== true)
		.sort((a, b) => a.sort - b.sort)
		.map((pipeline) => ({
			name: pipeline.is_main ? `${pipeline.name} (main)` : pipeline.name,
			value: pipeline.id,
			description: `ID ${pipeline.id}`,
		}));
}

/**
 * Pipelines that take incoming leads (amoCRM "Unsorted"): those with an Incoming leads stage,
 * after "Main Pipeline", the field's empty default. The editor marks a value its list lacks as
 * a problem, so an empty choice that is valid must be in the list.
 */
export async function getIncomingLeadPipelines(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const incoming = new Set(
		(await readPipelines.call(this, { fresh: true }))
			.filter(hasIncomingStage)
			.map((pipeline) => pipeline.id),
	);
	return [
		{
			name: 'Main Pipeline',
			value: '',
			description: "The account's main pipeline, whichever it is when the lead is sent",
		},
		...(await getPipelines.call(this)).filter((option) => incoming.has(option.value as number)),
	];
}

/**
 * The plain value already chosen in a sibling field of the one being loaded ("&name"), or
 * undefined when it is empty or an expression.
 */
function chosenValue(context: ILoadOptionsFunctions, name: string): string | number | undefined {
	const value = context.getCurrentNodeParameter(`&${name}`) as unknown;
	if (typeof value === 'number') return value;
	if (typeof value === 'string' && value.trim() !== '' && !value.startsWith('=')) return value;
	return undefined;
}

/**
 * Active users by name. The user already chosen is always one of the options: after a
 * credential switch n8n's editor resets a list field whose value its reloaded list lacks,
 * silently for an optional field like this one. So a user this account does not have, or
 * a list that cannot load, keeps the choice under a name that says so.
 */
export async function getUsers(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const chosen = chosenValue(this, 'responsibleUserId');
	const users = await readUsers
		.call(this, { fresh: true })
		.catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
	if (users instanceof Error) {
		// The transport's errors are n8n's node errors already, with what to fix.
		if (chosen === undefined) throw users;
		return [
			{
				name: `User ${chosen} (kept: the user list could not be loaded)`,
				value: chosen,
				description: users.message,
			},
		];
	}
	const options: INodePropertyOptions[] = users
		.filter((user) => user.rights?.is_active !== false)
		// n8n compares the stored value with the options' values strictly: keep its type.
		.map((user) => ({
			name: user.name,
			value: chosen !== undefined && String(chosen) === String(user.id) ? chosen : user.id,
			description: user.email,
		}))
		.sort(byName);
	if (chosen !== undefined && !options.some((option) => option.value === chosen)) {
		options.unshift({
			name: `User ${chosen} (not an active user of this account: choose again)`,
			value: chosen,
			description: 'The credential chosen reaches another account, or the user was deactivated',
		});
	}
	return options;
}

/**
 * The users who can accept or decline an incoming lead, after the field's empty default (the
 * user who connected the integration), which the editor would otherwise mark as a problem.
 */
export async function getIncomingLeadUsers(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	return [
		{
			name: 'The User Who Connected the Integration',
			value: '',
			description: 'The user whose access the credential holds; amoCRM acts on their behalf',
		},
		...(await getUsers.call(this)),
	];
}

const LIST_TYPES = ['select', 'multiselect', 'radiobutton'];

/**
 * The choices of the field chosen in the same Custom Fields row ("&fieldId"), by their
 * amoCRM enum ID. A field without choices, or none chosen yet, offers none.
 */
async function customFieldChoices(
	this: ILoadOptionsFunctions,
	entity: CustomFieldEntity,
): Promise<INodePropertyOptions[]> {
	let fieldId = this.getCurrentNodeParameter('&fieldId') as unknown;
	// A resource locator ({ __rl, mode, value }) or the plain ID an expression gave.
	if (fieldId !== null && typeof fieldId === 'object' && 'value' in fieldId)
		fieldId = (fieldId as { value: unknown }).value;
	const id = Number(String(fieldId ?? '').trim());
	if (!Number.isInteger(id) || id <= 0) return [];
	const field = (await getCustomFields.call(this, entity)).find((candidate) => candidate.id === id);
	if (!field || !LIST_TYPES.includes(field.type)) return [];
	// In amoCRM's order, the order its own forms show.
	return (field.enums ?? []).map((option) => ({ name: option.value, value: option.id }));
}

export async function getContactCustomFieldChoices(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	return await customFieldChoices.call(this, 'contacts');
}

export async function getDealCustomFieldChoices(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	return await customFieldChoices.call(this, 'leads');
}

export async function getTaskTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const types = await readTaskTypes.call(this, { fresh: true });
	return types
		.map((type) => ({ name: type.name, value: type.id, description: `ID ${type.id}` }))
		.sort(byName);
}

/**
 * The account's lists (catalogs) a product can be in, after "Products", the Catalog field's empty
 * default (the account's products list). Invoices are left out: their elements are not products.
 */
export async function getCatalogs(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const catalogs = await readCatalogs.call(this, { fresh: true });
	return [
		{
			name: 'Products',
			value: '',
			description: "The account's products list (Settings > General settings > Products)",
		},
		...catalogs
			.filter((catalog) => catalog.type !== 'invoices')
			.map((catalog) => ({
				name: catalog.type === 'products' ? `${catalog.name} (products)` : catalog.name,
				value: catalog.id,
				description: `ID ${catalog.id}`,
			}))
			.sort(byName),
	];
}

/**
 * The price fields (type `price`) of the list chosen in Catalog, after "Product's Own Price", the
 * empty default: amoCRM then shows the product's Price field on the deal.
 */
export async function getCatalogPriceFields(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const own: INodePropertyOptions = {
		name: "Product's Own Price",
		value: '',
		description: "The product's Price field",
	};
	const chosen = chosenValue(this, 'catalogId');
	const catalogId =
		chosen !== undefined
			? Number(chosen)
			: (await readCatalogs.call(this, { fresh: true })).find(
					(catalog) => catalog.type === 'products',
				)?.id;
	if (catalogId === undefined || !Number.isFinite(catalogId)) return [own];
	const fields = await getCatalogFields.call(this, catalogId, { fresh: true });
	return [
		own,
		...fields
			.filter((field) => field.type === 'price')
			.map((field) => ({ name: field.name, value: field.id, description: `ID ${field.id}` }))
			.sort(byName),
	];
}

import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { isSameEmail } from '../../helpers/email';
import { phoneDigits } from '../../helpers/phone';
import { isoTime } from '../../helpers/readableFields';
import { amoCrmBatchUpdate } from '../../transport/batch';
import type { BatchEntry, UpdatedWithId } from '../../transport/batch';
import { customFieldPathDescriber, getCustomFields } from '../../transport/catalog';
import { amoCrmApiRequestAllItems, getAccount } from '../../transport/request';
import type { CustomFieldValue, CustomFieldValueItem } from '../../transport/types';
import { asNodeError, batchSizeOf, operationError } from '../common';
import type { ItemResult, PreparedItem } from '../operation';
import { phoneAndEmailValues } from './contactValues';
import type { ContactEmail, ContactPhone } from './contactValues';
import type { FoundEntity, PhoneEmailEntity } from './lookup';

/**
 * An update's phones and emails, for contacts and companies: added to the ones the entity has,
 * or replacing them. amoCRM replaces a field's values whenever the field is sent, so adding
 * means reading the entity first and sending its stored values followed by the new ones.
 */
export type ValuesMode = 'add' | 'replace';

/** "Phones Are: Added to the Existing Ones | Replacing Them" for `what` ("Phones", "Emails") of a `subject` ("contact"). */
export function valuesModeProperty(
	name: string,
	what: 'Phones' | 'Emails',
	subject: string,
	displayOptions: INodeProperties['displayOptions'],
): INodeProperties {
	const lower = what.toLowerCase();
	return {
		displayName: `${what} Are`,
		name,
		type: 'options',
		options: [
			{
				name: 'Added to the Existing Ones',
				value: 'add',
				description: `The ${subject} keeps its ${lower}; new ones are added after them`,
			},
			{
				name: 'Replacing Them',
				value: 'replace',
				description: `The ${subject}'s ${lower} become exactly the ones given here`,
			},
		],
		default: 'add',
		description: `What happens to the ${subject}'s ${lower} when you give some here (none given: they stay as they are)`,
		displayOptions,
	};
}

/** What an item changes of an entity's phones and emails. */
export interface PhoneEmailChange {
	phones: ContactPhone[];
	emails: ContactEmail[];
	phonesMode: ValuesMode;
	emailsMode: ValuesMode;
	/** What completed the phones (see phoneCountry); also reads the entity's stored numbers. */
	country: string;
}

/** Whether the entity must be read first: it gets phones or emails added. */
export function addsToStoredValues(change: PhoneEmailChange): boolean {
	return (
		(change.phones.length > 0 && change.phonesMode === 'add') ||
		(change.emails.length > 0 && change.emailsMode === 'add')
	);
}

/** A stored value as amoCRM takes it back: its text and its label. */
function storedValue(item: CustomFieldValueItem): CustomFieldValueItem {
	if (item.enum_code) return { value: item.value, enum_code: item.enum_code };
	if (item.enum_id !== undefined) return { value: item.value, enum_id: item.enum_id };
	return { value: item.value };
}

function storedValues(entity: FoundEntity, code: 'PHONE' | 'EMAIL'): CustomFieldValueItem[] {
	return (entity.custom_fields_values ?? [])
		.filter((field) => field.field_code === code)
		.flatMap((field) => field.values.map(storedValue));
}

/**
 * The Phone and Email fields to send (none when the item gives neither). To add, the entity's
 * stored values go first and only new ones (another number, another address) follow.
 */
export function phoneAndEmailUpdate(
	change: PhoneEmailChange,
	existing: FoundEntity | undefined,
): CustomFieldValue[] {
	const values = phoneAndEmailValues(change.phones, change.emails);
	if (!existing) return values;
	return values.map((field) => {
		const code = field.field_code as 'PHONE' | 'EMAIL';
		if ((code === 'PHONE' ? change.phonesMode : change.emailsMode) !== 'add') return field;
		const stored = storedValues(existing, code);
		const isStored = (value: unknown) =>
			stored.some((old) =>
				code === 'PHONE'
					? phoneDigits(String(old.value ?? ''), change.country) ===
						phoneDigits(String(value), change.country)
					: isSameEmail(String(old.value ?? ''), String(value)),
			);
		return {
			field_code: code,
			values: [...stored, ...field.values.filter((value) => !isStored(value.value))],
		};
	});
}

const READ_CHUNK = 250;

/** The contacts or companies with these IDs, one request per 250 (`filter[id][]`); missing ones are left out. */
export async function readEntitiesById(
	context: IExecuteFunctions,
	entity: PhoneEmailEntity,
	ids: number[],
	itemIndex: number,
): Promise<Map<number, FoundEntity>> {
	const found = new Map<number, FoundEntity>();
	const unique = [...new Set(ids)];
	for (let start = 0; start < unique.length; start += READ_CHUNK) {
		const qs = Object.fromEntries(
			unique.slice(start, start + READ_CHUNK).map((id, index) => [`filter[id][${index}]`, id]),
		);
		const entities = (await amoCrmApiRequestAllItems.call(
			context,
			{ path: entity, qs, subject: entity === 'contacts' ? 'contact' : 'company', itemIndex },
			entity,
		)) as FoundEntity[];
		for (const one of entities) found.set(one.id, one);
	}
	return found;
}

/**
 * The entity as it will be once `sent` (its new Phone and Email fields) is applied: a later item
 * of the run for the same entity adds to that, so that amoCRM, applying the batches in order,
 * loses none of the earlier item's additions.
 */
export function afterUpdate(entity: FoundEntity, sent: CustomFieldValue[]): FoundEntity {
	const codes = new Set(sent.map((field) => field.field_code));
	return {
		...entity,
		custom_fields_values: [
			...(entity.custom_fields_values ?? []).filter((field) => !codes.has(field.field_code)),
			...sent,
		],
	};
}

/** One item of Contact > Update or Company > Update, checked by its `prepare`. */
export interface PreparedPhoneEmailUpdate extends PreparedItem, PhoneEmailChange {
	/** The contact's or company's ID. */
	id: number;
	/** Custom fields other than phones and emails, sent after them. */
	customFields: CustomFieldValue[];
}

const SUBJECT: Record<PhoneEmailEntity, { subject: string; label: string }> = {
	contacts: { subject: 'contact', label: 'Contact' },
	companies: { subject: 'company', label: 'Company' },
};

/**
 * The `send` of Contact > Update and Company > Update: reads the entities whose phones or
 * emails are added to (one request per 250), then sends each item's body (`bodyOf`, given the
 * item's Phone/Email fields followed by its other custom fields) in batches
 * (`PATCH /api/v4/<entity>`, Options > Batch Size). Output per item: `{ id, updatedAt, url }`.
 */
export async function sendPhoneEmailUpdates<
	P extends PreparedPhoneEmailUpdate,
	B extends { id: number; custom_fields_values?: CustomFieldValue[] },
>(
	context: IExecuteFunctions,
	entity: PhoneEmailEntity,
	prepared: P[],
	bodyOf: (item: P, customFields: CustomFieldValue[]) => B,
): Promise<ItemResult[]> {
	const { subject, label } = SUBJECT[entity];
	const continueOnFail = context.continueOnFail();
	const results = new Map<number, ItemResult>();
	const adding = prepared.filter(addsToStoredValues);
	let existing = new Map<number, FoundEntity>();
	if (adding.length > 0) {
		try {
			existing = await readEntitiesById(
				context,
				entity,
				adding.map((item) => item.id),
				adding[0].itemIndex,
			);
		} catch (error) {
			if (!continueOnFail) throw asNodeError(context, error, adding[0].itemIndex);
			for (const item of adding)
				results.set(item.itemIndex, asNodeError(context, error, item.itemIndex));
		}
	}
	const fields = prepared.some((item) => item.customFields.length > 0)
		? await getCustomFields.call(context, entity)
		: undefined;
	const entries: Array<BatchEntry<B>> = [];
	for (const item of prepared) {
		if (results.has(item.itemIndex)) continue;
		const notFound = `${label} ${item.id} was not found in amoCRM`;
		const stored = existing.get(item.id);
		if (addsToStoredValues(item) && !stored) {
			const error = operationError(
				context,
				item.itemIndex,
				notFound,
				`Check the ${subject} chosen in ${label}: it may have been deleted or merged into another one.`,
			);
			if (!continueOnFail) throw error;
			results.set(item.itemIndex, error);
			continue;
		}
		const phoneAndEmail = phoneAndEmailUpdate(item, stored);
		if (stored) existing.set(stored.id, afterUpdate(stored, phoneAndEmail));
		const body = bodyOf(item, [...phoneAndEmail, ...item.customFields]);
		entries.push({
			itemIndex: item.itemIndex,
			body,
			notFound,
			describePath: (path) => customFieldPathDescriber([body], fields)(path, 0),
		});
	}
	const outcomes = await amoCrmBatchUpdate.call(
		context,
		{ path: entity, subject, embeddedKey: entity, batchSize: batchSizeOf(context), continueOnFail },
		entries,
	);
	const { url } = await getAccount.call(context);
	for (const outcome of outcomes) {
		if ('error' in outcome) {
			results.set(outcome.itemIndex, outcome.error);
			continue;
		}
		const updated: UpdatedWithId = outcome.updated;
		results.set(outcome.itemIndex, [
			{
				id: updated.id,
				updatedAt: isoTime(updated.updated_at),
				url: `${url}/${entity}/detail/${updated.id}`,
			},
		]);
	}
	return prepared.map((item) => results.get(item.itemIndex) as ItemResult);
}

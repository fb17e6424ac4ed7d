import type {
	CompanyCreateRequest,
	CompanyUpdateRequest,
	CustomFieldValue,
	Tag,
} from '../../transport/types';
import { phoneAndEmailValues } from '../contact/contactValues';
import type { ContactEmail, ContactPhone } from '../contact/contactValues';

/** A new company's values, already read and checked. */
export interface CompanyFields {
	name: string;
	responsibleUserId?: number;
	phones?: ContactPhone[];
	emails?: ContactEmail[];
	/** Other custom fields (readCustomFields), after the phones and emails. */
	customFields?: CustomFieldValue[];
	tags?: Tag[];
}

/**
 * The company as `POST /api/v4/companies` takes it. What is empty (no phones, no tags) is left
 * out, so amoCRM defaults it.
 */
export function companyBody(fields: CompanyFields): CompanyCreateRequest {
	const company: CompanyCreateRequest = { name: fields.name };
	if (fields.responsibleUserId !== undefined)
		company.responsible_user_id = fields.responsibleUserId;
	const values = [
		...phoneAndEmailValues(fields.phones ?? [], fields.emails ?? []),
		...(fields.customFields ?? []),
	];
	if (values.length > 0) company.custom_fields_values = values;
	if (fields.tags && fields.tags.length > 0) company._embedded = { tags: fields.tags };
	return company;
}

/** What an update changes, already read and checked; anything left out stays as it is. */
export interface CompanyChanges {
	id: number;
	name?: string;
	responsibleUserId?: number;
	/** The Phone and Email fields as they are to be (see phoneEmailUpdate.ts), then other custom fields. */
	customFields?: CustomFieldValue[];
	/** Added beside the tags the company has. */
	tagsToAdd?: Tag[];
}

/** One company of `PATCH /api/v4/companies`: its `id` and only what changes. */
export function companyUpdateBody(changes: CompanyChanges): CompanyUpdateRequest {
	const company: CompanyUpdateRequest = { id: changes.id };
	if (changes.name) company.name = changes.name;
	if (changes.responsibleUserId !== undefined)
		company.responsible_user_id = changes.responsibleUserId;
	if (changes.customFields && changes.customFields.length > 0)
		company.custom_fields_values = changes.customFields;
	if (changes.tagsToAdd && changes.tagsToAdd.length > 0) company.tags_to_add = changes.tagsToAdd;
	return company;
}

import type { ContactCreateRequest, CustomFieldValue, Tag } from '../../transport/types';
import { phoneAndEmailValues } from './contactValues';
import type { ContactEmail, ContactPhone } from './contactValues';

/** A contact's values, already read and checked. */
export interface ContactFields {
	name?: string;
	firstName?: string;
	lastName?: string;
	responsibleUserId?: number;
	phones?: ContactPhone[];
	emails?: ContactEmail[];
	/** Other custom fields (readCustomFields), after the phones and emails. */
	customFields?: CustomFieldValue[];
	tags?: Tag[];
}

/**
 * The contact as amoCRM's contacts endpoints take it. What is empty (an empty text, no phones,
 * no tags) is left out, so amoCRM keeps or defaults it.
 */
export function contactBody(fields: ContactFields): ContactCreateRequest {
	const contact: ContactCreateRequest = {};
	if (fields.name) contact.name = fields.name;
	if (fields.firstName) contact.first_name = fields.firstName;
	if (fields.lastName) contact.last_name = fields.lastName;
	if (fields.responsibleUserId !== undefined)
		contact.responsible_user_id = fields.responsibleUserId;
	const values = [
		...phoneAndEmailValues(fields.phones ?? [], fields.emails ?? []),
		...(fields.customFields ?? []),
	];
	if (values.length > 0) contact.custom_fields_values = values;
	if (fields.tags && fields.tags.length > 0) contact._embedded = { tags: fields.tags };
	return contact;
}

import type { CustomFieldValue, LeadCreateRequest, Tag } from '../../transport/types';

/** A deal's values, already read and checked. */
export interface DealFields {
	name?: string;
	/** Whole units of the account's currency, sent as given. */
	price?: number;
	pipelineId?: number;
	statusId?: number;
	responsibleUserId?: number;
	customFields?: CustomFieldValue[];
	tags?: Tag[];
	/** Attached as the deal's main contact. */
	contactId?: number;
}

/**
 * The deal as amoCRM's leads endpoints take it. What is empty (an empty name, no custom
 * fields, no tags) is left out, so amoCRM keeps or defaults it.
 */
export function dealBody(fields: DealFields): LeadCreateRequest {
	const lead: LeadCreateRequest = {};
	if (fields.name) lead.name = fields.name;
	if (fields.price !== undefined) lead.price = fields.price;
	if (fields.pipelineId !== undefined) lead.pipeline_id = fields.pipelineId;
	if (fields.statusId !== undefined) lead.status_id = fields.statusId;
	if (fields.responsibleUserId !== undefined) lead.responsible_user_id = fields.responsibleUserId;
	if (fields.customFields && fields.customFields.length > 0)
		lead.custom_fields_values = fields.customFields;
	const tags = fields.tags && fields.tags.length > 0 ? fields.tags : undefined;
	if (tags || fields.contactId !== undefined) {
		lead._embedded = {};
		if (tags) lead._embedded.tags = tags;
		if (fields.contactId !== undefined)
			lead._embedded.contacts = [{ id: fields.contactId, is_main: true }];
	}
	return lead;
}

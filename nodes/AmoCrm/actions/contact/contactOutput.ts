import { isoTime, readableCustomFields } from '../../helpers/readableFields';
import type { ContactRecord } from '../../transport/types';
import type { OperationResult } from '../operation';
import { fieldValues } from './lookup';

/** What Contact > Get and Get Many output for a contact (README: "Contact > Get"). */
export function contactOutput(
	contact: ContactRecord,
	accountUrl: string,
	include: { deals?: boolean; companies?: boolean } = {},
): OperationResult {
	const embedded = contact._embedded ?? {};
	return {
		id: contact.id,
		name: contact.name ?? '',
		firstName: contact.first_name ?? '',
		lastName: contact.last_name ?? '',
		phones: fieldValues(contact, 'PHONE'),
		emails: fieldValues(contact, 'EMAIL'),
		customFields: readableCustomFields(contact.custom_fields_values, ['PHONE', 'EMAIL']),
		responsibleUserId: contact.responsible_user_id ?? null,
		tags: (embedded.tags ?? []).map((tag) => tag.name),
		createdAt: isoTime(contact.created_at),
		updatedAt: isoTime(contact.updated_at),
		...(include.deals ? { dealIds: (embedded.leads ?? []).map((deal) => deal.id) } : {}),
		...(include.companies
			? { companyIds: (embedded.companies ?? []).map((company) => company.id) }
			: {}),
		url: `${accountUrl}/contacts/detail/${contact.id}`,
	};
}

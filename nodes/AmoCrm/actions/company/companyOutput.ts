import { isoTime, readableCustomFields } from '../../helpers/readableFields';
import type { CompanyRecord } from '../../transport/types';
import { fieldValues } from '../contact/lookup';
import type { OperationResult } from '../operation';

/** What Company > Get and Get Many output for a company (README: "Company → Get"). */
export function companyOutput(
	company: CompanyRecord,
	accountUrl: string,
	include: { contacts?: boolean; deals?: boolean } = {},
): OperationResult {
	const embedded = company._embedded ?? {};
	return {
		id: company.id,
		name: company.name ?? '',
		phones: fieldValues(company, 'PHONE'),
		emails: fieldValues(company, 'EMAIL'),
		customFields: readableCustomFields(company.custom_fields_values, ['PHONE', 'EMAIL']),
		responsibleUserId: company.responsible_user_id ?? null,
		tags: (embedded.tags ?? []).map((tag) => tag.name),
		createdAt: isoTime(company.created_at),
		updatedAt: isoTime(company.updated_at),
		...(include.contacts
			? { contactIds: (embedded.contacts ?? []).map((contact) => contact.id) }
			: {}),
		...(include.deals ? { dealIds: (embedded.leads ?? []).map((deal) => deal.id) } : {}),
		url: `${accountUrl}/companies/detail/${company.id}`,
	};
}

import type { IExecuteFunctions } from 'n8n-workflow';

import { getPipelines } from '../../transport/catalog';
import { getAccount } from '../../transport/request';
import type { Lead, Pipeline } from '../../transport/types';
import { isoTime, readableCustomFields } from '../../helpers/readableFields';
import type { OperationResult } from '../operation';

/** A deal as the node outputs it: IDs with pipeline and stage names, dates, tags, custom fields by name, its page. */
export function dealOutput(lead: Lead, pipelines: Pipeline[], accountUrl: string): OperationResult {
	const pipeline = pipelines.find((candidate) => candidate.id === lead.pipeline_id);
	const stage = pipeline?._embedded.statuses.find((status) => status.id === lead.status_id);
	const output: OperationResult = {
		id: lead.id,
		name: lead.name,
		price: lead.price ?? 0,
		pipelineId: lead.pipeline_id,
		pipeline: pipeline?.name ?? null,
		statusId: lead.status_id,
		stage: stage?.name ?? null,
		responsibleUserId: lead.responsible_user_id,
		createdAt: isoTime(lead.created_at),
		updatedAt: isoTime(lead.updated_at),
		closedAt: isoTime(lead.closed_at),
		tags: (lead._embedded?.tags ?? []).map((tag) => tag.name),
		customFields: readableCustomFields(lead.custom_fields_values) as OperationResult,
	};
	if (lead._embedded?.contacts !== undefined) {
		output.contacts = lead._embedded.contacts.map((contact) => ({
			id: contact.id,
			isMain: contact.is_main === true,
		}));
	}
	if (lead._embedded?.catalog_elements !== undefined) {
		output.products = lead._embedded.catalog_elements.map((element) => ({
			id: element.id,
			catalogId: element.metadata?.catalog_id ?? null,
			quantity: element.metadata?.quantity ?? null,
			...(typeof element.metadata?.price_id === 'number'
				? { priceId: element.metadata.price_id }
				: {}),
		}));
	}
	if (lead._embedded?.companies !== undefined)
		output.companyId = lead._embedded.companies[0]?.id ?? null;
	output.url = `${accountUrl}/leads/detail/${lead.id}`;
	return output;
}

/** The deals as output items; the account's pipelines (remembered for a day) give the names. */
export async function dealOutputs(
	context: IExecuteFunctions,
	leads: Lead[],
): Promise<OperationResult[]> {
	if (leads.length === 0) return [];
	const account = await getAccount.call(context);
	const pipelines = await getPipelines.call(context);
	return leads.map((lead) => dealOutput(lead, pipelines, account.url));
}

import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { customFieldPathDescriber, getCustomFields, getPipelines } from '../../transport/catalog';
import { amoCrmApiRequest } from '../../transport/request';
import type { CreatedEntity, EmbeddedList, LeadCreateRequest } from '../../transport/types';
import {
	customFieldsProperty,
	entityUrl,
	operationError,
	parseId,
	parseTags,
	readCustomFields,
	responsibleUserProperty,
	tagsProperty,
} from '../common';
import type { OperationResult } from '../common';

const displayOptions = { show: { resource: ['deal'], operation: ['create'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		placeholder: 'Hearing aid request from the site',
		description: 'The deal\'s title. Empty: amoCRM names it "Deal #ID".',
		displayOptions,
	},
	{
		displayName: 'Price',
		name: 'price',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'The deal\'s value in the account\'s currency, in whole units. 0 leaves it empty.',
		displayOptions,
	},
	{
		displayName: 'Pipeline Name or ID',
		name: 'pipelineId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getPipelines' },
		default: '',
		description:
			'The pipeline the deal goes to. Empty: the account\'s main pipeline. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions,
	},
	{
		displayName: 'Stage Name or ID',
		name: 'statusId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getStages', loadOptionsDependsOn: ['pipelineId'] },
		default: '',
		description:
			'The stage of the chosen pipeline the deal starts in. Empty: the pipeline\'s first stage. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions,
	},
	{
		displayName: 'Contact ID',
		name: 'contactId',
		type: 'string',
		default: '',
		placeholder: '{{ $json.id }}',
		description: 'An existing contact to attach as the deal\'s main contact, e.g. the ID from a Create Contact step. Empty: no contact.',
		displayOptions,
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions,
		options: [responsibleUserProperty(), tagsProperty('deal')],
	},
	customFieldsProperty('leads', displayOptions),
];

interface AdditionalFields {
	responsibleUserId?: string | number;
	tags?: string;
}

/** A wrong pipeline or stage is caught here, before amoCRM would create anything. */
async function checkPipelineAndStage(
	context: IExecuteFunctions,
	itemIndex: number,
	pipelineId: number | undefined,
	statusId: number | undefined,
): Promise<void> {
	if (pipelineId === undefined && statusId === undefined) return;
	if (pipelineId === undefined) {
		throw operationError(context, itemIndex, `Stage ${statusId} was given without a Pipeline`, 'Choose the Pipeline the stage belongs to (won and lost stages exist in every pipeline).');
	}
	const pipelines = await getPipelines.call(context);
	const pipeline = pipelines.find((candidate) => candidate.id === pipelineId);
	if (!pipeline) {
		throw operationError(context, itemIndex, `Pipeline ${pipelineId} does not exist in this amoCRM account`, `Choose the pipeline from the list again. The account has: ${pipelines.map((p) => `"${p.name}" (${p.id})`).join(', ')}.`);
	}
	if (statusId !== undefined && !pipeline._embedded.statuses.some((status) => status.id === statusId)) {
		throw operationError(context, itemIndex, `Stage ${statusId} is not a stage of pipeline "${pipeline.name}"`, `Choose the Stage again after changing the Pipeline. "${pipeline.name}" has: ${pipeline._embedded.statuses.map((s) => `"${s.name}" (${s.id})`).join(', ')}.`);
	}
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult[]> {
	const name = String(this.getNodeParameter('name', itemIndex, '')).trim();
	const price = Number(this.getNodeParameter('price', itemIndex, 0));
	const pipelineId = parseId(this, itemIndex, this.getNodeParameter('pipelineId', itemIndex, ''), 'Pipeline ID', false);
	const statusId = parseId(this, itemIndex, this.getNodeParameter('statusId', itemIndex, ''), 'Stage ID', false);
	const contactId = parseId(this, itemIndex, this.getNodeParameter('contactId', itemIndex, ''), 'Contact ID', false);
	const additional = this.getNodeParameter('additionalFields', itemIndex, {}) as AdditionalFields;
	const responsibleUserId = parseId(this, itemIndex, additional.responsibleUserId, 'Responsible User ID', false);
	if (!Number.isFinite(price) || price < 0) {
		throw operationError(this, itemIndex, `Price must be a positive number, not "${price}"`, 'Enter the deal\'s value as a number such as 1500000, or 0 to leave it empty.');
	}
	await checkPipelineAndStage(this, itemIndex, pipelineId, statusId);
	const customFields = await readCustomFields(this, itemIndex, 'leads');

	const lead: LeadCreateRequest = {};
	if (name !== '') lead.name = name;
	if (price > 0) lead.price = Math.round(price);
	if (pipelineId !== undefined) lead.pipeline_id = pipelineId;
	if (statusId !== undefined) lead.status_id = statusId;
	if (responsibleUserId !== undefined) lead.responsible_user_id = responsibleUserId;
	if (customFields.length > 0) lead.custom_fields_values = customFields;
	const tags = parseTags(additional.tags);
	if (tags || contactId !== undefined) {
		lead._embedded = {};
		if (tags) lead._embedded.tags = tags;
		if (contactId !== undefined) lead._embedded.contacts = [{ id: contactId, is_main: true }];
	}

	const body = [lead];
	const response = (await amoCrmApiRequest.call(this, {
		method: 'POST',
		path: 'leads',
		body,
		subject: 'deal',
		itemIndex,
		describePath: customFieldPathDescriber(body, customFields.length > 0 ? await getCustomFields.call(this, 'leads') : undefined),
	})) as EmbeddedList<'leads', CreatedEntity> | undefined;
	const created = response?._embedded?.leads?.[0];
	if (!created) {
		throw operationError(this, itemIndex, 'amoCRM did not return the new deal', 'amoCRM answered without the created deal. Check amoCRM for it before running again.');
	}
	return [
		{
			id: created.id,
			name,
			price: lead.price ?? 0,
			pipelineId: pipelineId ?? null,
			statusId: statusId ?? null,
			contactId: contactId ?? null,
			url: await entityUrl(this, 'leads', created.id),
		},
	];
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { BatchEntry, UpdatedWithId } from '../../transport/batch';
import { customFieldPathDescriber, forgetMetadata, getCustomFields } from '../../transport/catalog';
import { getAccount } from '../../transport/request';
import type { CustomField, CustomFieldValue, LeadUpdateRequest } from '../../transport/types';
import {
	batchSizeOf,
	batchSizeProperty,
	customFieldsProperty,
	operationError,
	parseId,
	parseTags,
	readCustomFields,
	responsibleUserProperty,
} from '../common';
import { entityIdProperty, readEntityId } from '../entityLocator';
import { updateCheckingRefusals } from '../metadataRefusals';
import type { ItemResult, OperationResult } from '../operation';
import { pipelineAndStage, stageProperty } from './pipelineStage';

const displayOptions = { show: { resource: ['deal'], operation: ['update'] } };

export const description: INodeProperties[] = [
	entityIdProperty('deal', {
		name: 'dealId',
		description:
			'The deal to change: choose it, paste its amoCRM page, or map its ID (e.g. from a trigger or a Get Many step)',
		displayOptions,
	}),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'Only the fields added here are changed; everything else stays as it is',
		displayOptions,
		options: [
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				placeholder: 'Hearing aid request from the site',
				description: "The deal's new title",
			},
			{
				...stageProperty({
					description:
						'Move the deal here, listed as "Pipeline → Stage" (another pipeline\'s stage moves it to that pipeline). By ID: pipeline and stage as 1002:2101, or a stage ID alone (142 won and 143 lost keep the deal in its pipeline).',
				}),
			},
			{
				displayName: 'Price',
				name: 'price',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: "The deal's new value in the account's currency, in whole units",
			},
			{
				...responsibleUserProperty(),
				description:
					'The amoCRM user now in charge of the deal. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Tags',
				name: 'tags',
				type: 'string',
				default: '',
				placeholder: 'paid, vip',
				description: 'Tags separated by commas; see Tags Mode for what happens to the others',
			},
			{
				displayName: 'Tags Mode',
				name: 'tagsMode',
				type: 'options',
				options: [
					{
						name: 'Add to Existing Tags',
						value: 'add',
						description: 'The deal keeps its other tags',
					},
					{
						name: 'Replace All Tags',
						value: 'replace',
						description: 'The deal ends up with exactly these tags',
					},
				],
				default: 'add',
				description: "Whether Tags are added to the deal's tags or replace them",
			},
		],
	},
	customFieldsProperty('leads', displayOptions),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions,
		options: [
			{
				...batchSizeProperty('deals'),
				description:
					'How many deals to change in one request to amoCRM (up to 250; amoCRM recommends 50). 1 sends one request per item.',
			},
		],
	},
];

interface UpdateFields {
	name?: string;
	statusId?: unknown;
	price?: number | string;
	responsibleUserId?: string | number;
	tags?: string;
	tagsMode?: 'add' | 'replace';
}

export interface PreparedDealUpdate {
	itemIndex: number;
	lead: LeadUpdateRequest;
	customFields: CustomFieldValue[];
}

/** Reads and checks one item: only the fields filled in are sent; the stage is checked against the account. */
export async function prepare(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<PreparedDealUpdate> {
	const id = readEntityId(this, itemIndex, 'deal', 'dealId') as number;
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as UpdateFields;
	const lead: LeadUpdateRequest = { id };
	if (fields.name !== undefined) {
		const name = String(fields.name).trim();
		if (name === '') {
			throw operationError(
				this,
				itemIndex,
				'Update Fields: Name is empty',
				"Enter the deal's new name, or remove Name from Update Fields to keep it.",
			);
		}
		lead.name = name;
	}
	if (fields.price !== undefined && String(fields.price).trim() !== '') {
		const price = Number(fields.price);
		if (!Number.isFinite(price) || price < 0) {
			throw operationError(
				this,
				itemIndex,
				`Update Fields: Price must be a positive number, not "${String(fields.price)}"`,
				"Enter the deal's value as a number such as 1500000.",
			);
		}
		lead.price = Math.round(price);
	}
	const responsibleUserId = parseId(
		this,
		itemIndex,
		fields.responsibleUserId,
		'Responsible User',
		false,
	);
	if (responsibleUserId !== undefined) lead.responsible_user_id = responsibleUserId;
	const tags = parseTags(fields.tags);
	if (tags) {
		if (fields.tagsMode === 'replace') lead._embedded = { tags };
		else lead.tags_to_add = tags;
	}
	const { pipelineId, statusId } = await pipelineAndStage(this, itemIndex, fields.statusId, {
		ownPipeline: true,
	});
	if (pipelineId !== undefined) lead.pipeline_id = pipelineId;
	if (statusId !== undefined) lead.status_id = statusId;
	const customFields = await readCustomFields(this, itemIndex, 'leads');
	if (customFields.length > 0) lead.custom_fields_values = customFields;
	if (Object.keys(lead).length === 1) {
		throw operationError(
			this,
			itemIndex,
			`Nothing to change in deal ${id}`,
			'Add a field under Update Fields (for example Pipeline and Stage) or a Custom Field, and fill it in.',
		);
	}
	return { itemIndex, lead, customFields };
}

/** Deals go in batches (Options > Batch Size) as `PATCH /api/v4/leads`. */
export async function send(
	this: IExecuteFunctions,
	prepared: PreparedDealUpdate[],
): Promise<ItemResult[]> {
	const fields = prepared.some((deal) => deal.customFields.length > 0)
		? await getCustomFields.call(this, 'leads')
		: undefined;
	const account = await getAccount.call(this);
	const entries = prepared.map((deal): BatchEntry<LeadUpdateRequest> => ({
		itemIndex: deal.itemIndex,
		body: deal.lead,
		describePath: fields
			? (path) => customFieldPathDescriber([deal.lead], fields)(path, 0)
			: undefined,
		notFound: `Deal ${deal.lead.id} was not found in amoCRM`,
	}));
	// amoCRM refusing a stage or field: read the pipelines and fields again and check the item once more.
	const outcomes = await updateCheckingRefusals<LeadUpdateRequest, UpdatedWithId>(
		this,
		{
			path: 'leads',
			subject: 'deal',
			embeddedKey: 'leads',
			batchSize: batchSizeOf(this),
			continueOnFail: this.continueOnFail(),
		},
		entries,
		async () => await forgetMetadata.call(this, ['pipelines', 'custom_fields:leads']),
		async (itemIndex) => {
			const { lead } = prepared.find((deal) => deal.itemIndex === itemIndex) as PreparedDealUpdate;
			if (lead.status_id !== undefined) {
				const stage =
					lead.pipeline_id !== undefined
						? `${lead.pipeline_id}:${lead.status_id}`
						: String(lead.status_id);
				await pipelineAndStage(this, itemIndex, stage, { ownPipeline: true });
			}
			await readCustomFields(this, itemIndex, 'leads');
		},
	);
	return outcomes.map((outcome, position) => {
		if ('error' in outcome) return outcome.error;
		const deal = prepared[position];
		return [updateOutput(deal, outcome.updated, fields, account.url)];
	});
}

/** The deal's ID, what was changed (as sent), when, and its page. */
function updateOutput(
	deal: PreparedDealUpdate,
	updated: UpdatedWithId,
	fields: CustomField[] | undefined,
	accountUrl: string,
): OperationResult {
	const { lead } = deal;
	const output: OperationResult = { id: lead.id };
	if (lead.name !== undefined) output.name = lead.name;
	if (lead.price !== undefined) output.price = lead.price;
	if (lead.pipeline_id !== undefined) output.pipelineId = lead.pipeline_id;
	if (lead.status_id !== undefined) output.statusId = lead.status_id;
	if (lead.responsible_user_id !== undefined) output.responsibleUserId = lead.responsible_user_id;
	if (lead.tags_to_add) output.tagsAdded = lead.tags_to_add.map((tag) => tag.name);
	if (lead._embedded?.tags) output.tags = lead._embedded.tags.map((tag) => tag.name);
	if (deal.customFields.length > 0) {
		const customFields: IDataObject = {};
		for (const value of deal.customFields) {
			const field = fields?.find((candidate) => candidate.id === value.field_id);
			// A list choice is sent as its enum_id: shown by its name.
			const values = value.values.map(
				(entry) =>
					entry.value ??
					field?.enums?.find((choice) => choice.id === entry.enum_id)?.value ??
					entry.enum_id ??
					null,
			);
			customFields[field?.name ?? `Field ${value.field_id}`] =
				values.length === 1 ? values[0] : values;
		}
		output.customFields = customFields;
	}
	if (updated.updated_at !== undefined)
		output.updatedAt = new Date(updated.updated_at * 1000).toISOString();
	output.url = `${accountUrl}/leads/detail/${lead.id}`;
	return output;
}

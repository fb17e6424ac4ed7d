import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { parseStage } from '../../helpers/stage';
import { amoCrmApiRequestAllItems } from '../../transport/request';
import type { Lead } from '../../transport/types';
import {
	locatorValue,
	operationError,
	parseId,
	readLimit,
	returnAllOrLimitProperties,
} from '../common';
import { listFilterFields, listFilterQuery } from '../listFilters';
import type { ListFilters } from '../listFilters';
import type { OperationResult } from '../operation';
import { dealOutputs } from './dealOutput';
import { pipelineAndStage, stageProperty } from './pipelineStage';

const displayOptions = { show: { resource: ['deal'], operation: ['getAll'] } };

export const description: INodeProperties[] = [
	...returnAllOrLimitProperties(displayOptions),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions,
		options: [
			...listFilterFields('deals'),
			{
				displayName: 'Pipeline Name or ID',
				name: 'pipelineId',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getPipelines' },
				default: '',
				description:
					'Only deals in this pipeline. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				...stageProperty({
					description:
						'Only deals in this stage, listed as "Pipeline → Stage". By ID: pipeline and stage as 1002:2101, or a stage ID alone (with Pipeline for won 142 and lost 143, which every pipeline has).',
				}),
			},
		],
	},
];

interface Filters extends ListFilters {
	pipelineId?: unknown;
	statusId?: unknown;
}

/** amoCRM's list filters (`filter[...]`, `query`) for one item's Filters, checked before any request. */
async function listQuery(
	context: IExecuteFunctions,
	itemIndex: number,
	filters: Filters,
): Promise<IDataObject> {
	const qs: IDataObject = {};
	const pipelineId = parseId(context, itemIndex, filters.pipelineId, 'Pipeline', false);
	const stage = parseStage(locatorValue(filters.statusId));
	if (stage !== undefined) {
		// A bare stage ID is looked for in the Pipeline filter's pipeline, when one is given.
		const inPipeline = stage === 'invalid' ? undefined : (stage.pipelineId ?? pipelineId);
		const placed = await pipelineAndStage(
			context,
			itemIndex,
			stage !== 'invalid' && inPipeline !== undefined
				? `${inPipeline}:${stage.statusId}`
				: filters.statusId,
		);
		if (pipelineId !== undefined && placed.pipelineId !== pipelineId) {
			throw operationError(
				context,
				itemIndex,
				`Filters: Pipeline and Stage is a stage of another pipeline (${placed.pipelineId}) than Pipeline (${pipelineId})`,
				'Remove one of the two filters, or choose a stage of the chosen pipeline.',
			);
		}
		qs['filter[statuses][0][pipeline_id]'] = placed.pipelineId;
		qs['filter[statuses][0][status_id]'] = placed.statusId;
	}
	if (pipelineId !== undefined) qs['filter[pipeline_id]'] = pipelineId;
	return { ...qs, ...listFilterQuery(context, itemIndex, filters) };
}

/**
 * GET /api/v4/leads with amoCRM's filters: every page (Return All) or up to Limit. amoCRM's
 * 204 (nothing found) gives no output items for this input item.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult[]> {
	const limit = readLimit(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as Filters;
	const qs = await listQuery(this, itemIndex, filters);
	const leads = (await amoCrmApiRequestAllItems.call(
		this,
		{ path: 'leads', qs, subject: 'deal', itemIndex },
		'leads',
		limit,
	)) as Lead[];
	return await dealOutputs(this, leads);
}

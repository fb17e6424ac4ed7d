import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { getPipelines } from '../../transport/catalog';
import type { Pipeline } from '../../transport/types';
import type { OperationResult } from '../operation';

const displayOptions = { show: { resource: ['pipeline'], operation: ['getAll'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Include Archived',
		name: 'includeArchived',
		type: 'boolean',
		default: true,
		description: 'Whether to list archived pipelines too',
		displayOptions,
	},
];

/**
 * The account's pipelines with their stages, as amoCRM has them now (GET /api/v4/leads/pipelines,
 * at most 50 pipelines of at most 100 stages; the items of one run share a read of the last 10
 * seconds). The read also refreshes the pipelines the other operations remember.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult[]> {
	const includeArchived = this.getNodeParameter('includeArchived', itemIndex, true) as boolean;
	const pipelines = (await getPipelines.call(this, { fresh: true })) as Array<
		Pipeline & { is_unsorted_on?: boolean }
	>;
	return pipelines
		.filter((pipeline) => includeArchived || pipeline.is_archive !== true)
		.map((pipeline) => ({
			id: pipeline.id,
			name: pipeline.name,
			sort: pipeline.sort,
			isMain: pipeline.is_main,
			isUnsortedOn: pipeline.is_unsorted_on ?? null,
			isArchive: pipeline.is_archive ?? false,
			stages: (pipeline._embedded?.statuses ?? []).map((status) => ({
				id: status.id,
				name: status.name,
				sort: status.sort,
				type: status.type ?? null,
				color: (status as { color?: string }).color ?? null,
				isEditable: (status as { is_editable?: boolean }).is_editable ?? null,
			})),
		}));
}

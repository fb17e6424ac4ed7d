import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { parseStage } from '../../helpers/stage';
import { getPipelines } from '../../transport/catalog';
import type { Pipeline } from '../../transport/types';
import { locatorValue, operationError } from '../common';

/**
 * "Pipeline and Stage": one value names a pipeline and one of its stages ("1002:2101"), listed
 * as "Pipeline → Stage". Deal > Create places the deal there, Deal > Update moves it there,
 * Deal > Get Many filters by it.
 */
export function stageProperty(options: {
	description: string;
	displayOptions?: INodeProperties['displayOptions'];
	required?: boolean;
}): INodeProperties {
	return {
		displayName: 'Pipeline and Stage',
		name: 'statusId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		...(options.required ? { required: true } : {}),
		description: options.description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Choose a pipeline and stage…',
				typeOptions: { searchListMethod: 'searchStages', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 1002:2101',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: '^\\s*(\\d+\\s*:\\s*)?\\d+\\s*$',
							errorMessage: 'Enter pipeline and stage IDs as 1002:2101, or a stage ID such as 2101',
						},
					},
				],
			},
		],
		...(options.displayOptions ? { displayOptions: options.displayOptions } : {}),
	};
}

type Placement =
	{ pipelineId?: number; statusId: number } | { message: string; description: string };

/**
 * Where a stage ("1002:2101", or a bare stage ID) is among the account's pipelines, or what is
 * wrong. A bare ID that several pipelines have (won 142, lost 143) is an error, unless
 * `ownPipeline` allows it: then no pipeline is named and the deal keeps its own.
 */
function placeStage(
	pipelines: Pipeline[],
	stage: { pipelineId?: number; statusId: number },
	ownPipeline: boolean,
): Placement {
	const list = pipelines.map((p) => `"${p.name}" (${p.id})`).join(', ');
	let pipelineId = stage.pipelineId;
	if (pipelineId === undefined) {
		const owners = pipelines.filter((p) =>
			p._embedded.statuses.some((status) => status.id === stage.statusId),
		);
		if (owners.length > 1 && ownPipeline) return { statusId: stage.statusId };
		if (owners.length !== 1) {
			return {
				message:
					owners.length === 0
						? `Stage ${stage.statusId} does not exist in this amoCRM account`
						: `Stage ${stage.statusId} is in several pipelines: give its pipeline too`,
				description: `Choose Pipeline and Stage from the list, or map "pipeline:stage" such as ${owners[0]?.id ?? pipelines[0]?.id ?? 1002}:${stage.statusId}. The account's pipelines: ${list}.`,
			};
		}
		pipelineId = owners[0].id;
	}
	const pipeline = pipelines.find((candidate) => candidate.id === pipelineId);
	if (!pipeline) {
		return {
			message: `Pipeline ${pipelineId} does not exist in this amoCRM account`,
			description: `Choose Pipeline and Stage from the list again. The account has: ${list}.`,
		};
	}
	if (!pipeline._embedded.statuses.some((status) => status.id === stage.statusId)) {
		return {
			message: `Stage ${stage.statusId} is not a stage of pipeline "${pipeline.name}"`,
			description: `Choose Pipeline and Stage from the list again. "${pipeline.name}" has: ${pipeline._embedded.statuses.map((s) => `"${s.name}" (${s.id})`).join(', ')}.`,
		};
	}
	return { pipelineId, statusId: stage.statusId };
}

/**
 * The pipeline and stage a "Pipeline and Stage" value names, checked against the account
 * before anything is sent. A stage from the list names its pipeline ("1002:2101"); a bare stage
 * ID (from an expression) goes to the one pipeline that has it. The pipelines are remembered for
 * a day; before an item fails on them they are read again, in case the stage was added since.
 * Empty: `{}`.
 */
export async function pipelineAndStage(
	context: IExecuteFunctions,
	itemIndex: number,
	stageParameter: unknown,
	options: { ownPipeline?: boolean } = {},
): Promise<{ pipelineId?: number; statusId?: number }> {
	const given = locatorValue(stageParameter);
	const stage = parseStage(given);
	if (stage === 'invalid') {
		throw operationError(
			context,
			itemIndex,
			`Pipeline and Stage must be "pipeline:stage" or a stage ID, not "${String(given)}"`,
			'Choose it from the list ("Pipeline → Stage"), or map IDs such as 1002:2101.',
		);
	}
	if (stage === undefined) return {};
	const ownPipeline = options.ownPipeline ?? false;
	let placement = placeStage(await getPipelines.call(context), stage, ownPipeline);
	if ('message' in placement)
		placement = placeStage(await getPipelines.call(context, { fresh: true }), stage, ownPipeline);
	if ('message' in placement)
		throw operationError(context, itemIndex, placement.message, placement.description);
	return placement;
}

import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { INCOMING_STAGE_TYPE, parseStage } from '../../helpers/stage';
import { getPipelines } from '../../transport/catalog';
import { amoCrmApiRequest, getAccount } from '../../transport/request';
import type { Pipeline, UnsortedHandled } from '../../transport/types';
import { locatorValue, operationError } from '../common';
import type { OperationResult } from '../operation';
import { readUid, readUserId, UNKNOWN_UID_FIX, uidProperty, userProperty } from './handling';

const displayOptions = { show: { resource: ['incomingLead'], operation: ['accept'] } };

export const description: INodeProperties[] = [
	uidProperty(displayOptions),
	{
		displayName: 'Pipeline and Stage',
		name: 'statusId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		description:
			'The stage the deal moves to once accepted, listed as "Pipeline → Stage": a stage of the pipeline the lead came into. Empty: that pipeline\'s first stage. By ID: 1001:2002, or a stage ID alone.',
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
				placeholder: 'e.g. 1001:2002',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: '^\\s*((\\d+\\s*:\\s*)?\\d+)?\\s*$',
							errorMessage: 'Enter pipeline and stage IDs as 1001:2002, or a stage ID such as 2002',
						},
					},
				],
			},
		],
		displayOptions,
	},
	userProperty(displayOptions, 'accepts'),
];

const STAGE_FIX =
	"Choose Pipeline and Stage from the list: a stage of the pipeline the incoming lead is in, other than Incoming leads. Or leave it empty for that pipeline's first stage.";

/** The stage the deal goes to, checked against the account: it exists and is not the Incoming leads stage. */
async function chosenStage(
	context: IExecuteFunctions,
	itemIndex: number,
): Promise<number | undefined> {
	const given = locatorValue(context.getNodeParameter('statusId', itemIndex, ''));
	const stage = parseStage(given);
	if (stage === undefined) return undefined;
	if (stage === 'invalid') {
		throw operationError(
			context,
			itemIndex,
			`Pipeline and Stage must be "pipeline:stage" or a stage ID, not "${String(given)}"`,
			STAGE_FIX,
		);
	}
	const find = (pipelines: Pipeline[]) =>
		pipelines
			.filter((pipeline) => stage.pipelineId === undefined || pipeline.id === stage.pipelineId)
			.flatMap((pipeline) => pipeline._embedded.statuses)
			.find((status) => status.id === stage.statusId);
	const found =
		find(await getPipelines.call(context)) ??
		find(await getPipelines.call(context, { fresh: true }));
	if (!found) {
		throw operationError(
			context,
			itemIndex,
			`Stage ${stage.statusId} does not exist in this amoCRM account`,
			STAGE_FIX,
		);
	}
	if (found.type === INCOMING_STAGE_TYPE) {
		throw operationError(
			context,
			itemIndex,
			`Stage "${found.name}" is the Incoming leads stage, where the lead already is`,
			STAGE_FIX,
		);
	}
	return stage.statusId;
}

/**
 * Accepts an incoming lead (amoCRM "Unsorted"): `POST /api/v4/leads/unsorted/{uid}/accept`. Its
 * deal moves to the chosen stage and its contact shows in amoCRM's contacts.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult[]> {
	const uid = readUid(this, itemIndex);
	const statusId = await chosenStage(this, itemIndex);
	const userId = readUserId(this, itemIndex);
	const answer = (await amoCrmApiRequest.call(this, {
		method: 'POST',
		path: `leads/unsorted/${uid}/accept`,
		body: {
			...(userId !== undefined ? { user_id: userId } : {}),
			...(statusId !== undefined ? { status_id: statusId } : {}),
		},
		subject: 'incoming lead',
		itemIndex,
		notFound: `Incoming lead ${uid} was not found in amoCRM`,
		notFoundFix: UNKNOWN_UID_FIX,
		describePath: (path) =>
			path === 'status_id'
				? 'Pipeline and Stage (a stage of the pipeline the incoming lead is in)'
				: path === 'user_id'
					? 'User'
					: undefined,
	})) as UnsortedHandled | undefined;
	const dealId = answer?._embedded?.leads?.[0]?.id ?? null;
	// amoCRM does not say which stage it chose when none was given: read the deal.
	let stage = statusId ?? null;
	if (stage === null && dealId !== null) {
		const deal = (await amoCrmApiRequest.call(this, {
			method: 'GET',
			path: `leads/${dealId}`,
			subject: 'deal',
			itemIndex,
		})) as { status_id?: number } | undefined;
		stage = deal?.status_id ?? null;
	}
	const account = await getAccount.call(this);
	return [
		{
			uid,
			dealId,
			contactId: answer?._embedded?.contacts?.[0]?.id ?? null,
			pipelineId: answer?.pipeline_id ?? null,
			statusId: stage,
			url: dealId === null ? null : `${account.url}/leads/detail/${dealId}`,
		},
	];
}

import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { secondsAfter } from '../../helpers/dateTime';
import type { DurationUnit } from '../../helpers/dateTime';
import { amoCrmBatchCreate } from '../../transport/batch';
import type { BatchEntry, BatchOutcome, CreatedWithRequestId } from '../../transport/batch';
import { getCurrentUserId } from '../../transport/catalog';
import type { TaskCreateRequest } from '../../transport/types';
import { batchSizeOf, batchSizeProperty, operationError, responsibleUserProperty } from '../common';
import type { LocatedEntity } from '../entityLocator';
import type { ItemResult } from '../operation';
import {
	CALL,
	entityChoices,
	entityLocatorProperties,
	readDueAt,
	readTaskType,
	readResponsibleUser,
	readTaskEntity,
	taskEntityType,
	taskOutput,
} from './taskValues';

const displayOptions = { show: { resource: ['task'], operation: ['create'] } };

/** The manager's classic: call back in 15 minutes. */
const DEFAULT_TEXT = 'Call back';

const LABEL: Record<LocatedEntity, string> = {
	deal: 'Deal',
	contact: 'Contact',
	company: 'Company',
};

export const description: INodeProperties[] = [
	{
		displayName: 'For',
		name: 'entityType',
		type: 'options',
		options: entityChoices('about'),
		default: 'deal',
		description:
			'Whether the task is about a deal, a contact or a company: it shows on that card in amoCRM',
		displayOptions,
	},
	...entityLocatorProperties('create', true),
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 2 },
		default: DEFAULT_TEXT,
		required: true,
		placeholder: 'Call back about the hearing aid fitting',
		description: 'What the responsible user has to do, shown in their task list',
		displayOptions,
	},
	{
		displayName: 'Task Type Name or ID',
		name: 'taskTypeId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getTaskTypes' },
		default: CALL,
		description:
			'Call, Meeting, or one of the task types your account added. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions,
	},
	{
		displayName: 'Due',
		name: 'dueType',
		type: 'options',
		options: [
			{
				name: 'At a Date and Time',
				value: 'at',
				description: 'At a date and time you pick or map',
			},
			{
				name: 'In Some Time From Now',
				value: 'in',
				description: 'A number of minutes, hours or days after the node runs',
			},
		],
		default: 'in',
		description: 'When the task is due',
		displayOptions,
	},
	{
		displayName: 'Due In',
		name: 'dueIn',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 15,
		description:
			'How long after the node runs the task is due, e.g. 15 for "call back in 15 minutes"',
		displayOptions: { show: { ...displayOptions.show, dueType: ['in'] } },
	},
	{
		displayName: 'Unit',
		name: 'dueInUnit',
		type: 'options',
		options: [
			{ name: 'Days', value: 'days' },
			{ name: 'Hours', value: 'hours' },
			{ name: 'Minutes', value: 'minutes' },
		],
		default: 'minutes',
		description: 'Whether Due In counts minutes, hours or days',
		displayOptions: { show: { ...displayOptions.show, dueType: ['in'] } },
	},
	{
		displayName: 'Due At',
		name: 'dueAt',
		type: 'dateTime',
		default: '',
		required: true,
		description:
			"When the task is due. A date and time without a time zone is read in the workflow's time zone (workflow settings). It must be in the future.",
		displayOptions: { show: { ...displayOptions.show, dueType: ['at'] } },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions,
		options: [responsibleUserProperty()],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions,
		options: [batchSizeProperty('tasks')],
	},
];

export interface PreparedTask {
	itemIndex: number;
	entity: LocatedEntity;
	body: TaskCreateRequest;
}

/** The due time in unix seconds; refused when it is not in the future. */
function readDue(context: IExecuteFunctions, itemIndex: number, nowMs: number): number {
	const dueType = context.getNodeParameter('dueType', itemIndex, 'in') as 'in' | 'at';
	if (dueType === 'in') {
		const raw = context.getNodeParameter('dueIn', itemIndex, 15);
		const amount = typeof raw === 'string' && raw.trim() === '' ? NaN : Number(raw);
		if (!Number.isFinite(amount) || amount <= 0) {
			throw operationError(
				context,
				itemIndex,
				`Due In must be a number above 0, not "${String(raw)}"`,
				'Enter how long from now the task is due, e.g. 15 with Unit Minutes, or choose Due: At a Date and Time.',
			);
		}
		const unit = context.getNodeParameter('dueInUnit', itemIndex, 'minutes') as DurationUnit;
		return secondsAfter(nowMs, amount, unit);
	}
	return readDueAt(context, itemIndex, 'dueAt', nowMs, 'or choose Due: In Some Time From Now.');
}

/** Reads and checks one item's task. */
export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<PreparedTask> {
	const entity = this.getNodeParameter('entityType', itemIndex, 'deal') as LocatedEntity;
	const entityId = readTaskEntity(this, itemIndex, entity, true) as number;
	const text = String(this.getNodeParameter('text', itemIndex, DEFAULT_TEXT) ?? '').trim();
	if (text === '') {
		throw operationError(
			this,
			itemIndex,
			'Text is empty',
			'Type what the responsible user has to do, e.g. "Call back", or map it from an earlier node.',
		);
	}
	const completeTill = readDue(this, itemIndex, Date.now());
	const responsibleUserId = readResponsibleUser(
		this,
		itemIndex,
		'additionalFields.responsibleUserId',
	);
	const body: TaskCreateRequest = {
		text,
		complete_till: completeTill,
		entity_type: taskEntityType(entity),
		entity_id: entityId,
		task_type_id: await readTaskType(this, itemIndex, 'taskTypeId'),
	};
	if (responsibleUserId !== undefined) body.responsible_user_id = responsibleUserId;
	return { itemIndex, entity, body };
}

/** Tasks go to amoCRM in batches (Options > Batch Size) through POST /api/v4/tasks. */
export async function send(
	this: IExecuteFunctions,
	prepared: PreparedTask[],
): Promise<ItemResult[]> {
	// Whom amoCRM makes responsible for a task that names nobody, for the output; read before
	// anything is created, so that a failed read never follows created tasks.
	const defaultUserId = prepared.some((task) => task.body.responsible_user_id === undefined)
		? await getCurrentUserId.call(this)
		: undefined;
	const entries: Array<BatchEntry<TaskCreateRequest>> = prepared.map((task) => {
		const entity = `${LABEL[task.entity]} ${task.body.entity_id}`;
		return {
			itemIndex: task.itemIndex,
			body: task.body,
			describePath: (path) =>
				({
					text: 'Text',
					complete_till: 'Due',
					task_type_id: 'Task Type',
					entity_id: LABEL[task.entity],
					entity_type: 'For',
				})[path],
			messageFor: (error) =>
				error.path === 'entity_id' ? `${entity} was not found in amoCRM` : undefined,
			notFound: `${entity} was not found in amoCRM`,
		};
	});
	const outcomes = (await amoCrmBatchCreate.call(
		this,
		{
			path: 'tasks',
			subject: 'task',
			embeddedKey: 'tasks',
			batchSize: batchSizeOf(this),
			continueOnFail: this.continueOnFail(),
		},
		entries,
	)) as Array<BatchOutcome<CreatedWithRequestId>>;
	const results: ItemResult[] = [];
	for (const [position, outcome] of outcomes.entries()) {
		if (!('created' in outcome)) {
			results.push(outcome.error);
			continue;
		}
		const { body } = prepared[position];
		results.push([
			await taskOutput(this, {
				id: outcome.created.id,
				text: body.text,
				entity_type: body.entity_type,
				entity_id: body.entity_id,
				task_type_id: body.task_type_id,
				complete_till: body.complete_till,
				responsible_user_id: body.responsible_user_id ?? defaultUserId,
				is_completed: false,
			}),
		]);
	}
	return results;
}

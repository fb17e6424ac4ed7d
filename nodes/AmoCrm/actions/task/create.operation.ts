import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { isoFromUnix, parseDateTime, secondsAfter } from '../../helpers/dateTime';
import type { DurationUnit } from '../../helpers/dateTime';
import { amoCrmBatchCreate } from '../../transport/batch';
import type { BatchEntry, BatchOutcome, CreatedWithRequestId } from '../../transport/batch';
import { getCurrentUserId, getTaskTypes } from '../../transport/catalog';
import type { TaskCreateRequest, TaskType } from '../../transport/types';
import {
	batchSizeOf,
	batchSizeProperty,
	operationError,
	parseId,
	responsibleUserProperty,
} from '../common';
import type { LocatedEntity } from '../entityLocator';
import type { ItemResult } from '../operation';
import {
	entityChoices,
	entityLocatorProperties,
	readResponsibleUser,
	readTaskEntity,
	taskEntityType,
	taskOutput,
} from './taskValues';

const displayOptions = { show: { resource: ['task'], operation: ['create'] } };

/** amoCRM's built-in task types; every account has them. */
const CALL = 1;
const MEETING = 2;

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

/** The task type's ID, checked against the account's task types unless it is Call or Meeting. */
async function readTaskType(context: IExecuteFunctions, itemIndex: number): Promise<number> {
	const id = parseId(
		context,
		itemIndex,
		context.getNodeParameter('taskTypeId', itemIndex, CALL),
		'Task Type ID',
		true,
	) as number;
	if (id === CALL || id === MEETING) return id;
	const has = (types: TaskType[]) => types.some((type) => type.id === id);
	if (has(await getTaskTypes.call(context))) return id;
	// A type added in amoCRM since we last looked counts: look once more before failing.
	const types = await getTaskTypes.call(context, { fresh: true });
	if (has(types)) return id;
	throw operationError(
		context,
		itemIndex,
		`Task Type ${id} is not a task type of this amoCRM account`,
		`Choose the task type from the list in Task Type, or map the ID of one of the account's task types: ${types.map((type) => `${type.name} (${type.id})`).join(', ')}.`,
	);
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
	const raw = context.getNodeParameter('dueAt', itemIndex, '');
	const timeZone = context.getTimezone();
	if (raw === null || raw === undefined || String(raw).trim() === '') {
		throw operationError(
			context,
			itemIndex,
			'Due At is empty',
			'Pick the date and time the task is due, or choose Due: In Some Time From Now.',
		);
	}
	const dueMs = parseDateTime(raw, timeZone);
	if (dueMs === undefined) {
		throw operationError(
			context,
			itemIndex,
			`Due At is not a date and time: "${String(raw)}"`,
			"Pick it in the date picker, or map a value such as 2026-12-01T15:30 (read in the workflow's time zone), 2026-12-01T15:30:00+05:00, or {{ $now.plus(2, 'hours') }}.",
		);
	}
	const completeTill = Math.floor(dueMs / 1000);
	if (completeTill <= Math.floor(nowMs / 1000)) {
		throw operationError(
			context,
			itemIndex,
			`Due At is in the past: ${isoFromUnix(completeTill)}`,
			`amoCRM would show the task as overdue at once. Pick a later date and time (a time without a zone is read in the workflow's time zone, ${timeZone}), or choose Due: In Some Time From Now.`,
		);
	}
	return completeTill;
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
		task_type_id: await readTaskType(this, itemIndex),
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

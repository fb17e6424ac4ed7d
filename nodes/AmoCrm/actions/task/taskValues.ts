import type { IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { isoFromUnix, parseDateTime } from '../../helpers/dateTime';
import { getTaskTypes } from '../../transport/catalog';
import type { Task, TaskEntityType, TaskType } from '../../transport/types';
import { entityUrl, operationError, parseId } from '../common';
import { ENTITY_PATH, entityIdProperty, readEntityId } from '../entityLocator';
import type { LocatedEntity } from '../entityLocator';
import type { OperationResult } from '../operation';

/** Fields and output shared by the task operations. */

const LOCATED: LocatedEntity[] = ['company', 'contact', 'deal'];

const ENTITY_OF_TYPE: Record<TaskEntityType, string> = {
	leads: 'deal',
	contacts: 'contact',
	companies: 'company',
	customers: 'customer',
};

/** The parameter holding the ID of the deal, contact or company a task is for. */
export function entityParameter(entity: LocatedEntity): string {
	return `${entity}Id`;
}

/** The choices of "For" naming a deal, a contact or a company (`verb`: "about", "of"). */
export function entityChoices(verb: string): INodePropertyOptions[] {
	return [
		{ name: 'Company', value: 'company', description: `Tasks ${verb} a company` },
		{ name: 'Contact', value: 'contact', description: `Tasks ${verb} a contact` },
		{ name: 'Deal', value: 'deal', description: `Tasks ${verb} a deal` },
	];
}

/** The locator of the deal, contact or company chosen in "For", one per kind. */
export function entityLocatorProperties(operation: string, required: boolean): INodeProperties[] {
	return LOCATED.map((entity) =>
		entityIdProperty(entity, {
			name: entityParameter(entity),
			required,
			description: required
				? `The ${entity} the task is for: choose it, paste its amoCRM page address, or map its ID, e.g. {{ $json.id }}`
				: `Only the tasks of this ${entity}. Empty: the tasks of every ${entity}.`,
			displayOptions: {
				show: { resource: ['task'], operation: [operation], entityType: [entity] },
			},
		}),
	);
}

/** The entity chosen in "For" and its ID (undefined when the locator is optional and empty). */
export function readTaskEntity(
	context: IExecuteFunctions,
	itemIndex: number,
	entity: LocatedEntity,
	required: boolean,
): number | undefined {
	return readEntityId(context, itemIndex, entity, entityParameter(entity), { required });
}

/** Responsible User (inside a collection, `parameter` its path): an ID, or undefined when not given. */
export function readResponsibleUser(
	context: IExecuteFunctions,
	itemIndex: number,
	parameter: string,
): number | undefined {
	return parseId(
		context,
		itemIndex,
		context.getNodeParameter(parameter, itemIndex, ''),
		'Responsible User ID',
		false,
	);
}

export function isLocatedEntity(value: unknown): value is LocatedEntity {
	return LOCATED.includes(value as LocatedEntity);
}

/** amoCRM's `entity_type` for a deal, contact or company. */
export function taskEntityType(entity: LocatedEntity): TaskEntityType {
	return ENTITY_PATH[entity];
}

/**
 * A task as the node outputs it: its due time as ISO (UTC) and unix seconds, and `url`, the
 * page of the deal, contact or company it is for (tasks have no page of their own).
 */
export async function taskOutput(
	context: IExecuteFunctions,
	task: Pick<Task, 'id' | 'text' | 'entity_type' | 'entity_id' | 'task_type_id' | 'complete_till'> &
		Partial<Pick<Task, 'is_completed' | 'result' | 'responsible_user_id'>>,
): Promise<OperationResult> {
	const entityType = task.entity_type ? ENTITY_OF_TYPE[task.entity_type] : null;
	const resultText =
		task.result && !Array.isArray(task.result) && typeof task.result.text === 'string'
			? task.result.text
			: null;
	return {
		id: task.id,
		text: task.text,
		entityType: entityType ?? null,
		entityId: task.entity_id ?? null,
		taskTypeId: task.task_type_id,
		dueAt: isoFromUnix(task.complete_till),
		completeTill: task.complete_till,
		responsibleUserId: task.responsible_user_id ?? null,
		isCompleted: task.is_completed ?? false,
		result: resultText,
		url:
			task.entity_type && task.entity_id
				? await entityUrl(context, task.entity_type, task.entity_id)
				: null,
	};
}

/** amoCRM's built-in task types; every account has them. */
export const CALL = 1;
export const MEETING = 2;

/** The task type's ID, checked against the account's task types unless it is Call or Meeting. */
export async function readTaskType(
	context: IExecuteFunctions,
	itemIndex: number,
	parameter: string,
): Promise<number> {
	const id = parseId(
		context,
		itemIndex,
		context.getNodeParameter(parameter, itemIndex, CALL),
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

/**
 * Due At (`parameter`) in unix seconds; refused when empty, not a date, or not in the future.
 * `otherwise` ends each hint with what else the user can do, e.g. "or choose Due: In Some Time From Now."
 */
export function readDueAt(
	context: IExecuteFunctions,
	itemIndex: number,
	parameter: string,
	nowMs: number,
	otherwise: string,
): number {
	const raw = context.getNodeParameter(parameter, itemIndex, '');
	const timeZone = context.getTimezone();
	if (raw === null || raw === undefined || String(raw).trim() === '') {
		throw operationError(
			context,
			itemIndex,
			'Due At is empty',
			`Pick the date and time the task is due, ${otherwise}`,
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
			`amoCRM would show the task as overdue at once. Pick a later date and time (a time without a zone is read in the workflow's time zone, ${timeZone}), ${otherwise}`,
		);
	}
	return completeTill;
}

/** Task ID: tasks have no page address, so a number (mapped from Create, Get or Get Many). */
export function taskIdProperty(operation: string, what: string): INodeProperties {
	return {
		displayName: 'Task ID',
		name: 'taskId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 4745251',
		description: `The ID of the task to ${what}, mapped from a Create Task or Get Many Tasks step (tasks have no page address of their own)`,
		displayOptions: { show: { resource: ['task'], operation: [operation] } },
	};
}

export function readTaskId(context: IExecuteFunctions, itemIndex: number): number {
	return parseId(
		context,
		itemIndex,
		context.getNodeParameter('taskId', itemIndex, ''),
		'Task ID',
		true,
	) as number;
}

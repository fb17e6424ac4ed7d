import type { IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { isoFromUnix } from '../../helpers/dateTime';
import type { Task, TaskEntityType } from '../../transport/types';
import { entityUrl, parseId } from '../common';
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

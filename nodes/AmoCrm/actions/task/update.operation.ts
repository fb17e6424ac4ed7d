import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { isoFromUnix } from '../../helpers/dateTime';
import { amoCrmApiRequest } from '../../transport/request';
import type { TaskEntityType } from '../../transport/types';
import { operationError, responsibleUserProperty } from '../common';
import { readEntityId } from '../entityLocator';
import type { LocatedEntity } from '../entityLocator';
import type { OperationResult } from '../operation';
import {
	isLocatedEntity,
	readDueAt,
	readResponsibleUser,
	readTaskId,
	readTaskType,
	taskEntityType,
	taskIdProperty,
} from './taskValues';

const displayOptions = { show: { resource: ['task'], operation: ['update'] } };

export const description: INodeProperties[] = [
	taskIdProperty('update', 'change'),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'Only the fields added here are changed; the task keeps the others',
		displayOptions,
		options: [
			{
				displayName: 'Belongs To',
				name: 'entityType',
				type: 'options',
				options: [
					{ name: 'Company', value: 'company' },
					{ name: 'Contact', value: 'contact' },
					{ name: 'Deal', value: 'deal' },
				],
				default: 'deal',
				description:
					'Whether the task moves to a deal, a contact or a company (with Belongs To ID)',
			},
			{
				displayName: 'Belongs To ID',
				name: 'entityId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 9001 or https://mycompany.amocrm.ru/leads/detail/9001',
				description:
					'The ID or page address of the deal, contact or company (chosen in Belongs To) the task moves to',
			},
			{
				displayName: 'Due At',
				name: 'dueAt',
				type: 'dateTime',
				default: '',
				description:
					"The new due time. A date and time without a time zone is read in the workflow's time zone. It must be in the future.",
			},
			{
				...responsibleUserProperty(),
				description:
					'The user the task moves to. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Task Type Name or ID',
				name: 'taskTypeId',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getTaskTypes' },
				default: 1,
				description:
					'Call, Meeting, or one of the task types your account added. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Text',
				name: 'text',
				type: 'string',
				typeOptions: { rows: 2 },
				default: '',
				placeholder: 'Call back about the hearing aid fitting',
				description: 'What the responsible user has to do',
			},
		],
	},
];

interface TaskUpdateRequest {
	text?: string;
	complete_till?: number;
	responsible_user_id?: number;
	task_type_id?: number;
	entity_type?: TaskEntityType;
	entity_id?: number;
}

const ENTITY_OF_TYPE: Record<string, LocatedEntity> = {
	leads: 'deal',
	contacts: 'contact',
	companies: 'company',
};

/** Reads Update Fields into amoCRM's task fields; nothing filled in fails before any request. */
async function readChanges(
	context: IExecuteFunctions,
	itemIndex: number,
): Promise<TaskUpdateRequest> {
	const fields = context.getNodeParameter('updateFields', itemIndex, {}) as Record<string, unknown>;
	const has = (name: string) => fields[name] !== undefined;
	const body: TaskUpdateRequest = {};
	if (has('text')) {
		const text = String(fields.text ?? '').trim();
		if (text === '') {
			throw operationError(
				context,
				itemIndex,
				'Text is empty',
				'Type what the responsible user has to do, or remove Text from Update Fields.',
			);
		}
		body.text = text;
	}
	if (has('dueAt')) {
		body.complete_till = readDueAt(
			context,
			itemIndex,
			'updateFields.dueAt',
			Date.now(),
			'or remove Due At from Update Fields.',
		);
	}
	const responsible = readResponsibleUser(context, itemIndex, 'updateFields.responsibleUserId');
	if (responsible !== undefined) body.responsible_user_id = responsible;
	if (has('taskTypeId'))
		body.task_type_id = await readTaskType(context, itemIndex, 'updateFields.taskTypeId');
	if (has('entityType') || has('entityId')) {
		const entity = fields.entityType ?? 'deal';
		if (!isLocatedEntity(entity)) {
			throw operationError(
				context,
				itemIndex,
				`Belongs To must be deal, contact or company, not "${String(entity)}"`,
				'Choose Deal, Contact or Company in Belongs To.',
			);
		}
		body.entity_type = taskEntityType(entity);
		body.entity_id = readEntityId(context, itemIndex, entity, 'updateFields.entityId', {
			label: 'Belongs To ID',
		});
	}
	if (Object.keys(body).length === 0) {
		throw operationError(
			context,
			itemIndex,
			'Nothing to update',
			'Add at least one field under Update Fields (Text, Due At, Responsible User, Task Type, Belongs To): only those are changed.',
		);
	}
	return body;
}

/** PATCH /api/v4/tasks/{id} with only the fields filled in. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult[]> {
	const taskId = readTaskId(this, itemIndex);
	const body = await readChanges(this, itemIndex);
	const answer = (await amoCrmApiRequest.call(this, {
		method: 'PATCH',
		path: `tasks/${taskId}`,
		body,
		subject: 'task',
		itemIndex,
		notFound: `Task ${taskId} was not found in amoCRM`,
		describePath: (path) =>
			({
				text: 'Text',
				complete_till: 'Due At',
				task_type_id: 'Task Type',
				responsible_user_id: 'Responsible User',
				entity_id: 'Belongs To ID',
				entity_type: 'Belongs To',
			})[path],
	})) as { id?: number; updated_at?: number } | undefined;
	return [
		{
			id: answer?.id ?? taskId,
			...(body.text !== undefined ? { text: body.text } : {}),
			...(body.complete_till !== undefined
				? { dueAt: isoFromUnix(body.complete_till), completeTill: body.complete_till }
				: {}),
			...(body.responsible_user_id !== undefined
				? { responsibleUserId: body.responsible_user_id }
				: {}),
			...(body.task_type_id !== undefined ? { taskTypeId: body.task_type_id } : {}),
			...(body.entity_type !== undefined
				? { entityType: ENTITY_OF_TYPE[body.entity_type], entityId: body.entity_id }
				: {}),
			updatedAt: typeof answer?.updated_at === 'number' ? isoFromUnix(answer.updated_at) : null,
		},
	];
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { amoCrmApiRequestAllItems } from '../../transport/request';
import type { Task } from '../../transport/types';
import { readLimit, responsibleUserProperty, returnAllOrLimitProperties } from '../common';
import type { OperationResult } from '../operation';
import {
	entityChoices,
	entityLocatorProperties,
	isLocatedEntity,
	readResponsibleUser,
	readTaskEntity,
	taskEntityType,
	taskOutput,
} from './taskValues';

const displayOptions = { show: { resource: ['task'], operation: ['getAll'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: [
			{ name: 'All', value: 'all', description: 'Open and completed tasks' },
			{ name: 'Completed', value: 'completed', description: 'Only tasks marked as done' },
			{ name: 'Open', value: 'open', description: 'Only tasks still to do' },
		],
		default: 'open',
		description: 'Which tasks to return by whether they are done',
		displayOptions,
	},
	{
		displayName: 'For',
		name: 'entityType',
		type: 'options',
		options: [
			{ name: 'Anything', value: 'any', description: 'Tasks of every deal, contact and company' },
			...entityChoices('of'),
		],
		default: 'any',
		description:
			'Only the tasks of one deal, contact or company, or of every deal, contact or company when the next field is left empty',
		displayOptions,
	},
	...entityLocatorProperties('getAll', false),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions,
		options: [
			{
				...responsibleUserProperty(),
				description:
					'Only the tasks of this amoCRM user. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
		],
	},
	...returnAllOrLimitProperties(displayOptions),
];

/** Reads the account's tasks (GET /api/v4/tasks) with amoCRM's filters, soonest due first. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult[]> {
	const qs: IDataObject = {};
	const status = this.getNodeParameter('status', itemIndex, 'open') as string;
	if (status === 'open') qs['filter[is_completed]'] = 0;
	if (status === 'completed') qs['filter[is_completed]'] = 1;
	const entity = this.getNodeParameter('entityType', itemIndex, 'any');
	if (isLocatedEntity(entity)) {
		qs['filter[entity_type]'] = taskEntityType(entity);
		const entityId = readTaskEntity(this, itemIndex, entity, false);
		if (entityId !== undefined) qs['filter[entity_id]'] = entityId;
	}
	const responsibleUserId = readResponsibleUser(this, itemIndex, 'filters.responsibleUserId');
	if (responsibleUserId !== undefined) qs['filter[responsible_user_id]'] = responsibleUserId;
	qs['order[complete_till]'] = 'asc';
	const limit = readLimit(this, itemIndex);
	const tasks = (await amoCrmApiRequestAllItems.call(
		this,
		{ path: 'tasks', qs, subject: 'task list', itemIndex },
		'tasks',
		limit,
	)) as Task[];
	const results: OperationResult[] = [];
	for (const task of tasks) results.push(await taskOutput(this, task));
	return results;
}

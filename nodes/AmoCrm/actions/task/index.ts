import type { INodeProperties } from 'n8n-workflow';

import * as complete from './complete.operation';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export { complete, create, get, getAll, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['task'] } },
		options: [
			{
				name: 'Complete',
				value: 'complete',
				description: 'Mark a task as done, with a result text',
				action: 'Complete a task',
			},
			{
				name: 'Create',
				value: 'create',
				description:
					'Give a user a task on a deal, contact or company, due in some time (e.g. call back in 15 minutes) or at a date',
				action: 'Create a task',
			},
			{
				name: 'Get',
				value: 'get',
				description:
					'Read one task by its ID: text, due time, type, responsible user, whether it is done, and the deal, contact or company it is for',
				action: 'Get a task',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List tasks: open or completed, of a user, of a deal, contact or company',
				action: 'Get many tasks',
			},
			{
				name: 'Update',
				value: 'update',
				description:
					'Change a task by its ID: its text, due time, responsible user, type, or the deal, contact or company it belongs to',
				action: 'Update a task',
			},
		],
		default: 'create',
	},
	...create.description,
	...complete.description,
	...get.description,
	...getAll.description,
	...update.description,
];

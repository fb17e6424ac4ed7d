import type { INodeProperties } from 'n8n-workflow';

import * as add from './add.operation';
import * as remove from './remove.operation';

export { add, remove };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['tag'] } },
		options: [
			{
				name: 'Add',
				value: 'add',
				description: 'Put tags on a deal or contact, keeping its other tags',
				action: 'Add tags to a deal or contact',
			},
			{
				name: 'Remove',
				value: 'remove',
				description: 'Take tags off a deal or contact, keeping its other tags',
				action: 'Remove tags from a deal or contact',
			},
		],
		default: 'add',
	},
	...add.description,
	...remove.description,
];

import type { INodeProperties } from 'n8n-workflow';

import * as add from './add.operation';
import * as getAll from './getAll.operation';

export { add, getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['note'] } },
		options: [
			{
				name: 'Add',
				value: 'add',
				description: 'Add a text note to a deal, a contact or a company',
				action: 'Add a note',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description:
					'List the notes of a deal, a contact or a company, optionally of some types only',
				action: 'Get many notes',
			},
		],
		default: 'add',
	},
	...add.description,
	...getAll.description,
];

import type { INodeProperties } from 'n8n-workflow';

import * as add from './add.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export { add, get, getAll };

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
				name: 'Get',
				value: 'get',
				description:
					'Read one note by its ID and what it is on (a deal, a contact or a company): its type, text and details',
				action: 'Get a note',
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
	...get.description,
	...getAll.description,
];

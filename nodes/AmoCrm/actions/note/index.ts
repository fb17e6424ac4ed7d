import type { INodeProperties } from 'n8n-workflow';

import * as add from './add.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export { add, get, getAll, update };

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
				description:
					'Add a note to a deal, a contact or a company: a text, a call (phone, duration, recording), an SMS or a service message',
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
			{
				name: 'Update',
				value: 'update',
				description:
					'Change a note by its ID: its type and content (text, call or SMS details) as filled in here',
				action: 'Update a note',
			},
		],
		default: 'add',
	},
	...add.description,
	...get.description,
	...getAll.description,
	...update.description,
];

import type { INodeProperties } from 'n8n-workflow';

import * as log from './log.operation';

export { log };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['call'] } },
		options: [
			{
				name: 'Log',
				value: 'log',
				description:
					'Record a finished phone call on the contact or company with its phone number, with direction, duration and recording link',
				action: 'Log a call',
			},
		],
		default: 'log',
	},
	...log.description,
];

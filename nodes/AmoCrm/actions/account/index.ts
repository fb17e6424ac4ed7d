import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';

export { get };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['account'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description:
					'Read the connected amoCRM account: its name, address, country, currency and the ID of the user the node acts as',
				action: 'Get the account',
			},
		],
		default: 'get',
	},
	...get.description,
];

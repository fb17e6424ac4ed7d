import type { INodeProperties } from 'n8n-workflow';

import * as getAll from './getAll.operation';

export { getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['user'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				description:
					"List the account's users with their IDs, names, emails and whether they are active or administrators (amoCRM shows users to administrators only)",
				action: 'Get many users',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
];

import type { INodeProperties } from 'n8n-workflow';

import * as getAll from './getAll.operation';

export { getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['pipeline'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				description:
					"List the account's deal pipelines with their stages' IDs and names (142 is won, 143 lost), one item per pipeline",
				action: 'Get many pipelines',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
];

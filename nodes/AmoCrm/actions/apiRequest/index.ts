import type { INodeProperties } from 'n8n-workflow';

import * as send from './send.operation';

export { send };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['apiRequest'] } },
		options: [
			{
				name: 'Send',
				value: 'send',
				description:
					"Send any request of amoCRM's API v4 (method, path under /api/v4/, query, JSON body) to this account and return amoCRM's answer",
				action: 'Send an API request',
			},
		],
		default: 'send',
	},
	...send.description,
];

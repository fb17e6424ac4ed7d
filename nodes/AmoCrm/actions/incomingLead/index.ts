import type { INodeProperties } from 'n8n-workflow';

import * as accept from './accept.operation';
import * as create from './create.operation';
import * as decline from './decline.operation';

export { accept, create, decline };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['incomingLead'] } },
		options: [
			{
				name: 'Accept',
				value: 'accept',
				description:
					'Accept an incoming lead (amoCRM "Unsorted"): its deal moves to a stage of the pipeline',
				action: 'Accept an incoming lead',
			},
			{
				name: 'Create From a Form',
				value: 'create',
				description:
					'Add a site form\'s lead to a pipeline\'s Incoming leads stage (amoCRM "Unsorted") for a manager to accept or decline',
				action: 'Create an incoming lead from a form',
			},
			{
				name: 'Decline',
				value: 'decline',
				description:
					'Decline an incoming lead (amoCRM "Unsorted"): its deal and new contact go to the trash',
				action: 'Decline an incoming lead',
			},
		],
		default: 'create',
	},
	...create.description,
	...accept.description,
	...decline.description,
];

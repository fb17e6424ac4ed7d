import type { INodeProperties } from 'n8n-workflow';

import * as accept from './accept.operation';
import * as create from './create.operation';
import * as createFromCall from './createFromCall.operation';
import * as decline from './decline.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export { accept, create, createFromCall, decline, get, getAll };

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
				name: 'Create From a Call',
				value: 'createFromCall',
				description:
					'Add an incoming phone call\'s lead to a pipeline\'s Incoming leads stage (amoCRM "Unsorted") with the caller, call ID, duration and recording',
				action: 'Create an incoming lead from a call',
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
			{
				name: 'Get',
				value: 'get',
				description:
					'Read one incoming lead by its UID: category, source, call or form details, and the deal and contact it brings',
				action: 'Get an incoming lead',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description:
					'List incoming leads, newest first, optionally only calls, forms, chats or emails of one pipeline',
				action: 'Get many incoming leads',
			},
		],
		default: 'create',
	},
	...create.description,
	...accept.description,
	...decline.description,
	...createFromCall.description,
	...get.description,
	...getAll.description,
];

import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as search from './search.operation';

export { create, search };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['contact'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create a contact, or return the existing one with the same phone or email',
				action: 'Create a contact',
			},
			{
				name: 'Search',
				value: 'search',
				description: 'Find contacts by phone, email or text',
				action: 'Search contacts',
			},
		],
		default: 'create',
	},
	...create.description,
	...search.description,
];

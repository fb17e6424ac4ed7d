import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as linkContact from './linkContact.operation';

export { create, linkContact };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['deal'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create a deal in a pipeline and stage, optionally with its main contact',
				action: 'Create a deal',
			},
			{
				name: 'Link Contact',
				value: 'linkContact',
				description: 'Attach an existing contact to an existing deal',
				action: 'Link a contact to a deal',
			},
		],
		default: 'create',
	},
	...create.description,
	...linkContact.description,
];

import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export { create, get, getAll, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['company'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description:
					'Create a company, or return the existing one with the same name, phone or email',
				action: 'Create a company',
			},
			{
				name: 'Get',
				value: 'get',
				description:
					'Read one company: its name, phones, emails, custom fields, tags and, if asked, its contacts and deals',
				action: 'Get a company',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description:
					'List companies, filtered by responsible user, when they were created or changed, or text',
				action: 'Get many companies',
			},
			{
				name: 'Update',
				value: 'update',
				description:
					'Change a company: name, responsible user, phones and emails (added or replaced), custom fields, tags',
				action: 'Update a company',
			},
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...getAll.description,
	...update.description,
];

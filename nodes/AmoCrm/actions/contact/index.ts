import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as linkCompany from './linkCompany.operation';
import * as search from './search.operation';
import * as unlinkCompany from './unlinkCompany.operation';
import * as update from './update.operation';

export { create, get, getAll, linkCompany, search, unlinkCompany, update };

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
				name: 'Get',
				value: 'get',
				description:
					'Read one contact: its name, phones, emails, custom fields, tags and, if asked, its deals and company',
				action: 'Get a contact',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description:
					'List contacts, filtered by responsible user, when they were created or changed, or text',
				action: 'Get many contacts',
			},
			{
				name: 'Link to Company',
				value: 'linkCompany',
				description: 'Attach an existing contact to an existing company',
				action: 'Link a contact to a company',
			},
			{
				name: 'Search',
				value: 'search',
				description: 'Find contacts by phone, email or text',
				action: 'Search contacts',
			},
			{
				name: 'Unlink From Company',
				value: 'unlinkCompany',
				description:
					'Detach a contact from a company; the contact and the company both stay in amoCRM',
				action: 'Unlink a contact from a company',
			},
			{
				name: 'Update',
				value: 'update',
				description:
					'Change a contact: name, responsible user, phones and emails (added or replaced), custom fields, tags',
				action: 'Update a contact',
			},
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...getAll.description,
	...linkCompany.description,
	...search.description,
	...unlinkCompany.description,
	...update.description,
];

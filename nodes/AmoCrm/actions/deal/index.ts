import type { INodeProperties } from 'n8n-workflow';

import * as addProducts from './addProducts.operation';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as linkContact from './linkContact.operation';
import * as removeProducts from './removeProducts.operation';
import * as unlinkContact from './unlinkContact.operation';
import * as update from './update.operation';

export { addProducts, create, get, getAll, linkContact, removeProducts, unlinkContact, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['deal'] } },
		options: [
			{
				name: 'Add Products',
				value: 'addProducts',
				description:
					'Put a product from the Products list (or another catalog) on a deal with a quantity',
				action: 'Add a product to a deal',
			},
			{
				name: 'Create',
				value: 'create',
				description: 'Create a deal in a pipeline and stage, optionally with its main contact',
				action: 'Create a deal',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Read one deal: stage, price, tags, custom fields, its page link',
				action: 'Get a deal',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description:
					'List deals filtered by pipeline, stage, responsible user, dates or text (every page, or up to a limit)',
				action: 'Get many deals',
			},
			{
				name: 'Link Contact',
				value: 'linkContact',
				description: 'Attach an existing contact to an existing deal',
				action: 'Link a contact to a deal',
			},
			{
				name: 'Remove Products',
				value: 'removeProducts',
				description: 'Take a product off a deal',
				action: 'Remove a product from a deal',
			},
			{
				name: 'Unlink Contact',
				value: 'unlinkContact',
				description: 'Take a contact off a deal; the deal and the contact both stay in amoCRM',
				action: 'Unlink a contact from a deal',
			},
			{
				name: 'Update',
				value: 'update',
				description:
					'Change a deal: move it to another stage or pipeline, rename it, set its price, responsible user, tags or custom fields',
				action: 'Update a deal',
			},
		],
		default: 'create',
	},
	...create.description,
	...linkContact.description,
	...get.description,
	...getAll.description,
	...unlinkContact.description,
	...update.description,
	...addProducts.description,
	...removeProducts.description,
];

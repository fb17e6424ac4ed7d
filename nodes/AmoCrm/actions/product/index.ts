import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export { create, getAll, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['product'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description:
					'Add a product with its name, SKU, price and description to the Products list (or another catalog)',
				action: 'Create a product',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description:
					'List the products of the Products list (or another catalog), optionally only those matching a search text',
				action: 'Get many products',
			},
			{
				name: 'Update',
				value: 'update',
				description: "Change a product's name, SKU, price or description",
				action: 'Update a product',
			},
		],
		default: 'getAll',
	},
	...create.description,
	...getAll.description,
	...update.description,
];

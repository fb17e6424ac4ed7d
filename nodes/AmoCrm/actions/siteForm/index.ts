import type { INodeProperties } from 'n8n-workflow';

import * as readSubmission from './readSubmission.operation';

export { readSubmission };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['siteForm'] } },
		options: [
			{
				name: 'Read Submission',
				value: 'readSubmission',
				description:
					'Read a website form submission into a checked lead: known fields normalised, every other field kept, errors per field',
				action: 'Read a website form submission',
			},
		],
		default: 'readSubmission',
	},
	...readSubmission.description,
];

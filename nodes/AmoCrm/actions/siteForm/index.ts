import type { INodeProperties } from 'n8n-workflow';

import * as readSubmission from './readSubmission.operation';
import * as testForm from './testForm.operation';

export { readSubmission, testForm };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['siteForm'] } },
		options: [
			{
				name: 'Get Test Form',
				value: 'testForm',
				description:
					'A web page with a form that posts a test lead to the webhook it is opened at, in English, Russian or Uzbek; answer it with Respond to Webhook',
				action: 'Get a test form page',
			},
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
	...testForm.description,
];

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { amoCrmApiRequestAllItems, getAccount } from '../../transport/request';
import { operationError, parseId, readLimit, returnAllOrLimitProperties } from '../common';
import type { OperationResult } from '../operation';
import { incomingLeadOutput } from './incomingLeadOutput';
import type { UnsortedRecord } from './incomingLeadOutput';

const displayOptions = { show: { resource: ['incomingLead'], operation: ['getAll'] } };

const CATEGORIES = ['chats', 'forms', 'mail', 'sip'];

export const description: INodeProperties[] = [
	...returnAllOrLimitProperties(displayOptions),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions,
		options: [
			{
				displayName: 'Categories',
				name: 'categories',
				type: 'multiOptions',
				options: [
					{ name: 'Call', value: 'sip' },
					{ name: 'Chat', value: 'chats' },
					{ name: 'Email', value: 'mail' },
					{ name: 'Form', value: 'forms' },
				],
				default: [],
				description: 'Only incoming leads that came this way',
			},
			{
				displayName: 'Pipeline Name or ID',
				name: 'pipelineId',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getPipelines' },
				default: '',
				description:
					'Only incoming leads of this pipeline. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
		],
	},
];

/** GET /api/v4/leads/unsorted, newest first, page after page: one item per incoming lead. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult[]> {
	const limit = readLimit(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as {
		categories?: string[];
		pipelineId?: string | number;
	};
	const qs: IDataObject = { 'order[created_at]': 'desc' };
	(filters.categories ?? []).forEach((category, index) => {
		if (!CATEGORIES.includes(category)) {
			throw operationError(
				this,
				itemIndex,
				`Filters > Categories: "${category}" is not a category`,
				'Choose the categories from the list (Call, Chat, Email, Form).',
			);
		}
		qs[`filter[category][${index}]`] = category;
	});
	const pipelineId = parseId(this, itemIndex, filters.pipelineId, 'Filters > Pipeline ID', false);
	if (pipelineId !== undefined) qs['filter[pipeline_id]'] = pipelineId;
	const records = (await amoCrmApiRequestAllItems.call(
		this,
		{ path: 'leads/unsorted', qs, subject: 'incoming lead list', itemIndex },
		'unsorted',
		limit,
	)) as UnsortedRecord[];
	if (records.length === 0) return [];
	const { url } = await getAccount.call(this);
	return records.map((record) => incomingLeadOutput(record, url));
}

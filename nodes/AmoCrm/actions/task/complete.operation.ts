import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { amoCrmApiRequest } from '../../transport/request';
import type { TaskCompleteRequest } from '../../transport/types';
import type { OperationResult } from '../operation';
import { readTaskId, taskIdProperty } from './taskValues';

const displayOptions = { show: { resource: ['task'], operation: ['complete'] } };

export const description: INodeProperties[] = [
	taskIdProperty('complete', 'mark as done'),
	{
		displayName: 'Result',
		name: 'resultText',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		placeholder: 'Called back, the customer will come on Monday',
		description:
			"What came of the task, shown in the deal's, contact's or company's feed. Empty: completed without a result.",
		displayOptions,
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult[]> {
	const taskId = readTaskId(this, itemIndex);
	const resultText = String(this.getNodeParameter('resultText', itemIndex, '') ?? '').trim();
	const body: TaskCompleteRequest = { is_completed: true };
	if (resultText !== '') body.result = { text: resultText };
	const answer = (await amoCrmApiRequest.call(this, {
		method: 'PATCH',
		path: `tasks/${taskId}`,
		body,
		subject: 'task',
		itemIndex,
		notFound: `Task ${taskId} was not found in amoCRM`,
		describePath: (path) => (path.startsWith('result') ? 'Result' : undefined),
	})) as { id?: number; updated_at?: number } | undefined;
	return [
		{
			id: answer?.id ?? taskId,
			isCompleted: true,
			result: resultText === '' ? null : resultText,
			...(typeof answer?.updated_at === 'number'
				? { updatedAt: new Date(answer.updated_at * 1000).toISOString() }
				: {}),
		},
	];
}

import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { amoCrmApiRequest } from '../../transport/request';
import type { TaskCompleteRequest } from '../../transport/types';
import { parseId } from '../common';
import type { OperationResult } from '../operation';

const displayOptions = { show: { resource: ['task'], operation: ['complete'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Task ID',
		name: 'taskId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 4745251',
		description:
			'The ID of the task to mark as done, mapped from a Create Task or Get Many Tasks step (tasks have no page address of their own)',
		displayOptions,
	},
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
	const taskId = parseId(
		this,
		itemIndex,
		this.getNodeParameter('taskId', itemIndex, ''),
		'Task ID',
		true,
	) as number;
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

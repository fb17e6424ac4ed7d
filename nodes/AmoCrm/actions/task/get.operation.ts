import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { Task } from '../../transport/types';
import { getRecordById } from '../entityLocator';
import type { OperationResult } from '../operation';
import { readTaskId, taskIdProperty, taskOutput } from './taskValues';

export const description: INodeProperties[] = [taskIdProperty('get', 'read')];

/** GET /api/v4/tasks/{id}: one task, shaped as Create and Get Many output it. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult[]> {
	const taskId = readTaskId(this, itemIndex);
	const task = (await getRecordById.call(this, itemIndex, {
		path: `tasks/${taskId}`,
		subject: 'task',
		notFound: `Task ${taskId} was not found in amoCRM`,
		hint: 'Check the ID in Task ID: the task may have been deleted. Get Many Tasks lists the IDs of existing tasks.',
	})) as Task;
	return [await taskOutput(this, task)];
}

import type { IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import * as account from './account';
import * as apiRequest from './apiRequest';
import * as call from './call';
import * as company from './company';
import * as contact from './contact';
import * as deal from './deal';
import * as incomingLead from './incomingLead';
import * as note from './note';
import * as pipeline from './pipeline';
import * as product from './product';
import * as siteForm from './siteForm';
import * as tag from './tag';
import * as task from './task';
import * as user from './user';
import { isOperation } from './operation';
import type { BatchOperation, ItemResult, Operation, PreparedItem } from './operation';

/** Each resource's index exports its operations by their `operation` value (see operation.ts). */
const resources: Record<string, Record<string, unknown>> = {
	account,
	apiRequest,
	call,
	company,
	contact,
	deal,
	incomingLead,
	note,
	pipeline,
	product,
	siteForm,
	tag,
	task,
	user,
};

export function findOperation(resource: string, operation: string): Operation | undefined {
	const found = resources[resource]?.[operation];
	return isOperation(found) ? found : undefined;
}

/**
 * Runs the chosen operation for every input item, with that item's own parameters: one item at
 * a time (`execute`), or all items checked first and then sent together (`prepare` + `send`).
 * Every output item is paired with the input it came from, in input order; with "Continue On
 * Fail" a failing item becomes an error item and the others go on.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = findOperation(resource, operationName);
	if (!operation) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operationName}" is not supported for "${resource}"`,
		);
	}
	return [await runOperation.call(this, operation)];
}

/** The node's output for one operation over every input item (see router). */
export async function runOperation(
	this: IExecuteFunctions,
	operation: Operation,
): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const results = new Map<number, ItemResult>();
	if ('execute' in operation) {
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				results.set(itemIndex, await operation.execute.call(this, itemIndex));
			} catch (error) {
				if (!continueOnFail) throw nodeError(this, error, itemIndex);
				results.set(itemIndex, error as Error);
			}
		}
	} else {
		await runBatch.call(this, operation, items.length, continueOnFail, results);
	}

	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const result = results.get(itemIndex) ?? [];
		if (result instanceof Error) {
			if (!continueOnFail) throw nodeError(this, result, itemIndex);
			output.push(errorItem(this, result, itemIndex));
			continue;
		}
		for (const json of result) output.push({ json, pairedItem: { item: itemIndex } });
	}
	return output;
}

/** Every item is checked before anything is sent; without Continue On Fail the first bad one stops the node. */
async function runBatch(
	this: IExecuteFunctions,
	operation: BatchOperation<PreparedItem>,
	itemCount: number,
	continueOnFail: boolean,
	results: Map<number, ItemResult>,
): Promise<void> {
	const prepared: PreparedItem[] = [];
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		try {
			prepared.push(await operation.prepare.call(this, itemIndex));
		} catch (error) {
			if (!continueOnFail) throw nodeError(this, error, itemIndex);
			results.set(itemIndex, error as Error);
		}
	}
	if (prepared.length === 0) return;
	let sent: ItemResult[];
	try {
		sent = await operation.send.call(this, prepared);
	} catch (error) {
		const named = (error as { context?: { itemIndex?: number } }).context?.itemIndex;
		if (!continueOnFail) throw nodeError(this, error, named ?? prepared[0].itemIndex);
		// A failure of the whole send (a credential never connected, nothing sent): with Continue
		// On Fail every item it held becomes an error item, and the workflow goes on.
		for (const item of prepared) results.set(item.itemIndex, error as Error);
		return;
	}
	prepared.forEach((item, position) => results.set(item.itemIndex, sent[position]));
}

/** The error as n8n's node error, naming the item (an error of n8n's classes is kept as it is). */
function nodeError(
	context: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError) {
		error.context.itemIndex ??= itemIndex;
		// The constructor hands an error of its own class back unchanged.
		return new NodeApiError(context.getNode(), error as unknown as JsonObject);
	}
	if (error instanceof NodeOperationError) {
		error.context.itemIndex ??= itemIndex;
		return error;
	}
	return new NodeOperationError(context.getNode(), error as Error, { itemIndex });
}

/**
 * n8n routes an item to the node's error output ("Continue (using error output)") only when the
 * item carries its error, so the json alone is not enough.
 */
function errorItem(
	context: IExecuteFunctions,
	error: Error,
	itemIndex: number,
): INodeExecutionData {
	const failure = nodeError(context, error, itemIndex);
	const { message, description } = failure;
	return {
		json: { error: message, ...(description ? { description } : {}) },
		error: failure,
		pairedItem: { item: itemIndex },
	};
}

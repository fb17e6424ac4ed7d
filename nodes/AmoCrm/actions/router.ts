import type { IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import * as contact from './contact';
import * as deal from './deal';
import * as note from './note';
import type { ItemResult, OperationResult } from './common';

/** One item at a time (search, link) or all items at once (creates, sent in batches). */
type Operation =
	| { execute: (this: IExecuteFunctions, itemIndex: number) => Promise<OperationResult[]> }
	| { executeBatch: (this: IExecuteFunctions, itemIndexes: number[]) => Promise<ItemResult[]> };

const operations: Record<string, Record<string, Operation>> = {
	contact: { create: contact.create, search: contact.search },
	deal: { create: deal.create, linkContact: deal.linkContact },
	note: { add: note.add },
};

/**
 * Runs the chosen operation once per input item, with that item's own parameters (the
 * creates take all items at once, to send them in batches).
 * Every output item is paired with the input it came from; with "Continue On Fail" a
 * failing item becomes an error item and the others go on.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = operations[resource]?.[operationName];
	if (!operation) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operationName}" is not supported for "${resource}"`,
		);
	}
	const output: INodeExecutionData[] = [];
	const fail = (error: unknown, itemIndex: number): never => {
		// Both constructors hand an error of their own class back unchanged.
		if (error instanceof NodeApiError) {
			error.context.itemIndex ??= itemIndex;
			throw new NodeApiError(this.getNode(), error as unknown as JsonObject);
		}
		if (error instanceof NodeOperationError) error.context.itemIndex ??= itemIndex;
		throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
	};
	// n8n routes an item to the node's error output ("Continue (using error output)") only
	// when the item carries its error, so the json alone is not enough.
	const errorItem = (error: unknown, itemIndex: number): INodeExecutionData => {
		const nodeError =
			error instanceof NodeApiError || error instanceof NodeOperationError
				? error
				: new NodeOperationError(this.getNode(), error as Error, { itemIndex });
		const { message, description } = nodeError;
		return {
			json: { error: message, ...(description ? { description } : {}) },
			error: nodeError,
			pairedItem: { item: itemIndex },
		};
	};
	if ('executeBatch' in operation) {
		// The operation checks every item first and, without Continue On Fail, throws at the
		// first failure (its error names the item); with it, failures come back per item.
		const indexes = items.map((_, itemIndex) => itemIndex);
		let results: ItemResult[];
		try {
			results = await operation.executeBatch.call(this, indexes);
		} catch (error) {
			const itemIndex = (error as { context?: { itemIndex?: number } }).context?.itemIndex ?? 0;
			return fail(error, itemIndex);
		}
		results.forEach((result, itemIndex) => {
			if (result instanceof Error) {
				if (!this.continueOnFail()) fail(result, itemIndex);
				output.push(errorItem(result, itemIndex));
				return;
			}
			for (const json of result) output.push({ json, pairedItem: { item: itemIndex } });
		});
		return [output];
	}
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const results = await operation.execute.call(this, itemIndex);
			for (const json of results) output.push({ json, pairedItem: { item: itemIndex } });
		} catch (error) {
			if (this.continueOnFail()) {
				output.push(errorItem(error, itemIndex));
				continue;
			}
			fail(error, itemIndex);
		}
	}
	return [output];
}

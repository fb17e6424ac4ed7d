import type { IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import * as contact from './contact';
import * as deal from './deal';
import * as note from './note';
import type { OperationResult } from './common';

type Operation = { execute: (this: IExecuteFunctions, itemIndex: number) => Promise<OperationResult[]> };

const operations: Record<string, Record<string, Operation>> = {
	contact: { create: contact.create, search: contact.search },
	deal: { create: deal.create, linkContact: deal.linkContact },
	note: { add: note.add },
};

/**
 * Runs the chosen operation once per input item, with that item's own parameters.
 * Every output item is paired with the input it came from; with "Continue On Fail" a
 * failing item becomes an error item and the others go on.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = operations[resource]?.[operationName];
	if (!operation) {
		throw new NodeOperationError(this.getNode(), `The operation "${operationName}" is not supported for "${resource}"`);
	}
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const results = await operation.execute.call(this, itemIndex);
			for (const json of results) output.push({ json, pairedItem: { item: itemIndex } });
		} catch (error) {
			if (this.continueOnFail()) {
				const { message, description } = error as { message: string; description?: string | null };
				output.push({ json: { error: message, ...(description ? { description } : {}) }, pairedItem: { item: itemIndex } });
				continue;
			}
			// Both constructors hand an error of their own class back unchanged.
			if (error instanceof NodeApiError) {
				error.context.itemIndex ??= itemIndex;
				throw new NodeApiError(this.getNode(), error as unknown as JsonObject);
			}
			if (error instanceof NodeOperationError) error.context.itemIndex ??= itemIndex;
			throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
		}
	}
	return [output];
}

import type { IExecuteFunctions, NodeApiError } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { amoCrmBatchCreate } from '../transport/batch';
import type {
	BatchCreateRequest,
	BatchEntry,
	BatchOutcome,
	CreatedWithRequestId,
} from '../transport/batch';

/** Validation-error paths that mean the pipelines or custom fields we remember may be out of date. */
const METADATA_PATH = /^(pipeline_id|status_id|custom_fields_values\.)/;

/**
 * Creates in batches; when amoCRM refuses an item's pipeline, stage or custom field, what
 * the node remembers of the account may be out of date: it is forgotten (`forget`, once per
 * run), the item is checked once more against freshly read lists (`recheck`, which throws
 * the item's error when it finds what is wrong), and the item fails with that error, or with
 * amoCRM's own when the check finds nothing or cannot read the lists.
 */
export async function createCheckingRefusals<B extends object, R extends CreatedWithRequestId>(
	context: IExecuteFunctions,
	request: BatchCreateRequest,
	entries: Array<BatchEntry<B>>,
	forget: () => Promise<void>,
	recheck: (itemIndex: number) => Promise<void>,
): Promise<Array<BatchOutcome<R>>> {
	const refused = new Set<number>();
	let forgotten = false;
	const explain = async (error: Error): Promise<Error> => {
		const itemIndex = (error as { context?: { itemIndex?: number } }).context?.itemIndex;
		if (itemIndex === undefined || !refused.has(itemIndex)) return error;
		if (!forgotten) {
			forgotten = true;
			await forget();
		}
		try {
			await recheck(itemIndex);
		} catch (found) {
			// What the check found wrong; a failed re-read leaves amoCRM's own answer.
			if (found instanceof NodeOperationError) return found;
		}
		return error;
	};
	const watched = entries.map((entry) => ({
		...entry,
		messageFor: (error: { code: string; path: string; detail: string }) => {
			if (METADATA_PATH.test(error.path)) refused.add(entry.itemIndex);
			return entry.messageFor?.(error);
		},
	}));
	let outcomes: Array<BatchOutcome<R>>;
	try {
		outcomes = (await amoCrmBatchCreate.call(context, request, watched)) as Array<BatchOutcome<R>>;
	} catch (error) {
		const found = await explain(error as Error);
		// Keep what the batch said was created before it stopped, and what was not.
		if (found !== error && entries.length > 1 && found instanceof NodeOperationError) {
			found.description = [found.description, (error as NodeApiError).description]
				.filter(Boolean)
				.join(' ');
		}
		throw found;
	}
	for (const outcome of outcomes)
		if ('error' in outcome) outcome.error = (await explain(outcome.error)) as typeof outcome.error;
	return outcomes;
}

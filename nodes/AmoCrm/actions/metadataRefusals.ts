import type { IExecuteFunctions, NodeApiError } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { amoCrmBatchCreate, amoCrmBatchUpdate } from '../transport/batch';
import type {
	BatchCreateRequest,
	BatchEntry,
	BatchOutcome,
	BatchUpdateOutcome,
	Created,
	UpdatedWithId,
} from '../transport/batch';

/**
 * Validation-error paths that mean the pipelines or custom fields we remember may be out of
 * date: of the entity itself, or of the deal inside an incoming lead (`_embedded.leads.0.`).
 */
const METADATA_PATH = /^(_embedded\.leads\.0\.)?(pipeline_id|status_id|custom_fields_values\.)/;

/**
 * Creates (or updates) in batches; when amoCRM refuses an item's pipeline, stage or custom field, what
 * the node remembers of the account may be out of date: it is forgotten (`forget`, once per
 * run), the item is checked once more against freshly read lists (`recheck`, which throws
 * the item's error when it finds what is wrong), and the item fails with that error, or with
 * amoCRM's own when the check finds nothing or cannot read the lists.
 */
export async function createCheckingRefusals<B extends object, R extends Created>(
	context: IExecuteFunctions,
	request: BatchCreateRequest,
	entries: Array<BatchEntry<B>>,
	forget: () => Promise<void>,
	recheck: (itemIndex: number) => Promise<void>,
): Promise<Array<BatchOutcome<R>>> {
	return await sendCheckingRefusals(
		entries,
		async (watched) =>
			(await amoCrmBatchCreate.call(context, request, watched)) as Array<BatchOutcome<R>>,
		forget,
		recheck,
	);
}

/** The same for batched updates (`PATCH`): a deal moved to a stage amoCRM refuses, a field it no longer has. */
export async function updateCheckingRefusals<B extends { id: number }, R extends UpdatedWithId>(
	context: IExecuteFunctions,
	request: BatchCreateRequest & { embeddedKey: string },
	entries: Array<BatchEntry<B>>,
	forget: () => Promise<void>,
	recheck: (itemIndex: number) => Promise<void>,
): Promise<Array<BatchUpdateOutcome<R>>> {
	return await sendCheckingRefusals(
		entries,
		async (watched) =>
			(await amoCrmBatchUpdate.call(context, request, watched)) as Array<BatchUpdateOutcome<R>>,
		forget,
		recheck,
	);
}

async function sendCheckingRefusals<
	B,
	O extends { itemIndex: number } & ({ error: Error } | object),
>(
	entries: Array<BatchEntry<B>>,
	send: (watched: Array<BatchEntry<B>>) => Promise<O[]>,
	forget: () => Promise<void>,
	recheck: (itemIndex: number) => Promise<void>,
): Promise<O[]> {
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
	let outcomes: O[];
	try {
		outcomes = await send(watched);
	} catch (error) {
		const found = await explain(error as Error);
		// Keep what the batch said was done before it stopped, and what was not.
		if (found !== error && entries.length > 1 && found instanceof NodeOperationError) {
			found.description = [found.description, (error as NodeApiError).description]
				.filter(Boolean)
				.join(' ');
		}
		throw found;
	}
	for (const outcome of outcomes)
		if ('error' in outcome) outcome.error = await explain(outcome.error);
	return outcomes;
}

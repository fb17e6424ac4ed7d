import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { isNotFoundError } from './errors';
import type { HttpFailure } from './errors';
import { apiError, getAccount, sendToAmoCrm } from './request';
import type { AmoCrmAccount } from './request';
import type { AmoCrmProblem, AmoCrmProblemError } from './types';

/**
 * Creating many entities in one request: `POST /api/v4/contacts`, `/leads`, `/{entity}/notes`
 * (up to 250 each) and `/leads/complex` (up to 50). Each entity carries its input item's
 * index as `request_id`, which amoCRM echoes, so answers and validation errors find their item.
 *
 * - A 400 with validation errors, or with `errors[]` ("Entity not found"), fails only the items
 *   it names. With Continue On Fail the others are sent again without them; without it, the
 *   first one named stops the node. When amoCRM names no item, the batch is sent again one
 *   entity per request, so that the refusal finds its item (a 400 created nothing).
 * - 429s are retried by the transport (amoCRM processed nothing). A batch is never sent again
 *   after a lost answer or a 5xx (it may have been created).
 * - When amoCRM stops answering for the account (429 beyond the retry budget, 401, 402, 403),
 *   later batches are not sent; the error says which items were created and which are left.
 */
export const DEFAULT_BATCH_SIZE = 50;
export const MAX_BATCH_SIZE = 250;
export const MAX_COMPLEX_BATCH_SIZE = 50;

export interface BatchEntry<B> {
	itemIndex: number;
	/** One entity as amoCRM takes it (without `request_id`: added here). */
	body: B;
	/** Names the field behind a validation-error path of this entity (see errors.ts). */
	describePath?: (path: string) => string | undefined;
	/** A message of its own for a validation error, e.g. "Deal 3 was not found in amoCRM" for `entity_id`. */
	messageFor?: (error: { code: string; path: string; detail: string }) => string | undefined;
	/** The message when amoCRM says the entity this one is for does not exist, e.g. "Deal 3 was not found in amoCRM". */
	notFound?: string;
}

/** What amoCRM answers per created entity: `_embedded.<key>[]`, or the bare array of /leads/complex. */
export interface CreatedWithRequestId {
	id: number;
	request_id?: string | string[];
}

export interface BatchCreateRequest {
	/** Below /api/v4/, e.g. "contacts", "leads/notes", "leads/complex". */
	path: string;
	/** "contact", "deal", "note": for messages. */
	subject: string;
	/** The key under `_embedded` in the answer; undefined for a bare-array answer. */
	embeddedKey?: string;
	batchSize: number;
	continueOnFail: boolean;
}

export type BatchOutcome<R> =
	| { itemIndex: number; created: R }
	| { itemIndex: number; error: NodeApiError | NodeOperationError };

/** Account-wide refusals: sending the next batch would fail the same way (or make a block worse). */
function stopsTheRun(failure: HttpFailure): boolean {
	return (
		failure.tokenRefresh ||
		failure.status === 401 ||
		failure.status === 402 ||
		failure.status === 403 ||
		failure.status === 429 ||
		failure.code === 'ENOTFOUND'
	);
}

/** "0-49, 52, 60-61" */
export function describeItems(indexes: number[]): string {
	const sorted = [...new Set(indexes)].sort((a, b) => a - b);
	const parts: string[] = [];
	for (let i = 0; i < sorted.length; i++) {
		let j = i;
		while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
		parts.push(
			j === i
				? String(sorted[i])
				: j === i + 1
					? `${sorted[i]}, ${sorted[j]}`
					: `${sorted[i]}-${sorted[j]}`,
		);
		i = j;
	}
	return parts.join(', ');
}

function chunk<T>(list: T[], size: number): T[][] {
	const chunks: T[][] = [];
	for (let i = 0; i < list.length; i += size) chunks.push(list.slice(i, i + size));
	return chunks;
}

function createdList(body: unknown, embeddedKey: string | undefined): CreatedWithRequestId[] {
	if (embeddedKey === undefined) return Array.isArray(body) ? (body as CreatedWithRequestId[]) : [];
	const embedded = (body as { _embedded?: Record<string, unknown> } | undefined)?._embedded?.[
		embeddedKey
	];
	return Array.isArray(embedded) ? (embedded as CreatedWithRequestId[]) : [];
}

/** Pairs amoCRM's answer with the entries sent, by `request_id`, else by position. */
function matchCreated<B>(
	sent: Array<BatchEntry<B>>,
	created: CreatedWithRequestId[],
): Map<BatchEntry<B>, CreatedWithRequestId> {
	const byRequestId = new Map(sent.map((entry) => [String(entry.itemIndex), entry]));
	const matched = new Map<BatchEntry<B>, CreatedWithRequestId>();
	created.forEach((result, position) => {
		const ids = Array.isArray(result.request_id)
			? result.request_id
			: result.request_id !== undefined
				? [result.request_id]
				: [];
		const entries = ids
			.map((id) => byRequestId.get(String(id)))
			.filter((entry): entry is BatchEntry<B> => entry !== undefined);
		if (entries.length === 0 && sent[position] && !matched.has(sent[position]))
			entries.push(sent[position]);
		for (const entry of entries) if (!matched.has(entry)) matched.set(entry, result);
	});
	return matched;
}

/** What a 400 says about one entry: its validation errors and its `errors[]` entries. */
interface EntryRefusal {
	validation: NonNullable<AmoCrmProblem['validation-errors']>;
	errors: AmoCrmProblemError[];
}

/** The refusals of a 400 by the entry they name (request_id = our item index, else its position; a lone entry is named by any). */
function refusalsByEntry<B>(
	failure: HttpFailure,
	sent: Array<BatchEntry<B>>,
): Map<BatchEntry<B>, EntryRefusal> {
	const result = new Map<BatchEntry<B>, EntryRefusal>();
	if (failure.status !== 400 && failure.status !== 422) return result;
	const byRequestId = new Map(sent.map((entry) => [String(entry.itemIndex), entry]));
	const find = (requestId: string | undefined) =>
		requestId !== undefined
			? (byRequestId.get(String(requestId)) ?? sent[Number(requestId)])
			: sent.length === 1
				? sent[0]
				: undefined;
	const refusalOf = (entry: BatchEntry<B>): EntryRefusal => {
		const refusal = result.get(entry) ?? { validation: [], errors: [] };
		result.set(entry, refusal);
		return refusal;
	};
	for (const validation of failure.problem?.['validation-errors'] ?? []) {
		const entry = find(validation.request_id);
		if (entry) refusalOf(entry).validation.push(validation);
	}
	for (const error of failure.problem?.errors ?? []) {
		const entry = find(error.request_id);
		if (entry) refusalOf(entry).errors.push(error);
	}
	return result;
}

function entryError<B>(
	context: IExecuteFunctions,
	account: AmoCrmAccount,
	request: BatchCreateRequest,
	entry: BatchEntry<B>,
	failure: HttpFailure,
	attempts: number,
	refusal?: EntryRefusal,
): NodeApiError {
	const own = refusal?.validation
		.flatMap((v) => v.errors.map((error) => entry.messageFor?.(error)))
		.find((message) => message !== undefined);
	const itemFailure: HttpFailure = refusal
		? {
				...failure,
				problem: {
					...(failure.problem ?? {}),
					'validation-errors': refusal.validation.length > 0 ? refusal.validation : undefined,
					errors: refusal.errors.length > 0 ? refusal.errors : undefined,
				},
			}
		: failure;
	const error = apiError(
		context,
		account,
		{
			subject: request.subject,
			method: 'POST',
			itemIndex: entry.itemIndex,
			describePath: entry.describePath ? (path) => entry.describePath?.(path) : undefined,
			notFound: entry.notFound,
		},
		itemFailure,
		attempts,
	);
	if (own !== undefined) error.message = own;
	return error;
}

/**
 * Creates the entries in batches of `batchSize`, in order. Returns one outcome per entry
 * (with Continue On Fail), or throws at the first failure naming its item (without it).
 */
export async function amoCrmBatchCreate<B extends object, R extends CreatedWithRequestId>(
	this: IExecuteFunctions,
	request: BatchCreateRequest,
	entries: Array<BatchEntry<B>>,
): Promise<Array<BatchOutcome<R>>> {
	const outcomes = new Map<BatchEntry<B>, BatchOutcome<R>>();
	if (entries.length === 0) return [];
	const account = await getAccount.call(this);
	const size = Math.max(
		1,
		Math.min(Math.floor(request.batchSize) || DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE),
	);
	// Batches still to send, in order; a refused batch may come back as single entities.
	const queue = chunk(entries, size);

	/** Without Continue On Fail: stop here, saying what was created and what is left. */
	const stop = (error: NodeApiError | NodeOperationError, failed: Array<BatchEntry<B>>): never => {
		const created = entries.filter((entry) => {
			const outcome = outcomes.get(entry);
			return outcome !== undefined && 'created' in outcome;
		});
		if (entries.length > 1) {
			const left = entries.filter((entry) => !outcomes.has(entry) || failed.includes(entry));
			const done =
				created.length > 0
					? ` Items ${describeItems(created.map((entry) => entry.itemIndex))} were created in amoCRM before this (${request.subject} IDs ${created.map((entry) => (outcomes.get(entry) as { created: R }).created.id).join(', ')}): do not send them again.`
					: ' Nothing was created in amoCRM by this node.';
			error.description =
				`${error.description ?? ''}${done} Not created: items ${describeItems(left.map((entry) => entry.itemIndex))}.`.trim();
		}
		throw error;
	};

	while (queue.length > 0) {
		let pending = queue.shift() as Array<BatchEntry<B>>;
		while (pending.length > 0) {
			const body = pending.map((entry) => ({ ...entry.body, request_id: String(entry.itemIndex) }));
			const result = await sendToAmoCrm.call(this, account, {
				method: 'POST',
				path: request.path,
				body,
				subject: request.subject,
			});
			if (result.ok) {
				const matched = matchCreated(pending, createdList(result.body, request.embeddedKey));
				for (const entry of pending) {
					const created = matched.get(entry);
					if (created) {
						outcomes.set(entry, { itemIndex: entry.itemIndex, created: created as R });
						continue;
					}
					const error = new NodeOperationError(
						this.getNode(),
						`amoCRM did not return the new ${request.subject}`,
						{
							itemIndex: entry.itemIndex,
							description: `amoCRM answered without the created ${request.subject}. Check amoCRM for it before running again.`,
						},
					);
					if (!request.continueOnFail) stop(error, [entry]);
					outcomes.set(entry, { itemIndex: entry.itemIndex, error });
				}
				break;
			}
			const { failure, attempts } = result;
			const named = refusalsByEntry(failure, pending);
			if (
				named.size === 0 &&
				pending.length > 1 &&
				(failure.problem?.errors ?? []).some(isNotFoundError)
			) {
				// amoCRM created nothing and named no item: one request per entity finds the one it means.
				queue.unshift(...pending.map((entry) => [entry]));
				break;
			}
			if (named.size > 0) {
				// amoCRM created nothing of this batch: fail the named items, send the others again.
				for (const [entry, refusal] of named) {
					const error = entryError(this, account, request, entry, failure, attempts, refusal);
					if (!request.continueOnFail) stop(error, pending);
					outcomes.set(entry, { itemIndex: entry.itemIndex, error });
				}
				pending = pending.filter((entry) => !named.has(entry));
				continue;
			}
			for (const entry of pending) {
				const error = entryError(this, account, request, entry, failure, attempts);
				if (!request.continueOnFail) stop(error, pending);
				outcomes.set(entry, { itemIndex: entry.itemIndex, error });
			}
			if (stopsTheRun(failure)) {
				const reason = outcomes.get(pending[0]) as { error: NodeApiError };
				for (const entry of queue.flat()) {
					outcomes.set(entry, {
						itemIndex: entry.itemIndex,
						error: new NodeOperationError(this.getNode(), `Not sent: ${reason.error.message}`, {
							itemIndex: entry.itemIndex,
							description:
								`amoCRM stopped an earlier batch of this node, so this ${request.subject} was not sent and nothing was created for it. ${reason.error.description ?? ''}`.trim(),
						}),
					});
				}
				return entries.map((entry) => outcomes.get(entry) as BatchOutcome<R>);
			}
			break;
		}
	}
	return entries.map((entry) => outcomes.get(entry) as BatchOutcome<R>);
}

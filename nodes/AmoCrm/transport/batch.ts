import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { isNoRightsRefusal, isNotFoundError } from './errors';
import type { HttpFailure } from './errors';
import { apiError, getAccount, sendToAmoCrm } from './request';
import type { AmoCrmAccount } from './request';
import type { AmoCrmProblem, AmoCrmProblemError } from './types';

/**
 * Creating many entities in one request: `POST /api/v4/contacts`, `/leads`, `/{entity}/notes`,
 * `/leads/unsorted/forms` (up to 250 each) and `/leads/complex` (up to 50); changing many in one request:
 * `PATCH /api/v4/leads`, `/contacts` (up to 250, each with its `id`). Each entity carries its
 * input item's index as `request_id`, which amoCRM echoes, so answers and validation errors
 * find their item (an update's answer also names the entity's `id`).
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
	/** The message when amoCRM says the entity this one is for (or, in an update, this one) does not exist, e.g. "Deal 3 was not found in amoCRM". */
	notFound?: string;
	/** What to do about `notFound` (default: check the ID given to the node). */
	notFoundFix?: string;
}

/** What amoCRM answers per created entity: `_embedded.<key>[]`, or the bare array of /leads/complex. */
export interface CreatedWithRequestId {
	id: number;
	request_id?: string | string[];
}

/**
 * What `POST /leads/unsorted/forms` answers per incoming lead (`_embedded.unsorted[]`): no `id`
 * but the incoming lead's `uid`, with the deal, contact and company it made.
 */
export interface CreatedIncomingLead {
	uid: string;
	request_id?: string;
	_embedded?: {
		leads?: Array<{ id: number }>;
		contacts?: Array<{ id: number }>;
		companies?: Array<{ id: number }>;
	};
}

export type Created = CreatedWithRequestId | CreatedIncomingLead;

/** How an entity is known in amoCRM: its ID, or an incoming lead's UID. */
function identityOf(answer: AnsweredEntity): string {
	return 'uid' in answer ? answer.uid : String(answer.id);
}

/** What amoCRM answers per changed entity: `_embedded.<key>[]` with `{ id, updated_at }`. */
export interface UpdatedWithId {
	id: number;
	updated_at?: number;
	request_id?: string;
}

export interface BatchCreateRequest {
	/** Below /api/v4/, e.g. "contacts", "leads/notes", "leads/complex"; for an update "leads", "contacts". */
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

export type BatchUpdateOutcome<R> =
	| { itemIndex: number; updated: R }
	| { itemIndex: number; error: NodeApiError | NodeOperationError };

/** How a create and an update differ: method, words, how answers find their entries, how batches are cut. */
interface BatchKind {
	method: 'POST' | 'PATCH';
	/** "created" / "updated", for messages. */
	done: string;
	/** "Nothing was created" / "Nothing was changed". */
	nothing: string;
	match: <B>(
		sent: Array<BatchEntry<B>>,
		answers: AnsweredEntity[],
	) => Map<BatchEntry<B>, AnsweredEntity>;
	missing: (
		subject: string,
		entry: BatchEntry<unknown>,
	) => { message: string; description: string };
	chunk: <B>(entries: Array<BatchEntry<B>>, size: number) => Array<Array<BatchEntry<B>>>;
}

type AnsweredEntity = CreatedWithRequestId | CreatedIncomingLead;

/** Account-wide refusals: sending the next batch would fail the same way (or make a block worse). */
function stopsTheRun(failure: HttpFailure): boolean {
	return (
		failure.tokenRefresh ||
		failure.status === 401 ||
		failure.status === 402 ||
		failure.status === 403 ||
		failure.status === 429 ||
		failure.code === 'ENOTFOUND' ||
		// amoCRM's code 244 (no rights, or the subscription ended) refuses the next batch alike.
		isNoRightsRefusal(failure)
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

/** Batches of `size` in which no entity appears twice: two changes of one deal go in separate requests, in order. */
function chunkByEntity<B>(list: Array<BatchEntry<B>>, size: number): Array<Array<BatchEntry<B>>> {
	const chunks: Array<Array<BatchEntry<B>>> = [];
	let current: Array<BatchEntry<B>> = [];
	let ids = new Set<number>();
	for (const entry of list) {
		const id = (entry.body as { id: number }).id;
		if (current.length >= size || ids.has(id)) {
			chunks.push(current);
			current = [];
			ids = new Set();
		}
		current.push(entry);
		ids.add(id);
	}
	if (current.length > 0) chunks.push(current);
	return chunks;
}

function answeredList(body: unknown, embeddedKey: string | undefined): AnsweredEntity[] {
	if (embeddedKey === undefined) return Array.isArray(body) ? (body as AnsweredEntity[]) : [];
	const embedded = (body as { _embedded?: Record<string, unknown> } | undefined)?._embedded?.[
		embeddedKey
	];
	return Array.isArray(embedded) ? (embedded as AnsweredEntity[]) : [];
}

/** Pairs amoCRM's answer with the entries sent, by `request_id`, else by position. */
function matchCreated<B>(
	sent: Array<BatchEntry<B>>,
	created: AnsweredEntity[],
): Map<BatchEntry<B>, AnsweredEntity> {
	const byRequestId = new Map(sent.map((entry) => [String(entry.itemIndex), entry]));
	const matched = new Map<BatchEntry<B>, AnsweredEntity>();
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

/** Pairs amoCRM's answer to an update with the entries sent, by the entity's `id` (unique in a batch). */
function matchUpdated<B>(
	sent: Array<BatchEntry<B>>,
	updated: AnsweredEntity[],
): Map<BatchEntry<B>, AnsweredEntity> {
	const matched = new Map<BatchEntry<B>, AnsweredEntity>();
	for (const entry of sent) {
		const answer = updated.find(
			(result) => 'id' in result && result.id === (entry.body as { id: number }).id,
		);
		if (answer) matched.set(entry, answer);
	}
	return matched;
}

const CREATE: BatchKind = {
	method: 'POST',
	done: 'created',
	nothing: 'Nothing was created in amoCRM by this node.',
	match: matchCreated,
	missing: (subject) => ({
		message: `amoCRM did not return the new ${subject}`,
		description: `amoCRM answered without the created ${subject}. Check amoCRM for it before running again.`,
	}),
	chunk,
};

const UPDATE: BatchKind = {
	method: 'PATCH',
	done: 'updated',
	nothing: 'Nothing was changed in amoCRM by this node.',
	match: matchUpdated,
	missing: (subject, entry) => ({
		message: `amoCRM did not confirm the change of ${subject} ${(entry.body as { id: number }).id}`,
		description: `amoCRM answered without this ${subject}. Open it in amoCRM to see whether it changed before running again.`,
	}),
	chunk: chunkByEntity,
};

/** What a 400 says about one entry: its validation errors and its `errors[]` entries. */
interface EntryRefusal {
	validation: NonNullable<AmoCrmProblem['validation-errors']>;
	errors: AmoCrmProblemError[];
}

/**
 * The refusals of a 400 by the entry they name (request_id = our item index, else its position;
 * a lone entry is named by any). amoCRM may key its refusals by entity ID instead
 * (amocrm/amocrm-api-php#88): in a PATCH that is the `id` sent; in a POST, where no entity has
 * an ID yet, the key is read as the request_id.
 */
function refusalsByEntry<B>(
	failure: HttpFailure,
	sent: Array<BatchEntry<B>>,
	method: 'POST' | 'PATCH',
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
		const entry =
			error.entity_id === undefined
				? find(error.request_id)
				: method === 'PATCH'
					? sent.find(
							(candidate) => String((candidate.body as { id?: number }).id) === error.entity_id,
						)
					: (byRequestId.get(error.entity_id) ?? (sent.length === 1 ? sent[0] : undefined));
		if (entry) refusalOf(entry).errors.push(error);
	}
	return result;
}

function entryError<B>(
	context: IExecuteFunctions,
	account: AmoCrmAccount,
	request: BatchCreateRequest & { method: 'POST' | 'PATCH' },
	entry: BatchEntry<B>,
	failure: HttpFailure,
	attempts: number,
	refusal?: EntryRefusal,
): NodeApiError {
	// An update refused at `id`: the entity it names does not exist.
	const own = refusal?.validation
		.flatMap((v) =>
			v.errors.map(
				(error) =>
					entry.messageFor?.(error) ??
					(request.method === 'PATCH' && error.path === 'id' ? entry.notFound : undefined),
			),
		)
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
			method: request.method,
			itemIndex: entry.itemIndex,
			describePath: entry.describePath ? (path) => entry.describePath?.(path) : undefined,
			notFound: entry.notFound,
			notFoundFix: entry.notFoundFix,
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
export async function amoCrmBatchCreate<B extends object, R extends Created>(
	this: IExecuteFunctions,
	request: BatchCreateRequest,
	entries: Array<BatchEntry<B>>,
): Promise<Array<BatchOutcome<R>>> {
	const outcomes = await sendInBatches.call(this, CREATE, request, entries);
	return outcomes.map((outcome) =>
		'answer' in outcome
			? { itemIndex: outcome.itemIndex, created: outcome.answer as R }
			: { itemIndex: outcome.itemIndex, error: outcome.error },
	);
}

/**
 * Changes the entities (`PATCH /api/v4/<path>`, each body with its `id`) in batches of
 * `batchSize`, in order; an entity named twice goes in a later request. Failures as for
 * amoCrmBatchCreate. `embeddedKey` is the list in amoCRM's answer ("leads", "contacts").
 */
export async function amoCrmBatchUpdate<B extends { id: number }, R extends UpdatedWithId>(
	this: IExecuteFunctions,
	request: BatchCreateRequest & { embeddedKey: string },
	entries: Array<BatchEntry<B>>,
): Promise<Array<BatchUpdateOutcome<R>>> {
	const outcomes = await sendInBatches.call(this, UPDATE, request, entries);
	return outcomes.map((outcome) =>
		'answer' in outcome
			? { itemIndex: outcome.itemIndex, updated: outcome.answer as R }
			: { itemIndex: outcome.itemIndex, error: outcome.error },
	);
}

type SentOutcome =
	| { itemIndex: number; answer: AnsweredEntity }
	| { itemIndex: number; error: NodeApiError | NodeOperationError };

async function sendInBatches<B extends object>(
	this: IExecuteFunctions,
	kind: BatchKind,
	batchRequest: BatchCreateRequest,
	entries: Array<BatchEntry<B>>,
): Promise<SentOutcome[]> {
	const request = { ...batchRequest, method: kind.method };
	const outcomes = new Map<BatchEntry<B>, SentOutcome>();
	if (entries.length === 0) return [];
	const account = await getAccount.call(this);
	const size = Math.max(
		1,
		Math.min(Math.floor(request.batchSize) || DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE),
	);
	// Batches still to send, in order; a refused batch may come back as single entities.
	const queue = kind.chunk(entries, size);

	/** Without Continue On Fail: stop here, saying what was done and what is left. */
	const stop = (error: NodeApiError | NodeOperationError, failed: Array<BatchEntry<B>>): never => {
		const done = entries.filter((entry) => {
			const outcome = outcomes.get(entry);
			return outcome !== undefined && 'answer' in outcome;
		});
		if (entries.length > 1) {
			const left = entries.filter((entry) => !outcomes.has(entry) || failed.includes(entry));
			const before =
				done.length > 0
					? ` Items ${describeItems(done.map((entry) => entry.itemIndex))} were ${kind.done} in amoCRM before this (${request.subject} ${done.some((entry) => 'uid' in (outcomes.get(entry) as { answer: AnsweredEntity }).answer) ? 'UIDs' : 'IDs'} ${done.map((entry) => identityOf((outcomes.get(entry) as { answer: AnsweredEntity }).answer)).join(', ')}): do not send them again.`
					: ` ${kind.nothing}`;
			error.description =
				`${error.description ?? ''}${before} Not ${kind.done}: items ${describeItems(left.map((entry) => entry.itemIndex))}.`.trim();
		}
		throw error;
	};

	while (queue.length > 0) {
		let pending = queue.shift() as Array<BatchEntry<B>>;
		while (pending.length > 0) {
			const body = pending.map((entry) => ({ ...entry.body, request_id: String(entry.itemIndex) }));
			const result = await sendToAmoCrm.call(this, account, {
				method: kind.method,
				path: request.path,
				body,
				subject: request.subject,
			});
			if (result.ok) {
				const matched = kind.match(pending, answeredList(result.body, request.embeddedKey));
				for (const entry of pending) {
					const answer = matched.get(entry);
					if (answer) {
						outcomes.set(entry, { itemIndex: entry.itemIndex, answer });
						continue;
					}
					const { message, description } = kind.missing(request.subject, entry);
					const error = new NodeOperationError(this.getNode(), message, {
						itemIndex: entry.itemIndex,
						description,
					});
					if (!request.continueOnFail) stop(error, [entry]);
					outcomes.set(entry, { itemIndex: entry.itemIndex, error });
				}
				break;
			}
			const { failure, attempts } = result;
			const named = refusalsByEntry(failure, pending, kind.method);
			if (
				named.size === 0 &&
				pending.length > 1 &&
				(failure.problem?.errors ?? []).some(
					(error) => isNotFoundError(error) || error.entity_id !== undefined,
				)
			) {
				// amoCRM did nothing and named no item: one request per entity finds the one it means.
				queue.unshift(...pending.map((entry) => [entry]));
				break;
			}
			if (named.size > 0) {
				// amoCRM did nothing of this batch: fail the named items, send the others again.
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
								`amoCRM stopped an earlier batch of this node, so this ${request.subject} was not sent and nothing was ${kind.done === 'created' ? 'created' : 'changed'} for it. ${reason.error.description ?? ''}`.trim(),
						}),
					});
				}
				return entries.map((entry) => outcomes.get(entry) as SentOutcome);
			}
			break;
		}
	}
	return entries.map((entry) => outcomes.get(entry) as SentOutcome);
}

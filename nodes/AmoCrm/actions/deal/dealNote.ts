import type { IExecuteFunctions } from 'n8n-workflow';

import { amoCrmBatchCreate } from '../../transport/batch';
import type { BatchEntry, BatchOutcome, CreatedWithRequestId } from '../../transport/batch';
import type { NoteCreateRequest } from '../../transport/types';

/** One created deal's note (Deal > Create > Options > Note). */
export interface DealNote {
	itemIndex: number;
	dealId: number;
	text: string;
}

export type NoteOutcome = { noteId: number } | { noteId: null; noteError: string };

/** What a failed note says: a refusal added nothing; a lost answer or a 5xx may have added it. */
function noteFailure(error: Error): NoteOutcome {
	const status = Number((error as { httpCode?: string | null }).httpCode);
	const uncertain = !(status >= 400 && status < 500);
	return {
		noteId: null,
		noteError: uncertain
			? `The note may not have been added (${error.message}). Look at the deal's notes in amoCRM before adding it again.`
			: `The note was not added: ${error.message}`,
	};
}

/**
 * Adds the notes of the deals just created, in batches (`POST /api/v4/leads/notes`). A note is
 * sent at most once: the transport never sends a create again after a lost answer or a 5xx, so
 * one execution never adds a note twice to one deal. A note that fails is reported on its item
 * (`noteError`) instead of failing it: its deal exists, and its ID must reach the workflow.
 */
export async function addDealNotes(
	context: IExecuteFunctions,
	notes: DealNote[],
	batchSize: number,
): Promise<Map<number, NoteOutcome>> {
	const results = new Map<number, NoteOutcome>();
	if (notes.length === 0) return results;
	const entries: Array<BatchEntry<NoteCreateRequest & { entity_id: number }>> = notes.map(
		(note) => ({
			itemIndex: note.itemIndex,
			body: { entity_id: note.dealId, note_type: 'common', params: { text: note.text } },
		}),
	);
	let outcomes: Array<BatchOutcome<CreatedWithRequestId>>;
	try {
		outcomes = (await amoCrmBatchCreate.call(
			context,
			{
				path: 'leads/notes',
				subject: 'note',
				embeddedKey: 'notes',
				batchSize,
				continueOnFail: true,
			},
			entries,
		)) as Array<BatchOutcome<CreatedWithRequestId>>;
	} catch (error) {
		// The deals exist: their IDs go out with the reason the notes were not added.
		for (const note of notes) results.set(note.itemIndex, noteFailure(error as Error));
		return results;
	}
	outcomes.forEach((outcome, position) => {
		results.set(
			notes[position].itemIndex,
			'created' in outcome ? { noteId: outcome.created.id } : noteFailure(outcome.error),
		);
	});
	return results;
}

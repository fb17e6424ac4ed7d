import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { amoCrmBatchCreate } from '../../transport/batch';
import type { BatchEntry, BatchOutcome, CreatedWithRequestId } from '../../transport/batch';
import type { NoteCreateRequest } from '../../transport/types';
import { batchSizeOf, batchSizeProperty } from '../common';
import { ENTITY_PATH } from '../entityLocator';
import type { ItemResult } from '../operation';
import { noteContentOutput, noteContentProperties, readNoteContent } from './noteContent';
import type { NoteContent } from './noteContent';
import { noteEntityProperties, readNoteEntity } from './noteEntity';
import type { NoteEntityType } from './noteEntity';

const displayOptions = { show: { resource: ['note'], operation: ['add'] } };

export const description: INodeProperties[] = [
	...noteEntityProperties(
		'add',
		'Add To',
		'Whether the note goes on a deal, a contact or a company',
	),
	...noteContentProperties('add'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions,
		options: [batchSizeProperty('notes')],
	},
];

export interface PreparedNote {
	itemIndex: number;
	entityType: NoteEntityType;
	entityId: number;
	content: NoteContent;
}

/** Reads and checks one item's note. */
export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<PreparedNote> {
	const { entityType, entityId } = readNoteEntity(this, itemIndex);
	return { itemIndex, entityType, entityId, content: readNoteContent(this, itemIndex) };
}

/** Notes go in batches (Options > Batch Size) to /leads/notes, /contacts/notes or /companies/notes. */
export async function send(
	this: IExecuteFunctions,
	prepared: PreparedNote[],
): Promise<ItemResult[]> {
	const continueOnFail = this.continueOnFail();
	const results = new Map<number, ItemResult>();
	for (const entityType of ['deal', 'contact', 'company'] as const) {
		const notes = prepared.filter((note) => note.entityType === entityType);
		if (notes.length === 0) continue;
		const what = { deal: 'Deal', contact: 'Contact', company: 'Company' }[entityType];
		const entries: Array<BatchEntry<NoteCreateRequest & { entity_id: number }>> = notes.map(
			(note) => ({
				itemIndex: note.itemIndex,
				body: { entity_id: note.entityId, ...note.content },
				messageFor: (error) =>
					error.path === 'entity_id'
						? `${what} ${note.entityId} was not found in amoCRM`
						: undefined,
				notFound: `${what} ${note.entityId} was not found in amoCRM`,
			}),
		);
		const outcomes = (await amoCrmBatchCreate.call(
			this,
			{
				path: `${ENTITY_PATH[entityType]}/notes`,
				subject: 'note',
				embeddedKey: 'notes',
				batchSize: batchSizeOf(this),
				continueOnFail,
			},
			entries,
		)) as Array<BatchOutcome<CreatedWithRequestId>>;
		outcomes.forEach((outcome, position) => {
			const note = notes[position];
			results.set(
				note.itemIndex,
				'created' in outcome
					? [
							{
								id: outcome.created.id,
								entityType: note.entityType,
								entityId: note.entityId,
								...noteContentOutput(note.content),
							},
						]
					: outcome.error,
			);
		});
	}
	return prepared.map((note) => results.get(note.itemIndex) as ItemResult);
}

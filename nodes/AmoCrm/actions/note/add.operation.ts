import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { amoCrmBatchCreate } from '../../transport/batch';
import type { BatchEntry, BatchOutcome, CreatedWithRequestId } from '../../transport/batch';
import type { NoteCreateRequest } from '../../transport/types';
import { batchSizeOf, batchSizeProperty, operationError } from '../common';
import { ENTITY_PATH } from '../entityLocator';
import type { ItemResult } from '../operation';
import { noteEntityProperties, readNoteEntity } from './noteEntity';
import type { NoteEntityType } from './noteEntity';

const displayOptions = { show: { resource: ['note'], operation: ['add'] } };

export const description: INodeProperties[] = [
	...noteEntityProperties(
		'add',
		'Add To',
		'Whether the note goes on a deal, a contact or a company',
	),
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'Customer asked about hearing aids for a child',
		description: "The note, shown in the deal's, contact's or company's feed",
		displayOptions,
	},
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
	text: string;
}

/** Reads and checks one item's note. */
export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<PreparedNote> {
	const { entityType, entityId } = readNoteEntity(this, itemIndex);
	const text = String(this.getNodeParameter('text', itemIndex, '')).trim();
	if (text === '') {
		throw operationError(
			this,
			itemIndex,
			'Text is empty',
			'Type the note or map the message from an earlier node into Text.',
		);
	}
	return { itemIndex, entityType, entityId, text };
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
				body: { entity_id: note.entityId, note_type: 'common', params: { text: note.text } },
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
								text: note.text,
							},
						]
					: outcome.error,
			);
		});
	}
	return prepared.map((note) => results.get(note.itemIndex) as ItemResult);
}

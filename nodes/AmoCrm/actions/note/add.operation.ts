import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { amoCrmBatchCreate } from '../../transport/batch';
import type { BatchEntry, BatchOutcome, CreatedWithRequestId } from '../../transport/batch';
import type { NoteCreateRequest } from '../../transport/types';
import { batchSizeOf, batchSizeProperty, operationError, parseId } from '../common';
import type { ItemResult } from '../operation';

const displayOptions = { show: { resource: ['note'], operation: ['add'] } };

const ENTITY_PATH = { deal: 'leads', contact: 'contacts' } as const;

export const description: INodeProperties[] = [
	{
		displayName: 'Add To',
		name: 'entityType',
		type: 'options',
		options: [
			{ name: 'Contact', value: 'contact' },
			{ name: 'Deal', value: 'deal' },
		],
		default: 'deal',
		description: 'Whether the note goes on a deal or on a contact',
		displayOptions,
	},
	{
		displayName: 'Deal or Contact ID',
		name: 'entityId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 12345678',
		description: 'The ID of the deal or contact, e.g. from a Create Deal step',
		displayOptions,
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'Customer asked about hearing aids for a child',
		description: "The note, shown in the deal's or contact's feed",
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
	entityType: keyof typeof ENTITY_PATH;
	entityId: number;
	text: string;
}

/** Reads and checks one item's note. */
export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<PreparedNote> {
	const entityType = this.getNodeParameter(
		'entityType',
		itemIndex,
		'deal',
	) as keyof typeof ENTITY_PATH;
	const label = entityType === 'deal' ? 'Deal ID' : 'Contact ID';
	const entityId = parseId(
		this,
		itemIndex,
		this.getNodeParameter('entityId', itemIndex, ''),
		label,
		true,
	) as number;
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

/** Notes go in batches (Options > Batch Size) to /leads/notes or /contacts/notes. */
export async function send(
	this: IExecuteFunctions,
	prepared: PreparedNote[],
): Promise<ItemResult[]> {
	const continueOnFail = this.continueOnFail();
	const results = new Map<number, ItemResult>();
	for (const entityType of ['deal', 'contact'] as const) {
		const notes = prepared.filter((note) => note.entityType === entityType);
		const what = entityType === 'deal' ? 'Deal' : 'Contact';
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

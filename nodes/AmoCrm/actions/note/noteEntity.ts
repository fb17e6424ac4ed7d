import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { isoTime } from '../../helpers/readableFields';
import type { Note } from '../../transport/types';
import { operationError, parseId } from '../common';
import { entityIdProperty, readEntityId } from '../entityLocator';
import type { OperationResult } from '../operation';

/** The deal, contact or company a note belongs to: Note > Add and Note > Get Many. */
export type NoteEntityType = 'deal' | 'contact' | 'company';

const NOTE_ENTITIES: NoteEntityType[] = ['deal', 'contact', 'company'];

/**
 * "Add To"/"Notes Of" and one locator per entity type, all named `entityId` (n8n shows the one
 * the entity type selects), so that a plain ID or an expression saved before the locators keeps
 * working.
 */
export function noteEntityProperties(
	operation: 'add' | 'getAll' | 'get' | 'update',
	displayName: string,
	description: string,
	withLocator = true,
): INodeProperties[] {
	const show = { resource: ['note'], operation: [operation] };
	return [
		{
			displayName,
			name: 'entityType',
			type: 'options',
			options: [
				{ name: 'Company', value: 'company' },
				{ name: 'Contact', value: 'contact' },
				{ name: 'Deal', value: 'deal' },
			],
			default: 'deal',
			description,
			displayOptions: { show },
		},
		...(withLocator ? NOTE_ENTITIES : []).map((entity) =>
			entityIdProperty(entity, {
				name: 'entityId',
				description: `The ${entity} the note${operation === 'add' ? ' goes on' : 's belong to'}: choose it from the list, paste its amoCRM page address, or map its ID, e.g. from a Create step`,
				displayOptions: { show: { ...show, entityType: [entity] } },
			}),
		),
	];
}

export function readNoteEntity(
	context: IExecuteFunctions,
	itemIndex: number,
): { entityType: NoteEntityType; entityId: number } {
	const entityType = readNoteEntityType(context, itemIndex);
	return {
		entityType,
		entityId: readEntityId(context, itemIndex, entityType, 'entityId') as number,
	};
}

/** The deal, contact or company chosen in the entity type field (Note > Get and Update need no ID of it). */
export function readNoteEntityType(context: IExecuteFunctions, itemIndex: number): NoteEntityType {
	const entityType = context.getNodeParameter('entityType', itemIndex, 'deal') as NoteEntityType;
	if (!NOTE_ENTITIES.includes(entityType)) {
		throw operationError(
			context,
			itemIndex,
			`The note's entity type must be deal, contact or company, not "${String(entityType)}"`,
			'Choose Deal, Contact or Company in the first field of this node.',
		);
	}
	return entityType;
}

/** Note ID: notes have no page address of their own; a number mapped from Add or Get Many. */
export function noteIdProperty(operation: 'get' | 'update', what: string): INodeProperties {
	return {
		displayName: 'Note ID',
		name: 'noteId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 76787983',
		description: `The ID of the note to ${what}, mapped from an Add Note or Get Many Notes step`,
		displayOptions: { show: { resource: ['note'], operation: [operation] } },
	};
}

export function readNoteId(context: IExecuteFunctions, itemIndex: number): number {
	return parseId(
		context,
		itemIndex,
		context.getNodeParameter('noteId', itemIndex, ''),
		'Note ID',
		true,
	) as number;
}

/** A note as Get and Get Many output it. */
export function noteOutput(
	note: Note,
	entityType: NoteEntityType,
	entityId?: number,
): OperationResult {
	return {
		id: note.id,
		entityType,
		entityId: note.entity_id ?? entityId ?? null,
		noteType: note.note_type,
		text: typeof note.params?.text === 'string' ? note.params.text : '',
		params: note.params ?? {},
		responsibleUserId: note.responsible_user_id ?? null,
		createdBy: note.created_by ?? null,
		createdAt: isoTime(note.created_at),
		updatedAt: isoTime(note.updated_at),
	};
}

import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { Note } from '../../transport/types';
import { ENTITY_PATH, getRecordById } from '../entityLocator';
import type { OperationResult } from '../operation';
import {
	noteEntityProperties,
	noteIdProperty,
	noteOutput,
	readNoteEntityType,
	readNoteId,
} from './noteEntity';

export const description: INodeProperties[] = [
	...noteEntityProperties(
		'get',
		'Note Of',
		'Whether the note is on a deal, a contact or a company',
		false,
	),
	noteIdProperty('get', 'read'),
];

/** GET /api/v4/{leads|contacts|companies}/notes/{id}: one note, shaped as Get Many outputs it. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult[]> {
	const entityType = readNoteEntityType(this, itemIndex);
	const noteId = readNoteId(this, itemIndex);
	const note = (await getRecordById.call(this, itemIndex, {
		path: `${ENTITY_PATH[entityType]}/notes/${noteId}`,
		subject: 'note',
		notFound: `Note ${noteId} was not found among the ${entityType} notes in amoCRM`,
		hint: `Check Note ID, and that Note Of names what the note is on (a ${entityType}): the note may also have been deleted.`,
	})) as Note;
	return [noteOutput(note, entityType)];
}

import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { isoFromUnix } from '../../helpers/dateTime';
import { amoCrmApiRequest } from '../../transport/request';
import { ENTITY_PATH } from '../entityLocator';
import type { OperationResult } from '../operation';
import { noteContentOutput, noteContentProperties, readNoteContent } from './noteContent';
import type { NoteContent } from './noteContent';
import { noteEntityProperties, noteIdProperty, readNoteEntityType, readNoteId } from './noteEntity';

export const description: INodeProperties[] = [
	...noteEntityProperties(
		'update',
		'Note Of',
		'Whether the note is on a deal, a contact or a company',
		false,
	),
	noteIdProperty('update', 'change'),
	...noteContentProperties('update'),
];

/** amoCRM's answer to PATCH /{entity_type}/notes (crm_platform/events-and-notes, "Редактирование примечаний"). */
interface NotesPatched {
	_embedded?: { notes?: Array<{ id: number; entity_id?: number; updated_at?: number }> };
}

/**
 * PATCH /api/v4/{leads|contacts|companies}/notes with the note's ID, type and params: the note
 * then reads as filled in here (amoCRM takes the params as a whole).
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult[]> {
	const entityType = readNoteEntityType(this, itemIndex);
	const noteId = readNoteId(this, itemIndex);
	const content: NoteContent = readNoteContent(this, itemIndex);
	const notFound = `Note ${noteId} was not found among the ${entityType} notes in amoCRM`;
	const answer = (await amoCrmApiRequest.call(this, {
		method: 'PATCH',
		path: `${ENTITY_PATH[entityType]}/notes`,
		body: [{ id: noteId, ...content }],
		subject: 'note',
		itemIndex,
		notFound,
		notFoundFix: `Check Note ID, and that Note Of names what the note is on (a ${entityType}).`,
		describePath: (path) =>
			path === 'id'
				? 'Note ID'
				: path === 'note_type'
					? 'Note Type'
					: path.startsWith('params.')
						? `the ${path.slice('params.'.length)} of the note`
						: undefined,
	})) as NotesPatched | undefined;
	const patched = answer?._embedded?.notes?.[0];
	return [
		{
			id: patched?.id ?? noteId,
			entityType,
			entityId: patched?.entity_id ?? null,
			noteType: content.note_type,
			...noteContentOutput(content),
			...(content.note_type === 'common' ? { params: content.params } : {}),
			updatedAt: typeof patched?.updated_at === 'number' ? isoFromUnix(patched.updated_at) : null,
		},
	];
}

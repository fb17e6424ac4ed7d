import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { operationError } from '../common';
import { entityIdProperty, readEntityId } from '../entityLocator';

/** The deal, contact or company a note belongs to: Note > Add and Note > Get Many. */
export type NoteEntityType = 'deal' | 'contact' | 'company';

const NOTE_ENTITIES: NoteEntityType[] = ['deal', 'contact', 'company'];

/**
 * "Add To"/"Notes Of" and one locator per entity type, all named `entityId` (n8n shows the one
 * the entity type selects), so that a plain ID or an expression saved before the locators keeps
 * working.
 */
export function noteEntityProperties(
	operation: 'add' | 'getAll',
	displayName: string,
	description: string,
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
		...NOTE_ENTITIES.map((entity) =>
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
	const entityType = context.getNodeParameter('entityType', itemIndex, 'deal') as NoteEntityType;
	if (!NOTE_ENTITIES.includes(entityType)) {
		throw operationError(
			context,
			itemIndex,
			`The note's entity type must be deal, contact or company, not "${String(entityType)}"`,
			'Choose Deal, Contact or Company in the first field of this node.',
		);
	}
	return {
		entityType,
		entityId: readEntityId(context, itemIndex, entityType, 'entityId') as number,
	};
}

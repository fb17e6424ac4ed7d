import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { amoCrmApiRequest } from '../../transport/request';
import type { CreatedEntity, EmbeddedList, NoteCreateRequest } from '../../transport/types';
import { operationError, parseId } from '../common';
import type { OperationResult } from '../common';

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
		placeholder: '{{ $json.id }}',
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
		description: 'The note, shown in the deal\'s or contact\'s feed',
		displayOptions,
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult[]> {
	const entityType = this.getNodeParameter('entityType', itemIndex, 'deal') as keyof typeof ENTITY_PATH;
	const label = entityType === 'deal' ? 'Deal ID' : 'Contact ID';
	const entityId = parseId(this, itemIndex, this.getNodeParameter('entityId', itemIndex, ''), label, true) as number;
	const text = String(this.getNodeParameter('text', itemIndex, '')).trim();
	if (text === '') {
		throw operationError(this, itemIndex, 'Text is empty', 'Type the note or map the message from an earlier node into Text.');
	}
	const body: NoteCreateRequest[] = [{ note_type: 'common', params: { text } }];
	const response = (await amoCrmApiRequest.call(this, {
		method: 'POST',
		path: `${ENTITY_PATH[entityType]}/${entityId}/notes`,
		body,
		subject: 'note',
		itemIndex,
		notFound: `${entityType === 'deal' ? 'Deal' : 'Contact'} ${entityId} was not found in amoCRM`,
	})) as EmbeddedList<'notes', CreatedEntity> | undefined;
	const created = response?._embedded?.notes?.[0];
	if (!created) {
		throw operationError(this, itemIndex, 'amoCRM did not return the new note', 'amoCRM answered without the created note. Check amoCRM for it before running again.');
	}
	return [{ id: created.id, entityType, entityId, text }];
}

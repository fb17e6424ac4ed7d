import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { amoCrmApiRequestAllItems } from '../../transport/request';
import type { Note } from '../../transport/types';
import { readLimit, returnAllOrLimitProperties } from '../common';
import { ENTITY_PATH } from '../entityLocator';
import type { OperationResult } from '../operation';
import { noteEntityProperties, noteOutput, readNoteEntity } from './noteEntity';

const displayOptions = { show: { resource: ['note'], operation: ['getAll'] } };

/** amoCRM's note types (https://www.amocrm.ru/developers/content/crm_platform/events-and-notes). */
const NOTE_TYPES = [
	{ name: 'Attachment', value: 'attachment' },
	{ name: 'Call In', value: 'call_in' },
	{ name: 'Call Out', value: 'call_out' },
	{ name: 'Extended Service Message', value: 'extended_service_message' },
	{ name: 'Geolocation', value: 'geolocation' },
	{ name: 'Message to Cashier', value: 'message_cashier' },
	{ name: 'Service Message', value: 'service_message' },
	{ name: 'SMS In', value: 'sms_in' },
	{ name: 'SMS Out', value: 'sms_out' },
	{ name: 'Text Note', value: 'common' },
];

export const description: INodeProperties[] = [
	...noteEntityProperties(
		'getAll',
		'Notes Of',
		'Whether to read the notes of a deal, a contact or a company',
	),
	...returnAllOrLimitProperties(displayOptions),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions,
		options: [
			{
				displayName: 'Note Types',
				name: 'noteTypes',
				type: 'multiOptions',
				options: NOTE_TYPES,
				default: [],
				description:
					'Only notes of these types (text notes are "Text Note"); none chosen: every type',
			},
		],
	},
];

/** The entity's notes, page after page (up to 250 each) until Limit. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult[]> {
	const { entityType, entityId } = readNoteEntity(this, itemIndex);
	const limit = readLimit(this, itemIndex);
	const { noteTypes = [] } = this.getNodeParameter('filters', itemIndex, {}) as {
		noteTypes?: string[];
	};
	const qs = Object.fromEntries(
		noteTypes.map((type, index) => [`filter[note_type][${index}]`, type]),
	);
	const what = { deal: 'Deal', contact: 'Contact', company: 'Company' }[entityType];
	const notes = (await amoCrmApiRequestAllItems.call(
		this,
		{
			path: `${ENTITY_PATH[entityType]}/${entityId}/notes`,
			qs,
			subject: 'note list',
			itemIndex,
			notFound: `${what} ${entityId} was not found in amoCRM`,
		},
		'notes',
		limit,
	)) as Note[];
	return notes.map((note) => noteOutput(note, entityType, entityId));
}

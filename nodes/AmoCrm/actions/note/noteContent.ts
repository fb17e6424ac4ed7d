import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { operationError, requiredText } from '../common';

/**
 * What a note says, by its type: Note > Add and Note > Update show the same fields. The params of
 * each type are amoCRM's (crm_platform/events-and-notes, "Типы примечаний, для которых обязателен
 * массив params"); call_result and call_status are the official PHP library's
 * (amocrm/amocrm-api-php src/AmoCRM/Models/NoteType/CallNote.php, statuses in
 * src/AmoCRM/Models/Interfaces/CallInterface.php).
 */
export type NoteType = 'common' | 'call_in' | 'call_out' | 'sms_in' | 'sms_out' | 'service_message';

const NOTE_TYPES: NoteType[] = [
	'common',
	'call_in',
	'call_out',
	'sms_in',
	'sms_out',
	'service_message',
];
const CALLS: NoteType[] = ['call_in', 'call_out'];
const SMS: NoteType[] = ['sms_in', 'sms_out'];
const WITH_TEXT: NoteType[] = ['common', 'sms_in', 'sms_out', 'service_message'];

export interface NoteContent {
	note_type: NoteType;
	params: IDataObject;
}

/** The note type and the fields of each type, for `operation` ("add" or "update"). */
export function noteContentProperties(operation: 'add' | 'update'): INodeProperties[] {
	const show = { resource: ['note'], operation: [operation] };
	const forTypes = (types: NoteType[]) => ({ show: { ...show, noteType: types } });
	return [
		{
			displayName: 'Note Type',
			name: 'noteType',
			type: 'options',
			options: [
				{ name: 'Common', value: 'common', description: 'A text note' },
				{
					name: 'Incoming Call',
					value: 'call_in',
					description: 'A call the customer made, with its phone, duration and recording',
				},
				{ name: 'Incoming SMS', value: 'sms_in', description: 'An SMS the customer sent' },
				{
					name: 'Outgoing Call',
					value: 'call_out',
					description: 'A call made to the customer, with its phone, duration and recording',
				},
				{ name: 'Outgoing SMS', value: 'sms_out', description: 'An SMS sent to the customer' },
				{
					name: 'Service Message',
					value: 'service_message',
					description: 'A message of another service (e.g. a payment system), under its name',
				},
			],
			default: 'common',
			description: 'What the note records; the fields below change with it',
			displayOptions: { show },
		},
		{
			displayName: 'Text',
			name: 'text',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			required: true,
			placeholder: 'Customer asked about hearing aids for a child',
			description: "The note, shown in the deal's, contact's or company's feed",
			displayOptions: forTypes(WITH_TEXT),
		},
		{
			displayName: 'Service Name',
			name: 'service',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'Payme',
			description:
				'The name the message is shown under, e.g. the payment system or bot that sent it',
			displayOptions: forTypes(['service_message']),
		},
		{
			displayName: 'Phone',
			name: 'phone',
			type: 'string',
			default: '',
			required: true,
			placeholder: '+998901234567',
			description: "The customer's phone number of the call or SMS",
			displayOptions: forTypes([...CALLS, ...SMS]),
		},
		{
			displayName: 'Duration (Seconds)',
			name: 'duration',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description: 'How long the call lasted, in seconds (0 for a missed call)',
			displayOptions: forTypes(CALLS),
		},
		{
			displayName: 'Call Status',
			name: 'callStatus',
			type: 'options',
			options: [
				{ name: 'Busy', value: 7 },
				{ name: 'Call Back Later', value: 2 },
				{ name: 'Left a Message', value: 1 },
				{ name: 'No Answer', value: 6 },
				{ name: 'None', value: 0, description: 'Sent without a status' },
				{ name: 'Not Available', value: 3 },
				{ name: 'Talked', value: 4 },
				{ name: 'Undefined', value: 8 },
				{ name: 'Wrong Number', value: 5 },
			],
			default: 0,
			description: 'How the call ended, as amoCRM shows it on the call',
			displayOptions: forTypes(CALLS),
		},
		{
			displayName: 'Recording Link',
			name: 'link',
			type: 'string',
			default: '',
			placeholder: 'https://pbx.example.com/records/123.mp3',
			description: "Address of the call's recording, played from the note. Empty: no recording.",
			displayOptions: forTypes(CALLS),
		},
		{
			displayName: 'Source',
			name: 'source',
			type: 'string',
			default: 'n8n',
			placeholder: 'Zadarma',
			description: 'The telephony the call came through, shown on the note',
			displayOptions: forTypes(CALLS),
		},
		{
			displayName: 'Call Result',
			name: 'callResult',
			type: 'string',
			default: '',
			placeholder: 'Agreed on a fitting on Monday',
			description: 'What came of the call, shown on the note. Empty: none.',
			displayOptions: forTypes(CALLS),
		},
		{
			displayName: 'Call ID',
			name: 'uniq',
			type: 'string',
			default: '=n8n-{{ $execution.id }}-{{ $itemIndex }}',
			description:
				"The call's own ID in your telephony (amoCRM's uniq), so that the call is recorded once. The default is unique per execution and item.",
			displayOptions: forTypes(CALLS),
		},
	];
}

/** The item's note type and amoCRM's params for it; a missing or wrong value fails before any request. */
export function readNoteContent(context: IExecuteFunctions, itemIndex: number): NoteContent {
	const noteType = context.getNodeParameter('noteType', itemIndex, 'common') as NoteType;
	if (!NOTE_TYPES.includes(noteType)) {
		throw operationError(
			context,
			itemIndex,
			`Note Type must be one of ${NOTE_TYPES.join(', ')}, not "${String(noteType)}"`,
			'Choose the note type from the list.',
		);
	}
	const params: IDataObject = {};
	if (WITH_TEXT.includes(noteType)) {
		params.text = requiredText(
			context,
			itemIndex,
			'text',
			'Text',
			'Type the note or map the message from an earlier node into Text.',
		);
	}
	if (noteType === 'service_message') {
		params.service = requiredText(
			context,
			itemIndex,
			'service',
			'Service Name',
			'Enter the name the message is shown under, e.g. the service that sent it.',
		);
	}
	if (CALLS.includes(noteType) || SMS.includes(noteType)) {
		params.phone = requiredText(
			context,
			itemIndex,
			'phone',
			'Phone',
			'Enter or map the phone number of the call or SMS, e.g. +998901234567.',
		);
	}
	if (CALLS.includes(noteType)) Object.assign(params, readCall(context, itemIndex));
	return { note_type: noteType, params };
}

function readCall(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const rawDuration = context.getNodeParameter('duration', itemIndex, 0);
	const duration =
		typeof rawDuration === 'string' && rawDuration.trim() === '' ? 0 : Number(rawDuration);
	if (!Number.isInteger(duration) || duration < 0) {
		throw operationError(
			context,
			itemIndex,
			`Duration (Seconds) must be a whole number of 0 or more, not "${String(rawDuration)}"`,
			'Enter how many seconds the call lasted, e.g. 95, or 0 for a missed call.',
		);
	}
	const link = String(context.getNodeParameter('link', itemIndex, '') ?? '').trim();
	if (link !== '' && !/^https?:\/\/[^\s/]+\.[^\s]*$/i.test(link)) {
		throw operationError(
			context,
			itemIndex,
			`Recording Link must be a web address, not "${link}"`,
			'Enter the address of the recording, e.g. https://pbx.example.com/records/123.mp3, or leave it empty.',
		);
	}
	const rawStatus = context.getNodeParameter('callStatus', itemIndex, 0);
	const status = Number(rawStatus ?? 0);
	if (!Number.isInteger(status) || status < 0 || status > 8) {
		throw operationError(
			context,
			itemIndex,
			`Call Status must be one of the list, not "${String(rawStatus)}"`,
			'Choose how the call ended from the list, or map a number from 1 to 8 (4 = Talked).',
		);
	}
	const uniq = String(context.getNodeParameter('uniq', itemIndex, '') ?? '').trim();
	const source = String(context.getNodeParameter('source', itemIndex, 'n8n') ?? '').trim();
	const callResult = String(context.getNodeParameter('callResult', itemIndex, '') ?? '').trim();
	return {
		uniq: uniq === '' ? `n8n-${Date.now()}-${itemIndex}` : uniq,
		duration,
		source: source === '' ? 'n8n' : source,
		...(link !== '' ? { link } : {}),
		...(status > 0 ? { call_status: status } : {}),
		...(callResult !== '' ? { call_result: callResult } : {}),
	};
}

/**
 * A note's content in the output: a text note as `text` alone (as before note types), another
 * type with its type and amoCRM's params.
 */
export function noteContentOutput(content: NoteContent): IDataObject {
	if (content.note_type === 'common') return { text: content.params.text };
	return {
		noteType: content.note_type,
		...(content.params.text !== undefined ? { text: content.params.text } : {}),
		params: content.params,
	};
}

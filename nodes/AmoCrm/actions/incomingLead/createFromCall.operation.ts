import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { UnsortedSipCreateRequest } from '../../transport/types';
import { readCallDuration, readRecordingLink } from '../callValues';
import type { ItemResult } from '../operation';
import { requiredText } from '../common';
import type { PreparedIncomingLead } from './incomingLeadBody';
import {
	leadAndContactProperties,
	prepareIncomingLead,
	sendIncomingLeads,
	sourceAndOptionProperties,
	unixTime,
} from './incomingLeadBody';

const displayOptions = { show: { resource: ['incomingLead'], operation: ['createFromCall'] } };

export const description: INodeProperties[] = [
	...leadAndContactProperties(displayOptions, {
		person: 'the caller',
		contactHint: 'Name, phone and email all empty: the lead comes without a contact.',
	}),
	{
		displayName: 'Caller Phone',
		name: 'callerPhone',
		type: 'string',
		default: '',
		required: true,
		placeholder: '+998 90 123 45 67',
		description:
			'The number that called, shown on the incoming call in amoCRM (map it into Contact Phone too to store it on the new contact)',
		displayOptions,
	},
	{
		displayName: 'Call ID',
		name: 'callUid',
		type: 'string',
		default: '',
		required: true,
		placeholder: '1701234567.123',
		description: "Your telephony's unique ID of the call",
		displayOptions,
	},
	{
		displayName: 'Duration (Seconds)',
		name: 'duration',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'How long the call lasted, in seconds (0 for a missed call)',
		displayOptions,
	},
	{
		displayName: 'Called At',
		name: 'calledAt',
		type: 'dateTime',
		default: '',
		description: 'When the call came in. Empty: now.',
		displayOptions,
	},
	{
		displayName: 'Recording Link',
		name: 'recordingLink',
		type: 'string',
		default: '',
		placeholder: 'https://pbx.example.com/records/123.mp3',
		description: 'Address of the call recording (optional)',
		displayOptions,
	},
	{
		displayName: 'Telephony Name',
		name: 'callFrom',
		type: 'string',
		default: 'n8n',
		required: true,
		placeholder: 'onlinePBX',
		description: 'The telephony the call came through, shown on the incoming lead',
		displayOptions,
	},
	{
		displayName: 'Service Code',
		name: 'serviceCode',
		type: 'string',
		default: 'n8n',
		required: true,
		description: "The code of the telephony service (amoCRM's service_code)",
		displayOptions,
	},
	{
		displayName: 'Called User',
		name: 'callResponsible',
		type: 'string',
		default: '',
		placeholder: '502',
		description:
			'Who took the call: an amoCRM user ID, their phone number or their name (optional)',
		displayOptions,
	},
	{
		displayName: 'Add Call to the Feed',
		name: 'isCallEventNeeded',
		type: 'boolean',
		default: true,
		description: "Whether amoCRM also adds an incoming call event to the lead's card",
		displayOptions,
	},
	...sourceAndOptionProperties(displayOptions, {
		submission: 'Submission ID',
		sourceUidHint: "Map your telephony's call ID when it has one.",
	}),
];

type SipMetadata = UnsortedSipCreateRequest['metadata'];

/** Validation-error paths of the call's own fields, by the field's label in this node. */
const CALL_FIELDS: Record<string, string> = {
	source_uid: 'Submission ID',
	source_name: 'Source Name',
	pipeline_id: 'Pipeline',
	metadata: 'Caller Phone, Call ID, Duration, Telephony Name, Service Code',
	'metadata.phone': 'Caller Phone',
	'metadata.uniq': 'Call ID',
	'metadata.duration': 'Duration (Seconds)',
	'metadata.called_at': 'Called At',
	'metadata.link': 'Recording Link',
	'metadata.from': 'Telephony Name',
	'metadata.service_code': 'Service Code',
	'metadata.call_responsible': 'Called User',
};

/** Reads and checks one item: the call, pipeline, custom fields and the contact, before anything is sent. */
export async function prepare(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<PreparedIncomingLead<SipMetadata>> {
	const phone = requiredText(
		this,
		itemIndex,
		'callerPhone',
		'Caller Phone',
		'Map the number that called from your telephony, e.g. {{ $json.phone }}.',
	);
	const uniq = requiredText(
		this,
		itemIndex,
		'callUid',
		'Call ID',
		"Map your telephony's ID of the call, e.g. {{ $json.call_id }}.",
	);
	const duration = readCallDuration(this, itemIndex);
	const link = readRecordingLink(
		this,
		itemIndex,
		this.getNodeParameter('recordingLink', itemIndex, ''),
		'Recording Link',
	);
	const from = requiredText(
		this,
		itemIndex,
		'callFrom',
		'Telephony Name',
		'Enter the name of your telephony, e.g. onlinePBX.',
	);
	const serviceCode = requiredText(
		this,
		itemIndex,
		'serviceCode',
		'Service Code',
		'Enter a code for your telephony service, e.g. n8n.',
	);
	const responsible = String(this.getNodeParameter('callResponsible', itemIndex, '') ?? '').trim();
	const calledAt = unixTime(
		this,
		itemIndex,
		this.getNodeParameter('calledAt', itemIndex, ''),
		'Called At',
	);
	const eventNeeded = this.getNodeParameter('isCallEventNeeded', itemIndex, true) as boolean;
	return await prepareIncomingLead(
		this,
		itemIndex,
		{
			uniq,
			phone,
			called_at: calledAt,
			duration,
			...(link !== undefined ? { link } : {}),
			service_code: serviceCode,
			from,
			...(responsible !== ''
				? {
						call_responsible:
							/^\d+$/.test(responsible) && responsible.length < 10
								? Number(responsible)
								: responsible,
					}
				: {}),
			is_call_event_needed: eventNeeded,
		},
		'Submission ID',
	);
}

/** `POST /api/v4/leads/unsorted/sip` in batches (incomingLeadBody.ts). */
export async function send(
	this: IExecuteFunctions,
	prepared: Array<PreparedIncomingLead<SipMetadata>>,
): Promise<ItemResult[]> {
	return await sendIncomingLeads(this, prepared, 'sip', CALL_FIELDS);
}

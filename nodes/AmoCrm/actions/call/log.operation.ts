import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { parseDateTime } from '../../helpers/dateTime';
import { amoCrmBatchCreate } from '../../transport/batch';
import type { BatchEntry, BatchOutcome, CreatedWithRequestId } from '../../transport/batch';
import { getAccount } from '../../transport/request';
import {
	batchSizeOf,
	batchSizeProperty,
	operationError,
	parseId,
	responsibleUserProperty,
} from '../common';
import { readCallDuration, readRecordingLink } from '../callValues';
import type { ItemResult } from '../operation';

const displayOptions = { show: { resource: ['call'], operation: ['log'] } };

/** One call in `POST /api/v4/calls` (crm_platform/calls-api). */
export interface CallRequest {
	direction: 'inbound' | 'outbound';
	phone: string;
	duration: number;
	source: string;
	link?: string;
	uniq?: string;
	call_status?: number;
	call_result?: string;
	responsible_user_id?: number;
	created_at?: number;
}

/** What amoCRM answers per call: the note it made and the card it put it on. */
interface LoggedCall extends CreatedWithRequestId {
	entity_id?: number;
	entity_type?: string;
}

export const description: INodeProperties[] = [
	{
		displayName: 'Direction',
		name: 'direction',
		type: 'options',
		options: [
			{ name: 'Inbound', value: 'inbound', description: 'The customer called you' },
			{ name: 'Outbound', value: 'outbound', description: 'You called the customer' },
		],
		default: 'inbound',
		description: 'Who called whom',
		displayOptions,
	},
	{
		displayName: 'Phone',
		name: 'phone',
		type: 'string',
		default: '',
		required: true,
		placeholder: '+998 90 123 45 67',
		description:
			"The customer's number. amoCRM finds the contact or company with this number (by its last 10 digits) and logs the call there.",
		displayOptions,
	},
	{
		displayName: 'Duration (Seconds)',
		name: 'duration',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		required: true,
		description: 'How long the call lasted, in seconds',
		displayOptions,
	},
	{
		displayName: 'Source',
		name: 'source',
		type: 'string',
		default: 'n8n',
		required: true,
		placeholder: 'Asterisk',
		description: 'Where the call comes from (your telephony), shown with the call in amoCRM',
		displayOptions,
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions,
		options: [
			{
				displayName: 'Call ID',
				name: 'uniq',
				type: 'string',
				default: '',
				placeholder: '1701234567.123',
				description: "Your telephony's own ID of the call",
			},
			{
				displayName: 'Recording Link',
				name: 'link',
				type: 'string',
				default: '',
				placeholder: 'https://pbx.example.com/records/123.mp3',
				description: 'Address of the call recording, played from the call in amoCRM',
			},
			{
				...responsibleUserProperty(),
				description:
					'The amoCRM user in charge of the call. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Result',
				name: 'callResult',
				type: 'string',
				default: '',
				placeholder: 'Agreed on a fitting',
				description: 'What came of the call, in a few words',
			},
			{
				displayName: 'Started At',
				name: 'createdAt',
				type: 'dateTime',
				default: '',
				description: 'When the call took place (empty: now)',
			},
			{
				displayName: 'Status',
				name: 'callStatus',
				type: 'options',
				options: [
					{ name: 'Busy', value: 7 },
					{ name: 'Call Back Later', value: 2 },
					{ name: 'Left a Message', value: 1 },
					{ name: 'No Answer', value: 6 },
					{ name: 'Not Available', value: 3 },
					{ name: 'Talked', value: 4 },
					{ name: 'Wrong Number', value: 5 },
				],
				default: 4,
				description: "How the call ended (amoCRM's call statuses)",
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions,
		options: [batchSizeProperty('calls')],
	},
];

export interface PreparedCall {
	itemIndex: number;
	body: CallRequest;
}

interface CallFields {
	uniq?: string;
	link?: string;
	responsibleUserId?: string | number;
	callResult?: string;
	createdAt?: string;
	callStatus?: number | string;
}

/** Reads and checks one item's call. */
export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<PreparedCall> {
	const direction = this.getNodeParameter('direction', itemIndex, 'inbound') as string;
	if (direction !== 'inbound' && direction !== 'outbound') {
		throw operationError(
			this,
			itemIndex,
			`Direction must be "inbound" or "outbound", not "${direction}"`,
			'Choose Inbound or Outbound in Direction.',
		);
	}
	const phone = String(this.getNodeParameter('phone', itemIndex, '')).trim();
	if ((phone.match(/\d/g) ?? []).length < 5) {
		throw operationError(
			this,
			itemIndex,
			phone === '' ? 'Phone is empty' : `Phone "${phone}" is not a phone number`,
			"Map the customer's number from your telephony, e.g. {{ $json.phone }}: amoCRM logs the call on the contact with that number.",
		);
	}
	const duration = readCallDuration(this, itemIndex);
	const source = String(this.getNodeParameter('source', itemIndex, '')).trim();
	if (source === '') {
		throw operationError(
			this,
			itemIndex,
			'Source is empty',
			'Name your telephony in Source (e.g. Asterisk); amoCRM requires it.',
		);
	}
	const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as CallFields;
	const body: CallRequest = { direction, phone, duration, source };
	const link = readRecordingLink(
		this,
		itemIndex,
		fields.link,
		'Additional Fields > Recording Link',
	);
	if (link !== undefined) body.link = link;
	const uniq = String(fields.uniq ?? '').trim();
	if (uniq !== '') body.uniq = uniq;
	if (fields.callStatus !== undefined && String(fields.callStatus) !== '') {
		const status = Number(fields.callStatus);
		if (!Number.isInteger(status) || status < 1 || status > 7) {
			throw operationError(
				this,
				itemIndex,
				`Additional Fields > Status must be one of the listed statuses, not "${String(fields.callStatus)}"`,
				'Choose the status from the list (by ID: 1 to 7).',
			);
		}
		body.call_status = status;
	}
	const result = String(fields.callResult ?? '').trim();
	if (result !== '') body.call_result = result;
	const responsible = parseId(
		this,
		itemIndex,
		fields.responsibleUserId,
		'Additional Fields > Responsible User ID',
		false,
	);
	if (responsible !== undefined) body.responsible_user_id = responsible;
	if (fields.createdAt !== undefined && String(fields.createdAt).trim() !== '') {
		const milliseconds = parseDateTime(fields.createdAt, this.getTimezone());
		if (milliseconds === undefined) {
			throw operationError(
				this,
				itemIndex,
				`Additional Fields > Started At: "${String(fields.createdAt)}" is not a date`,
				'Pick a date in the calendar, or map a date such as 2026-11-26T09:00:00 or a Unix timestamp in seconds.',
			);
		}
		body.created_at = Math.floor(milliseconds / 1000);
	}
	return { itemIndex, body };
}

/** amoCRM's entity types in the answer, as the node names them, with the path of their page. */
const ENTITY: Record<string, { type: string; path: string }> = {
	contact: { type: 'contact', path: 'contacts' },
	contacts: { type: 'contact', path: 'contacts' },
	company: { type: 'company', path: 'companies' },
	companies: { type: 'company', path: 'companies' },
	lead: { type: 'deal', path: 'leads' },
	leads: { type: 'deal', path: 'leads' },
	customer: { type: 'customer', path: 'customers' },
	customers: { type: 'customer', path: 'customers' },
};

/**
 * Calls go in batches (Options > Batch Size) to POST /api/v4/calls. amoCRM logs each one as a
 * call note on the card its algorithm picks (the contact or company with the number, or its only
 * open deal) and answers with that card; with no card for the number it logs nothing and answers
 * "Entity not found" (crm_platform/calls-api; amocrm/amocrm-api-php#52).
 */
export async function send(
	this: IExecuteFunctions,
	prepared: PreparedCall[],
): Promise<ItemResult[]> {
	const entries: Array<BatchEntry<CallRequest>> = prepared.map((call) => ({
		itemIndex: call.itemIndex,
		body: call.body,
		notFound: `No contact or company in amoCRM has the phone ${call.body.phone}: the call was not logged`,
		notFoundFix:
			'amoCRM logs a call only on a contact or company with that number (it compares the last 10 digits). Create the contact first (Contact > Create with this phone), then log the call.',
	}));
	const outcomes = (await amoCrmBatchCreate.call(
		this,
		{
			path: 'calls',
			subject: 'call',
			embeddedKey: 'calls',
			batchSize: batchSizeOf(this),
			continueOnFail: this.continueOnFail(),
		},
		entries,
	)) as Array<BatchOutcome<LoggedCall>>;
	const { url } = await getAccount.call(this);
	return outcomes.map((outcome, position) => {
		if (!('created' in outcome)) return outcome.error;
		const call = prepared[position].body;
		const logged = outcome.created;
		const entity = ENTITY[String(logged.entity_type ?? '')];
		return [
			{
				noteId: logged.id,
				entityType: entity?.type ?? logged.entity_type ?? null,
				entityId: logged.entity_id ?? null,
				phone: call.phone,
				direction: call.direction,
				duration: call.duration,
				url:
					entity && logged.entity_id !== undefined
						? `${url}/${entity.path}/detail/${logged.entity_id}`
						: null,
			},
		];
	});
}

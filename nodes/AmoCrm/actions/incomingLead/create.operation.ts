import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { UnsortedFormCreateRequest } from '../../transport/types';
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

const displayOptions = { show: { resource: ['incomingLead'], operation: ['create'] } };

export const description: INodeProperties[] = [
	...leadAndContactProperties(displayOptions, {
		person: 'the person who filled in the form',
		contactHint: 'Name, phone and email all empty: the lead comes without a contact.',
	}),
	{
		displayName: 'Form Page URL',
		name: 'formPage',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://example.com/contacts',
		description: 'The page of your site the form is on, shown on the incoming lead in amoCRM',
		displayOptions,
	},
	{
		displayName: 'Visitor IP',
		name: 'visitorIp',
		type: 'string',
		default: '',
		required: true,
		placeholder: '203.0.113.7',
		description:
			"The IP address the form was sent from (amoCRM requires it). From an n8n Webhook node map the x-forwarded-for header (behind a proxy) or your form's own field.",
		displayOptions,
	},
	{
		displayName: 'Form Name',
		name: 'formName',
		type: 'string',
		default: 'Site form',
		description: 'The name amoCRM shows for the form the lead came from',
		displayOptions,
	},
	{
		displayName: 'Form ID',
		name: 'formId',
		type: 'string',
		default: 'n8n-form',
		description: 'Your own ID for the form, so leads from different forms can be told apart',
		displayOptions,
	},
	{
		displayName: 'Sent At',
		name: 'formSentAt',
		type: 'dateTime',
		default: '',
		description: 'When the form was sent. Empty: now.',
		displayOptions,
	},
	{
		displayName: 'Referer',
		name: 'referer',
		type: 'string',
		default: '',
		placeholder: 'https://www.google.com/',
		description: 'Where the visitor came to the form page from (optional)',
		displayOptions,
	},
	...sourceAndOptionProperties(displayOptions, {
		submission: 'Submission ID',
		sourceUidHint: "Map your form's own submission ID when it has one.",
	}),
];

type FormMetadata = UnsortedFormCreateRequest['metadata'];

/** Validation-error paths of an incoming lead's own fields, by the field's label in this node. */
const FORM_FIELDS: Record<string, string> = {
	source_uid: 'Submission ID',
	source_name: 'Source Name',
	pipeline_id: 'Pipeline',
	metadata: 'Form Page URL, Visitor IP, Form Name, Form ID',
	'metadata.form_id': 'Form ID',
	'metadata.form_name': 'Form Name',
	'metadata.form_page': 'Form Page URL',
	'metadata.ip': 'Visitor IP',
	'metadata.form_sent_at': 'Sent At',
	'metadata.referer': 'Referer',
};

/** Reads and checks one item: the form, pipeline, custom fields and the contact's phone and email, before anything is sent. */
export async function prepare(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<PreparedIncomingLead<FormMetadata>> {
	const formPage = requiredText(
		this,
		itemIndex,
		'formPage',
		'Form Page URL',
		'Enter the address of the page your form is on, e.g. https://example.com/contacts.',
	);
	const ip = requiredText(
		this,
		itemIndex,
		'visitorIp',
		'Visitor IP',
		"amoCRM requires the IP the form was sent from. From an n8n Webhook node map {{ $json.headers['x-forwarded-for'] }}; if your form does not pass it, enter your server's IP.",
	);
	const formName = requiredText(
		this,
		itemIndex,
		'formName',
		'Form Name',
		'Enter the name amoCRM shows for the form, e.g. Site form.',
	);
	const formId = requiredText(
		this,
		itemIndex,
		'formId',
		'Form ID',
		'Enter an ID for the form, e.g. contact-form.',
	);
	const referer = String(this.getNodeParameter('referer', itemIndex, '') ?? '').trim();
	const formSentAt = unixTime(
		this,
		itemIndex,
		this.getNodeParameter('formSentAt', itemIndex, ''),
		'Sent At',
	);
	return await prepareIncomingLead(
		this,
		itemIndex,
		{
			form_id: formId,
			form_name: formName,
			form_page: formPage,
			ip,
			form_sent_at: formSentAt,
			...(referer !== '' ? { referer } : {}),
		},
		'Submission ID',
	);
}

/** `POST /api/v4/leads/unsorted/forms` in batches (incomingLeadBody.ts). */
export async function send(
	this: IExecuteFunctions,
	prepared: Array<PreparedIncomingLead<FormMetadata>>,
): Promise<ItemResult[]> {
	return await sendIncomingLeads(this, prepared, 'forms', FORM_FIELDS);
}

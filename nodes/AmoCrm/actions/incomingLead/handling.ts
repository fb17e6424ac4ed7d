import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { operationError, parseId } from '../common';

/** What Accept and Decline share: which incoming lead, and on whose behalf. */

export function uidProperty(
	displayOptions: NonNullable<INodeProperties['displayOptions']>,
): INodeProperties {
	return {
		displayName: 'Incoming Lead UID',
		name: 'uid',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.uid }}',
		description:
			'The incoming lead (amoCRM "Unsorted") to handle: map the uid field of an Incoming Lead > Create step, or the ID of an AmoCRM Trigger\'s Incoming Lead Added event',
		displayOptions,
	};
}

export function userProperty(
	displayOptions: NonNullable<INodeProperties['displayOptions']>,
	action: 'accepts' | 'declines',
): INodeProperties {
	return {
		displayName: 'User Name or ID',
		name: 'userId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getIncomingLeadUsers' },
		default: '',
		description: `The amoCRM user on whose behalf this ${action} the lead. Empty: the user who connected the integration. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
		displayOptions,
	};
}

/** amoCRM's UIDs of incoming leads are letters and digits (a long hex text). */
const UID = /^[A-Za-z0-9]+$/;

export function readUid(context: IExecuteFunctions, itemIndex: number): string {
	const uid = String(context.getNodeParameter('uid', itemIndex, '') ?? '').trim();
	if (uid === '') {
		throw operationError(
			context,
			itemIndex,
			'Incoming Lead UID is empty',
			"Map the uid of the incoming lead: {{ $json.uid }} after Incoming Lead > Create, or {{ $json.id }} after the AmoCRM Trigger's Incoming Lead Added event.",
		);
	}
	if (!UID.test(uid)) {
		throw operationError(
			context,
			itemIndex,
			`Incoming Lead UID must be letters and digits, not "${uid}"`,
			'Map the uid amoCRM gave the incoming lead (such as 69035fda95c38bf3a281e846652217aade38692a), not a deal ID or a name: {{ $json.uid }} after Incoming Lead > Create, or {{ $json.id }} after the AmoCRM Trigger.',
		);
	}
	return uid;
}

export function readUserId(context: IExecuteFunctions, itemIndex: number): number | undefined {
	return parseId(
		context,
		itemIndex,
		context.getNodeParameter('userId', itemIndex, ''),
		'User ID',
		false,
	);
}

/** A 404 for the uid: what the user should do. */
export const UNKNOWN_UID_FIX =
	'Check Incoming Lead UID: map the uid of an incoming lead of this amoCRM account ({{ $json.uid }} after Incoming Lead > Create, {{ $json.id }} after the AmoCRM Trigger), not a deal ID.';

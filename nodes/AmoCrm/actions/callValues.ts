import type { IExecuteFunctions } from 'n8n-workflow';

import { operationError } from './common';

/** What Call > Log and Incoming Lead > Create From a Call both read: a call's length and recording. */

/** Duration (Seconds): a whole number of 0 or more. */
export function readCallDuration(context: IExecuteFunctions, itemIndex: number): number {
	const raw = context.getNodeParameter('duration', itemIndex, 0);
	const duration = Number(raw);
	if (String(raw).trim() === '' || !Number.isInteger(duration) || duration < 0) {
		throw operationError(
			context,
			itemIndex,
			`Duration must be a whole number of seconds, not "${String(raw)}"`,
			'Enter how long the call lasted in seconds, e.g. 95, or 0 for a missed call.',
		);
	}
	return duration;
}

/** A recording's address (http or https), or undefined when empty; `label` names the field. */
export function readRecordingLink(
	context: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	label: string,
): string | undefined {
	const link = String(value ?? '').trim();
	if (link === '') return undefined;
	if (!/^https?:\/\/\S+$/i.test(link)) {
		throw operationError(
			context,
			itemIndex,
			`${label} must be a web address, not "${link}"`,
			'Map the address of the recording, starting with https:// (or http://), or leave it empty.',
		);
	}
	return link;
}

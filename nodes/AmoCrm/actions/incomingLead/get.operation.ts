import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { amoCrmApiRequest, getAccount } from '../../transport/request';
import { operationError } from '../common';
import type { OperationResult } from '../operation';
import { readUid, UNKNOWN_UID_FIX, uidProperty } from './handling';
import { incomingLeadOutput } from './incomingLeadOutput';
import type { UnsortedRecord } from './incomingLeadOutput';

const displayOptions = { show: { resource: ['incomingLead'], operation: ['get'] } };

export const description: INodeProperties[] = [uidProperty(displayOptions)];

/** GET /api/v4/leads/unsorted/{uid}: one incoming lead, waiting or handled. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult[]> {
	const uid = readUid(this, itemIndex);
	const notFound = `Incoming lead ${uid} was not found in amoCRM`;
	const record = (await amoCrmApiRequest.call(this, {
		method: 'GET',
		path: `leads/unsorted/${uid}`,
		subject: 'incoming lead',
		itemIndex,
		notFound,
		notFoundFix: UNKNOWN_UID_FIX,
	})) as UnsortedRecord | undefined;
	if (!record) throw operationError(this, itemIndex, notFound, UNKNOWN_UID_FIX);
	const { url } = await getAccount.call(this);
	return [incomingLeadOutput(record, url)];
}

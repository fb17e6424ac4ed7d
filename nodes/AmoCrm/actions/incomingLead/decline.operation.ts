import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { amoCrmApiRequest } from '../../transport/request';
import type { UnsortedHandled } from '../../transport/types';
import type { OperationResult } from '../operation';
import { readUid, readUserId, UNKNOWN_UID_FIX, uidProperty, userProperty } from './handling';

const displayOptions = { show: { resource: ['incomingLead'], operation: ['decline'] } };

export const description: INodeProperties[] = [
	uidProperty(displayOptions),
	userProperty(displayOptions, 'declines'),
];

/**
 * Declines an incoming lead (amoCRM "Unsorted"): `DELETE /api/v4/leads/unsorted/{uid}/decline`.
 * amoCRM moves its deal and its new contact and company to the trash.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult[]> {
	const uid = readUid(this, itemIndex);
	const userId = readUserId(this, itemIndex);
	const answer = (await amoCrmApiRequest.call(this, {
		method: 'DELETE',
		path: `leads/unsorted/${uid}/decline`,
		body: userId !== undefined ? { user_id: userId } : {},
		subject: 'incoming lead',
		itemIndex,
		notFound: `Incoming lead ${uid} was not found in amoCRM`,
		notFoundFix: UNKNOWN_UID_FIX,
		describePath: (path) => (path === 'user_id' ? 'User' : undefined),
	})) as UnsortedHandled | undefined;
	return [
		{
			uid,
			declined: true,
			dealId: answer?._embedded?.leads?.[0]?.id ?? null,
			contactId: answer?._embedded?.contacts?.[0]?.id ?? null,
			pipelineId: answer?.pipeline_id ?? null,
		},
	];
}

import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { isoTime } from '../../helpers/readableFields';
import { amoCrmApiRequest, getAccount } from '../../transport/request';
import type { TaskType } from '../../transport/types';
import type { OperationResult } from '../operation';

const displayOptions = { show: { resource: ['account'], operation: ['get'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions,
		options: [
			{
				displayName: 'Include Task Types',
				name: 'includeTaskTypes',
				type: 'boolean',
				default: false,
				description:
					'Whether to add "taskTypes": the IDs and names of the task types (Call, Meeting, your own)',
			},
		],
	},
];

/** GET /api/v4/account (crm_platform/account-info). */
interface AccountAnswer {
	id: number;
	name: string;
	subdomain: string;
	created_at?: number;
	current_user_id: number;
	country?: string;
	currency?: string;
	customers_mode?: string;
	is_unsorted_on?: boolean;
	is_loss_reason_enabled?: boolean;
	is_technical_account?: boolean;
	_embedded?: { task_types?: TaskType[] };
}

/** The account the credential is connected to, read afresh. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult[]> {
	const { includeTaskTypes = false } = this.getNodeParameter('options', itemIndex, {}) as {
		includeTaskTypes?: boolean;
	};
	const answer = (await amoCrmApiRequest.call(this, {
		method: 'GET',
		path: 'account',
		qs: includeTaskTypes ? { with: 'task_types' } : undefined,
		subject: 'account',
		itemIndex,
	})) as AccountAnswer;
	const { url } = await getAccount.call(this);
	return [
		{
			id: answer.id,
			name: answer.name,
			subdomain: answer.subdomain,
			url,
			currentUserId: answer.current_user_id,
			country: answer.country ?? null,
			currency: answer.currency ?? null,
			customersMode: answer.customers_mode ?? null,
			isUnsortedOn: answer.is_unsorted_on ?? null,
			isLossReasonEnabled: answer.is_loss_reason_enabled ?? null,
			isTechnicalAccount: answer.is_technical_account ?? null,
			createdAt: isoTime(answer.created_at),
			...(includeTaskTypes
				? {
						taskTypes: (answer._embedded?.task_types ?? []).map((type) => ({
							id: type.id,
							name: type.name,
							code: type.code ?? null,
						})),
					}
				: {}),
		},
	];
}

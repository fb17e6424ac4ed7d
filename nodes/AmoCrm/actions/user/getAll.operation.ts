import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { amoCrmApiRequestAllItems } from '../../transport/request';
import type { OperationResult } from '../operation';
import { readLimit, returnAllOrLimitProperties } from '../common';

const displayOptions = { show: { resource: ['user'], operation: ['getAll'] } };

export const description: INodeProperties[] = [...returnAllOrLimitProperties(displayOptions)];

/** One user as GET /api/v4/users lists it (crm_platform/users-api). */
interface UserAnswer {
	id: number;
	name: string;
	email: string;
	lang?: string;
	rights?: {
		is_admin?: boolean;
		is_active?: boolean;
		is_free?: boolean;
		group_id?: number | null;
		role_id?: number | null;
	};
}

/** Only administrators may list users (crm_platform/users-api; amocrm/amocrm-api-php#86). */
const ADMINS_ONLY = {
	message: 'Only amoCRM administrators can list users',
	description:
		'amoCRM lists its users only to an administrator. Connect the credential as an administrator of the account, or map the user IDs another way (the responsible user of a deal, Account > Get for the user the node acts as).',
};

/** The account's users, page after page (up to 250 each) until Limit. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult[]> {
	const limit = readLimit(this, itemIndex);
	const users = (await amoCrmApiRequestAllItems.call(
		this,
		{ path: 'users', subject: 'user list', itemIndex, forbidden: ADMINS_ONLY },
		'users',
		limit,
	)) as UserAnswer[];
	return users.map((user) => ({
		id: user.id,
		name: user.name,
		email: user.email,
		lang: user.lang ?? null,
		isAdmin: user.rights?.is_admin ?? null,
		isActive: user.rights?.is_active ?? null,
		isFree: user.rights?.is_free ?? null,
		groupId: user.rights?.group_id ?? null,
		roleId: user.rights?.role_id ?? null,
	}));
}

import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { entityIdProperty, readEntityId, unlinkEntities } from '../entityLocator';
import type { OperationResult } from '../operation';

const displayOptions = { show: { resource: ['deal'], operation: ['unlinkContact'] } };

export const description: INodeProperties[] = [
	entityIdProperty('deal', {
		name: 'dealId',
		description:
			'The deal to take the contact off: choose it, paste its amoCRM page, or map its ID from an earlier step',
		displayOptions,
	}),
	entityIdProperty('contact', {
		name: 'contactId',
		description:
			'The contact to take off the deal (the contact itself stays in amoCRM): choose it, paste its amoCRM page, or map its ID',
		displayOptions,
	}),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult[]> {
	const dealId = readEntityId(this, itemIndex, 'deal', 'dealId') as number;
	const contactId = readEntityId(this, itemIndex, 'contact', 'contactId') as number;
	await unlinkEntities.call(
		this,
		itemIndex,
		{ entity: 'deal', id: dealId },
		{ entity: 'contact', id: contactId },
	);
	return [{ dealId, contactId, unlinked: true }];
}

import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { entityIdProperty, readEntityId, unlinkEntities } from '../entityLocator';
import type { OperationResult } from '../operation';

const displayOptions = { show: { resource: ['contact'], operation: ['unlinkCompany'] } };

export const description: INodeProperties[] = [
	entityIdProperty('contact', {
		name: 'contactId',
		description:
			'The contact to detach from the company: choose it from the list, paste its amoCRM page address, or map its ID',
		displayOptions,
	}),
	entityIdProperty('company', {
		name: 'companyId',
		description:
			'The company the contact no longer belongs to (the company itself stays in amoCRM): choose it, paste its page address, or map its ID',
		displayOptions,
	}),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult[]> {
	const contactId = readEntityId(this, itemIndex, 'contact', 'contactId') as number;
	const companyId = readEntityId(this, itemIndex, 'company', 'companyId') as number;
	await unlinkEntities.call(
		this,
		itemIndex,
		{ entity: 'contact', id: contactId },
		{ entity: 'company', id: companyId },
	);
	return [{ contactId, companyId, unlinked: true }];
}

import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { amoCrmApiRequest } from '../../transport/request';
import type { LinkRequest } from '../../transport/types';
import { entityIdProperty, readEntityId } from '../entityLocator';
import type { OperationResult } from '../operation';

const displayOptions = { show: { resource: ['contact'], operation: ['linkCompany'] } };

export const description: INodeProperties[] = [
	entityIdProperty('contact', {
		name: 'contactId',
		description:
			'The contact to attach to the company: choose it from the list, paste its amoCRM page address, or map its ID',
		displayOptions,
	}),
	entityIdProperty('company', {
		name: 'companyId',
		description:
			'The company the contact works for: choose it from the list, paste its amoCRM page address, or map its ID',
		displayOptions,
	}),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult[]> {
	const contactId = readEntityId(this, itemIndex, 'contact', 'contactId') as number;
	const companyId = readEntityId(this, itemIndex, 'company', 'companyId') as number;
	const body: LinkRequest[] = [{ to_entity_id: companyId, to_entity_type: 'companies' }];
	await amoCrmApiRequest.call(this, {
		method: 'POST',
		path: `contacts/${contactId}/link`,
		body,
		subject: 'link',
		itemIndex,
		notFound: `Contact ${contactId} or company ${companyId} was not found in amoCRM`,
	});
	return [{ contactId, companyId }];
}

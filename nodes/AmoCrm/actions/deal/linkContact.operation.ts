import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { amoCrmApiRequest } from '../../transport/request';
import type { LinkRequest } from '../../transport/types';
import { entityIdProperty, readEntityId } from '../entityLocator';
import type { OperationResult } from '../operation';

const displayOptions = { show: { resource: ['deal'], operation: ['linkContact'] } };

export const description: INodeProperties[] = [
	entityIdProperty('deal', {
		name: 'dealId',
		description:
			'The deal to attach the contact to: choose it, paste its amoCRM page, or map its ID from a Create Deal step',
		displayOptions,
	}),
	entityIdProperty('contact', {
		name: 'contactId',
		description:
			'The contact to attach: choose it, paste its amoCRM page, or map its ID from a Create Contact step',
		displayOptions,
	}),
	{
		displayName: 'Main Contact',
		name: 'isMain',
		type: 'boolean',
		default: true,
		description: "Whether this becomes the deal's main contact (shown first on the deal card)",
		displayOptions,
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult[]> {
	const dealId = readEntityId(this, itemIndex, 'deal', 'dealId') as number;
	const contactId = readEntityId(this, itemIndex, 'contact', 'contactId') as number;
	const isMain = this.getNodeParameter('isMain', itemIndex, true) as boolean;
	const body: LinkRequest[] = [
		{ to_entity_id: contactId, to_entity_type: 'contacts', metadata: { is_main: isMain } },
	];
	await amoCrmApiRequest.call(this, {
		method: 'POST',
		path: `leads/${dealId}/link`,
		body,
		subject: 'link',
		itemIndex,
		notFound: `Deal ${dealId} was not found in amoCRM`,
	});
	return [{ dealId, contactId, isMain }];
}

import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { amoCrmApiRequest } from '../../transport/request';
import type { LinkRequest } from '../../transport/types';
import { parseId } from '../common';
import type { OperationResult } from '../operation';

const displayOptions = { show: { resource: ['deal'], operation: ['linkContact'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Deal ID',
		name: 'dealId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 12345678',
		description: 'The deal to attach the contact to, e.g. the ID from a Create Deal step',
		displayOptions,
	},
	{
		displayName: 'Contact ID',
		name: 'contactId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 23456789',
		description: 'The contact to attach, e.g. the ID from a Create Contact step',
		displayOptions,
	},
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
	const dealId = parseId(
		this,
		itemIndex,
		this.getNodeParameter('dealId', itemIndex, ''),
		'Deal ID',
		true,
	) as number;
	const contactId = parseId(
		this,
		itemIndex,
		this.getNodeParameter('contactId', itemIndex, ''),
		'Contact ID',
		true,
	) as number;
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

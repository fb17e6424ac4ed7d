import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { amoCrmApiRequest } from '../../transport/request';
import type { CatalogElementLinkRequest } from '../../transport/types';
import type { OperationResult } from '../operation';
import { dealProductProperties, readDealProduct } from './dealProducts';

export const description: INodeProperties[] = dealProductProperties('removeProducts', {
	deal: 'take the product off',
	product: 'take off the deal',
});

/** POST /api/v4/leads/{id}/unlink with the product and its list; amoCRM answers 204 (crm_platform/entity-links-api). */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult[]> {
	const { dealId, catalogId, productId } = await readDealProduct(this, itemIndex);
	const body: CatalogElementLinkRequest[] = [
		{
			to_entity_id: productId,
			to_entity_type: 'catalog_elements',
			metadata: { catalog_id: catalogId },
		},
	];
	await amoCrmApiRequest.call(this, {
		method: 'POST',
		path: `leads/${dealId}/unlink`,
		body,
		subject: 'product link',
		itemIndex,
		notFound: `Deal ${dealId} was not found in amoCRM`,
	});
	return [{ dealId, productId, catalogId, removed: true }];
}

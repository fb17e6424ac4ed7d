import type { IExecuteFunctions } from 'n8n-workflow';

import type { ItemResult } from '../operation';
import { prepareTagChange, sendTagChanges, tagDescription } from './tagChange';
import type { PreparedTagChange } from './tagChange';

export const description = tagDescription('remove');

/** Reads and checks one item: the deal or contact and the tag names. */
export async function prepare(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<PreparedTagChange> {
	return prepareTagChange(this, itemIndex, 'remove');
}

/** `tags_to_delete` by name, in batches: the other tags stay. */
export async function send(
	this: IExecuteFunctions,
	prepared: PreparedTagChange[],
): Promise<ItemResult[]> {
	return await sendTagChanges(this, prepared, 'remove');
}

import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { amoCrmBatchUpdate } from '../../transport/batch';
import type { BatchEntry, BatchUpdateOutcome, UpdatedWithId } from '../../transport/batch';
import { getAccount } from '../../transport/request';
import type { Tag, TagsUpdateRequest } from '../../transport/types';
import { batchSizeOf, batchSizeProperty, operationError, parseTags } from '../common';
import { ENTITY_PATH, entityIdProperty, readEntityId } from '../entityLocator';
import type { ItemResult } from '../operation';

/**
 * Tag > Add and Tag > Remove: `PATCH /api/v4/leads` or `/contacts` with `tags_to_add` or
 * `tags_to_delete` by name, in batches. The entity's other tags are not touched.
 */
type Change = 'add' | 'remove';
type Tagged = 'deal' | 'contact';

const WORDS = {
	add: { field: 'Add To', verb: 'add', key: 'tags_to_add', output: 'tagsAdded' },
	remove: { field: 'Remove From', verb: 'remove', key: 'tags_to_delete', output: 'tagsRemoved' },
} as const;

export function tagDescription(change: Change): INodeProperties[] {
	const displayOptions = { show: { resource: ['tag'], operation: [change] } };
	const on = (entityType: Tagged) => ({
		show: { ...displayOptions.show, entityType: [entityType] },
	});
	const words = WORDS[change];
	return [
		{
			displayName: words.field,
			name: 'entityType',
			type: 'options',
			options: [
				{ name: 'Contact', value: 'contact' },
				{ name: 'Deal', value: 'deal' },
			],
			default: 'deal',
			description: `Whether to ${words.verb} tags ${change === 'add' ? 'to' : 'from'} a deal or a contact`,
			displayOptions,
		},
		entityIdProperty('deal', {
			name: 'dealId',
			description: `The deal to ${words.verb} the tags ${change === 'add' ? 'to' : 'from'}: choose it, paste its amoCRM page, or map its ID`,
			displayOptions: on('deal'),
		}),
		entityIdProperty('contact', {
			name: 'contactId',
			description: `The contact to ${words.verb} the tags ${change === 'add' ? 'to' : 'from'}: choose it, paste its amoCRM page, or map its ID`,
			displayOptions: on('contact'),
		}),
		{
			displayName: 'Tags',
			name: 'tags',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'paid, vip',
			description:
				change === 'add'
					? 'Tag names separated by commas; a tag that does not exist yet is created. Other tags stay.'
					: 'Tag names separated by commas; a tag the entity does not have is ignored. Other tags stay.',
			displayOptions,
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			displayOptions,
			options: [
				{
					...batchSizeProperty('deals'),
					description:
						'How many deals or contacts to change in one request to amoCRM (up to 250; amoCRM recommends 50). 1 sends one request per item.',
				},
			],
		},
	];
}

export interface PreparedTagChange {
	itemIndex: number;
	entityType: Tagged;
	id: number;
	tags: Tag[];
}

export function prepareTagChange(
	context: IExecuteFunctions,
	itemIndex: number,
	change: Change,
): PreparedTagChange {
	const entityType = context.getNodeParameter('entityType', itemIndex, 'deal') as Tagged;
	const id = readEntityId(
		context,
		itemIndex,
		entityType,
		entityType === 'deal' ? 'dealId' : 'contactId',
	) as number;
	const tags = parseTags(context.getNodeParameter('tags', itemIndex, ''));
	if (!tags) {
		throw operationError(
			context,
			itemIndex,
			'Tags is empty',
			`Enter the tag names to ${WORDS[change].verb}, separated by commas, e.g. paid, vip.`,
		);
	}
	return { itemIndex, entityType, id, tags };
}

export async function sendTagChanges(
	context: IExecuteFunctions,
	prepared: PreparedTagChange[],
	change: Change,
): Promise<ItemResult[]> {
	const words = WORDS[change];
	const account = await getAccount.call(context);
	const results = new Map<number, ItemResult>();
	for (const entityType of ['deal', 'contact'] as const) {
		const changes = prepared.filter((item) => item.entityType === entityType);
		const what = entityType === 'deal' ? 'Deal' : 'Contact';
		const entries = changes.map((item): BatchEntry<TagsUpdateRequest> => ({
			itemIndex: item.itemIndex,
			body: { id: item.id, [words.key]: item.tags },
			notFound: `${what} ${item.id} was not found in amoCRM`,
		}));
		const outcomes = (await amoCrmBatchUpdate.call(
			context,
			{
				path: ENTITY_PATH[entityType],
				subject: entityType,
				embeddedKey: ENTITY_PATH[entityType],
				batchSize: batchSizeOf(context),
				continueOnFail: context.continueOnFail(),
			},
			entries,
		)) as Array<BatchUpdateOutcome<UpdatedWithId>>;
		outcomes.forEach((outcome, position) => {
			const item = changes[position];
			results.set(
				item.itemIndex,
				'error' in outcome
					? outcome.error
					: [
							{
								id: item.id,
								entityType,
								[words.output]: item.tags.map((tag) => tag.name),
								url: `${account.url}/${ENTITY_PATH[entityType]}/detail/${item.id}`,
							},
						],
			);
		});
	}
	return prepared.map((item) => results.get(item.itemIndex) as ItemResult);
}

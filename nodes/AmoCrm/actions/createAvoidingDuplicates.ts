import type { IExecuteFunctions } from 'n8n-workflow';

import type { BatchEntry, CreatedWithRequestId } from '../transport/batch';
import { customFieldPathDescriber, forgetMetadata, getCustomFields } from '../transport/catalog';
import { getAccount } from '../transport/request';
import { asNodeError, batchSizeOf, operationError, readCustomFields } from './common';
import { DuplicateFinder } from './contact/duplicates';
import type { DuplicateDecision, DuplicateRule, DuplicateSubject } from './contact/duplicates';
import { createCheckingRefusals } from './metadataRefusals';
import type { ItemResult, OperationResult } from './operation';

/** What a create with Avoid Duplicates needs of every prepared item. */
export interface PreparedNewEntity<B> extends DuplicateSubject {
	/** The entity as amoCRM takes it. */
	body: B;
	/** The name to report. */
	name: string;
	hasCustomFields: boolean;
}

/** One entity's create: where it goes and what it is called. */
export interface NewEntityKind<Q extends DuplicateSubject> {
	/** amoCRM's path and custom-field entity: "contacts", "companies". */
	entity: 'contacts' | 'companies';
	/** "contact", "company": for messages. */
	subject: string;
	/** What makes two items the same entity, for messages: "phone or email". */
	sameBy: string;
	rule: DuplicateRule<Q>;
}

/**
 * Contact > Create and Company > Create: looks for duplicates (Avoid Duplicates), then creates
 * the new entities in batches (Options > Batch Size). Items of one run that are the same entity
 * make one; the later ones are returned with `reused: true`. An entity found is only returned,
 * never changed. Each item outputs `{ id, name, reused, url }`.
 */
export async function createAvoidingDuplicates<
	B extends object,
	Q extends DuplicateSubject,
	P extends PreparedNewEntity<B> & Q,
>(context: IExecuteFunctions, kind: NewEntityKind<Q>, prepared: P[]): Promise<ItemResult[]> {
	const { entity, subject } = kind;
	const continueOnFail = context.continueOnFail();
	const early = new Map<number, Error>();
	const finder = new DuplicateFinder(kind.rule);
	const decisions = new Map<number, DuplicateDecision>();
	for (const item of prepared) {
		try {
			decisions.set(item.itemIndex, await finder.decide(item));
		} catch (error) {
			if (!continueOnFail) throw asNodeError(context, error, item.itemIndex);
			early.set(item.itemIndex, error as Error);
		}
	}
	const toCreate = prepared.filter((item) => decisions.get(item.itemIndex)?.kind === 'create');
	const fields = toCreate.some((item) => item.hasCustomFields)
		? await getCustomFields.call(context, entity)
		: undefined;
	const entries: Array<BatchEntry<B>> = toCreate.map((item) => ({
		itemIndex: item.itemIndex,
		body: item.body,
		describePath: fields
			? (path) =>
					customFieldPathDescriber(
						[item.body as Parameters<typeof customFieldPathDescriber>[0][number]],
						fields,
					)(path, 0)
			: undefined,
	}));
	// amoCRM refusing a custom field: read the entity's fields again and check the item once more.
	const outcomes = await createCheckingRefusals<B, CreatedWithRequestId>(
		context,
		{
			path: entity,
			subject,
			embeddedKey: entity,
			batchSize: batchSizeOf(context),
			continueOnFail,
		},
		entries,
		async () => await forgetMetadata.call(context, [`custom_fields:${entity}`]),
		async (itemIndex) => void (await readCustomFields(context, itemIndex, entity)),
	);
	const created = new Map<number, { id: number; name: string } | Error>();
	for (const outcome of outcomes) {
		const item = toCreate.find((candidate) => candidate.itemIndex === outcome.itemIndex);
		created.set(
			outcome.itemIndex,
			'created' in outcome ? { id: outcome.created.id, name: item?.name ?? '' } : outcome.error,
		);
	}
	const { url } = await getAccount.call(context);
	const output = (id: number, name: string, reused: boolean): OperationResult => ({
		id,
		name,
		reused,
		url: `${url}/${entity}/detail/${id}`,
	});
	return prepared.map(({ itemIndex }): ItemResult => {
		const failed = early.get(itemIndex);
		if (failed) return failed;
		const decision = decisions.get(itemIndex) as DuplicateDecision;
		if (decision.kind === 'existing') return [output(decision.id, decision.name, true)];
		const made = created.get(decision.kind === 'sameAs' ? decision.itemIndex : itemIndex);
		if (made === undefined || made instanceof Error) {
			if (decision.kind === 'create') return made ?? new Error(`The ${subject} was not created`);
			return operationError(
				context,
				itemIndex,
				`Not created: item ${decision.itemIndex} has the same ${kind.sameBy} and could not be created`,
				`${made?.message ?? ''} Fix item ${decision.itemIndex}; this item is the same ${subject}.`.trim(),
			);
		}
		return [output(made.id, made.name, decision.kind === 'sameAs')];
	});
}

import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { MAX_COMPLEX_BATCH_SIZE } from '../../transport/batch';
import type { BatchCreateRequest, BatchEntry, CreatedWithRequestId } from '../../transport/batch';
import { customFieldPathDescriber, forgetMetadata, getCustomFields } from '../../transport/catalog';
import { getAccount } from '../../transport/request';
import type { ContactCreateRequest, LeadCreateRequest } from '../../transport/types';
import {
	asNodeError,
	batchSizeOf,
	batchSizeProperty,
	customFieldsProperty,
	operationError,
	parseId,
	parseTags,
	readCustomFieldValues,
	readCustomFields,
	responsibleUserProperty,
	tagsProperty,
	defaultCountryCodeProperty,
	matchContactsByProperty,
} from '../common';
import { entityIdProperty, readEntityId } from '../entityLocator';
import { pipelineAndStage, stageProperty } from './pipelineStage';
import type { GivenValue, MatchContactsBy } from '../common';
import type { ItemResult, OperationResult } from '../operation';
import { phoneCountry, readEmail, readPhone } from '../contact/contactValues';
import { contactBody } from '../contact/contactBody';
import type { ContactEmail, ContactPhone } from '../contact/contactValues';
import { createCheckingRefusals } from '../metadataRefusals';
import { dealBody } from './dealBody';
import { contactDuplicateRule, DuplicateFinder } from '../contact/duplicates';
import type { DuplicateDecision } from '../contact/duplicates';
import { addDealNotes } from './dealNote';
import type { DealNote } from './dealNote';
import { describeRefused, noteText, refusedFieldPositions, withoutFields } from './refusedValues';
import type { RefusedField, Refusal } from './refusedValues';

const displayOptions = { show: { resource: ['deal'], operation: ['create'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		placeholder: 'Hearing aid request from the site',
		description: 'The deal\'s title. Empty: amoCRM names it "Deal #ID".',
		displayOptions,
	},
	{
		displayName: 'Price',
		name: 'price',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: "The deal's value in the account's currency, in whole units. 0 leaves it empty.",
		displayOptions,
	},
	stageProperty({
		description:
			'Where the deal starts, listed as "Pipeline → Stage". By ID: pipeline and stage as 1002:2101, or a stage ID alone when only one pipeline has it (won and lost stages are in every pipeline).',
		displayOptions,
		required: true,
	}),
	{
		displayName: 'Contact',
		name: 'contactMode',
		type: 'options',
		options: [
			{
				name: 'Existing Contact ID',
				value: 'existing',
				description: 'Attach a contact that already exists (or none)',
			},
			{
				name: 'New Contact',
				value: 'new',
				description:
					'Create the contact together with the deal, in the same request: a refused deal leaves no contact behind',
			},
		],
		default: 'existing',
		description:
			"Whether the deal's main contact already exists in amoCRM or is created with the deal",
		displayOptions,
	},
	entityIdProperty('contact', {
		name: 'contactId',
		displayName: 'Existing Contact',
		required: false,
		description:
			"An existing contact to attach as the deal's main contact: choose it, paste its amoCRM page, or map its ID from a Create Contact step. Empty: no contact.",
		displayOptions: { show: { ...displayOptions.show, contactMode: ['existing'] } },
	}),
	{
		displayName: 'Contact Name',
		name: 'newContactName',
		type: 'string',
		default: '',
		placeholder: 'Aziz Karimov',
		description: "The new contact's full name",
		displayOptions: { show: { ...displayOptions.show, contactMode: ['new'] } },
	},
	{
		displayName: 'Contact Phone',
		name: 'newContactPhone',
		type: 'string',
		default: '',
		placeholder: '+998 71 202-14-41',
		description:
			"The new contact's phone, stored in international format (see Options > Default Country Code)",
		displayOptions: { show: { ...displayOptions.show, contactMode: ['new'] } },
	},
	{
		displayName: 'Contact Email',
		name: 'newContactEmail',
		type: 'string',
		default: '',
		placeholder: 'name@email.com',
		description: "The new contact's email address",
		displayOptions: { show: { ...displayOptions.show, contactMode: ['new'] } },
	},
	{
		displayName: 'Avoid Duplicate Contacts',
		name: 'newContactAvoidDuplicates',
		type: 'boolean',
		default: true,
		description:
			"Whether to attach an existing contact with the same phone or email (one search request each) instead of creating a second one. Off: one request per deal; amoCRM's own duplicate control, when switched on for the integration, may still merge.",
		displayOptions: { show: { ...displayOptions.show, contactMode: ['new'] } },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions,
		options: [responsibleUserProperty(), tagsProperty('deal')],
	},
	customFieldsProperty('leads', displayOptions),
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
					'How many deals to create in one request to amoCRM (up to 250; amoCRM recommends 50). With a New Contact at most 50 go in one request. 1 sends one request per item.',
			},
			defaultCountryCodeProperty(
				"Digits of the country code for new contacts' numbers typed without one (998 for Uzbekistan, 7 for Russia and Kazakhstan). Empty: the country of the amoCRM account (8 901 555-00-11 is +79015550011 in a Russian or Kazakh account).",
			),
			{
				displayName: 'If a Field Value Is Refused',
				name: 'ifFieldRefused',
				type: 'options',
				options: [
					{
						name: 'Create the Deal Without It and Add It to the Note',
						value: 'dropAndNote',
						description:
							"Send the deal again without the values amoCRM refused; they are listed in the deal's note and in refusedFields",
					},
					{
						name: 'Fail the Item',
						value: 'fail',
						description: 'No deal is created; the error names the field',
					},
				],
				default: 'fail',
				description:
					'What happens when amoCRM refuses a custom field value (a choice it no longer has, a text its field will not take)',
			},
			{
				...matchContactsByProperty(),
				displayOptions: { show: { '/contactMode': ['new'], '/newContactAvoidDuplicates': [true] } },
			},
			{
				displayName: 'Note',
				name: 'note',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				placeholder: '{{ $json.message }}',
				description:
					"A text note added to each created deal (output noteId), e.g. the form's message. Refused field values are added to it. A note amoCRM does not take is reported on the item (noteError); the deal stays created.",
			},
		],
	},
];

interface AdditionalFields {
	responsibleUserId?: string | number;
	tags?: string;
}

export interface PreparedDeal {
	itemIndex: number;
	lead: LeadCreateRequest;
	name: string;
	pipelineId?: number;
	statusId?: number;
	contactId?: number;
	hasCustomFields: boolean;
	/** What the item gave for each of `lead.custom_fields_values`, in the same order. */
	given: GivenValue[];
	/** Options > If a Field Value Is Refused. */
	onRefusal: 'fail' | 'dropAndNote';
	/** With dropAndNote: the values left out before sending, their fields would not take them. */
	leftOut: RefusedField[];
	/** Options > Note ('' for none). */
	note: string;
	/** Contact > New Contact. */
	newContact?: {
		contact: ContactCreateRequest;
		phones: ContactPhone[];
		emails: ContactEmail[];
		avoidDuplicates: boolean;
		defaultCountryCode: string;
		matchBy: MatchContactsBy;
	};
}

/** Reads and checks one item: pipeline, stage and fields are checked against the account. */
export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<PreparedDeal> {
	const name = String(this.getNodeParameter('name', itemIndex, '')).trim();
	const price = Number(this.getNodeParameter('price', itemIndex, 0));
	const contactMode = this.getNodeParameter('contactMode', itemIndex, 'existing') as
		'existing' | 'new';
	const contactId =
		contactMode === 'existing'
			? readEntityId(this, itemIndex, 'contact', 'contactId', {
					label: 'Existing Contact',
					required: false,
				})
			: undefined;
	const additional = this.getNodeParameter('additionalFields', itemIndex, {}) as AdditionalFields;
	const responsibleUserId = parseId(
		this,
		itemIndex,
		additional.responsibleUserId,
		'Responsible User ID',
		false,
	);
	if (!Number.isFinite(price) || price < 0) {
		throw operationError(
			this,
			itemIndex,
			`Price must be a positive number, not "${price}"`,
			"Enter the deal's value as a number such as 1500000, or 0 to leave it empty.",
		);
	}
	const newContact =
		contactMode === 'new' ? await prepareNewContact(this, itemIndex, responsibleUserId) : undefined;
	const { pipelineId, statusId } = await pipelineAndStage(
		this,
		itemIndex,
		this.getNodeParameter('statusId', itemIndex, ''),
	);
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		ifFieldRefused?: 'fail' | 'dropAndNote';
		note?: string;
	};
	const onRefusal = options.ifFieldRefused ?? 'fail';
	const customFields = await readCustomFieldValues(this, itemIndex, 'leads', {
		leaveOutRefused: onRefusal === 'dropAndNote',
	});

	const lead = dealBody({
		name,
		price: price > 0 ? Math.round(price) : undefined,
		pipelineId,
		statusId,
		responsibleUserId,
		customFields: customFields.values,
		tags: parseTags(additional.tags),
		contactId,
	});
	return {
		itemIndex,
		lead,
		name,
		pipelineId,
		statusId,
		contactId,
		hasCustomFields: customFields.values.length > 0,
		given: customFields.given,
		onRefusal,
		leftOut: customFields.leftOut,
		note: String(options.note ?? '').trim(),
		newContact,
	};
}

async function prepareNewContact(
	context: IExecuteFunctions,
	itemIndex: number,
	responsibleUserId: number | undefined,
): Promise<PreparedDeal['newContact']> {
	const name = String(context.getNodeParameter('newContactName', itemIndex, '')).trim();
	const typedPhone = String(context.getNodeParameter('newContactPhone', itemIndex, '')).trim();
	const typedEmail = String(context.getNodeParameter('newContactEmail', itemIndex, '')).trim();
	const avoidDuplicates = context.getNodeParameter(
		'newContactAvoidDuplicates',
		itemIndex,
		true,
	) as boolean;
	const options = context.getNodeParameter('options', itemIndex, {}) as {
		defaultCountryCode?: string;
		matchContactsBy?: MatchContactsBy;
	};
	const defaultCountryCode = await phoneCountry(context, options.defaultCountryCode, [typedPhone]);
	const phones =
		typedPhone === ''
			? []
			: [readPhone(context, itemIndex, 'Contact Phone', typedPhone, 'MOB', defaultCountryCode)];
	const emails =
		typedEmail === '' ? [] : [readEmail(context, itemIndex, 'Contact Email', typedEmail, 'WORK')];
	if (name === '' && phones.length === 0 && emails.length === 0) {
		throw operationError(
			context,
			itemIndex,
			'The new contact has no name, phone or email',
			'Fill in Contact Name, Contact Phone or Contact Email, or choose Contact: Existing Contact ID.',
		);
	}
	return {
		contact: contactBody({ name, responsibleUserId, phones, emails }),
		phones,
		emails,
		avoidDuplicates,
		defaultCountryCode,
		matchBy: options.matchContactsBy ?? 'phoneOrEmail',
	};
}

type ComplexCreated = CreatedWithRequestId & { contact_id?: number | null; merged?: boolean };

/**
 * Creates the deals, then sends again without them those whose custom field values amoCRM
 * refused (Options > If a Field Value Is Refused), then adds the notes (Options > Note).
 */
export async function send(this: IExecuteFunctions, deals: PreparedDeal[]): Promise<ItemResult[]> {
	const continueOnFail = this.continueOnFail();
	const dropping = deals.some((deal) => deal.onRefusal === 'dropAndNote');
	const noting = deals.some((deal) => deal.note !== '');
	const refusals = new Map<number, Refusal[]>();
	// Refusals must come back as outcomes, not stop the node: to be sent again, and so that the
	// deals created before a failure still get their notes.
	const collect = !continueOnFail && (dropping || noting);
	const results = await sendDeals.call(this, deals, continueOnFail || collect, refusals);
	const refused = new Map<number, RefusedField[]>();
	if (dropping) {
		const again: PreparedDeal[] = [];
		for (const deal of deals) {
			refused.set(deal.itemIndex, deal.leftOut);
			const positions = refusedFieldPositions(refusals.get(deal.itemIndex));
			if (deal.onRefusal !== 'dropAndNote' || !(results.get(deal.itemIndex) instanceof Error))
				continue;
			if (positions === undefined) continue;
			refused.set(deal.itemIndex, [
				...deal.leftOut,
				...describeRefused(positions, refusals.get(deal.itemIndex) ?? [], deal.given),
			]);
			again.push({ ...deal, lead: withoutFields(deal.lead, positions) });
		}
		if (again.length > 0) {
			const second = await sendDeals.call(this, again, true, new Map());
			for (const [itemIndex, result] of second) results.set(itemIndex, result);
		}
	}

	const notes: DealNote[] = [];
	for (const deal of deals) {
		const result = results.get(deal.itemIndex);
		const text = noteText(deal.note, refused.get(deal.itemIndex) ?? []);
		if (Array.isArray(result) && text !== '')
			notes.push({ itemIndex: deal.itemIndex, dealId: Number(result[0].id), text });
	}
	const noted = await addDealNotes(this, notes, batchSizeOf(this));

	const created: string[] = [];
	for (const deal of deals) {
		const result = results.get(deal.itemIndex);
		if (!Array.isArray(result)) continue;
		created.push(`${deal.itemIndex} (deal ${String(result[0].id)})`);
		if (deal.onRefusal === 'dropAndNote')
			result[0].refusedFields = refused.get(deal.itemIndex) ?? [];
		Object.assign(result[0], noted.get(deal.itemIndex) ?? {});
	}
	if (collect) {
		// The node stops at the first failed item: say which deals exist, so none is sent twice.
		const failed = deals.find((deal) => results.get(deal.itemIndex) instanceof Error);
		if (failed !== undefined && created.length > 0) {
			const error = results.get(failed.itemIndex) as Error & { description?: string };
			error.description =
				`${error.description ?? ''} Created in amoCRM before this: items ${created.join(', ')}; do not send them again.`.trim();
		}
	}
	return deals.map((deal) => results.get(deal.itemIndex) as ItemResult);
}

/**
 * Creates the deals in batches (Options > Batch Size). With Contact > New Contact each deal
 * and its contact go in one /leads/complex request (up to 50 per request); two items with one
 * phone or email share one contact. `refusals` collects amoCRM's validation errors per item.
 */
async function sendDeals(
	this: IExecuteFunctions,
	deals: PreparedDeal[],
	continueOnFail: boolean,
	refusals: Map<number, Refusal[]>,
): Promise<Map<number, ItemResult>> {
	const fields = deals.some((deal) => deal.hasCustomFields)
		? await getCustomFields.call(this, 'leads')
		: undefined;
	const describePath = (body: object) =>
		fields ? (path: string) => customFieldPathDescriber([body], fields)(path, 0) : undefined;
	const account = await getAccount.call(this);
	const batchSize = batchSizeOf(this);
	const results = new Map<number, ItemResult>();
	const output = (
		deal: PreparedDeal,
		id: number,
		contactId: number | null,
		extra: OperationResult = {},
	): OperationResult[] => [
		{
			id,
			name: deal.name,
			price: deal.lead.price ?? 0,
			pipelineId: deal.pipelineId ?? null,
			statusId: deal.statusId ?? null,
			contactId,
			url: `${account.url}/leads/detail/${id}`,
			...extra,
		},
	];

	// amoCRM refusing a pipeline, stage or field: read them again and check the item once more.
	const create = async <R extends CreatedWithRequestId>(
		request: BatchCreateRequest,
		entries: Array<BatchEntry<LeadCreateRequest>>,
	) =>
		await createCheckingRefusals<LeadCreateRequest, R>(
			this,
			request,
			entries.map((entry) => ({
				...entry,
				messageFor: (error: { code: string; path: string; detail: string }) => {
					refusals.set(entry.itemIndex, [
						...(refusals.get(entry.itemIndex) ?? []),
						{ path: error.path, detail: error.detail },
					]);
					return entry.messageFor?.(error);
				},
			})),
			async () => await forgetMetadata.call(this, ['pipelines', 'custom_fields:leads']),
			async (itemIndex) => {
				const deal = deals.find((candidate) => candidate.itemIndex === itemIndex) as PreparedDeal;
				if (deal.statusId !== undefined)
					await pipelineAndStage(this, itemIndex, `${deal.pipelineId}:${deal.statusId}`);
				await readCustomFields(this, itemIndex, 'leads');
			},
		);

	// Contact > Existing Contact ID (or none): POST /leads.
	const plain = deals.filter((deal) => deal.newContact === undefined);
	const plainOutcomes = await create<CreatedWithRequestId>(
		{ path: 'leads', subject: 'deal', embeddedKey: 'leads', batchSize, continueOnFail },
		plain.map((deal): BatchEntry<LeadCreateRequest> => ({
			itemIndex: deal.itemIndex,
			body: deal.lead,
			describePath: describePath(deal.lead),
		})),
	);
	plainOutcomes.forEach((outcome, position) => {
		const deal = plain[position];
		results.set(
			deal.itemIndex,
			'created' in outcome
				? output(deal, outcome.created.id, deal.contactId ?? null)
				: outcome.error,
		);
	});

	// Contact > New Contact: POST /leads/complex, the contact found or created with the deal.
	const withContact = deals.filter((deal) => deal.newContact !== undefined);
	const finder = new DuplicateFinder(contactDuplicateRule(this));
	const decisions = new Map<number, DuplicateDecision>();
	for (const deal of withContact) {
		const contact = deal.newContact as NonNullable<PreparedDeal['newContact']>;
		try {
			decisions.set(deal.itemIndex, await finder.decide({ itemIndex: deal.itemIndex, ...contact }));
		} catch (error) {
			if (!continueOnFail) throw asNodeError(this, error, deal.itemIndex);
			results.set(deal.itemIndex, error as Error);
		}
	}
	const contactOf = new Map<number, number | Error>();
	const complexEntry = (
		deal: PreparedDeal,
		contact: { id: number } | ContactCreateRequest,
	): BatchEntry<LeadCreateRequest> => {
		const body: LeadCreateRequest = {
			...deal.lead,
			_embedded: { ...(deal.lead._embedded ?? {}), contacts: [contact as { id: number }] },
		};
		// Always described: a refused field of the new contact is named even without deal custom fields.
		return {
			itemIndex: deal.itemIndex,
			body,
			describePath: (path) => customFieldPathDescriber([body], fields)(path, 0),
		};
	};
	const sendComplex = async (
		round: PreparedDeal[],
		entries: Array<BatchEntry<LeadCreateRequest>>,
		reused: (deal: PreparedDeal, created: ComplexCreated) => boolean,
	) => {
		const outcomes = await create<ComplexCreated>(
			{
				path: 'leads/complex',
				subject: 'deal',
				batchSize: Math.min(batchSize, MAX_COMPLEX_BATCH_SIZE),
				continueOnFail,
			},
			entries,
		);
		outcomes.forEach((outcome, position) => {
			const deal = round[position];
			if (!('created' in outcome)) {
				results.set(deal.itemIndex, outcome.error);
				contactOf.set(deal.itemIndex, outcome.error);
				return;
			}
			const contactId = outcome.created.contact_id ?? null;
			if (contactId !== null) contactOf.set(deal.itemIndex, contactId);
			// merged: amoCRM's duplicate control put this deal into an existing one, whose id it returned.
			results.set(
				deal.itemIndex,
				output(deal, outcome.created.id, contactId, {
					contactReused: reused(deal, outcome.created),
					merged: outcome.created.merged === true,
				}),
			);
		});
	};
	// First the deals whose contact exists or is new, then those sharing a contact created in the first round.
	const first = withContact.filter((deal) =>
		['existing', 'create'].includes(decisions.get(deal.itemIndex)?.kind ?? ''),
	);
	await sendComplex(
		first,
		first.map((deal) => {
			const decision = decisions.get(deal.itemIndex) as DuplicateDecision;
			return complexEntry(
				deal,
				decision.kind === 'existing'
					? { id: decision.id }
					: (deal.newContact as NonNullable<PreparedDeal['newContact']>).contact,
			);
		}),
		(deal, created) =>
			decisions.get(deal.itemIndex)?.kind === 'existing' || created.merged === true,
	);
	const second: PreparedDeal[] = [];
	for (const deal of withContact) {
		const decision = decisions.get(deal.itemIndex);
		if (decision?.kind !== 'sameAs') continue;
		const shared = contactOf.get(decision.itemIndex);
		if (typeof shared === 'number') {
			second.push(deal);
			continue;
		}
		const error = operationError(
			this,
			deal.itemIndex,
			`Not created: item ${decision.itemIndex} has the same contact phone or email and could not be created`,
			`${shared?.message ?? ''} Fix item ${decision.itemIndex}; this deal would share its contact.`.trim(),
		);
		if (!continueOnFail) throw error;
		results.set(deal.itemIndex, error);
	}
	await sendComplex(
		second,
		second.map((deal) =>
			complexEntry(deal, {
				id: contactOf.get(
					(decisions.get(deal.itemIndex) as { itemIndex: number }).itemIndex,
				) as number,
			}),
		),
		() => true,
	);

	return results;
}

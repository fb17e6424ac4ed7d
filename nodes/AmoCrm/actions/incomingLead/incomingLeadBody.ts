import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { hasIncomingStage } from '../../helpers/stage';
import type { BatchEntry, CreatedIncomingLead } from '../../transport/batch';
import {
	customFieldPathDescriber,
	forgetMetadata,
	getCustomFields,
	getPipelines,
} from '../../transport/catalog';
import { labelForPath } from '../../transport/errors';
import { getAccount } from '../../transport/request';
import type { CustomField, Pipeline, UnsortedCreateRequest } from '../../transport/types';
import {
	batchSizeOf,
	batchSizeProperty,
	customFieldsProperty,
	defaultCountryCodeProperty,
	operationError,
	parseTags,
	readCustomFields,
	requiredText,
	tagsProperty,
} from '../common';
import { contactBody } from '../contact/contactBody';
import { phoneCountry, readEmail, readPhone } from '../contact/contactValues';
import { dealBody } from '../deal/dealBody';
import { createCheckingRefusals } from '../metadataRefusals';
import type { ItemResult } from '../operation';

/**
 * What Incoming Lead > Create From a Form and Create From a Call share: the pipeline, the deal
 * and contact the lead brings, its source, and the batched create (`POST /leads/unsorted/forms`
 * or `/sip`). Each operation adds its own metadata fields and body.
 */

type DisplayOptions = NonNullable<INodeProperties['displayOptions']>;

/** Pipeline, Deal Name, Price and the contact: the fields before the operation's own. */
export function leadAndContactProperties(
	displayOptions: DisplayOptions,
	who: { person: string; contactHint: string },
): INodeProperties[] {
	return [
		{
			displayName: 'Pipeline Name or ID',
			name: 'pipelineId',
			type: 'options',
			typeOptions: { loadOptionsMethod: 'getIncomingLeadPipelines' },
			default: '',
			description:
				'The pipeline whose Incoming leads stage (amoCRM "Unsorted") the lead lands in; only pipelines with incoming leads are listed. Empty: the main pipeline. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			displayOptions,
		},
		{
			displayName: 'Deal Name',
			name: 'dealName',
			type: 'string',
			default: '',
			placeholder: 'Hearing aid request from the site',
			description: 'The title of the deal amoCRM makes for the lead. Empty: amoCRM names it.',
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
		{
			displayName: 'Contact Name',
			name: 'contactName',
			type: 'string',
			default: '',
			placeholder: 'Aziz Karimov',
			description: `The name of ${who.person}. ${who.contactHint} The contact is new; amoCRM shows it only once the lead is accepted.`,
			displayOptions,
		},
		{
			displayName: 'Contact Phone',
			name: 'contactPhone',
			type: 'string',
			default: '',
			placeholder: '+998 71 202-14-41',
			description:
				"The person's phone, stored in international format (see Options > Default Country Code)",
			displayOptions,
		},
		{
			displayName: 'Contact Email',
			name: 'contactEmail',
			type: 'string',
			default: '',
			placeholder: 'name@email.com',
			description: "The person's email address",
			displayOptions,
		},
	];
}

/** Source, tags, custom fields and options: the fields after the operation's own. */
export function sourceAndOptionProperties(
	displayOptions: DisplayOptions,
	what: { submission: string; sourceUidHint: string },
): INodeProperties[] {
	return [
		{
			displayName: what.submission,
			name: 'sourceUid',
			type: 'string',
			default: '=n8n-{{ $execution.id }}-{{ $itemIndex }}',
			required: true,
			description: `A unique ID of this ${what.submission.toLowerCase().replace(/ id$/, '')} (amoCRM's source_uid). The default (n8n, the execution ID and the item index) tells which n8n execution sent the lead. ${what.sourceUidHint}`,
			displayOptions,
		},
		{
			displayName: 'Source Name',
			name: 'sourceName',
			type: 'string',
			default: 'n8n',
			description: 'The source amoCRM shows on the incoming lead (source_name), e.g. your site',
			displayOptions,
		},
		{
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			displayOptions,
			options: [tagsProperty('deal')],
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
				batchSizeProperty('incoming leads'),
				defaultCountryCodeProperty(
					'Digits of the country code for phones typed without one (998 for Uzbekistan, 7 for Russia and Kazakhstan). Empty: the country of the amoCRM account.',
				),
			],
		},
	];
}

export interface PreparedIncomingLead<M extends object> {
	itemIndex: number;
	body: UnsortedCreateRequest<M>;
	pipeline: Pipeline;
}

const CONTACT_FIELDS: Record<string, string> = { name: 'Contact Name' };

/** Names the field of this node behind a validation-error path of one incoming lead. */
function pathDescriber<M extends object>(
	body: UnsortedCreateRequest<M>,
	dealFields: CustomField[] | undefined,
	ownFields: Record<string, string>,
): (path: string) => string | undefined {
	return (path) => {
		if (ownFields[path]) return ownFields[path];
		const inDeal = /^_embedded\.leads\.0\.(.+)$/.exec(path);
		if (inDeal) {
			const field = inDeal[1];
			if (field === 'name') return 'Deal Name';
			return (
				customFieldPathDescriber(body._embedded.leads, dealFields)(field, 0) ?? labelForPath(field)
			);
		}
		const inContact = /^_embedded\.contacts\.0\.(.+)$/.exec(path);
		if (inContact) {
			const field = inContact[1];
			const named = customFieldPathDescriber(body._embedded.contacts ?? [], undefined)(field, 0);
			if (named === 'Phones') return 'Contact Phone';
			if (named === 'Emails') return 'Contact Email';
			return CONTACT_FIELDS[field] ?? named ?? labelForPath(field);
		}
		return undefined;
	};
}

/** The pipeline the lead goes to (the main one when none is chosen), which must take incoming leads. */
async function incomingPipeline(
	context: IExecuteFunctions,
	itemIndex: number,
	given: unknown,
): Promise<Pipeline> {
	const text = given === null || given === undefined ? '' : String(given).trim();
	if (text !== '' && !/^\d+$/.test(text)) {
		throw operationError(
			context,
			itemIndex,
			`Pipeline must be a pipeline ID, not "${text}"`,
			'Choose the pipeline from the list, or map its amoCRM ID, a whole number such as 1001.',
		);
	}
	const find = (pipelines: Pipeline[]) =>
		text === ''
			? pipelines.find((pipeline) => pipeline.is_main)
			: pipelines.find((pipeline) => pipeline.id === Number(text));
	let pipelines = await getPipelines.call(context);
	let pipeline = find(pipelines);
	if (!pipeline || !hasIncomingStage(pipeline)) {
		// What we remember may be out of date (a pipeline added or switched since): look once more.
		pipelines = await getPipelines.call(context, { fresh: true });
		pipeline = find(pipelines);
	}
	const taking = pipelines
		.filter(hasIncomingStage)
		.map((candidate) => `"${candidate.name}" (${candidate.id})`)
		.join(', ');
	if (!pipeline) {
		throw operationError(
			context,
			itemIndex,
			text === ''
				? 'The amoCRM account has no main pipeline'
				: `Pipeline ${text} does not exist in this amoCRM account`,
			`Choose Pipeline from the list again. Pipelines that take incoming leads: ${taking || 'none'}.`,
		);
	}
	if (!hasIncomingStage(pipeline)) {
		throw operationError(
			context,
			itemIndex,
			`Pipeline "${pipeline.name}" does not take incoming leads`,
			`It has no Incoming leads stage ("Unsorted"). Choose another pipeline${taking ? ` (${taking})` : ''}, or switch on incoming leads for this pipeline in amoCRM.`,
		);
	}
	return pipeline;
}

/** A moment as Unix seconds: a date and time, an ISO text, or Unix seconds or milliseconds; empty is now. */
export function unixTime(
	context: IExecuteFunctions,
	itemIndex: number,
	given: unknown,
	label: string,
): number {
	const text =
		given === null || given === undefined
			? ''
			: given instanceof Date
				? given.toISOString()
				: String(given).trim();
	if (text === '') return Math.floor(Date.now() / 1000);
	if (/^\d+$/.test(text)) {
		const number = Number(text);
		return number > 1e12 ? Math.floor(number / 1000) : number;
	}
	const parsed = Date.parse(text);
	if (!Number.isFinite(parsed)) {
		throw operationError(
			context,
			itemIndex,
			`${label} must be a date and time, not "${text}"`,
			'Pick a date and time, map one such as 2026-11-28T09:15:00+05:00, or leave it empty for now.',
		);
	}
	return Math.floor(parsed / 1000);
}

/**
 * Reads and checks what every incoming lead has (source, pipeline, deal, contact, custom fields)
 * and puts the operation's metadata (read and checked before) in its body.
 */
export async function prepareIncomingLead<M extends object>(
	context: IExecuteFunctions,
	itemIndex: number,
	metadata: M,
	submission: string,
): Promise<PreparedIncomingLead<M>> {
	const sourceUid = requiredText(
		context,
		itemIndex,
		'sourceUid',
		submission,
		'Map a unique ID of this submission, or put back the default n8n-{{ $execution.id }}-{{ $itemIndex }}.',
	);
	const sourceName = requiredText(
		context,
		itemIndex,
		'sourceName',
		'Source Name',
		'Enter the source amoCRM shows on the lead, e.g. n8n or the name of your site.',
	);
	const price = Number(context.getNodeParameter('price', itemIndex, 0));
	if (!Number.isFinite(price) || price < 0) {
		throw operationError(
			context,
			itemIndex,
			`Price must be a positive number, not "${price}"`,
			"Enter the deal's value as a number such as 1500000, or 0 to leave it empty.",
		);
	}
	const contactName = String(context.getNodeParameter('contactName', itemIndex, '') ?? '').trim();
	const typedPhone = String(context.getNodeParameter('contactPhone', itemIndex, '') ?? '').trim();
	const typedEmail = String(context.getNodeParameter('contactEmail', itemIndex, '') ?? '').trim();
	const options = context.getNodeParameter('options', itemIndex, {}) as {
		defaultCountryCode?: string;
	};
	const country = await phoneCountry(context, options.defaultCountryCode, [typedPhone]);
	const phones =
		typedPhone === ''
			? []
			: [readPhone(context, itemIndex, 'Contact Phone', typedPhone, 'MOB', country)];
	const emails =
		typedEmail === '' ? [] : [readEmail(context, itemIndex, 'Contact Email', typedEmail, 'WORK')];

	const pipeline = await incomingPipeline(
		context,
		itemIndex,
		context.getNodeParameter('pipelineId', itemIndex, ''),
	);
	const additional = context.getNodeParameter('additionalFields', itemIndex, {}) as {
		tags?: string;
	};
	const customFields = await readCustomFields(context, itemIndex, 'leads');
	const lead = dealBody({
		name: String(context.getNodeParameter('dealName', itemIndex, '') ?? '').trim(),
		price: price > 0 ? Math.round(price) : undefined,
		customFields,
		tags: parseTags(additional.tags),
	});
	const hasContact = contactName !== '' || phones.length > 0 || emails.length > 0;
	const body: UnsortedCreateRequest<M> = {
		source_uid: sourceUid,
		source_name: sourceName,
		pipeline_id: pipeline.id,
		metadata,
		_embedded: {
			leads: [lead],
			...(hasContact ? { contacts: [contactBody({ name: contactName, phones, emails })] } : {}),
		},
	};
	return { itemIndex, body, pipeline };
}

/**
 * Creates the incoming leads in batches (Options > Batch Size, up to 250 per request) with
 * `POST /api/v4/leads/unsorted/{category}`. Each one's deal waits in its pipeline's Incoming
 * leads stage until someone accepts or declines it (in amoCRM, or with Accept / Decline).
 * `ownFields` names this operation's fields behind validation-error paths.
 */
export async function sendIncomingLeads<M extends object>(
	context: IExecuteFunctions,
	prepared: Array<PreparedIncomingLead<M>>,
	category: 'forms' | 'sip',
	ownFields: Record<string, string>,
): Promise<ItemResult[]> {
	const dealFields = prepared.some((item) => item.body._embedded.leads[0].custom_fields_values)
		? await getCustomFields.call(context, 'leads')
		: undefined;
	const account = await getAccount.call(context);
	const entries = prepared.map((item): BatchEntry<UnsortedCreateRequest<M>> => ({
		itemIndex: item.itemIndex,
		body: item.body,
		describePath: pathDescriber(item.body, dealFields, ownFields),
	}));
	const outcomes = await createCheckingRefusals<UnsortedCreateRequest<M>, CreatedIncomingLead>(
		context,
		{
			path: `leads/unsorted/${category}`,
			subject: 'incoming lead',
			embeddedKey: 'unsorted',
			batchSize: batchSizeOf(context),
			continueOnFail: context.continueOnFail(),
		},
		entries,
		async () => await forgetMetadata.call(context, ['pipelines', 'custom_fields:leads']),
		async (itemIndex) => {
			const item = prepared.find((candidate) => candidate.itemIndex === itemIndex);
			await incomingPipeline(context, itemIndex, item?.body.pipeline_id);
			await readCustomFields(context, itemIndex, 'leads');
		},
	);
	return outcomes.map((outcome, position) => {
		if (!('created' in outcome)) return outcome.error;
		const item = prepared[position];
		const created = outcome.created;
		const dealId = created._embedded?.leads?.[0]?.id ?? null;
		return [
			{
				uid: created.uid,
				sourceUid: item.body.source_uid,
				dealId,
				contactId: created._embedded?.contacts?.[0]?.id ?? null,
				pipelineId: item.pipeline.id,
				pipelineName: item.pipeline.name,
				url: dealId === null ? null : `${account.url}/leads/detail/${dealId}`,
			},
		];
	});
}

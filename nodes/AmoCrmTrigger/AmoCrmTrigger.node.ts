import type {
	IDataObject,
	IHookFunctions,
	ILoadOptionsFunctions,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { amoCrmCredentials, authenticationProperty } from '../AmoCrm/authentication';
import { getPipelines } from '../AmoCrm/methods/loadOptions';
import { getCustomFields, getPipelines as readPipelines } from '../AmoCrm/transport/catalog';
import type { CustomFieldEntity } from '../AmoCrm/transport/catalog';
import type { CustomField } from '../AmoCrm/transport/types';
import {
	deliveredEvents,
	deliveryAccount,
	eventItem,
	passesDealFilter,
	readDelivery,
} from './payload';
import type { AccountFields, DealFilter } from './payload';
import {
	CLOSE_TALK,
	SECRET_PARAMETER,
	registerWebhook,
	removeWebhook,
	webhookExists,
} from './subscription';
import type { TriggerStaticData } from './subscription';

/** Entities whose custom fields a delivery may carry, by the account's list they are read from. */
const FIELD_LISTS: Array<[keyof AccountFields, CustomFieldEntity]> = [
	['deal', 'leads'],
	['contact', 'contacts'],
	['company', 'companies'],
];

/** Compares in time independent of where the texts differ, so the secret cannot be guessed by timing. */
function sameSecret(expected: string | undefined, given: unknown): boolean {
	if (
		typeof expected !== 'string' ||
		expected === '' ||
		typeof given !== 'string' ||
		given.length !== expected.length
	)
		return false;
	let difference = 0;
	for (let index = 0; index < expected.length; index++)
		difference |= expected.charCodeAt(index) ^ given.charCodeAt(index);
	return difference === 0;
}

export class AmoCrmTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'AmoCRM Trigger',
		name: 'amoCrmTrigger',
		icon: { light: 'file:../AmoCrm/amocrm.svg', dark: 'file:../AmoCrm/amocrm.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["events"].join(", ") }}',
		description:
			'Starts the workflow when deals, contacts, companies, tasks, notes or incoming leads change in amoCRM or Kommo',
		defaults: { name: 'AmoCRM Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: amoCrmCredentials,
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				// The node answers amoCRM itself, at once (amoCRM waits 2 s at most).
				responseMode: 'onReceived',
				// A secret path segment: amoCRM signs nothing, so only its holder can start the workflow.
				// n8n stores a parameterised path once per instance: the workflow ID keeps it unique.
				path: `={{ "amocrm-" + $workflow.id }}/:${SECRET_PARAMETER}`,
				isFullPath: true,
			},
		],
		properties: [
			authenticationProperty(
				'The connection must belong to an amoCRM administrator: only administrators may register webhooks',
			),
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: [],
				description: 'What in amoCRM starts the workflow. Each event becomes one item.',
				options: [
					{ name: 'Company Added', value: 'add_company' },
					{ name: 'Company Deleted', value: 'delete_company' },
					{ name: 'Company Responsible User Changed', value: 'responsible_company' },
					{
						name: 'Company Restored',
						value: 'restore_company',
						description: 'A deleted company was restored',
					},
					{ name: 'Company Updated', value: 'update_company' },
					{ name: 'Contact Added', value: 'add_contact' },
					{ name: 'Contact Deleted', value: 'delete_contact' },
					{ name: 'Contact Responsible User Changed', value: 'responsible_contact' },
					{
						name: 'Contact Restored',
						value: 'restore_contact',
						description: 'A deleted contact was restored',
					},
					{ name: 'Contact Updated', value: 'update_contact' },
					{ name: 'Deal Added', value: 'add_lead', description: 'A new deal, from any source' },
					{ name: 'Deal Deleted', value: 'delete_lead' },
					{ name: 'Deal Responsible User Changed', value: 'responsible_lead' },
					{
						name: 'Deal Restored',
						value: 'restore_lead',
						description: 'A deleted deal was restored',
					},
					{
						name: 'Deal Stage Changed',
						value: 'status_lead',
						description: 'A deal moved to another stage or pipeline',
					},
					{
						name: 'Deal Updated',
						value: 'update_lead',
						description: 'Any change of a deal, stage changes included',
					},
					{
						name: 'Incoming Lead Added',
						value: 'add_unsorted',
						description: 'A new lead in Incoming leads (amoCRM "Unsorted")',
					},
					{
						name: 'Incoming Message (Kommo)',
						value: 'add_message',
						description: 'A customer wrote in a chat (Kommo accounts)',
					},
					{ name: 'Note Added to Company', value: 'note_company' },
					{ name: 'Note Added to Contact', value: 'note_contact' },
					{ name: 'Note Added to Deal', value: 'note_lead' },
					{
						name: 'Talk Added',
						value: 'add_talk',
						description: 'A new chat conversation with a customer began',
					},
					{
						name: 'Talk Closed',
						value: CLOSE_TALK,
						description:
							'A chat conversation was closed (a talk update that leaves it out of work)',
					},
					{
						name: 'Talk Updated',
						value: 'update_talk',
						description: 'Any change of a chat conversation, closing included',
					},
					{ name: 'Task Added', value: 'add_task' },
					{ name: 'Task Deleted', value: 'delete_task' },
					{
						name: 'Task Updated',
						value: 'update_task',
						description: 'Any change of a task, completion included',
					},
				],
			},
			{
				displayName: 'Other Event Codes',
				name: 'otherEvents',
				type: 'string',
				default: '',
				placeholder: 'add_customer, update_customer',
				description:
					'Codes of amoCRM events not in the list above (e.g. ones amoCRM adds later), separated by commas. Each delivery becomes an item named after the code, with its data in raw.',
			},
			{
				displayName: 'Deal Filter',
				name: 'dealFilter',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				description:
					'Deal events outside these pipelines or stages do not start the workflow. Other events are not filtered.',
				options: [
					{
						displayName: 'Pipeline Names or IDs',
						name: 'pipelineIds',
						type: 'multiOptions',
						typeOptions: { loadOptionsMethod: 'getPipelines' },
						default: [],
						description:
							'Only deals in these pipelines. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
					{
						displayName: 'Stage Names or IDs',
						name: 'stages',
						type: 'multiOptions',
						typeOptions: { loadOptionsMethod: 'getPipelineStages' },
						default: [],
						description:
							'Only deals in these stages (for "Deal Stage Changed": moved to one of them). Each stage is named with its pipeline, its ID is "pipelineID:stageID". Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
				],
			},
		],
	};

	methods = {
		loadOptions: {
			getPipelines,
			/** Every stage of every pipeline, as "Pipeline → Stage": stage IDs 142 and 143 close every pipeline. */
			async getPipelineStages(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				const pipelines = (await readPipelines.call(this))
					.filter((pipeline) => pipeline.is_archive !== true)
					.sort((a, b) => a.sort - b.sort);
				return pipelines.flatMap((pipeline) =>
					[...pipeline._embedded.statuses]
						.sort((a, b) => a.sort - b.sort)
						.map((status) => ({
							name: `${pipeline.name} → ${status.name}`,
							value: `${pipeline.id}:${status.id}`,
							description: `Pipeline ID ${pipeline.id}, stage ID ${status.id}`,
						})),
				);
			},
		},
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await webhookExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await registerWebhook.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await removeWebhook.call(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const response = this.getResponseObject();
		const staticData = this.getWorkflowStaticData('node') as TriggerStaticData;
		const refuse = (reason: string): IWebhookResponseData => {
			response.status(403).json({ message: reason });
			return { noWebhookResponse: true };
		};
		const params = this.getParamsData() as IDataObject;
		if (!sameSecret(staticData.secret, params[SECRET_PARAMETER]))
			return refuse('Unknown webhook address');

		const request = this.getRequestObject() as { rawBody?: Buffer };
		const payload = readDelivery(request.rawBody, this.getBodyData());
		const account = deliveryAccount(payload);
		const accountMatches =
			(account.id !== null || account.subdomain !== null) &&
			(account.id === null ||
				staticData.accountId === undefined ||
				account.id === staticData.accountId) &&
			(account.subdomain === null ||
				staticData.subdomain === undefined ||
				account.subdomain.toLowerCase() === staticData.subdomain);
		if (!accountMatches) return refuse('This webhook belongs to another amoCRM account');

		// Answered now: amoCRM waits 2 s at most and switches a webhook off after repeated failures.
		response.status(200).json({ received: true });

		const delivered = deliveredEvents(payload);
		const fields: AccountFields = {};
		for (const [entity, list] of FIELD_LISTS) {
			const needed = delivered.some(
				(event) => event.entity === entity && event.data.custom_fields !== undefined,
			);
			if (!needed) continue;
			try {
				fields[entity] = (await getCustomFields.call(this, list)) as CustomField[];
			} catch {
				// Without the account's list, the names amoCRM put in the delivery are used.
			}
		}
		const dealFilter = this.getNodeParameter('dealFilter', {}) as {
			pipelineIds?: Array<string | number>;
			stages?: string[];
		};
		const filter: DealFilter = {
			pipelineIds: (dealFilter.pipelineIds ?? []).map(Number),
			stages: (dealFilter.stages ?? []).map(String),
		};
		const chosen = this.getNodeParameter('events', []) as string[];
		// "Talk Closed" alone subscribes to talk updates: the other updates are not asked for.
		const closedOnly = chosen.includes(CLOSE_TALK) && !chosen.includes('update_talk');
		const items = delivered
			.map((event) => eventItem(event, account.id ?? staticData.accountId ?? null, fields))
			.filter((item) => passesDealFilter(item, filter))
			.filter((item) => !(closedOnly && item.event === 'talk.updated'))
			.map((json) => ({ json }));
		if (items.length === 0) return { noWebhookResponse: true };
		return { noWebhookResponse: true, workflowData: [items] };
	}
}

import type { IDataObject, IHookFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { normaliseSubdomain } from '../AmoCrm/helpers/account';
import { amoCrmApiRequest, getAccount } from '../AmoCrm/transport/request';

/**
 * The trigger's webhook in amoCRM (https://www.amocrm.ru/developers/content/crm_platform/webhooks-api):
 * `GET /api/v4/webhooks` lists them, `POST` with a destination already there updates that one,
 * `DELETE` removes one by its destination. amoCRM signs nothing, so the destination carries a
 * secret path segment made at registration; the node keeps it with what amoCRM answered
 * (account ID) in the workflow's static data.
 */

/** The webhook path's placeholder for the secret (n8n routes any value of it to this node). */
export const SECRET_PARAMETER = 'secret';

export interface AmoCrmWebhook {
	id: number;
	destination: string;
	disabled?: boolean;
	settings: string[];
	account_id?: number;
}

/** What the node remembers between registration and deliveries. */
export interface TriggerStaticData extends IDataObject {
	secret?: string;
	accountId?: number;
	subdomain?: string;
}

function urlTemplate(this: IHookFunctions): string {
	const url = this.getNodeWebhookUrl('default');
	if (!url || !url.includes(`/:${SECRET_PARAMETER}`)) {
		throw new NodeOperationError(this.getNode(), 'n8n gave this trigger no webhook URL', {
			description: 'Save the workflow, then publish it again.',
		});
	}
	return url;
}

/** Every webhook of this node starts with this (n8n's URL up to the secret). */
function ownPrefix(template: string): string {
	return template.slice(0, template.indexOf(`:${SECRET_PARAMETER}`));
}

function destinationFor(template: string, secret: string): string {
	return template.replace(`:${SECRET_PARAMETER}`, secret);
}

/** "Talk Closed": amoCRM has no event of its own for it; it is a talk update that leaves the talk out of work. */
export const CLOSE_TALK = 'close_talk';

/** amoCRM's event codes are lower-case words joined by underscores (webhooks-api, "Возможные события"). */
const EVENT_CODE = /^[a-z]+(_[a-z]+)+$/;

/** The events to ask amoCRM for: the chosen ones, Talk Closed as talk updates, and the other codes typed in. */
function chosenEvents(this: IHookFunctions): string[] {
	const events = (this.getNodeParameter('events', []) as string[]).map((event) =>
		event === CLOSE_TALK ? 'update_talk' : event,
	);
	const other = String(this.getNodeParameter('otherEvents', '') ?? '')
		.split(',')
		.map((code) => code.trim())
		.filter((code) => code !== '');
	for (const code of other) {
		if (!EVENT_CODE.test(code)) {
			throw new NodeOperationError(this.getNode(), `"${code}" is not an amoCRM event code`, {
				description:
					"Other Event Codes takes amoCRM's codes such as add_customer or update_customer, separated by commas.",
			});
		}
	}
	if (events.length + other.length === 0) {
		throw new NodeOperationError(this.getNode(), 'No events chosen', {
			description: 'Choose at least one event in "Events", then publish again.',
		});
	}
	return [...new Set([...events, ...other])].sort();
}

function sameEvents(a: string[], b: string[]): boolean {
	return (
		a.length === b.length && [...a].sort().every((event, index) => event === [...b].sort()[index])
	);
}

/** Registering webhooks is for administrators only: say so where amoCRM only says "Forbidden". */
function explained(this: IHookFunctions, error: unknown): unknown {
	if (error instanceof NodeApiError && error.httpCode === '403') {
		error.description =
			`Only an administrator of the amoCRM account may register webhooks: connect the credential as an administrator (the long-lived token of a private integration installed by an administrator works too). ${error.description ?? ''}`.trim();
	}
	return error;
}

async function listWebhooks(this: IHookFunctions): Promise<AmoCrmWebhook[]> {
	const answer = (await amoCrmApiRequest.call(this, {
		method: 'GET',
		path: 'webhooks',
		subject: 'webhook list',
	})) as { _embedded?: { webhooks?: AmoCrmWebhook[] } } | undefined;
	return answer?._embedded?.webhooks ?? [];
}

async function deleteWebhook(this: IHookFunctions, destination: string): Promise<void> {
	await amoCrmApiRequest.call(this, {
		method: 'DELETE',
		path: 'webhooks',
		body: { destination },
		subject: 'webhook',
	});
}

/** True when amoCRM has this node's webhook, switched on, with exactly the chosen events. */
export async function webhookExists(this: IHookFunctions): Promise<boolean> {
	const staticData = this.getWorkflowStaticData('node') as TriggerStaticData;
	if (!staticData.secret) return false;
	const destination = destinationFor(urlTemplate.call(this), staticData.secret);
	const events = chosenEvents.call(this);
	let hooks: AmoCrmWebhook[];
	try {
		hooks = await listWebhooks.call(this);
	} catch (error) {
		throw explained.call(this, error);
	}
	const current = hooks.find((hook) => hook.destination === destination);
	// amoCRM switches a webhook off after repeated failed deliveries: then it is as good as missing.
	if (!current || current.disabled === true || !sameEvents(current.settings ?? [], events))
		return false;
	if (typeof current.account_id === 'number') staticData.accountId = current.account_id;
	return true;
}

/**
 * 64 random hex characters from Node's global Web Crypto. Not n8n-workflow's generateSecureToken:
 * it exists only from n8n 2.14 on, and the node runs on older n8n too.
 */
function newSecret(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(32));
	return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * Registers the node's webhook: one per node, whatever was there before. Webhooks of this node
 * with another secret (an earlier registration whose record was lost) or switched off are removed
 * first; a destination amoCRM already has is updated by amoCRM itself, not doubled.
 */
export async function registerWebhook(this: IHookFunctions): Promise<boolean> {
	const staticData = this.getWorkflowStaticData('node') as TriggerStaticData;
	const template = urlTemplate.call(this);
	const events = chosenEvents.call(this);
	const secret = staticData.secret ?? newSecret();
	const destination = destinationFor(template, secret);
	try {
		const stale = (await listWebhooks.call(this)).filter(
			(hook) =>
				hook.destination.startsWith(ownPrefix(template)) &&
				(hook.destination !== destination || hook.disabled === true),
		);
		for (const hook of stale) await deleteWebhook.call(this, hook.destination);
		const created = (await amoCrmApiRequest.call(this, {
			method: 'POST',
			path: 'webhooks',
			body: { destination, settings: events },
			subject: 'webhook',
		})) as AmoCrmWebhook | undefined;
		const account = await getAccount.call(this);
		staticData.secret = secret;
		staticData.subdomain = normaliseSubdomain(account.url);
		if (typeof created?.account_id === 'number') staticData.accountId = created.account_id;
		return true;
	} catch (error) {
		throw explained.call(this, error);
	}
}

/** Removes every webhook of this node from amoCRM (none left is fine). */
export async function removeWebhook(this: IHookFunctions): Promise<boolean> {
	const staticData = this.getWorkflowStaticData('node') as TriggerStaticData;
	const prefix = ownPrefix(urlTemplate.call(this));
	try {
		const own = (await listWebhooks.call(this)).filter((hook) =>
			hook.destination.startsWith(prefix),
		);
		for (const hook of own) await deleteWebhook.call(this, hook.destination);
	} catch (error) {
		throw explained.call(this, error);
	}
	delete staticData.secret;
	delete staticData.accountId;
	delete staticData.subdomain;
	return true;
}

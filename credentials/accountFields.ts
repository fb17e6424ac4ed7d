import type { IAuthenticateRuleResponseCode, INodeProperties } from 'n8n-workflow';

/** What both amoCRM credentials ask for: the account's address and the request budget. */

export const subdomainProperty: INodeProperties = {
	displayName: 'Subdomain',
	name: 'subdomain',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'mycompany',
	description:
		'The first part of the address you open amoCRM at: mycompany for https://mycompany.amocrm.ru. A pasted address works too. If Test says ENOTFOUND or EAI_AGAIN, no such address was found: check it, and that n8n can reach the internet.',
};

export const domainProperty: INodeProperties = {
	displayName: 'Domain',
	name: 'domain',
	type: 'options',
	options: [
		{ name: 'amocrm.ru (amoCRM)', value: 'amocrm.ru' },
		{ name: 'kommo.com (Kommo, formerly amocrm.com)', value: 'kommo.com' },
	],
	default: 'amocrm.ru',
	description: 'Where the account lives. Accounts that used amocrm.com have moved to kommo.com.',
};

export const requestsPerSecondProperty: INodeProperties = {
	displayName: 'Requests per Second',
	name: 'requestsPerSecond',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 7 },
	default: 7,
	description:
		'amoCRM allows 7 requests per second per account. Lower it when several n8n workers or other tools share this account (e.g. 3 with two queue-mode workers).',
};

/**
 * The account host as an n8n expression over the credential's data (`$self` in the
 * credential's own fields, `$credentials` in its test request). It normalises what the user
 * pasted like nodes/AmoCrm/helpers/account.ts does: keep the two in step.
 */
export function accountHostExpression(data: '$self' | '$credentials'): string {
	return `${data}.subdomain.trim().toLowerCase().replace('https://', '').replace('http://', '').split('/')[0].split('.')[0] + '.' + ${data}.domain`;
}

/**
 * What the credential's Test button says for amoCRM's refusals, instead of n8n's bare
 * "Unauthorized" (the same advice as the node's errors). A network failure (ENOTFOUND,
 * EAI_AGAIN) is shown by n8n as its code alone: the Subdomain hint explains it.
 */
export function credentialTestRules(tokenAdvice: string): IAuthenticateRuleResponseCode[] {
	const rule = (value: number, message: string): IAuthenticateRuleResponseCode => ({
		type: 'responseCode',
		properties: { value, message },
	});
	return [
		// amoCRM answers a request to an account that does not exist with 401 too (its code 101).
		rule(
			401,
			`amoCRM rejected the token. ${tokenAdvice} If this credential never worked, check Subdomain and Domain first: amoCRM answers 401 for an account that does not exist too.`,
		),
		rule(
			402,
			'The amoCRM account is unpaid or its trial ended: pay for it in amoCRM, then test again.',
		),
		rule(
			403,
			'amoCRM refused access: the user who connected the integration lacks rights, or amoCRM blocked API access to the account (only amoCRM support can lift that).',
		),
		rule(
			404,
			'There is no amoCRM account at this address: check Subdomain (mycompany in mycompany.amocrm.ru) and Domain.',
		),
	];
}

import type { INodeProperties } from 'n8n-workflow';

/** What both amoCRM credentials ask for: the account's address and the request budget. */

export const subdomainProperty: INodeProperties = {
	displayName: 'Subdomain',
	name: 'subdomain',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'mycompany',
	description:
		'The first part of the address you open amoCRM at: mycompany for https://mycompany.amocrm.ru. A pasted address works too.',
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

import type {
	Icon,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { accountHost } from '../nodes/AmoCrm/helpers/account';
import type { AmoCrmDomain } from '../nodes/AmoCrm/transport/types';
import {
	accountHostExpression,
	credentialTestRules,
	domainProperty,
	requestsPerSecondProperty,
	subdomainProperty,
} from './accountFields';

/**
 * amoCRM / Kommo long-lived token (private integrations, since 2024): a Bearer token
 * of 1 day to 5 years, shown once in the integration's "Keys and scopes" tab.
 */

function requestHost(requestOptions: IHttpRequestOptions): string | undefined {
	try {
		return new URL(requestOptions.url, requestOptions.baseURL).host.toLowerCase();
	} catch {
		return undefined;
	}
}

export class AmoCrmApi implements ICredentialType {
	name = 'amoCrmApi';

	displayName = 'AmoCRM / Kommo Long-Lived Token API';

	icon: Icon = {
		light: 'file:../nodes/AmoCrm/amocrm.svg',
		dark: 'file:../nodes/AmoCrm/amocrm.dark.svg',
	};

	documentationUrl =
		'https://github.com/n8n-nodes-amocrm/n8n-nodes-amocrm#connect-amocrm-with-a-long-lived-token';

	// Only the AmoCRM node may use this credential: its requests can only go to the account's host.
	supportedNodes = ['amoCrm'];

	restrictToSupportedNodes = true as const;

	properties: INodeProperties[] = [
		subdomainProperty,
		domainProperty,
		{
			displayName: 'Long-Lived Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'In amoCRM open amoMarket (Kommo: Settings > Integrations) > your integration > "Keys and scopes", click "Generate long-lived token", choose its lifetime and paste it here (amoCRM shows it only once)',
		},
		requestsPerSecondProperty,
		{
			// n8n's own field (n8n-workflow's credential domain restrictions), which n8n otherwise adds to
			// the form showing "All": it only governs the HTTP Request and GraphQL nodes, which cannot use
			// this credential anyway. Hidden at "none", as in the OAuth2 credential, so the form does not
			// suggest the token may go anywhere.
			displayName: 'Allowed HTTP Request Domains',
			name: 'allowedHttpRequestDomains',
			type: 'hidden',
			default: 'none',
		},
	];

	/** Adds the token, and refuses to send it anywhere but the account's own host. */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const expected = accountHost(
			String(credentials.subdomain ?? ''),
			(credentials.domain as AmoCrmDomain | undefined) ?? 'amocrm.ru',
		);
		const actual = requestHost(requestOptions);
		if (actual !== expected) {
			throw new Error(
				`The AmoCRM token is only sent to ${expected}, not to ${actual ?? 'this address'}`,
			);
		}
		return {
			...requestOptions,
			headers: {
				...(requestOptions.headers ?? {}),
				Authorization: `Bearer ${String(credentials.accessToken)}`,
			},
		};
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{ 'https://' + ${accountHostExpression('$credentials')} }}`,
			url: '/api/v4/account',
		},
		rules: credentialTestRules(
			'It was revoked or has expired, or it belongs to another account: in amoCRM open amoMarket (Kommo: Settings > Integrations) > your integration > Keys and scopes, generate a new long-lived token and paste it here.',
		),
	};
}

import type { Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import {
	accountHostExpression,
	credentialTestRules,
	domainProperty,
	requestsPerSecondProperty,
	subdomainProperty,
} from './accountFields';

/**
 * amoCRM / Kommo OAuth 2.0 ("external integration" or private integration with client
 * ID and secret). n8n runs the Connect flow and renews tokens; amoCRM rotates the
 * refresh token on every renewal and n8n stores the new one.
 *
 * The token endpoint lives on the account's own host, so the subdomain is asked for
 * before Connect. The hidden URL expressions normalise what the user pasted the same
 * way as nodes/AmoCrm/helpers/account.ts (keep them in step).
 */
export class AmoCrmOAuth2Api implements ICredentialType {
	name = 'amoCrmOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'AmoCRM / Kommo OAuth2 API';

	icon: Icon = {
		light: 'file:../nodes/AmoCrm/amocrm.svg',
		dark: 'file:../nodes/AmoCrm/amocrm.dark.svg',
	};

	documentationUrl =
		'https://github.com/n8n-nodes-amocrm/n8n-nodes-amocrm#connect-amocrm-with-oauth2';

	supportedNodes = ['amoCrm'];

	// Not `restrictToSupportedNodes`: n8n runs an OAuth2 credential's test on a stand-in node,
	// which that flag refuses. The HTTP Request and GraphQL nodes are kept away instead by
	// n8n's domain restriction, fixed to "none" below, and the AmoCRM node only ever sends
	// requests to the account's own host.

	properties: INodeProperties[] = [
		{
			displayName:
				'In amoCRM open amoMarket > ⋯ > Create integration > External integration (Kommo: Settings > Integrations > Create integration), paste the OAuth Redirect URL shown above as the redirect link, save, and copy the Integration ID and Secret key from the "Keys and scopes" tab into this form.',
			name: 'setupNotice',
			type: 'notice',
			default: '',
		},
		subdomainProperty,
		domainProperty,
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'authorizationCode',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default:
				"={{ $self.domain === 'kommo.com' ? 'https://www.kommo.com/oauth' : 'https://www.amocrm.ru/oauth' }}",
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: `={{ 'https://' + ${accountHostExpression('$self')} + '/oauth2/access_token' }}`,
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'The "Integration ID" from the integration\'s "Keys and scopes" tab in amoCRM',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The "Secret key" from the integration\'s "Keys and scopes" tab in amoCRM',
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: '',
		},
		{
			// amoCRM opens the redirect in the opener window unless asked for post_message,
			// and n8n expects its callback inside the popup it opened.
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: 'mode=post_message',
		},
		{
			// amoCRM documents the client credentials in the body of token requests.
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'body',
		},
		requestsPerSecondProperty,
		{
			// n8n's own field (see n8n-workflow's credential domain restrictions): "none" makes the
			// HTTP Request and GraphQL nodes refuse this credential, so its token cannot be sent to
			// another host from there.
			displayName: 'Allowed HTTP Request Domains',
			name: 'allowedHttpRequestDomains',
			type: 'hidden',
			default: 'none',
		},
	];

	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{ 'https://' + ${accountHostExpression('$credentials')} }}`,
			url: '/api/v4/account',
		},
		rules: credentialTestRules(
			'Click "Reconnect" above. This happens when the integration was switched off in amoCRM, the connecting user lost access, or the credential went unused for three months.',
		),
	};
}

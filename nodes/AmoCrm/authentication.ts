import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

/**
 * How the AmoCRM nodes connect: the OAuth2 or the long-lived token credential, chosen by the
 * `authentication` parameter (the transport reads it to pick the credential).
 */
export const amoCrmCredentials: INodeCredentialDescription[] = [
	{
		name: 'amoCrmOAuth2Api',
		required: true,
		displayOptions: { show: { authentication: ['oAuth2'] } },
	},
	{
		name: 'amoCrmApi',
		required: true,
		displayOptions: { show: { authentication: ['longLivedToken'] } },
	},
];

export function authenticationProperty(description: string): INodeProperties {
	return {
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		options: [
			{ name: 'Long-Lived Token', value: 'longLivedToken' },
			{ name: 'OAuth2', value: 'oAuth2' },
		],
		default: 'oAuth2',
		description,
	};
}

import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * n8n's generic `oAuth2Api` credential type, which `amoCrmOAuth2Api` extends.
 *
 * In n8n it lives in n8n-nodes-base, which this package does not depend on. This is a
 * minimal stand-in written for the harness: the property names and defaults that n8n-core
 * reads when it builds its OAuth2 client (`grantType`, `accessTokenUrl`, `clientId`,
 * `clientSecret`, `scope`, `authentication`, `ignoreSSLIssues`, ...). A child credential
 * overrides them exactly as it does in n8n (child properties win when merged).
 */
const oAuth2ApiProperties: INodeProperties[] = [
	{
		displayName: 'Use Dynamic Client Registration',
		name: 'useDynamicClientRegistration',
		type: 'hidden',
		default: false,
	},
	{
		displayName: 'Grant Type',
		name: 'grantType',
		type: 'options',
		options: [
			{ name: 'Authorization Code', value: 'authorizationCode' },
			{ name: 'Client Credentials', value: 'clientCredentials' },
			{ name: 'PKCE', value: 'pkce' },
		],
		default: 'authorizationCode',
	},
	{
		displayName: 'Authorization URL',
		name: 'authUrl',
		type: 'string',
		default: '',
		required: true,
	},
	{
		displayName: 'Access Token URL',
		name: 'accessTokenUrl',
		type: 'string',
		default: '',
		required: true,
	},
	{ displayName: 'Client ID', name: 'clientId', type: 'string', default: '', required: true },
	{
		displayName: 'Client Secret',
		name: 'clientSecret',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
	},
	{ displayName: 'Scope', name: 'scope', type: 'string', default: '' },
	{
		displayName: 'Auth URI Query Parameters',
		name: 'authQueryParameters',
		type: 'string',
		default: '',
	},
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		options: [
			{ name: 'Body', value: 'body' },
			{ name: 'Header', value: 'header' },
		],
		default: 'header',
	},
	{
		displayName: 'Ignore SSL Issues (Insecure)',
		name: 'ignoreSSLIssues',
		type: 'boolean',
		default: false,
	},
];

export const oAuth2ApiBase: ICredentialType = {
	name: 'oAuth2Api',
	displayName: 'OAuth2 API',
	properties: oAuth2ApiProperties,
};

/** Built-in credential types that package credentials may extend. */
export const builtInCredentialTypes: ICredentialType[] = [oAuth2ApiBase];

/** The credential types one run knows: by name, with their `extends` chain. */
export class HarnessCredentialTypes {
	private readonly types = new Map<string, ICredentialType>();

	constructor(types: ICredentialType[]) {
		for (const type of [...builtInCredentialTypes, ...types]) this.types.set(type.name, type);
	}

	recognizes(name: string): boolean {
		return this.types.has(name);
	}

	getByName(name: string): ICredentialType {
		const type = this.types.get(name);
		if (type === undefined) throw new Error(`Harness: unknown credential type "${name}"`);
		return type;
	}

	/** All ancestors, nearest first (n8n-core checks this list for `oAuth2Api`). */
	getParentTypes(name: string): string[] {
		const parents: string[] = [];
		for (const parent of this.getByName(name).extends ?? []) {
			parents.push(parent, ...this.getParentTypes(parent));
		}
		return parents;
	}
}

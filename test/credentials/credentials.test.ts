import { Workflow } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	INode,
	INodeProperties,
	INodeTypes,
} from 'n8n-workflow';

import { AmoCrmApi } from '../../credentials/AmoCrmApi.credentials';
import { AmoCrmOAuth2Api } from '../../credentials/AmoCrmOAuth2Api.credentials';

/** Resolves a credential's expression-valued default the way n8n does: $self is the credential's own data. */
function resolveWithSelf(
	expression: unknown,
	data: ICredentialDataDecryptedObject,
	asCredentials = false,
): unknown {
	const node = {
		id: '1',
		name: 'AmoCRM',
		type: 'n8n-nodes-amocrm.amoCrm',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	} as INode;
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: { getByNameAndVersion: () => undefined } as unknown as INodeTypes,
	});
	if (asCredentials) {
		// Credential test requests see the credential's data as $credentials.
		return workflow.expression.getComplexParameterValue(node, expression as string, 'internal', {
			$credentials: data,
		} as never);
	}
	return workflow.expression.getComplexParameterValue(
		node,
		expression as string,
		'internal',
		{},
		undefined,
		undefined,
		data,
	);
}

function property(properties: INodeProperties[], name: string): INodeProperties {
	const found = properties.find((candidate) => candidate.name === name);
	if (!found) throw new Error(`no property ${name}`);
	return found;
}

describe('AmoCRM OAuth2 credential', () => {
	const credential = new AmoCrmOAuth2Api();

	it('is listed as "AmoCRM / Kommo OAuth2 API" (n8n\'s rules: a credential name ends in "API")', () => {
		expect(credential.displayName).toBe('AmoCRM / Kommo OAuth2 API');
	});

	it("extends n8n's OAuth2 so that n8n connects and renews tokens", () => {
		expect(credential.name).toBe('amoCrmOAuth2Api');
		expect(credential.extends).toEqual(['oAuth2Api']);
		expect(property(credential.properties, 'grantType').default).toBe('authorizationCode');
	});

	it("asks amoCRM for the callback inside n8n's popup and sends client credentials in the body", () => {
		expect(property(credential.properties, 'authQueryParameters').default).toBe(
			'mode=post_message',
		);
		expect(property(credential.properties, 'authentication').default).toBe('body');
		expect(property(credential.properties, 'scope').default).toBe('');
	});

	it("is kept away from the HTTP Request node by n8n's domain restriction, not by node restriction (which breaks its test)", () => {
		expect(credential.supportedNodes).toEqual(['amoCrm']);
		expect((credential as ICredentialType).restrictToSupportedNodes).toBeUndefined();
		expect(property(credential.properties, 'allowedHttpRequestDomains')).toMatchObject({
			type: 'hidden',
			default: 'none',
		});
	});

	it('offers amocrm.ru and kommo.com', () => {
		expect(property(credential.properties, 'domain').options).toEqual([
			{ name: 'amocrm.ru (amoCRM)', value: 'amocrm.ru' },
			{ name: 'kommo.com (Kommo, formerly amocrm.com)', value: 'kommo.com' },
		]);
	});

	it.each([
		[
			'mycompany',
			'amocrm.ru',
			'https://www.amocrm.ru/oauth',
			'https://mycompany.amocrm.ru/oauth2/access_token',
		],
		[
			'https://MyCompany.amocrm.ru/leads/pipeline/1',
			'amocrm.ru',
			'https://www.amocrm.ru/oauth',
			'https://mycompany.amocrm.ru/oauth2/access_token',
		],
		[
			'shop.kommo.com',
			'kommo.com',
			'https://www.kommo.com/oauth',
			'https://shop.kommo.com/oauth2/access_token',
		],
	])(
		'sends %p on %p to consent at %p and exchanges the code at %p',
		(subdomain, domain, authUrl, tokenUrl) => {
			const data = { subdomain, domain };
			expect(resolveWithSelf(property(credential.properties, 'authUrl').default, data)).toBe(
				authUrl,
			);
			expect(resolveWithSelf(property(credential.properties, 'accessTokenUrl').default, data)).toBe(
				tokenUrl,
			);
		},
	);

	it('tests the connection with GET /api/v4/account on the account host', () => {
		expect(credential.test.request.url).toBe('/api/v4/account');
		expect(
			resolveWithSelf(
				credential.test.request.baseURL,
				{ subdomain: 'Shop.amocrm.ru', domain: 'amocrm.ru' },
				true,
			),
		).toBe('https://shop.amocrm.ru');
	});
});

describe('AmoCRM long-lived token credential', () => {
	const credential = new AmoCrmApi();
	const data = {
		subdomain: 'https://Shop.amocrm.ru/leads',
		domain: 'amocrm.ru',
		accessToken: 'llt-secret',
	};

	it('is listed as "AmoCRM / Kommo Long-Lived Token API", its type name unchanged', () => {
		expect(credential.displayName).toBe('AmoCRM / Kommo Long-Lived Token API');
		expect(credential.name).toBe('amoCrmApi');
	});

	it('adds the token as Bearer to requests for the account host', async () => {
		const signed = await credential.authenticate(data, {
			url: 'https://shop.amocrm.ru/api/v4/account',
			method: 'GET',
		});
		expect(signed.headers).toEqual({ Authorization: 'Bearer llt-secret' });
	});

	it('adds the token when the URL is split into base URL and path', async () => {
		const signed = await credential.authenticate(data, {
			baseURL: 'https://shop.amocrm.ru',
			url: '/api/v4/account',
		});
		expect(signed.headers).toEqual({ Authorization: 'Bearer llt-secret' });
	});

	it('refuses to send the token to any other host', async () => {
		await expect(
			credential.authenticate(data, { url: 'https://evil.example.com/api/v4/account' }),
		).rejects.toThrow('The AmoCRM token is only sent to shop.amocrm.ru, not to evil.example.com');
		await expect(
			credential.authenticate(data, { url: 'https://shop.amocrm.ru.evil.com/' }),
		).rejects.toThrow('not to shop.amocrm.ru.evil.com');
		await expect(
			credential.authenticate(
				{ ...data, domain: 'kommo.com' },
				{ url: 'https://shop.amocrm.ru/api/v4/account' },
			),
		).rejects.toThrow('only sent to shop.kommo.com');
	});

	it('keeps the token hidden in the editor and is usable by the AmoCRM node only', () => {
		expect(property(credential.properties, 'accessToken').typeOptions).toEqual({ password: true });
		expect(credential.restrictToSupportedNodes).toBe(true);
		// n8n's own field, hidden at "none": the form offers no "All" for the HTTP Request node.
		expect(property(credential.properties, 'allowedHttpRequestDomains')).toMatchObject({
			type: 'hidden',
			default: 'none',
		});
		expect(credential.test.request.url).toBe('/api/v4/account');
		expect(
			resolveWithSelf(
				credential.test.request.baseURL,
				{ subdomain: 'shop', domain: 'kommo.com' },
				true,
			),
		).toBe('https://shop.kommo.com');
	});
});

describe('credential Test messages', () => {
	it.each([
		['OAuth2', new AmoCrmOAuth2Api(), 'Click "Reconnect" above.'],
		[
			'long-lived token',
			new AmoCrmApi(),
			'It was revoked or has expired, or it belongs to another account',
		],
	])(
		'%s: amoCRM\'s refusals get the node\'s advice instead of "Unauthorized"',
		(_kind, credential: ICredentialType, tokenAdvice) => {
			const rules = (credential.test?.rules ?? []).map(
				(rule) => rule.properties as { value: number; message: string },
			);
			expect(credential.test?.rules?.every((rule) => rule.type === 'responseCode')).toBe(true);
			expect(rules.map((rule) => rule.value)).toEqual([401, 402, 403, 404]);
			expect(rules[0].message).toContain(`amoCRM rejected the token. ${tokenAdvice}`);
			expect(rules[0].message).toMatch(
				/ If this credential never worked, check Subdomain and Domain first: amoCRM answers 401 for an account that does not exist too\.$/,
			);
			expect(rules[2].message).toMatch(
				/^amoCRM refused access: the user who connected the integration lacks rights/,
			);
			expect(rules[3].message).toBe(
				'There is no amoCRM account at this address: check Subdomain (mycompany in mycompany.amocrm.ru) and Domain.',
			);
		},
	);
});

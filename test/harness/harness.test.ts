/**
 * The harness's own test, independent of the AmoCRM node: a throwaway node and credentials
 * (one with generic expression auth, one extending oAuth2Api) defined here.
 */
import nock from 'nock';
import { NodeApiError, NodeConnectionTypes } from 'n8n-workflow';
import type {
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeParameters,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	JsonObject,
} from 'n8n-workflow';

import { CredentialStore, runWorkflow } from '.';
import { mockAmoCrm } from '../workflows/amocrm-mock';
import type { WorkflowJson } from '.';

const fakeTokenApi: ICredentialType = {
	name: 'fakeTokenApi',
	displayName: 'Fake token',
	properties: [
		{ displayName: 'Subdomain', name: 'subdomain', type: 'string', default: '' },
		{ displayName: 'Token', name: 'accessToken', type: 'string', default: '' },
	],
	authenticate: {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
	},
};

const fakeOAuth2Api: ICredentialType = {
	name: 'fakeOAuth2Api',
	displayName: 'Fake OAuth2',
	extends: ['oAuth2Api'],
	properties: [
		{ displayName: 'Subdomain', name: 'subdomain', type: 'string', default: '' },
		{ displayName: 'Grant Type', name: 'grantType', type: 'hidden', default: 'authorizationCode' },
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: 'https://www.amocrm.ru/oauth',
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: '=https://{{$self["subdomain"]}}.amocrm.ru/oauth2/access_token',
		},
		{ displayName: 'Authentication', name: 'authentication', type: 'hidden', default: 'body' },
	],
};

class FakeCrm implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Fake CRM',
		name: 'fakeCrm',
		group: ['transform'],
		version: 1,
		description: 'Throwaway node for the harness self-test',
		defaults: { name: 'Fake CRM' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'fakeTokenApi',
				required: true,
				displayOptions: { show: { authentication: ['token'] } },
			},
			{
				name: 'fakeOAuth2Api',
				required: true,
				displayOptions: { show: { authentication: ['oAuth2'] } },
			},
		],
		properties: [
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{ name: 'OAuth2', value: 'oAuth2' },
					{ name: 'Token', value: 'token' },
				],
				default: 'oAuth2',
			},
			{ displayName: 'Path', name: 'path', type: 'string', default: 'contacts' },
			{ displayName: 'Name', name: 'name', type: 'string', default: '' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const out: INodeExecutionData[] = [];
		const authentication = this.getNodeParameter('authentication', 0) as string;
		const credentialType = authentication === 'token' ? 'fakeTokenApi' : 'fakeOAuth2Api';
		const { subdomain } = await this.getCredentials(credentialType);
		for (let i = 0; i < this.getInputData().length; i++) {
			try {
				const response = (await this.helpers.httpRequestWithAuthentication.call(
					this,
					credentialType,
					{
						method: 'POST',
						url: `https://${subdomain as string}.amocrm.ru/api/v4/${this.getNodeParameter('path', i) as string}`,
						body: [{ name: this.getNodeParameter('name', i) }],
						json: true,
					},
				)) as { id: number };
				out.push({ json: { id: response.id }, pairedItem: { item: i } });
			} catch (error) {
				if (this.continueOnFail()) {
					out.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
					continue;
				}
				throw new NodeApiError(this.getNode(), error as JsonObject, { itemIndex: i });
			}
		}
		return [out];
	}
}

const extra = {
	loadPackage: false,
	nodeTypes: [{ typeName: 'test.fakeCrm', nodeType: new FakeCrm() }],
	credentialTypes: [fakeTokenApi, fakeOAuth2Api],
};

function node(
	name: string,
	type: string,
	parameters: INodeParameters,
	more: Partial<INode> = {},
): INode {
	return { id: name, name, type, typeVersion: 1, position: [0, 0], parameters, ...more };
}

function chain(...names: string[]): WorkflowJson['connections'] {
	const connections: WorkflowJson['connections'] = {};
	for (let i = 0; i + 1 < names.length; i++) {
		connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	}
	return connections;
}

const tokenCredentials = { fakeTokenApi: { subdomain: 'e2e', accessToken: 'llt-1' } };
const tokenRef = { credentials: { fakeTokenApi: { id: '1', name: 'token' } } };
const oauthRef = { credentials: { fakeOAuth2Api: { id: '2', name: 'oauth' } } };

beforeAll(() => {
	if (!nock.isActive()) nock.activate();
	nock.disableNetConnect();
});
afterEach(() => nock.cleanAll());
afterAll(() => {
	nock.enableNetConnect();
	nock.restore();
});

test('expressions reach back to an earlier node through item pairing', async () => {
	const amo = mockAmoCrm()
		.expect('POST', '/api/v4/contacts', { status: 200, body: { id: 11 } })
		.expect('POST', '/api/v4/contacts', { status: 200, body: { id: 12 } })
		.expect('POST', '/api/v4/leads', { status: 200, body: { id: 21 } })
		.expect('POST', '/api/v4/leads', { status: 200, body: { id: 22 } });

	const result = await runWorkflow({
		...extra,
		workflow: {
			nodes: [
				node('Start', 'harness.start', {}),
				node(
					'Contact',
					'test.fakeCrm',
					{ authentication: 'token', name: '={{$json.who}}' },
					tokenRef,
				),
				node(
					'Deal',
					'test.fakeCrm',
					{
						authentication: 'token',
						path: 'leads',
						name: "=Deal for {{ $('Start').item.json.who }} #{{ $json.id }}",
					},
					tokenRef,
				),
			],
			connections: chain('Start', 'Contact', 'Deal'),
		},
		credentials: tokenCredentials,
		items: [{ who: 'Ann' }, { who: 'Bob' }],
	});

	expect(result.error).toBeUndefined();
	expect(result.executionOrder).toEqual(['Start', 'Contact', 'Deal']);
	expect(amo.requests).toEqual([
		{
			method: 'POST',
			path: '/api/v4/contacts',
			authorization: 'Bearer llt-1',
			body: [{ name: 'Ann' }],
		},
		{
			method: 'POST',
			path: '/api/v4/contacts',
			authorization: 'Bearer llt-1',
			body: [{ name: 'Bob' }],
		},
		{
			method: 'POST',
			path: '/api/v4/leads',
			authorization: 'Bearer llt-1',
			body: [{ name: 'Deal for Ann #11' }],
		},
		{
			method: 'POST',
			path: '/api/v4/leads',
			authorization: 'Bearer llt-1',
			body: [{ name: 'Deal for Bob #12' }],
		},
	]);
	expect(result.outputsByNode.Deal).toEqual([
		{ json: { id: 21 }, pairedItem: { item: 0 } },
		{ json: { id: 22 }, pairedItem: { item: 1 } },
	]);
});

test('continueOnFail turns a failed item into an error item; without it the run stops', async () => {
	const workflow = (more: Partial<INode>): WorkflowJson => ({
		nodes: [
			node('Start', 'harness.start', {}),
			node(
				'Crm',
				'test.fakeCrm',
				{ authentication: 'token', name: '={{$json.name}}' },
				{ ...tokenRef, ...more },
			),
		],
		connections: chain('Start', 'Crm'),
	});
	const items = [{ name: 'bad' }, { name: 'ok' }];

	mockAmoCrm()
		.expect('POST', '/api/v4/contacts', { status: 400, body: { title: 'Bad Request' } })
		.expect('POST', '/api/v4/contacts', { status: 200, body: { id: 1 } });
	const tolerant = await runWorkflow({
		...extra,
		workflow: workflow({ continueOnFail: true }),
		credentials: tokenCredentials,
		items,
	});
	expect(tolerant.error).toBeUndefined();
	expect(tolerant.outputsByNode.Crm).toEqual([
		{ json: { error: 'Bad request - please check your parameters' }, pairedItem: { item: 0 } },
		{ json: { id: 1 }, pairedItem: { item: 1 } },
	]);

	mockAmoCrm().expect('POST', '/api/v4/contacts', { status: 400, body: { title: 'Bad Request' } });
	const strict = await runWorkflow({
		...extra,
		workflow: workflow({}),
		credentials: tokenCredentials,
		items,
	});
	expect(strict.status).toBe('error');
	expect(strict.errorNode).toBe('Crm');
	expect(strict.error).toMatchObject({
		name: 'NodeApiError',
		message: 'Bad request - please check your parameters',
	});
});

test('OAuth2: a 401 makes n8n-core refresh at the expression-built token URL, retry, and save the tokens', async () => {
	const store = new CredentialStore({
		fakeOAuth2Api: {
			subdomain: 'e2e',
			clientId: 'cid',
			clientSecret: 'csecret',
			// a stale stored value for a hidden field: the type's own value must win
			accessTokenUrl: 'https://evil.example/token',
			oauthTokenData: {
				token_type: 'Bearer',
				access_token: 'old-access',
				refresh_token: 'refresh-1',
			},
		},
	});
	const workflow: WorkflowJson = {
		nodes: [
			node('Start', 'harness.start', {}),
			node('Crm', 'test.fakeCrm', { name: 'Ann' }, oauthRef),
		],
		connections: chain('Start', 'Crm'),
	};

	const amo = mockAmoCrm()
		.expect('POST', '/api/v4/contacts', { status: 401, body: { title: 'Unauthorized' } })
		.expect('POST', '/oauth2/access_token', {
			status: 200,
			body: {
				token_type: 'Bearer',
				expires_in: 86400,
				access_token: 'new-access',
				refresh_token: 'refresh-2',
			},
		})
		.expect('POST', '/api/v4/contacts', { status: 200, body: { id: 7 } });
	const first = await runWorkflow({ ...extra, workflow, credentials: store });

	expect(first.error).toBeUndefined();
	expect(first.jsonByNode.Crm).toEqual([{ id: 7 }]);
	expect(amo.requests).toEqual([
		{
			method: 'POST',
			path: '/api/v4/contacts',
			authorization: 'Bearer old-access',
			body: [{ name: 'Ann' }],
		},
		{
			method: 'POST',
			path: '/oauth2/access_token',
			authorization: null,
			body: {
				grant_type: 'refresh_token',
				refresh_token: 'refresh-1',
				client_id: 'cid',
				client_secret: 'csecret',
			},
		},
		{
			method: 'POST',
			path: '/api/v4/contacts',
			authorization: 'Bearer new-access',
			body: [{ name: 'Ann' }],
		},
	]);
	expect(first.credentialWrites.map((write) => write.kind)).toEqual(['oauthTokenData']);
	expect(first.savedCredentials.fakeOAuth2Api.oauthTokenData).toMatchObject({
		access_token: 'new-access',
		refresh_token: 'refresh-2',
	});

	const again = mockAmoCrm()
		.expect('POST', '/api/v4/contacts', { status: 401, body: {} })
		.expect('POST', '/oauth2/access_token', {
			status: 200,
			body: { token_type: 'Bearer', access_token: 'third-access', refresh_token: 'refresh-3' },
		})
		.expect('POST', '/api/v4/contacts', { status: 200, body: { id: 8 } });
	const second = await runWorkflow({ ...extra, workflow, credentials: store });
	expect(second.error).toBeUndefined();
	expect(second.jsonByNode.Crm).toEqual([{ id: 8 }]);
	expect(
		again.requests.map((r) => [r.authorization, (r.body as IDataObject)?.refresh_token]),
	).toEqual([
		['Bearer new-access', undefined],
		[null, 'refresh-2'],
		['Bearer third-access', undefined],
	]);
	expect(store.get('fakeOAuth2Api').oauthTokenData).toMatchObject({ refresh_token: 'refresh-3' });
});

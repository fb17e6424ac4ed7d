import nock from 'nock';
import type {
	ICredentialDataDecryptedObject,
	IConnections,
	INode,
	INodeParameters,
} from 'n8n-workflow';

import { clearCache } from '../../nodes/AmoCrm/transport/cache';
import { resetRateLimiter } from '../../nodes/AmoCrm/transport/rateLimiter';

/** What the tests' amoCRM account looks like. */
export const ACCOUNT = 'https://e2e.amocrm.ru';

export const oauth2Credentials = (): Record<string, ICredentialDataDecryptedObject> => ({
	amoCrmOAuth2Api: {
		subdomain: 'e2e',
		domain: 'amocrm.ru',
		clientId: 'client-id-1',
		clientSecret: 'client-secret-1',
		oauthTokenData: { token_type: 'Bearer', access_token: 'access-1', refresh_token: 'refresh-1' },
	},
});

export const longLivedTokenCredentials = (): Record<string, ICredentialDataDecryptedObject> => ({
	amoCrmApi: { subdomain: 'e2e', domain: 'amocrm.ru', accessToken: 'long-lived-1' },
});

export const OAUTH2_REF = { amoCrmOAuth2Api: { id: 'cred-oauth2', name: 'amoCRM account' } };
export const LONG_LIVED_REF = { amoCrmApi: { id: 'cred-llt', name: 'amoCRM token' } };

export function startNode(name = 'Start'): INode {
	return {
		id: name,
		name,
		type: 'harness.start',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
}

/** An AmoCRM node (OAuth2 unless the parameters say `authentication: 'longLivedToken'`). */
export function amoCrmNode(
	name: string,
	parameters: INodeParameters,
	more: Partial<INode> = {},
): INode {
	const longLived = parameters.authentication === 'longLivedToken';
	return {
		id: name,
		name,
		type: 'n8n-nodes-amocrm.amoCrm',
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: longLived ? LONG_LIVED_REF : OAUTH2_REF,
		...more,
	};
}

/** Main connections from each node to the next. */
export function chain(...names: string[]): IConnections {
	const connections: IConnections = {};
	for (let i = 0; i + 1 < names.length; i++) {
		connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	}
	return connections;
}

/**
 * No real network; no pipelines, fields or rate-limit history carried from one test to the
 * next. Jest loads nock afresh for every test file, and each copy patches Node's HTTP
 * modules, so each file must take its copy out again (`restore`) or the next file in the
 * same worker has two interceptors answering its requests.
 */
export function isolateEachTest(): void {
	beforeAll(() => {
		if (!nock.isActive()) nock.activate();
		nock.disableNetConnect();
	});
	beforeEach(() => {
		clearCache();
		resetRateLimiter();
	});
	afterEach(() => nock.cleanAll());
	afterAll(() => {
		nock.enableNetConnect();
		nock.restore();
	});
}

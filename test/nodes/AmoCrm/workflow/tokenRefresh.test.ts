/**
 * OAuth2 token renewal under concurrency, through n8n-core's real request code (the project's
 * in-process harness, test/harness) against the fake amoCRM, whose refresh tokens
 * are single-use (a second use answers "Token has been revoked", as amoCRM does).
 *
 * nock 15 is an ES module: jest loads it only with Node's VM modules on, as `npm test` and
 * `npm run test:unit` run jest.
 */
import type nockType from 'nock';

import { FakeAmoCrm } from '../../../fakes/amocrm';
import { CredentialStore, runWorkflow } from '../../../harness';
import { resetTransportState } from '../../../support/runNode';

jest.setTimeout(60_000);

const workflow = {
	nodes: [
		{
			id: 'start',
			name: 'Start',
			type: 'harness.start',
			typeVersion: 1,
			position: [0, 0] as [number, number],
			parameters: {},
		},
		{
			id: 'create',
			name: 'Create Contact',
			type: 'n8n-nodes-amocrm.amoCrm',
			typeVersion: 1,
			position: [200, 0] as [number, number],
			parameters: {
				authentication: 'oAuth2',
				resource: 'contact',
				operation: 'create',
				name: '={{ $json.name }}',
				avoidDuplicates: false,
			},
			credentials: { amoCrmOAuth2Api: { id: 'cred-oauth2', name: 'amoCRM account' } },
		},
	],
	connections: { Start: { main: [[{ node: 'Create Contact', type: 'main' as const, index: 0 }]] } },
};

function oauthStore(): CredentialStore {
	return new CredentialStore({
		amoCrmOAuth2Api: {
			subdomain: 'e2e',
			domain: 'amocrm.ru',
			clientId: 'test-client-id',
			clientSecret: 'test-client-secret',
			oauthTokenData: {
				token_type: 'Bearer',
				access_token: 'access-1',
				refresh_token: 'refresh-1',
			},
		},
	});
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const loaded = require('nock') as { default?: typeof nockType } & typeof nockType;
const nock: typeof nockType = loaded.default ?? loaded;

beforeAll(() => nock.disableNetConnect());
beforeEach(() => resetTransportState());
afterAll(() => {
	nock.cleanAll();
	nock.enableNetConnect();
	nock.restore();
});

test('20 concurrent executions with an expired token: one renewal, every item created, the credential still valid, within 7 rps', async () => {
	const fake = new FakeAmoCrm({
		accessTokens: ['access-1'],
		refreshToken: 'refresh-1',
		latencyMs: 20,
	});
	fake.expireAccessTokens();
	const interception = fake.interceptWithNock('https://e2e.amocrm.ru');
	try {
		const store = oauthStore();
		const runs = await Promise.all(
			Array.from(
				{ length: 20 },
				async (_, i) =>
					await runWorkflow({ workflow, credentials: store, items: [{ name: `Lead ${i}` }] }),
			),
		);
		expect(runs.map((run) => run.error?.message)).toEqual(Array(20).fill(undefined));
		expect(fake.contacts.map((contact) => contact.name).sort()).toEqual(
			Array.from({ length: 20 }, (_, i) => `Lead ${i}`).sort(),
		);
		expect(fake.grants).toEqual({ authorizationCode: 0, refreshToken: 1, rejected: 0 });
		expect(fake.tooManyRequestsCount).toBe(0);
		expect(fake.maxRequestsPerSecond()).toBeLessThanOrEqual(7);

		// The saved refresh token is the new one and still works the next day.
		fake.expireAccessTokens();
		const nextDay = await runWorkflow({
			workflow,
			credentials: store,
			items: [{ name: 'Tomorrow' }],
		});
		expect(nextDay.error).toBeUndefined();
		expect(fake.grants).toEqual({ authorizationCode: 0, refreshToken: 2, rejected: 0 });
	} finally {
		interception.stop();
	}
});

test('amoCRM insisting on redirect_uri when renewing: the user is told to reconnect, and the stored token is untouched', async () => {
	// n8n-core's refresh request carries no redirect_uri and offers no way to add one.
	const fake = new FakeAmoCrm({
		accessTokens: ['access-1'],
		refreshToken: 'refresh-1',
		requireRedirectUriOnRefresh: true,
	});
	fake.expireAccessTokens();
	const interception = fake.interceptWithNock('https://e2e.amocrm.ru');
	try {
		const store = oauthStore();
		const run = await runWorkflow({ workflow, credentials: store, items: [{ name: 'Aziz' }] });
		expect(run.error).toMatchObject({
			message: 'amoCRM refused to renew the access token: reconnect the credential',
			context: { itemIndex: 0 },
		});
		expect(fake.grants).toEqual({ authorizationCode: 0, refreshToken: 0, rejected: 1 });
		expect(store.get('amoCrmOAuth2Api').oauthTokenData).toMatchObject({
			refresh_token: 'refresh-1',
		});
	} finally {
		interception.stop();
	}
});

/**
 * What an operation's browser test starts from: a fake amoCRM account served at its own host on a
 * loopback address of its own (no turn at 127.0.0.1:443), a real n8n left at its first-start
 * page, the owner signed up in Chromium, and the account's long-lived-token credential imported.
 * `editorSession()` registers jest's hooks; the session's fields are set once `beforeAll` ran.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Browser, Page } from 'puppeteer-core';

import { FakeAmoCrm } from '../fakes/amocrm';
import {
	serveFakeAmoCrm,
	startN8n,
	type CredentialImport,
	type N8nInstance,
	type ServedFakeAmoCrm,
	type WorkflowJson,
} from '../e2e/harness';
import { launchBrowser, newPage } from './browser';
import { signUpOwner } from './editor';

export interface EditorSession {
	amo: ServedFakeAmoCrm;
	n8n: N8nInstance;
	browser: Browser;
	page: Page;
}

export function editorSession(options: {
	account: { subdomain: string; host: string; loopback: string };
	/** The token the fake accepts (the credential's access token). */
	token: string;
	owner: { email: string; password: string; firstName: string; lastName: string };
	credential: CredentialImport;
	/** The page after each test goes to `<tmp>/<screenshot>.png` (for a failure's look). */
	screenshot?: string;
}): EditorSession {
	const session = {} as EditorSession;
	beforeAll(async () => {
		session.amo = await serveFakeAmoCrm(
			new FakeAmoCrm({ subdomain: options.account.subdomain, accessTokens: [options.token] }),
			options.account.host,
			options.account.loopback,
		);
		session.n8n = await startN8n({ env: session.amo.n8nEnv, owner: 'none' });
		session.browser = await launchBrowser();
		session.page = await newPage(session.browser);
		await signUpOwner(session.page, session.n8n.baseUrl, options.owner);
		await session.n8n.signIn(options.owner);
		await session.n8n.importCredentials([options.credential]);
	}, 10 * 60_000);

	if (options.screenshot) {
		const path = join(tmpdir(), `${options.screenshot}.png`);
		afterEach(async () => {
			await session.page?.screenshot({ path }).catch(() => undefined);
		});
	}

	afterAll(async () => {
		await session.browser?.close();
		await session.n8n?.stop();
		await session.amo?.stop();
	});
	return session;
}

/** Manual Trigger "Start" → one AmoCRM node named `nodeName` with these parameters and the credential. */
export function manualToAmoCrm(options: {
	name: string;
	nodeName: string;
	parameters: Record<string, unknown>;
	credential: { id: string; name: string };
}): WorkflowJson {
	return {
		name: options.name,
		nodes: [
			{
				id: 'b0000000-0000-4000-8000-000000000001',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'b0000000-0000-4000-8000-000000000002',
				name: options.nodeName,
				type: 'n8n-nodes-amocrm.amoCrm',
				typeVersion: 1,
				position: [240, 0],
				parameters: { authentication: 'longLivedToken', ...options.parameters },
				credentials: {
					amoCrmApi: { id: options.credential.id, name: options.credential.name },
				},
			},
		],
		connections: { Start: { main: [[{ node: options.nodeName, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

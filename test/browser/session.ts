/**
 * What an operation's browser test starts from: a real n8n left at its first-start page, the
 * owner signed up in Chromium (`editorHooks`), and a fake amoCRM account served at its own host on
 * a loopback address of its own (no turn at 127.0.0.1:443) with its long-lived-token credential
 * imported (`accountSession`). Several suites of one test file may share one editor, each with an
 * account of its own: n8n trusts every fake the file serves (one CA per test file), and each
 * n8n start, Chromium and sign-up saved is some 25 CPU seconds.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Browser, Page } from 'puppeteer-core';

import { FakeAmoCrm } from '../fakes/amocrm';
import {
	fakeAmoCrmTrust,
	serveFakeAmoCrm,
	startN8n,
	type CredentialImport,
	type N8nInstance,
	type ServedFakeAmoCrm,
	type WorkflowJson,
} from '../e2e/harness';
import { launchBrowser, newPage } from './browser';
import { signUpOwner } from './editor';

/** A real n8n with the owner signed up in a Chromium page; the fields are set once `beforeAll` ran. */
export interface Editor {
	n8n: N8nInstance;
	browser: Browser;
	page: Page;
}

export interface EditorSession extends Editor {
	amo: ServedFakeAmoCrm;
}

export interface Owner {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

const OWNER: Owner = {
	email: 'owner@editor.test',
	password: 'Browser-Test-Pass1',
	firstName: 'Dilnoza',
	lastName: 'Rahimova',
};

/**
 * Registers jest's hooks, where called, that start a real n8n (trusting the fakes of this test
 * file), launch Chromium and sign up the owner, and stop them at the end.
 */
export function editorHooks(owner: Owner = OWNER): Editor {
	const editor = {} as Editor;
	beforeAll(async () => {
		editor.n8n = await startN8n({ env: await fakeAmoCrmTrust(), owner: 'none' });
		editor.browser = await launchBrowser();
		editor.page = await newPage(editor.browser);
		await signUpOwner(editor.page, editor.n8n.baseUrl, owner);
		await editor.n8n.signIn(owner);
	}, 10 * 60_000);
	afterAll(async () => {
		await editor.browser?.close();
		await editor.n8n?.stop();
	});
	return editor;
}

/**
 * Registers jest's hooks, where called (a suite's `describe`), that serve a fake amoCRM account
 * and import its credential into `editor`'s n8n, and stop the fake at the end.
 */
export function accountSession(
	editor: Editor,
	options: {
		account: { subdomain: string; host: string; loopback: string };
		/** The token the fake accepts (the credential's access token). */
		token: string;
		credential: CredentialImport;
		/** The page after each test goes to `<tmp>/<screenshot>.png` (for a failure's look). */
		screenshot?: string;
	},
): EditorSession {
	const session = {} as EditorSession;
	beforeAll(async () => {
		session.amo = await serveFakeAmoCrm(
			new FakeAmoCrm({ subdomain: options.account.subdomain, accessTokens: [options.token] }),
			options.account.host,
			options.account.loopback,
		);
		Object.assign(session, editor);
		await session.n8n.importCredentials([options.credential]);
	}, 10 * 60_000);

	if (options.screenshot) {
		const path = join(tmpdir(), `${options.screenshot}.png`);
		afterEach(async () => {
			await session.page?.screenshot({ path }).catch(() => undefined);
		});
	}

	afterAll(async () => await session.amo?.stop());
	return session;
}

/** An editor of its own and one account in it: `editorHooks` and `accountSession` together. */
export function editorSession(
	options: Parameters<typeof accountSession>[1] & { owner?: Owner },
): EditorSession {
	return accountSession(editorHooks(options.owner), options);
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

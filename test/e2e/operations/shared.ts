import { fakeAmoCrmTrust, startN8n, type N8nInstance } from '../harness';

/** One real n8n for several suites of a test file; `n8n` is set once `beforeAll` ran. */
export interface SharedN8n {
	n8n: N8nInstance;
}

/**
 * Registers jest's hooks, where called, that start a real n8n with the package installed as n8n
 * installs it, trusting every fake amoCRM this test file serves, and stop it at the end.
 */
export function sharedN8nHooks(): SharedN8n {
	const shared = {} as SharedN8n;
	beforeAll(async () => {
		shared.n8n = await startN8n({ env: await fakeAmoCrmTrust() });
	}, 10 * 60_000);
	afterAll(async () => await shared.n8n?.stop());
	return shared;
}

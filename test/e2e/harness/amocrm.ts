import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { FakeAmoCrm, RunningFake } from '../../fakes/amocrm';
import { createServerCertificate, createTestCa } from '../../fakes/tls';
import { mapHostToLoopback } from './hosts';

/** The test account the e2e credentials point at: https://e2e.amocrm.ru. */
export const E2E_AMOCRM = { subdomain: 'e2e', domain: 'amocrm.ru', host: 'e2e.amocrm.ru' } as const;

export interface ServedFakeAmoCrm {
	fake: FakeAmoCrm;
	server: RunningFake;
	/** `https://e2e.amocrm.ru`, what the product calls. */
	origin: string;
	/** The throwaway CA's certificate file. */
	caFile: string;
	/** Pass to `startN8n({ env })` so n8n trusts the fake's certificate (Node reads it at start). */
	n8nEnv: { NODE_EXTRA_CA_CERTS: string };
	stop(): Promise<void>;
}

let testCa: Promise<{ caCert: string; caKey: string }> | undefined;
/**
 * The throwaway CA of this test file (jest loads the harness once per file): every fake the file
 * serves has its certificate from it, so one n8n started with `n8nEnv` trusts the fakes served
 * after it started too. Removed when the test process ends (an n8n restarted later reads it again).
 */
async function testFileCa(): Promise<{ caCert: string; caKey: string }> {
	if (!testCa) {
		const dir = mkdtempSync(join(tmpdir(), 'fake-amocrm-ca-'));
		process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
		testCa = createTestCa(dir);
	}
	return await testCa;
}

/** What `startN8n({ env })` needs to trust every fake this test file serves (see `serveFakeAmoCrm`). */
export async function fakeAmoCrmTrust(): Promise<{ NODE_EXTRA_CA_CERTS: string }> {
	return { NODE_EXTRA_CA_CERTS: (await testFileCa()).caCert };
}

/**
 * Puts `fake` where the product expects the real account: `host` (default e2e.amocrm.ru)
 * resolves to `loopback` (default 127.0.0.1) through /etc/hosts, and the fake serves HTTPS on its
 * port 443 with a certificate from the test file's throwaway CA. n8n started with `n8nEnv` (or
 * `fakeAmoCrmTrust()`) trusts that CA. The node and its credentials run unchanged: no base-URL
 * override, no test switch. Needs root (CI runs as root).
 */
export async function serveFakeAmoCrm(
	fake: FakeAmoCrm,
	host: string = E2E_AMOCRM.host,
	loopback = '127.0.0.1',
): Promise<ServedFakeAmoCrm> {
	await mapHostToLoopback(host, loopback);
	const ca = await testFileCa();
	const dir = mkdtempSync(join(tmpdir(), 'fake-amocrm-tls-'));
	const certs = { ...ca, ...(await createServerCertificate(dir, ca, { hosts: [host] })) };
	// Port 443 is one per machine: when another e2e run on this machine holds it, wait for it
	// (E2E_PORT_443_WAIT_SECONDS, default 240) instead of failing.
	const waitUntil = Date.now() + Number(process.env.E2E_PORT_443_WAIT_SECONDS ?? 240) * 1000;
	let server: RunningFake | undefined;
	let told = false;
	while (!server) {
		try {
			server = await fake.listen({
				host: loopback,
				port: 443,
				tls: { key: certs.key, cert: certs.cert },
			});
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			if (code === 'EADDRINUSE' && Date.now() < waitUntil) {
				if (!told)
					process.stderr.write(
						`${loopback}:443 is busy (another end-to-end run?): waiting for it.\n`,
					);
				told = true;
				await new Promise((resolve) => setTimeout(resolve, 1_000));
				continue;
			}
			rmSync(dir, { recursive: true, force: true });
			const hint =
				code === 'EADDRINUSE'
					? `something else keeps listening on ${loopback}:443 (another e2e run?)`
					: code === 'EACCES'
						? 'binding port 443 needs root'
						: (error as Error).message;
			throw new Error(`Cannot serve the fake amoCRM on ${loopback}:443: ${hint}`);
		}
	}
	const running = server;
	return {
		fake,
		server: running,
		origin: `https://${host}`,
		caFile: certs.caCert,
		n8nEnv: { NODE_EXTRA_CA_CERTS: certs.caCert },
		async stop() {
			await running.close();
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

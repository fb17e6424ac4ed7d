import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { FakeAmoCrm, RunningFake } from '../../fakes/amocrm';
import { createTestCertificates } from '../../fakes/tls';
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

/**
 * Puts `fake` where the product expects the real account: `host` (default e2e.amocrm.ru)
 * resolves to `loopback` (default 127.0.0.1) through /etc/hosts, and the fake serves HTTPS on its port 443 with a
 * certificate from a throwaway CA. n8n started with `n8nEnv` trusts that CA. The node and its
 * credentials run unchanged: no base-URL override, no test switch. Needs root (CI runs as root).
 */
export async function serveFakeAmoCrm(
	fake: FakeAmoCrm,
	host: string = E2E_AMOCRM.host,
	loopback = '127.0.0.1',
): Promise<ServedFakeAmoCrm> {
	await mapHostToLoopback(host, loopback);
	const dir = mkdtempSync(join(tmpdir(), 'fake-amocrm-tls-'));
	const certs = await createTestCertificates(dir, { hosts: [host] });
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

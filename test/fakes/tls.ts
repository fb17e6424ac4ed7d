/**
 * A throwaway local CA and a server certificate, made with the `openssl` CLI (no npm dependency).
 * End-to-end tests serve the fake amoCRM at https://e2e.amocrm.ru (mapped to 127.0.0.1) with `cert`/`key`
 * and make n8n trust `caCert` through NODE_EXTRA_CA_CERTS.
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export interface TestCertificates {
	/** CA certificate (PEM), for NODE_EXTRA_CA_CERTS or a client's `ca` option. */
	caCert: string;
	/** CA private key (PEM). */
	caKey: string;
	/** Server private key (PEM). */
	key: string;
	/** Server certificate (PEM) for `hosts`, signed by the CA. */
	cert: string;
}

export interface CertificateOptions {
	/** DNS names and IP addresses the server certificate is valid for. */
	hosts?: string[];
	/** Validity in days (default 30). */
	days?: number;
	/** Path of the openssl binary (default: `openssl` from PATH). */
	openssl?: string;
}

/** Writes ca.crt, ca.key, server.key, server.crt (and helpers) into `dir`; returns their paths. */
export async function createTestCertificates(
	dir: string,
	options: CertificateOptions = {},
): Promise<TestCertificates> {
	const ca = await createTestCa(dir, options);
	return { ...ca, ...(await createServerCertificate(dir, ca, options)) };
}

/** A throwaway CA (ca.crt, ca.key in `dir`): several servers' certificates may come from one. */
export async function createTestCa(
	dir: string,
	options: Pick<CertificateOptions, 'days' | 'openssl'> = {},
): Promise<Pick<TestCertificates, 'caCert' | 'caKey'>> {
	await mkdir(dir, { recursive: true });
	const ca = { caCert: path.join(dir, 'ca.crt'), caKey: path.join(dir, 'ca.key') };
	await run(options.openssl ?? 'openssl', [
		'req',
		'-x509',
		...EC_KEY,
		'-keyout',
		ca.caKey,
		'-out',
		ca.caCert,
		'-days',
		String(options.days ?? 30),
		'-subj',
		`/CN=n8n-nodes-amocrm throwaway test CA ${new Date().toISOString()}`,
		'-addext',
		'basicConstraints=critical,CA:TRUE',
		'-addext',
		'keyUsage=critical,keyCertSign,cRLSign',
	]);
	return ca;
}

/** A server key and certificate for `hosts` (server.key, server.crt in `dir`), signed by `ca`. */
export async function createServerCertificate(
	dir: string,
	ca: Pick<TestCertificates, 'caCert' | 'caKey'>,
	options: CertificateOptions = {},
): Promise<Pick<TestCertificates, 'key' | 'cert'>> {
	const hosts = options.hosts ?? ['e2e.amocrm.ru', 'localhost', '127.0.0.1'];
	if (hosts.length === 0) throw new Error('createServerCertificate: at least one host is needed');
	const openssl = options.openssl ?? 'openssl';
	await mkdir(dir, { recursive: true });
	const file = (name: string): string => path.join(dir, name);
	const out = { key: file('server.key'), cert: file('server.crt') };
	await run(openssl, [
		'req',
		...EC_KEY,
		'-keyout',
		out.key,
		'-out',
		file('server.csr'),
		'-subj',
		`/CN=${hosts[0]}`,
	]);
	const san = hosts.map((h) => (isIP(h) ? `IP:${h}` : `DNS:${h}`)).join(',');
	await writeFile(
		file('server.ext'),
		[
			'basicConstraints=CA:FALSE',
			'keyUsage=critical,digitalSignature,keyEncipherment',
			'extendedKeyUsage=serverAuth',
			`subjectAltName=${san}`,
			'',
		].join('\n'),
	);
	await run(openssl, [
		'x509',
		'-req',
		'-in',
		file('server.csr'),
		'-CA',
		ca.caCert,
		'-CAkey',
		ca.caKey,
		'-CAserial',
		file('ca.srl'),
		'-CAcreateserial',
		'-out',
		out.cert,
		'-days',
		String(options.days ?? 30),
		'-sha256',
		'-extfile',
		file('server.ext'),
	]);
	return out;
}

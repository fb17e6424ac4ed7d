import { appendFileSync, readFileSync } from 'node:fs';
import { lookup } from 'node:dns/promises';

const HOSTS_FILE = '/etc/hosts';

/**
 * Makes `host` resolve to a loopback address (default 127.0.0.1) for every process on this
 * machine (n8n included) by a line in /etc/hosts, added once. The product keeps talking to
 * `https://<sub>.amocrm.ru`; only name resolution points it at the fake. Needs root (CI runs
 * as root). Another loopback address (127.0.0.2, ...) gives a fake its own port 443.
 */
export async function mapHostToLoopback(host: string, loopback = '127.0.0.1'): Promise<void> {
	const current = readFileSync(HOSTS_FILE, 'utf8');
	const mapped = current
		.split('\n')
		.map((line) => line.replace(/#.*/, '').trim().split(/\s+/))
		.some(([address, ...names]) => address === loopback && names.includes(host));
	if (!mapped) {
		try {
			appendFileSync(
				HOSTS_FILE,
				`${current.endsWith('\n') || current === '' ? '' : '\n'}${loopback} ${host} # n8n-nodes-amocrm e2e\n`,
			);
		} catch (error) {
			throw new Error(
				`Cannot map ${host} to ${loopback}: ${(error as Error).message}. Run the end-to-end tests as root, or add "${loopback} ${host}" to ${HOSTS_FILE}.`,
			);
		}
	}
	const { address } = await lookup(host, { family: 4 });
	if (address !== loopback) throw new Error(`${host} resolves to ${address}, not ${loopback}`);
}

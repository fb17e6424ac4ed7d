import { readFileSync, writeFileSync } from 'node:fs';
import { lookup } from 'node:dns/promises';

const HOSTS_FILE = '/etc/hosts';
const MARK = '# n8n-nodes-amocrm e2e';

/**
 * Makes `host` resolve to a loopback address (default 127.0.0.1) for every process on this
 * machine (n8n included) by a line in /etc/hosts, added once (a line of ours that mapped the host
 * elsewhere, left by an older run, is replaced). The product keeps talking to
 * `https://<sub>.amocrm.ru`; only name resolution points it at the fake. Needs root (CI runs
 * as root). Another loopback address (127.0.0.2, ...) gives a fake its own port 443.
 */
export async function mapHostToLoopback(host: string, loopback = '127.0.0.1'): Promise<void> {
	const lines = readFileSync(HOSTS_FILE, 'utf8').split('\n');
	const entries = lines.map((line) => line.replace(/#.*/, '').trim().split(/\s+/));
	const names = (index: number) => entries[index].slice(1);
	const mapped = entries.some(
		([address], index) => address === loopback && names(index).includes(host),
	);
	const stale = (index: number) =>
		lines[index].endsWith(MARK) && entries[index][0] !== loopback && names(index).includes(host);
	if (!mapped || lines.some((_, index) => stale(index))) {
		const kept = lines.filter((_, index) => !stale(index)).join('\n');
		try {
			writeFileSync(
				HOSTS_FILE,
				mapped
					? kept
					: `${kept}${kept.endsWith('\n') || kept === '' ? '' : '\n'}${loopback} ${host} ${MARK}\n`,
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

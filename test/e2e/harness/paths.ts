import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The clone's root folder. */
export const repoRoot = resolve(__dirname, '..', '..', '..');

/** The n8n version the end-to-end tests run on unless a test asks for another (scripts/n8n-install.sh's default). */
export const DEFAULT_N8N_VERSION = '2.41.1';

const cached = new Map<string, { node: string; n8nDir: string }>();

/**
 * Node 24 and the n8n install (`n8nVersion`, default `DEFAULT_N8N_VERSION`), from the same
 * scripts `npm start` uses. Both are cached outside the clone; on a fresh machine the first
 * call for a version installs it (minutes).
 */
export function runtime(n8nVersion: string = DEFAULT_N8N_VERSION): {
	node: string;
	n8nBin: string;
	n8nDir: string;
} {
	let found = cached.get(n8nVersion);
	if (!found) {
		const run = (script: string) =>
			execFileSync('bash', [join(repoRoot, 'scripts', script)], {
				encoding: 'utf8',
				env: { ...process.env, N8N_VERSION: n8nVersion },
				stdio: ['ignore', 'pipe', 'inherit'],
			})
				.trim()
				.split('\n')
				.pop() as string;
		found = { node: run('node24.sh'), n8nDir: run('n8n-install.sh') };
		cached.set(n8nVersion, found);
	}
	return { ...found, n8nBin: join(found.n8nDir, 'node_modules', 'n8n', 'bin', 'n8n') };
}

/** Fails with a clear message when the package has not been built. */
export function assertBuilt(): void {
	const pkg = require(join(repoRoot, 'package.json')) as {
		n8n: { nodes: string[]; credentials: string[] };
	};
	const missing = [...pkg.n8n.nodes, ...pkg.n8n.credentials].filter(
		(file) => !existsSync(join(repoRoot, file)),
	);
	if (missing.length > 0) {
		throw new Error(
			`Package not built (missing ${missing.join(', ')}): run \`npm run build\` first.`,
		);
	}
}

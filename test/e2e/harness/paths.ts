import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The clone's root folder. */
export const repoRoot = resolve(__dirname, '..', '..', '..');

let cached: { node: string; n8nDir: string } | undefined;

/**
 * Node 24 and the n8n install, from the same scripts `npm start` uses. Both are cached
 * outside the clone; on a fresh machine the first call installs them (minutes).
 */
export function runtime(): { node: string; n8nBin: string; n8nDir: string } {
	if (!cached) {
		const run = (script: string) =>
			execFileSync('bash', [join(repoRoot, 'scripts', script)], {
				encoding: 'utf8',
				stdio: ['ignore', 'pipe', 'inherit'],
			})
				.trim()
				.split('\n')
				.pop() as string;
		cached = { node: run('node24.sh'), n8nDir: run('n8n-install.sh') };
	}
	return { ...cached, n8nBin: join(cached.n8nDir, 'node_modules', 'n8n', 'bin', 'n8n') };
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

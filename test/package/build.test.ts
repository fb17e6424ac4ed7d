/**
 * `npm run build` updates dist/ in place: n8n may be loading the package at that moment (another
 * `npm start`, or the end-to-end tests, which run in groups side by side while one of them runs
 * `npm start`). An n8n that found the node's files missing would not load the package at all.
 * Needs `npm run build` first (dist/ as the current sources make it).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
	n8n: { nodes: string[]; credentials: string[] };
};
const entryFiles = [...pkg.n8n.nodes, ...pkg.n8n.credentials].map((file) => path.join(ROOT, file));

async function build(whileRunning: () => void = () => {}): Promise<string> {
	const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT });
	let output = '';
	child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
	let exitCode: number | null | undefined;
	child.on('exit', (code) => (exitCode = code));
	while (exitCode === undefined) {
		whileRunning();
		await new Promise((resolve) => setImmediate(resolve));
	}
	if (exitCode !== 0) throw new Error(`npm run build failed:\n${output}`);
	return output;
}

it('never leaves a file n8n loads missing or empty while it builds, rewrites only what changed, and removes what no source makes', async () => {
	const unchanged = path.join(ROOT, 'dist/nodes/AmoCrm/AmoCrm.node.js');
	const changed = path.join(ROOT, 'dist/credentials/AmoCrmApi.credentials.js');
	const built = fs.readFileSync(changed, 'utf8');
	fs.appendFileSync(changed, '\n// left by an older build\n');
	const stale = path.join(ROOT, 'dist/nodes/AmoCrm/RemovedSince.js');
	fs.writeFileSync(stale, '// made by an older build\n');
	const before = fs.statSync(unchanged);

	const seenBroken = new Set<string>();
	let checks = 0;
	const output = await build(() => {
		checks++;
		for (const file of entryFiles) {
			if (!fs.existsSync(file) || fs.statSync(file).size === 0) seenBroken.add(file);
		}
	});

	expect(checks).toBeGreaterThan(100);
	expect([...seenBroken]).toEqual([]);
	expect(fs.readFileSync(changed, 'utf8')).toBe(built);
	expect(fs.existsSync(stale)).toBe(false);
	const after = fs.statSync(unchanged);
	expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
	expect(output).toMatch(/dist\/: \d+ files, 1 written, 1 removed, \d+ unchanged/);
	expect(
		fs
			.readdirSync(path.join(ROOT, 'node_modules', '.cache'))
			.filter((name) => name.startsWith('n8n-nodes-amocrm-build-')),
	).toEqual([]);
}, 120_000);

/**
 * What `npm pack` ships and what a manual install pulls in. Users who cannot use Settings →
 * Community nodes (Docker images, queue-mode workers) run `npm install n8n-nodes-amocrm` in
 * ~/.n8n/nodes; n8n already has n8n-workflow, so the install must not fetch it (132 more packages,
 * and a native build that fails on Node 20). The templates ship too, for Import → From file.
 * Needs `npm run build` first (dist/ is packed).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

function npm(args: string[], cwd: string): string {
	const run = spawnSync('npm', args, { cwd, encoding: 'utf8' });
	if (run.status !== 0) throw new Error(`npm ${args.join(' ')} failed:\n${run.stderr}`);
	return run.stdout;
}

let workDir: string;
let tarball: string;
let packedFiles: string[];

beforeAll(() => {
	workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'amocrm-pack-'));
	const [packed] = JSON.parse(
		npm(['pack', '--json', '--ignore-scripts', '--pack-destination', workDir], ROOT),
	) as Array<{ filename: string; files: Array<{ path: string }> }>;
	tarball = path.join(workDir, packed.filename);
	packedFiles = packed.files.map((file) => file.path);
}, 60_000);

afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

it('ships both lead-intake templates and the PostgreSQL schema beside dist/', () => {
	expect(packedFiles).toEqual(
		expect.arrayContaining([
			'workflows/lead-intake.json',
			'workflows/lead-intake-postgres.json',
			'workflows/leads.sql',
			'dist/nodes/AmoCrm/AmoCrm.node.js',
		]),
	);
	// The generator is for contributors; users import the JSON.
	expect(packedFiles).not.toContain('workflows/build-templates.mjs');
	expect(
		packedFiles.filter(
			(file) =>
				!/^(dist\/|workflows\/|index\.js$|package\.json$|README\.md$|LICENSE\.md$)/.test(file),
		),
	).toEqual([]);
});

it('installs alone into an empty nodes folder: n8n-workflow, a peer n8n provides, is not pulled in', () => {
	const nodesFolder = path.join(workDir, 'nodes');
	fs.mkdirSync(nodesFolder);
	fs.writeFileSync(
		path.join(nodesFolder, 'package.json'),
		'{"name":"installed-nodes","private":true}\n',
	);
	// Offline: an install that needs nothing beyond the tarball needs no registry.
	npm(
		['install', '--offline', '--ignore-scripts', '--no-audit', '--no-fund', tarball],
		nodesFolder,
	);
	expect(
		fs.readdirSync(path.join(nodesFolder, 'node_modules')).filter((name) => !name.startsWith('.')),
	).toEqual(['n8n-nodes-amocrm']);
}, 60_000);

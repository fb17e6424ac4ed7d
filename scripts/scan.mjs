#!/usr/bin/env node
// n8n's community-package scan (@n8n/scan-community-package), offline, on a package folder:
//   node scripts/scan.mjs [package folder, default: this repository]
// The scanner itself downloads a published version and its attested source; here its own analysis
// runs on the same two legs it lints: the source (package.json + {nodes,credentials}/**/*.{js,ts,json})
// and the packed package (`npm pack` output: package.json + dist/**/*.js). Run `npm run build` first.
// Exits 1 on any finding, so a package that n8n's scan would refuse fails the tests.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import glob from 'fast-glob';

const packageDir = path.resolve(
	process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'),
);
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-scan-'));
// The scanner makes a download folder in the temp folder when loaded: keep it inside ours.
process.env.TMPDIR = workDir;
// Under NODE_ENV=test, eslint-plugin-n8n-nodes-base runs its own test mode and takes every file
// for a node file; n8n's scan never runs so (jest sets it for the tests of this script).
delete process.env.NODE_ENV;
const { analyzePackage, SOURCE_FILE_PATTERNS } =
	await import('@n8n/scan-community-package/scanner/scanner.mjs');
const PACKED_FILE_PATTERNS = ['**/*.js', 'package.json'];

/** `npm pack` the package and unpack it the way the scanner unpacks a download. */
function packAndUnpack() {
	const npm = spawnSync(
		'npm',
		['pack', '--json', '--ignore-scripts', '--pack-destination', workDir],
		{ cwd: packageDir, encoding: 'utf8' },
	);
	if (npm.status !== 0) throw new Error(`npm pack failed: ${npm.stderr}`);
	const [{ filename }] = JSON.parse(npm.stdout);
	const unpacked = path.join(workDir, 'package');
	fs.mkdirSync(unpacked);
	const tar = spawnSync(
		'tar',
		['-xzf', path.join(workDir, filename), '-C', unpacked, '--strip-components=1'],
		{ encoding: 'utf8' },
	);
	if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr}`);
	return unpacked;
}

async function scanLeg(name, dir, patterns) {
	const files = glob.sync(patterns, {
		cwd: dir,
		ignore: ['node_modules/**', '**/package-lock.json'],
	});
	// The scanner passes a leg with no files; here that means a missing build or a wrong folder.
	if (!files.some((file) => file !== 'package.json')) {
		console.log(`✗ ${name}: no files to scan besides package.json (${patterns.join(', ')})`);
		return false;
	}
	const result = await analyzePackage(dir, patterns);
	if (result.passed) {
		console.log(`✓ ${name}: ${files.length} files pass n8n's community-package scan`);
		return true;
	}
	console.log(`✗ ${name}: ${result.message}`);
	if (result.details) console.log(result.details);
	return false;
}

let passed = false;
try {
	const sourcePassed = await scanLeg('source', packageDir, SOURCE_FILE_PATTERNS);
	const packedPassed = await scanLeg('packed package', packAndUnpack(), PACKED_FILE_PATTERNS);
	passed = sourcePassed && packedPassed;
} finally {
	fs.rmSync(workDir, { recursive: true, force: true });
}
process.exit(passed ? 0 : 1);

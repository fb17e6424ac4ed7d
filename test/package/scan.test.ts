/**
 * scripts/scan.mjs runs n8n's community-package scan offline on both legs, as `npm test` does on
 * this repository. Here it runs on copies of this package's sources with one fault planted, to
 * show that each leg fails the command on a finding.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const COMPILED_NODE = [
	'"use strict";',
	'Object.defineProperty(exports, "__esModule", { value: true });',
	'exports.AmoCrm = void 0;',
	'class AmoCrm {}',
	'exports.AmoCrm = AmoCrm;',
	'',
].join('\n');

let fixture: string;

beforeEach(() => {
	// This package's package.json and sources, and a small stand-in for the compiled dist/.
	fixture = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-fixture-'));
	for (const entry of ['package.json', 'nodes', 'credentials']) {
		fs.cpSync(path.join(ROOT, entry), path.join(fixture, entry), { recursive: true });
	}
	fs.mkdirSync(path.join(fixture, 'dist/nodes/AmoCrm'), { recursive: true });
	fs.writeFileSync(path.join(fixture, 'dist/nodes/AmoCrm/AmoCrm.node.js'), COMPILED_NODE);
});

afterEach(() => fs.rmSync(fixture, { recursive: true, force: true }));

function scan(): { status: number | null; output: string } {
	const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts/scan.mjs'), fixture], {
		encoding: 'utf8',
		timeout: 120_000,
	});
	return { status: run.status, output: run.stdout + run.stderr };
}

function edit(file: string, from: string, to: string): void {
	const full = path.join(fixture, file);
	const text = fs.readFileSync(full, 'utf8');
	expect(text).toContain(from);
	fs.writeFileSync(full, text.replace(from, to));
}

describe("n8n's community-package scan (scripts/scan.mjs)", () => {
	it("passes this package's sources and a clean compiled file", () => {
		const { status, output } = scan();
		expect(output).toMatch(/✓ source: \d+ files pass/);
		expect(output).toContain("✓ packed package: 2 files pass n8n's community-package scan");
		expect(status).toBe(0);
	});

	it('fails on a source finding of the eslint-plugin-n8n-nodes-base rule sets', () => {
		edit(
			'credentials/AmoCrmApi.credentials.ts',
			"displayName = 'AmoCRM / Kommo Long-Lived Token API';",
			"displayName = 'AmoCRM (Long-Lived Token)';",
		);
		const { status, output } = scan();
		expect(output).toContain('✗ source: ESLint violations found');
		const line =
			fs
				.readFileSync(path.join(fixture, 'credentials/AmoCrmApi.credentials.ts'), 'utf8')
				.split('\n')
				.findIndex((text) => text.includes("displayName = 'AmoCRM (Long-Lived Token)'")) + 1;
		expect(output).toMatch(
			new RegExp(
				`AmoCrmApi\\.credentials\\.ts\\n\\s+${line}:2\\s+error\\s+Append 'API' \\[autofixable\\]\\s+n8n-nodes-base/cred-class-field-display-name-missing-api`,
			),
		);
		expect(output).toContain('✓ packed package');
		expect(status).toBe(1);
	});

	it('fails on a finding in the packed package only (what `npm pack` ships from dist/)', () => {
		fs.appendFileSync(
			path.join(fixture, 'dist/nodes/AmoCrm/AmoCrm.node.js'),
			'console.log(process.env.AMOCRM_TOKEN);\n',
		);
		const { status, output } = scan();
		expect(output).toMatch(/✓ source: \d+ files pass/);
		expect(output).toContain('✗ packed package: ESLint violations found');
		expect(output).toMatch(
			/dist\/nodes\/AmoCrm\/AmoCrm\.node\.js\n\s+6:1\s+error\s+Unexpected console statement\s+no-console/,
		);
		expect(output).toContain(
			"Use of restricted global 'process' is not allowed  @n8n/community-nodes/no-restricted-globals",
		);
		expect(status).toBe(1);
	});

	it('fails when there is nothing compiled to scan (no build)', () => {
		fs.rmSync(path.join(fixture, 'dist'), { recursive: true });
		const { status, output } = scan();
		expect(output).toContain(
			'✗ packed package: no files to scan besides package.json (**/*.js, package.json)',
		);
		expect(status).toBe(1);
	});
});

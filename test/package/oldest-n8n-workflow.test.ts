/**
 * The package runs against the n8n-workflow that the user's n8n ships, not the one in our dev
 * dependencies. Every value the compiled code (dist/) takes from n8n-workflow must therefore exist
 * in the oldest supported release: n8n 1.123.81 ships n8n-workflow 1.120.31 (a dev dependency
 * under the alias n8n-workflow-oldest). A function added later fails only on older n8n, at run
 * time: `generateSecureToken` (n8n-workflow 2.14.0) made the Trigger unpublishable before n8n 2.14.
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const DIST = path.join(ROOT, 'dist');
const OLDEST = require('n8n-workflow-oldest/package.json') as { version: string };
const oldestExports = new Set(Object.keys(require('n8n-workflow-oldest') as object));

function compiledFiles(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return compiledFiles(full);
		return entry.name.endsWith('.js') ? [full] : [];
	});
}

/** The names read as `X.name` where `X = require("n8n-workflow")` (tsc's CommonJS output). */
function n8nWorkflowImports(source: string): string[] {
	const names = new Set<string>();
	const bindings = [
		...source.matchAll(/(?:const|var|let)\s+(\w+)\s*=\s*require\("n8n-workflow"\)/g),
	];
	for (const [, binding] of bindings) {
		for (const [, name] of source.matchAll(new RegExp(`\\b${binding}\\.(\\w+)`, 'g'))) {
			names.add(name);
		}
	}
	// Any other way of reaching n8n-workflow would escape the scan above.
	const requires = source.match(/require\("n8n-workflow(?:\/[^"]*)?"\)/g) ?? [];
	if (requires.length !== bindings.length)
		names.add('<require("n8n-workflow") not bound to a name>');
	return [...names];
}

function importsOfDist(): Map<string, string[]> {
	const uses = new Map<string, string[]>();
	for (const file of compiledFiles(DIST)) {
		for (const name of n8nWorkflowImports(fs.readFileSync(file, 'utf8'))) {
			uses.set(name, [...(uses.get(name) ?? []), path.relative(ROOT, file)]);
		}
	}
	return uses;
}

describe(`n8n-workflow values the compiled package uses exist in n8n-workflow ${OLDEST.version} (n8n 1.123.x)`, () => {
	it('the oldest release is the exact one n8n 1.123.81 ships', () => {
		expect(OLDEST.version).toBe('1.120.31');
		expect(oldestExports.has('NodeOperationError')).toBe(true);
		expect(oldestExports.has('generateSecureToken')).toBe(false);
	});

	it('finds the imports of a compiled file, and a require it cannot follow', () => {
		const compiled = [
			'const n8n_workflow_1 = require("n8n-workflow");',
			'throw new n8n_workflow_1.NodeOperationError(node, (0, n8n_workflow_1.generateSecureToken)());',
		].join('\n');
		expect(n8nWorkflowImports(compiled).sort()).toEqual([
			'NodeOperationError',
			'generateSecureToken',
		]);
		expect(n8nWorkflowImports('foo(require("n8n-workflow").sleep);')).toEqual([
			'<require("n8n-workflow") not bound to a name>',
		]);
	});

	it('dist/ uses nothing newer (build first: npm run build)', () => {
		expect(fs.existsSync(path.join(DIST, 'nodes/AmoCrmTrigger/AmoCrmTrigger.node.js'))).toBe(true);
		const uses = importsOfDist();
		expect([...uses.keys()]).toEqual(
			expect.arrayContaining(['NodeOperationError', 'NodeConnectionTypes']),
		);
		const missing = [...uses].filter(([name]) => !oldestExports.has(name));
		expect(Object.fromEntries(missing)).toEqual({});
	});

	it("is the oldest release the README's supported range names", () => {
		const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
		const section = readme.split('### Supported n8n versions')[1]?.split('\n## ')[0] ?? '';
		expect(section).toContain(
			'n8n **1.123.x** (the last 1.x line, still patched) and **2.0 onwards**',
		);
		expect(section).toContain(`\`n8n-workflow\` ${OLDEST.version}, the one n8n 1.123.81 ships`);
	});
});

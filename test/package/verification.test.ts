/**
 * n8n's guidelines for verified community nodes, where a check is possible beyond its package scan
 * (scripts/scan.mjs, run by `npm test`): no runtime dependencies, no environment variables or file
 * system from nodes or credentials, English UI texts, an MIT licence, a README with usage examples,
 * and publishing from a GitHub Action with npm provenance.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import type { INodePropertyOptions } from 'n8n-workflow';

import { AmoCrmApi } from '../../credentials/AmoCrmApi.credentials';
import { AmoCrmOAuth2Api } from '../../credentials/AmoCrmOAuth2Api.credentials';
import { AmoCrm } from '../../nodes/AmoCrm/AmoCrm.node';

const ROOT = path.resolve(__dirname, '../..');
const packageJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<
	string,
	unknown
>;

function sourceFiles(folder: string): string[] {
	return fs
		.readdirSync(path.join(ROOT, folder), { recursive: true, encoding: 'utf8' })
		.filter((file) => file.endsWith('.ts'))
		.map((file) => path.join(folder, file));
}

/** What a source file reaches outside n8n: imports other than n8n-workflow or relative ones, process, require, $env. */
function outsideAccess(fileName: string, text: string): string[] {
	const found: string[] = [];
	const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
	const at = (node: ts.Node) =>
		`${fileName}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
	const visit = (node: ts.Node): void => {
		if (
			(ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
			node.moduleSpecifier &&
			ts.isStringLiteral(node.moduleSpecifier)
		) {
			const module = node.moduleSpecifier.text;
			if (module !== 'n8n-workflow' && !module.startsWith('.'))
				found.push(`${at(node)} imports ${module}`);
		} else if (
			ts.isIdentifier(node) &&
			['process', 'require', 'globalThis', 'Deno', 'Bun'].includes(node.text)
		) {
			found.push(`${at(node)} uses ${node.text}`);
		} else if (
			(ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) &&
			/\$env\b/.test(node.text)
		) {
			found.push(`${at(node)} reads $env`);
		} else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
			found.push(`${at(node)} imports dynamically`);
		}
		ts.forEachChild(node, visit);
	};
	visit(source);
	return found;
}

/** Every text in a description that is in Cyrillic, with where it is. */
function cyrillicTexts(value: unknown, where = ''): string[] {
	if (typeof value === 'string')
		return /\p{Script=Cyrillic}/u.test(value) ? [`${where}: ${value}`] : [];
	if (Array.isArray(value))
		return value.flatMap((item, index) => cyrillicTexts(item, `${where}[${index}]`));
	if (value && typeof value === 'object') {
		return Object.entries(value).flatMap(([key, item]) => cyrillicTexts(item, `${where}.${key}`));
	}
	return [];
}

function countTexts(value: unknown): number {
	if (typeof value === 'string') return 1;
	if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + countTexts(item), 0);
	if (value && typeof value === 'object')
		return Object.values(value).reduce((sum: number, item) => sum + countTexts(item), 0);
	return 0;
}

describe('n8n verification guidelines', () => {
	it('has no runtime dependencies: n8n-workflow is a peer, everything else is a dev dependency', () => {
		for (const field of [
			'dependencies',
			'optionalDependencies',
			'bundleDependencies',
			'bundledDependencies',
		]) {
			expect(packageJson).not.toHaveProperty(field);
		}
		expect(packageJson.peerDependencies).toEqual({ 'n8n-workflow': '*' });
	});

	it('reads no environment variables and no files from nodes or credentials', () => {
		const files = [...sourceFiles('nodes'), ...sourceFiles('credentials')];
		expect(files.length).toBeGreaterThan(20);
		const found = files.flatMap((file) =>
			outsideAccess(file, fs.readFileSync(path.join(ROOT, file), 'utf8')),
		);
		expect(found).toEqual([]);
	});

	it('finds process, fs, $env and dynamic imports when a source uses them', () => {
		const bad = [
			"import { readFileSync } from 'fs';",
			"import * as os from 'node:os';",
			'const token = process.env.AMOCRM_TOKEN;',
			"const fsModule = require('fs');",
			"const field = { default: '={{ $env.AMOCRM_TOKEN }}' };",
			"void import('child_process');",
		].join('\n');
		expect(outsideAccess('bad.ts', bad)).toEqual([
			'bad.ts:1 imports fs',
			'bad.ts:2 imports node:os',
			'bad.ts:3 uses process',
			'bad.ts:4 uses require',
			'bad.ts:5 reads $env',
			'bad.ts:6 imports dynamically',
		]);
	});

	it('shows the editor English texts only: node, credentials and codex', () => {
		const shown = {
			node: new AmoCrm().description,
			oauth2: new AmoCrmOAuth2Api(),
			token: new AmoCrmApi(),
			codex: JSON.parse(fs.readFileSync(path.join(ROOT, 'nodes/AmoCrm/AmoCrm.node.json'), 'utf8')),
		};
		expect(countTexts(shown)).toBeGreaterThan(200);
		expect(cyrillicTexts(shown)).toEqual([]);
	});

	it('finds a Cyrillic text at any depth', () => {
		expect(
			cyrillicTexts({ properties: [{ displayName: 'Name', options: [{ name: 'Сделка' }] }] }),
		).toEqual(['.properties[0].options[0].name: Сделка']);
	});

	it('is MIT licensed, with the licence text beside package.json (npm packs it)', () => {
		expect(packageJson.license).toBe('MIT');
		const licence = fs.readFileSync(path.join(ROOT, 'LICENSE.md'), 'utf8');
		expect(licence.split('\n')[0]).toBe('MIT License');
		expect(licence).toContain('Permission is hereby granted, free of charge');
	});

	it('names one GitHub repository as its repository, homepage, issue tracker and author', () => {
		const repository = 'https://github.com/n8n-nodes-amocrm/n8n-nodes-amocrm';
		expect(packageJson.repository).toEqual({ type: 'git', url: `git+${repository}.git` });
		expect(packageJson.homepage).toBe(`${repository}#readme`);
		expect(packageJson.bugs).toEqual({ url: `${repository}/issues` });
		expect(packageJson.author).toMatchObject({ url: 'https://github.com/n8n-nodes-amocrm' });
	});

	it('is published from a version tag by a GitHub Action, after the tests, with npm provenance', () => {
		const workflow = fs.readFileSync(path.join(ROOT, '.github/workflows/release.yml'), 'utf8');
		expect(workflow).toContain("    tags: ['v*']\n");
		expect(workflow).toMatch(/\n {2}id-token: write\b/);
		const test = workflow.indexOf('npm test\n');
		const publish = workflow.indexOf('run: npm publish --provenance --access public\n');
		expect(test).toBeGreaterThan(0);
		expect(publish).toBeGreaterThan(test);
		expect(fs.readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8')).toContain(
			`\n## ${packageJson.version as string}\n`,
		);
	});

	it('has a README with an example for every operation and for the lead-intake template', () => {
		const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
		const { properties } = new AmoCrm().description;
		const resources = properties.find((property) => property.name === 'resource')!
			.options as INodePropertyOptions[];
		const headings = properties
			.filter((property) => property.name === 'operation')
			.flatMap((property) => {
				const resource = resources.find(
					(option) => option.value === property.displayOptions?.show?.resource?.[0],
				)!;
				return (property.options as INodePropertyOptions[]).map(
					(operation) => `### ${resource.name} → ${operation.name}`,
				);
			});
		expect(headings).toHaveLength(46);
		for (const heading of headings) {
			const start = readme.indexOf(`\n${heading}\n`);
			expect({ heading, found: start >= 0 }).toEqual({ heading, found: true });
			const section = readme.slice(
				start + heading.length + 2,
				readme.indexOf('\n#', start + heading.length + 2),
			);
			expect({ heading, hasExample: /e\.g\.|\{\{|```|Output: `\{/.test(section) }).toEqual({
				heading,
				hasExample: true,
			});
		}
		expect(readme).toContain('\n### A typical chain\n');
		expect(readme).toContain('\n## Lead-intake template\n');
	});
});

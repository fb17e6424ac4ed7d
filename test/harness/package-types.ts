import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ICredentialType, INodeType, IVersionedNodeType } from 'n8n-workflow';

/** The package root (where package.json is). */
export const packageRoot = path.resolve(__dirname, '..', '..');

interface PackageJson {
	name: string;
	n8n: { nodes: string[]; credentials: string[] };
}

export interface PackageTypes {
	nodeTypes: Array<{ typeName: string; nodeType: INodeType | IVersionedNodeType }>;
	credentialTypes: ICredentialType[];
}

/** `dist/nodes/AmoCrm/AmoCrm.node.js` -> `<root>/nodes/AmoCrm/AmoCrm.node.ts` */
function sourceOf(distPath: string): string {
	return path.join(packageRoot, distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
}

function exportedInstances(file: string): unknown[] {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const moduleExports = require(file) as Record<string, unknown>;
	return Object.values(moduleExports)
		.filter((value): value is new () => unknown => typeof value === 'function')
		.map((Class) => {
			try {
				return new Class();
			} catch {
				return undefined;
			}
		})
		.filter((instance) => instance !== undefined);
}

let cached: PackageTypes | undefined;

/**
 * Loads this package's node and credential types from their TypeScript sources, found
 * through the `n8n` section of package.json (the same list n8n reads from `dist`). A node
 * gets its full type name `<package name>.<description.name>`, as n8n gives it.
 * Throws if a listed source is missing.
 */
export function loadPackageTypes(): PackageTypes {
	if (cached) return cached;
	const pkg = JSON.parse(
		readFileSync(path.join(packageRoot, 'package.json'), 'utf8'),
	) as PackageJson;

	const credentialTypes: ICredentialType[] = [];
	for (const entry of pkg.n8n.credentials) {
		const file = sourceOf(entry);
		if (!existsSync(file))
			throw new Error(`Harness: credential source ${file} (from package.json) is missing`);
		for (const instance of exportedInstances(file)) {
			const candidate = instance as Partial<ICredentialType>;
			if (typeof candidate.name === 'string' && Array.isArray(candidate.properties)) {
				credentialTypes.push(instance as ICredentialType);
			}
		}
	}

	const nodeTypes: PackageTypes['nodeTypes'] = [];
	for (const entry of pkg.n8n.nodes) {
		const file = sourceOf(entry);
		if (!existsSync(file))
			throw new Error(`Harness: node source ${file} (from package.json) is missing`);
		for (const instance of exportedInstances(file)) {
			const nodeType = instance as INodeType | IVersionedNodeType;
			if (nodeType.description && typeof nodeType.description.name === 'string') {
				nodeTypes.push({ typeName: `${pkg.name}.${nodeType.description.name}`, nodeType });
			}
		}
	}

	cached = { nodeTypes, credentialTypes };
	return cached;
}

/** Whether every source the package.json `n8n` section lists exists yet. */
export function packageSourcesExist(): boolean {
	const pkg = JSON.parse(
		readFileSync(path.join(packageRoot, 'package.json'), 'utf8'),
	) as PackageJson;
	return [...pkg.n8n.nodes, ...pkg.n8n.credentials].every((entry) => existsSync(sourceOf(entry)));
}

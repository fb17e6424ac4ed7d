#!/usr/bin/env node
// `npm run build`: compiles nodes/ and credentials/ (tsc) and copies icons and codex files (gulp)
// into a fresh folder, then brings dist/ in line with it file by file: a changed file is written
// beside its old self and renamed over it, a file no source makes any more is removed.
// So dist/ is never empty or half-written while it builds: an n8n that loads the package at that
// moment (another `npm start`, the end-to-end tests running side by side) reads either the old
// file or the new one, and an unchanged file is not touched at all.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const cache = path.join(root, 'node_modules', '.cache');
fs.mkdirSync(cache, { recursive: true });
// Beside dist/ on the same file system, so the final renames are atomic.
const fresh = fs.mkdtempSync(path.join(cache, 'n8n-nodes-amocrm-build-'));
// However the build ends (a failed compile, an error while syncing), the fresh folder goes.
process.on('exit', () => fs.rmSync(fresh, { recursive: true, force: true }));

function run(script, args, env = {}) {
	const result = spawnSync(process.execPath, [path.join(root, 'node_modules', script), ...args], {
		cwd: root,
		stdio: 'inherit',
		env: { ...process.env, ...env },
	});
	if (result.status !== 0) process.exit(result.status ?? 1);
}

/** Every file under `dir`, as paths relative to it. */
function files(dir) {
	if (!fs.existsSync(dir)) return [];
	return (
		fs
			.readdirSync(dir, { recursive: true, withFileTypes: true })
			.filter((entry) => entry.isFile())
			// `parentPath` from Node 20.12; `path` before it.
			.map((entry) => path.relative(dir, path.join(entry.parentPath ?? entry.path, entry.name)))
	);
}

run('typescript/bin/tsc', ['-p', 'tsconfig.build.json', '--outDir', fresh]);
run('gulp/bin/gulp.js', ['build:icons', '--silent'], { BUILD_OUT_DIR: fresh });

const made = files(fresh);
let written = 0;
for (const file of made) {
	const from = path.join(fresh, file);
	const to = path.join(dist, file);
	if (fs.existsSync(to) && fs.readFileSync(to).equals(fs.readFileSync(from))) continue;
	fs.mkdirSync(path.dirname(to), { recursive: true });
	const next = `${to}.${process.pid}.tmp`;
	fs.copyFileSync(from, next);
	fs.renameSync(next, to);
	written++;
}
const kept = new Set(made);
const stale = files(dist).filter((file) => !kept.has(file));
for (const file of stale) fs.rmSync(path.join(dist, file));
// Folders the stale files leave empty, deepest first.
const folders = fs
	.readdirSync(dist, { recursive: true, withFileTypes: true })
	.filter((entry) => entry.isDirectory())
	.map((entry) => path.join(entry.parentPath ?? entry.path, entry.name))
	.sort((a, b) => b.length - a.length);
for (const folder of folders) if (fs.readdirSync(folder).length === 0) fs.rmdirSync(folder);

console.log(
	`dist/: ${made.length} files, ${written} written, ${stale.length} removed, ${made.length - written} unchanged`,
);

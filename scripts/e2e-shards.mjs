#!/usr/bin/env node
/**
 * Runs the end-to-end and browser test files (jest -c jest.e2e.config.js) in E2E_SHARDS groups at
 * the same time, each group in a network namespace of its own (`unshare --net --mount`): its own
 * loopback, so every group's fake amoCRM has 127.0.0.x:443 to itself, and its own copy of
 * /etc/hosts, where the tests map amoCRM hosts to the fakes. Much of an end-to-end file's time is
 * spent waiting (leases, schedules, amoCRM's latency), which the groups overlap; n8n's starts and
 * Chromium keep both cores busy meanwhile.
 *
 * Files are dealt out by their usual duration (WEIGHTS: the mean of the seconds each took in the
 * last runs on the 2-core machine with three groups at once, as this script prints them at the
 * end), longest first, each to the group with the least work so far; a file not listed counts 30 s.
 * Each group's output goes to a log, printed whole when the group ends; the exit code is 1 if any
 * group failed. Needs root (namespaces, as the tests need it for /etc/hosts and port 443 anyway);
 * E2E_SHARDS=1, or a user other than root, runs all files in one jest, in this namespace.
 *
 * Usage: node scripts/e2e-shards.mjs [extra jest arguments]
 */
import { spawn, execFileSync } from 'node:child_process';
import {
	closeSync,
	copyFileSync,
	mkdtempSync,
	openSync,
	readdirSync,
	readFileSync,
	readlinkSync,
	rmSync,
} from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const WEIGHTS = {
	'test/browser/editor.browser.test.ts': 274,
	'test/browser/lead-intake-table.browser.test.ts': 267,
	'test/e2e/lead-intake-crash.e2e.test.ts': 226,
	'test/browser/operations.browser.test.ts': 180,
	'test/e2e/lead-intake-crash-postgres.e2e.test.ts': 178,
	'test/e2e/lead-intake.e2e.test.ts': 124,
	'test/e2e/lead-intake-queue.e2e.test.ts': 120,
	'test/e2e/lead-intake-queue-postgres.e2e.test.ts': 100,
	'test/e2e/lead-intake-overlap.e2e.test.ts': 99,
	'test/e2e/lead-intake-search-killed-postgres.e2e.test.ts': 98,
	'test/e2e/lead-intake-search-killed.e2e.test.ts': 86,
	'test/e2e/lead-intake-postgres.e2e.test.ts': 78,
	'test/e2e/operations.e2e.test.ts': 64,
	'test/e2e/lead-intake-overlap-postgres.e2e.test.ts': 54,
	'test/e2e/lead-intake-alone.e2e.test.ts': 40,
	'test/e2e/versions.e2e.test.ts': 38,
	'test/e2e/oauth2-connect.e2e.test.ts': 35,
	'test/e2e/error-secrets.e2e.test.ts': 32,
	'test/e2e/npm-start.e2e.test.ts': 30,
	'test/browser/test-form.browser.test.ts': 30,
	'test/e2e/lead-intake-incoming.e2e.test.ts': 15,
};
const DEFAULT_WEIGHT = 30;

const jestArgs = ['-c', 'jest.e2e.config.js', '--ci', '--runInBand', ...process.argv.slice(2)];
const isRoot = process.getuid?.() === 0;
const shards = isRoot ? Math.max(1, Number(process.env.E2E_SHARDS ?? 3)) : 1;

const files = execFileSync('npx', ['jest', '-c', 'jest.e2e.config.js', '--listTests'], {
	cwd: root,
	encoding: 'utf8',
})
	.split('\n')
	.filter(Boolean)
	.map((file) => relative(root, file))
	.sort();

if (shards === 1 || files.length < 2) {
	const jest = spawn('npx', ['jest', ...jestArgs], { cwd: root, stdio: 'inherit' });
	jest.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
	const groups = Array.from({ length: shards }, () => ({ files: [], weight: 0 }));
	const weight = (file) => WEIGHTS[file] ?? DEFAULT_WEIGHT;
	for (const file of [...files].sort((a, b) => weight(b) - weight(a))) {
		const lightest = groups.reduce((min, group) => (group.weight < min.weight ? group : min));
		lightest.files.push(file);
		lightest.weight += weight(file);
	}
	const tmp = mkdtempSync(join(tmpdir(), 'amocrm-e2e-shards-'));
	const started = Date.now();
	// Each group's network namespace, once its jest runs in it.
	const namespaces = new Set();
	const ownNamespace = readlinkSync('/proc/self/ns/net');
	const netNamespaceOf = (pid) => {
		try {
			return readlinkSync(`/proc/${pid}/ns/net`);
		} catch {
			return undefined;
		}
	};
	// Stopped by a signal (Ctrl-C, or npm test stopping this part after a failed check), jest has
	// no time to stop the n8n servers, PostgreSQL and Chromium it started, which run in process
	// groups of their own. Everything a group started lives in the group's network namespace:
	// all of it goes.
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
		process.on(signal, () => {
			for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
				if (!namespaces.has(netNamespaceOf(pid))) continue;
				try {
					process.kill(Number(pid), 'SIGKILL');
				} catch {}
			}
			process.exit(128 + constants.signals[signal]);
		});
	}
	const results = await Promise.all(
		groups.map(async (group, index) => {
			const name = `group ${index + 1}/${shards}`;
			const log = join(tmp, `group-${index + 1}.log`);
			const hosts = join(tmp, `hosts-${index + 1}`);
			copyFileSync('/etc/hosts', hosts);
			console.log(`${name} (about ${group.weight} s): ${group.files.join(' ')}`);
			const fd = openSync(log, 'w');
			// Inside the namespace: loopback up, this group's own /etc/hosts, then jest.
			const script =
				'ip link set lo up && mount --bind "$1" /etc/hosts && shift && exec npx jest "$@"';
			const child = spawn(
				'unshare',
				[
					...['--net', '--mount', '--propagation', 'private', 'bash', '-c', script, 'bash', hosts],
					...jestArgs,
					'--json',
					`--outputFile=${join(tmp, `group-${index + 1}.json`)}`,
					'--runTestsByPath',
					...group.files,
				],
				{ cwd: root, stdio: ['ignore', fd, fd] },
			);
			// The namespace is the child's once `unshare` made it (before bash and jest start).
			for (let tries = 0; tries < 100; tries++) {
				const namespace = netNamespaceOf(child.pid);
				if (namespace === undefined) break;
				if (namespace !== ownNamespace) {
					namespaces.add(namespace);
					break;
				}
				await new Promise((resolve) => setTimeout(resolve, 50));
			}
			const code = await new Promise((resolve) =>
				child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0))),
			);
			closeSync(fd);
			const seconds = Math.round((Date.now() - started) / 1000);
			console.log(`\n==== ${name}: ${code === 0 ? 'passed' : 'FAILED'} after ${seconds} s ====`);
			console.log(readFileSync(log, 'utf8'));
			return code;
		}),
	);
	// Each file's time in this run, for WEIGHTS above.
	const durations = results.flatMap((_, index) => {
		try {
			const report = JSON.parse(readFileSync(join(tmp, `group-${index + 1}.json`), 'utf8'));
			return report.testResults.map((result) => ({
				file: relative(root, result.name),
				group: index + 1,
				seconds: Math.round((result.endTime - result.startTime) / 1000),
			}));
		} catch {
			return [];
		}
	});
	console.log('\nSeconds per file in this run (group):');
	for (const { file, group, seconds } of durations.sort((a, b) => b.seconds - a.seconds))
		console.log(`  ${String(seconds).padStart(4)}  ${file} (${group})`);
	// The failures again, last, where a reader of the end of the output looks.
	results.forEach((code, index) => {
		if (code === 0) return;
		const log = readFileSync(join(tmp, `group-${index + 1}.log`), 'utf8');
		const summary = log.lastIndexOf('Summary of all failing tests');
		console.log(`\n==== group ${index + 1}/${shards} FAILED ====`);
		console.log(summary >= 0 ? log.slice(summary) : log.split('\n').slice(-60).join('\n'));
	});
	const failed = results.filter((code) => code !== 0).length;
	console.log(
		failed === 0
			? `All ${shards} groups passed.`
			: `${failed} of ${shards} groups FAILED (their logs are above).`,
	);
	if (failed === 0) rmSync(tmp, { recursive: true, force: true });
	process.exit(failed === 0 ? 0 : 1);
}

/**
 * `npm start` as a user runs it: n8n on its default SQLite database (the driver compiled for
 * Node 24 once), this package loaded, the templates imported, and a terminal that ends with
 * the address and the next steps instead of n8n's log. Ctrl-C stops it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePorts, repoRoot } from './harness';

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

describe('npm start', () => {
	let dataDir: string;
	let port: number;
	let child: ChildProcess;
	let output = '';
	let exitCode: number | null | undefined;
	const exited = () => exitCode !== undefined;

	beforeAll(async () => {
		dataDir = mkdtempSync(join(tmpdir(), 'npm-start-'));
		const [appPort, brokerPort] = await freePorts(2);
		port = appPort;
		const env: Record<string, string> = { ...(process.env as Record<string, string>) };
		for (const name of [
			'NODE_ENV',
			'JEST_WORKER_ID',
			'N8N_DB',
			'DB_TYPE',
			'WEBHOOK_URL',
			'N8N_WEBHOOK_URL',
		])
			delete env[name];
		child = spawn('bash', [join(repoRoot, 'scripts', 'start.sh')], {
			cwd: repoRoot,
			env: {
				...env,
				N8N_START_DATA_DIR: dataDir,
				N8N_PORT: String(port),
				N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			},
			detached: true, // own process group, as in a terminal: Ctrl-C reaches the script and n8n
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.on('exit', (code) => (exitCode = code));
		// A fresh machine compiles SQLite's driver (about 2 minutes) and sets up the database.
		const deadline = Date.now() + 9 * 60_000;
		while (!output.includes('n8n is ready') && !exited() && Date.now() < deadline) await sleep(500);
		if (!output.includes('n8n is ready'))
			throw new Error(`npm start did not get ready:\n${output}`);
		await sleep(500); // the rest of the next steps
	}, 10 * 60_000);

	afterAll(async () => {
		if (child?.pid && !exited()) {
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {}
		}
		if (dataDir) rmSync(dataDir, { recursive: true, force: true });
	});

	it('runs n8n on its default SQLite database, with no warning about the database', () => {
		expect(output).toContain('Database: sqlite.');
		expect(existsSync(join(dataDir, '.n8n', 'database.sqlite'))).toBe(true);
		const log = readFileSync(join(dataDir, 'n8n.log'), 'utf8');
		expect(log).toContain('Editor is now accessible');
		expect(log).not.toMatch(/not supported|upgrade to/i);
	});

	it('keeps n8n’s log in the file and ends the terminal with the next steps', () => {
		expect(output).not.toContain('Editor is now accessible');
		expect(output).not.toMatch(/deprecat|Task Broker|task runner/i);
		const lines = output.trimEnd().split('\n');
		const nextSteps = lines.slice(lines.findIndex((line) => line.includes('n8n is ready')) - 1);
		expect(nextSteps[0]).toMatch(/^=+$/);
		expect(nextSteps[nextSteps.length - 1]).toMatch(/^=+$/);
		const text = nextSteps.join('\n');
		expect(text).toContain(`http://localhost:${port}`);
		expect(text).toContain(`tail -f ${join(dataDir, 'n8n.log')}`);
		expect(text).toContain('Settings > Community nodes');
		expect(text).toContain('click + and search "amo" or "kommo"');
		expect(text).toContain('"AmoCRM / Kommo Long-Lived Token API"');
		expect(text).toContain('"AmoCRM / Kommo OAuth2 API"');
		const template = (
			JSON.parse(readFileSync(join(repoRoot, 'workflows', 'lead-intake.json'), 'utf8')) as {
				name: string;
			}
		).name;
		expect(text).toContain(`Open the template "${template}" (Overview > Workflows;`);
		expect(text).toMatch(/Then Publish \(greyed out until every\s+node is set up\)/);
		expect(text).toContain(`http://localhost:${port}/webhook/lead`);
	});

	it('loads the AmoCRM node and imports both templates', async () => {
		const base = `http://127.0.0.1:${port}`;
		const browserId = randomUUID();
		const setup = await fetch(`${base}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'browser-id': browserId },
			body: JSON.stringify({
				email: 'owner@npm-start.test',
				password: 'Npm-Start-Pass1',
				firstName: 'Npm',
				lastName: 'Start',
			}),
		});
		expect(setup.status).toBe(200);
		const cookie = (
			setup.headers.getSetCookie().find((c) => c.startsWith('n8n-auth=')) ?? ''
		).split(';')[0];

		const types = (await (
			await fetch(`${base}/types/nodes.json`, { headers: { cookie, 'browser-id': browserId } })
		).json()) as Array<{ name: string }>;
		expect(types.map((type) => type.name)).toContain('n8n-nodes-amocrm.amoCrm');

		const workflows = (await (
			await fetch(`${base}/rest/workflows`, { headers: { cookie, 'browser-id': browserId } })
		).json()) as { data: Array<{ name: string }> };
		const templates = ['lead-intake.json', 'lead-intake-postgres.json'].map(
			(file) =>
				(JSON.parse(readFileSync(join(repoRoot, 'workflows', file), 'utf8')) as { name: string })
					.name,
		);
		expect(workflows.data.map((workflow) => workflow.name).sort()).toEqual(templates.sort());
	});

	it('stops n8n on Ctrl-C', async () => {
		process.kill(-child.pid!, 'SIGINT');
		const deadline = Date.now() + 60_000;
		while (!exited() && Date.now() < deadline) await sleep(250);
		expect(exitCode).toBe(0);
		expect(output).toContain('Stopped. Your workflows and credentials stay in');
		const status = await fetch(`http://127.0.0.1:${port}/healthz`).then(
			(response) => response.status,
			() => 0,
		);
		expect(status).toBe(0);
	});
});

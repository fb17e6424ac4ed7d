import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createCipheriv, createHash, randomBytes, randomUUID } from 'node:crypto';
import {
	closeSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	openSync,
	readdirSync,
	readFileSync,
	renameSync,
	rmSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';

import { assertBuilt, DEFAULT_N8N_VERSION, repoRoot, runtime } from './paths';
import { freePorts } from './ports';
import { startPostgres, type PostgresServer } from './postgres';
import { startRedis, type RedisServer } from './redis';

/** A credential as `n8n import:credentials` takes it: plain `data`, a fixed id. */
export interface CredentialImport {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

/** A workflow as exported from n8n or stored in workflows/*.json. */
export interface WorkflowJson {
	id?: string;
	name: string;
	nodes: Array<{
		name: string;
		type: string;
		parameters: Record<string, unknown>;
		webhookId?: string;
		[key: string]: unknown;
	}>;
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	staticData?: unknown;
	[key: string]: unknown;
}

/** One execution as the public API returns it with `includeData=true`. */
export interface Execution {
	id: string;
	workflowId: string;
	status: 'new' | 'running' | 'success' | 'error' | 'crashed' | 'canceled' | 'waiting' | string;
	finished: boolean;
	mode: string;
	startedAt: string;
	stoppedAt: string | null;
	data?: {
		resultData: {
			error?: { message: string; description?: string; [key: string]: unknown };
			lastNodeExecuted?: string;
			runData: Record<
				string,
				Array<{
					error?: { message: string; [key: string]: unknown };
					data?: { main: Array<Array<{ json: Record<string, unknown> }> | null> };
				}>
			>;
		};
	};
}

export interface StartN8nOptions {
	/** Extra environment for the n8n server and its CLI calls, e.g. NODE_EXTRA_CA_CERTS. */
	env?: Record<string, string>;
	/** The package folder loaded into n8n (default: this clone, which must be built). */
	packageDir?: string;
	/**
	 * How the package gets into `<user folder>/.n8n/nodes/node_modules/<name>`:
	 * - `install` (default): packed and installed as Settings > Community Nodes installs it
	 *   (`installLikeN8n`); `require()` then finds n8n-workflow in n8n itself, never in this
	 *   clone's node_modules, exactly as for a user.
	 * - `link`: a symlink to the package folder (what `npm start` does for the edit-build-restart loop).
	 */
	load?: 'install' | 'link';
	/** Seconds to wait for /healthz/readiness (default 180). */
	startTimeoutSeconds?: number;
	/**
	 * `api` (default): the owner account and an API key are set up through n8n's REST API.
	 * `none`: n8n is left at its first-start sign-up page (a browser test signs up); call
	 * `signIn(owner)` afterwards to use `api`, `rest` and the rest of the instance.
	 */
	owner?: 'api' | 'none';
	/**
	 * Queue mode (`EXECUTIONS_MODE=queue`): a Redis of its own (scripts/redis.sh), n8n as the
	 * main process (webhooks, schedules, API) and `workers` `n8n worker` processes, each running
	 * up to `concurrency` executions at once (n8n's default 10). Manual runs go to the workers too.
	 */
	queue?: { workers: number; concurrency?: number };
	/**
	 * The n8n release to run (default `DEFAULT_N8N_VERSION`), installed once into the cache by
	 * scripts/n8n-install.sh. For an older release the harness leaves out what it does not know
	 * (`N8N_DISABLED_MODULES=mcp-registry`, which makes 1.123.x and 2.0.x exit) and waits for its
	 * REST API, which 1.123.x opens after its readiness check already answers 200.
	 */
	n8nVersion?: string;
}

export interface N8nInstance {
	/** http://127.0.0.1:<port> (no trailing slash). */
	baseUrl: string;
	/** Public API key (`X-N8N-API-KEY`). */
	apiKey: string;
	owner: { email: string; password: string };
	/** N8N_USER_FOLDER; n8n's own files are in `<userFolder>/.n8n`. */
	userFolder: string;
	/** The PostgreSQL server holding n8n's database `n8n`; tests may create their own databases. */
	postgres: PostgresServer;
	/** The environment n8n runs with. */
	env: Record<string, string>;
	/** `${baseUrl}/webhook/${path}`. */
	webhookUrl(path: string): string;
	/** Public API call (`/api/v1` + path); throws on non-2xx. */
	api<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
	/** Internal REST call as the owner (`/rest` + path); returns the `data` field; throws on non-2xx. */
	rest<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
	/** The node types the editor gets (`/types/nodes.json`): one entry per type and version. */
	nodeTypes(): Promise<
		Array<{
			name: string;
			displayName: string;
			version: number | number[];
			credentials?: Array<{ name: string }>;
			[key: string]: unknown;
		}>
	>;
	/** The credential types the editor gets (`/types/credentials.json`). */
	credentialTypes(): Promise<
		Array<{
			name: string;
			displayName: string;
			extends?: string[];
			properties: Array<{ name: string; [key: string]: unknown }>;
			[key: string]: unknown;
		}>
	>;
	/** Runs an n8n CLI command against this instance (own task-broker port). */
	cli(args: string[]): Promise<{ stdout: string; stderr: string }>;
	/** Stores credentials as `n8n import:credentials` does (encrypted, owned by the owner), with fixed ids so workflows can reference them. */
	importCredentials(credentials: CredentialImport[]): Promise<void>;
	/** Creates the workflow through the public API (as a user's import would); returns its id. */
	importWorkflow(workflow: WorkflowJson): Promise<string>;
	/** Replaces a workflow (public API PUT). */
	updateWorkflow(id: string, workflow: WorkflowJson): Promise<void>;
	/** Activates; resolves when its webhooks answer (n8n may 404 for ~1 s after activation). */
	activate(id: string): Promise<void>;
	deactivate(id: string): Promise<void>;
	/** POST/GET a webhook, retrying a 404 (nothing started) for up to 10 s. */
	webhook(path: string, init?: RequestInit): Promise<Response>;
	/** All executions of a workflow, oldest first, with data. */
	executions(workflowId: string): Promise<Execution[]>;
	/** Waits until at least `count` executions of the workflow have finished; returns all finished ones, oldest first. */
	waitForExecutions(
		workflowId: string,
		count: number,
		options?: { timeoutMs?: number },
	): Promise<Execution[]>;
	/** Signs in as an owner created elsewhere (a browser sign-up) and creates the API key. */
	signIn(owner: { email: string; password: string }): Promise<void>;
	/** n8n's log so far (the main process in queue mode). */
	logs(): string;
	/** Each queue-mode worker's log so far (none in regular mode). */
	workerLogs(): string[];
	/** Kills n8n (and its workers) and their task runners with SIGKILL, as a crash or an OOM kill would (PostgreSQL and Redis stay up). */
	kill(): Promise<void>;
	/** Starts n8n (and its workers) again after `kill`, on the same folder, database and environment; resolves when ready. */
	restart(): Promise<void>;
	/** Stops n8n (and its workers), PostgreSQL (and Redis) and removes the temporary folder (kept when E2E_KEEP=1). */
	stop(): Promise<void>;
}

/** The json of each item a node output (last run, first output). */
export function nodeOutput(
	execution: Execution,
	nodeName: string,
	outputIndex = 0,
): Array<Record<string, unknown>> {
	const runs = execution.data?.resultData.runData[nodeName];
	if (!runs || runs.length === 0) return [];
	const items = runs[runs.length - 1].data?.main[outputIndex] ?? [];
	return items.map((item) => item.json);
}

/** One n8n process (`n8n start`, or `n8n worker` in queue mode), in its own process group. */
interface N8nProcess {
	/** `n8n` or `worker 1`, `worker 2`, ... */
	name: string;
	args: string[];
	env: Record<string, string>;
	logFile: string;
	/** Answers 200 once the process is ready (n8n's, or the worker's own health server). */
	readinessUrl: string;
	child?: ChildProcess;
	/** Exit code or signal; undefined while it runs. */
	exited?: number | string | null;
	exitPromise: Promise<void>;
}

const live = new Set<{
	processes: N8nProcess[];
	pgDir: string;
	pgPort: number;
	redisDir?: string;
	tmp: string;
}>();
let exitHookInstalled = false;
function installExitHook() {
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	// Last resort when a test file dies without calling stop(): never leave servers behind.
	process.on('exit', () => {
		for (const entry of live) {
			for (const n8nProcess of entry.processes) {
				try {
					if (n8nProcess.child?.pid) process.kill(-n8nProcess.child.pid, 'SIGKILL');
				} catch {}
			}
			if (entry.redisDir) {
				try {
					execFileSync('bash', [join(repoRoot, 'scripts', 'redis.sh'), 'stop', entry.redisDir], {
						stdio: 'ignore',
						timeout: 20_000,
					});
				} catch {}
			}
			try {
				execFileSync(
					'bash',
					[join(repoRoot, 'scripts', 'postgres.sh'), 'stop', entry.pgDir, String(entry.pgPort)],
					{
						stdio: 'ignore',
						timeout: 20_000,
					},
				);
			} catch {}
		}
	});
}

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves true when `promise` settles within `ms`, false otherwise; leaves no timer behind. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<boolean>((resolve) => {
		timer = setTimeout(() => resolve(false), ms);
	});
	try {
		return await Promise.race([promise.then(() => true), timeout]);
	} finally {
		clearTimeout(timer);
	}
}

function tail(text: string, lines = 60): string {
	return text.split('\n').slice(-lines).join('\n');
}

/**
 * A hash of every file the packed package can hold (package.json, README, LICENSE and the folders
 * its `files` field names): the key of the installed copy `installLikeN8n` keeps.
 */
function packageHash(packageDir: string): string {
	const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
		files?: string[];
	};
	const folders = [...new Set((manifest.files ?? []).map((entry) => entry.split('/')[0]))];
	const files = ['package.json', 'README.md', 'LICENSE.md'].filter((file) =>
		existsSync(join(packageDir, file)),
	);
	for (const folder of folders.filter((f) => existsSync(join(packageDir, f)))) {
		for (const entry of readdirSync(join(packageDir, folder), {
			recursive: true,
			withFileTypes: true,
		}))
			if (entry.isFile()) files.push(relative(packageDir, join(entry.parentPath, entry.name)));
	}
	const hash = createHash('sha256').update(packageDir);
	for (const file of files.sort()) hash.update(file).update(readFileSync(join(packageDir, file)));
	return hash.digest('hex').slice(0, 16);
}

/**
 * Installs the package as Settings > Community Nodes does (n8n's community-packages service,
 * `downloadPackage`): `npm pack`, unpacked into `<nodes>/node_modules/<name>`, its
 * devDependencies, peerDependencies and optionalDependencies deleted from its package.json, then
 * `npm install --install-strategy=shallow --ignore-scripts` in that folder, and the package
 * recorded in `<nodes>/package.json`. `require('n8n-workflow')` then finds n8n's own copy, never
 * this clone's dev dependency, exactly as for a user. The installed folder is made once per
 * content of the package (`packageHash`) and copied for each n8n: two npm runs less per start.
 */
function installLikeN8n(packageDir: string, nodesDir: string, tmp: string): void {
	const quiet = { encoding: 'utf8' as const, stdio: 'pipe' as const };
	const manifestOf = (dir: string) =>
		JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
	const installed = join(tmpdir(), 'n8n-nodes-amocrm-installed', packageHash(packageDir));
	if (!existsSync(join(installed, 'package.json'))) {
		const work = mkdtempSync(join(tmp, 'install-'));
		const tarball = execFileSync(
			'npm',
			['pack', packageDir, '--quiet', '--ignore-scripts', '--pack-destination', work],
			quiet,
		)
			.trim()
			.split('\n')
			.pop() as string;
		const unpacked = join(work, 'package');
		execFileSync('tar', ['-xzf', join(work, tarball), '-C', work], quiet);
		const { devDependencies, peerDependencies, optionalDependencies, ...manifest } =
			manifestOf(unpacked);
		void [devDependencies, peerDependencies, optionalDependencies];
		writeFileSync(join(unpacked, 'package.json'), JSON.stringify(manifest, null, 2));
		execFileSync(
			'npm',
			[
				'install',
				'--audit=false',
				'--fund=false',
				'--bin-links=false',
				'--install-strategy=shallow',
				'--ignore-scripts=true',
				'--package-lock=false',
			],
			{ ...quiet, cwd: unpacked },
		);
		mkdirSync(dirname(installed), { recursive: true });
		try {
			renameSync(unpacked, installed);
		} catch (error) {
			// Another jest process made it first.
			if (!['ENOTEMPTY', 'EEXIST'].includes((error as NodeJS.ErrnoException).code ?? ''))
				throw error;
		}
		rmSync(work, { recursive: true, force: true });
	}
	const manifest = manifestOf(installed);
	const name = manifest.name as string;
	execFileSync('cp', ['-a', installed, join(nodesDir, 'node_modules', name)], quiet);
	const nodes = manifestOf(nodesDir) as { dependencies: Record<string, string> };
	nodes.dependencies[name] = manifest.version as string;
	writeFileSync(join(nodesDir, 'package.json'), JSON.stringify(nodes, null, 2));
}

/**
 * What n8n stores in `credentials_entity.data` without a key prefix: OpenSSL's `enc -aes-256-cbc -md
 * md5` format ("Salted__", an 8-byte salt, then the ciphertext; key and IV from the instance's
 * encryption key and the salt by EVP_BytesToKey with MD5), base64. n8n reads it with its
 * instance key on every release the tests run.
 */
function encryptLikeN8n(plaintext: string, encryptionKey: string): string {
	const salt = randomBytes(8);
	const password = Buffer.concat([Buffer.from(encryptionKey, 'binary'), salt]);
	const md5 = (...parts: Buffer[]) => createHash('md5').update(Buffer.concat(parts)).digest();
	const first = md5(password);
	const second = md5(first, password);
	const iv = md5(second, password);
	const cipher = createCipheriv('aes-256-cbc', Buffer.concat([first, second]), iv);
	return Buffer.concat([
		Buffer.from('Salted__'),
		salt,
		cipher.update(plaintext, 'utf8'),
		cipher.final(),
	]).toString('base64');
}

/** Node's on-disk cache of compiled modules for an n8n release, kept beside it. */
const compileCache = (n8nDir: string) => join(n8nDir, '.node-compile-cache');

/** n8n's database: `n8n` on a harness PostgreSQL at 127.0.0.1:`port`, user `postgres` trusted. */
const databaseEnv = (port: number) => ({
	DB_TYPE: 'postgresdb',
	DB_POSTGRESDB_HOST: '127.0.0.1',
	DB_POSTGRESDB_PORT: String(port),
	DB_POSTGRESDB_DATABASE: 'n8n',
	DB_POSTGRESDB_USER: 'postgres',
	DB_POSTGRESDB_PASSWORD: '',
});

/**
 * A stopped PostgreSQL cluster whose database `n8n` the given n8n release has migrated, cached
 * beside the release: its first start on an empty database runs about 200 migrations (some
 * 4 CPU seconds, far more wall time on a busy machine) after initdb, and every `startN8n` copies
 * this instead. Made once per n8n release, PostgreSQL version and scripts/postgres.sh (whose
 * settings the cluster holds) by an n8n CLI command, which migrates before it runs; jest
 * processes side by side that both make it keep whichever is renamed into place first.
 */
async function migratedCluster(n8nVersion: string, hasMcpRegistry: boolean): Promise<string> {
	const { node, n8nBin, n8nDir } = runtime(n8nVersion);
	const postgresScript = join(repoRoot, 'scripts', 'postgres.sh');
	const pgBin = execFileSync('bash', [postgresScript, 'bin'], { encoding: 'utf8' }).trim();
	const key = createHash('sha256')
		.update(pgBin)
		.update(readFileSync(postgresScript))
		.digest('hex')
		.slice(0, 12);
	const cluster = join(n8nDir, `.postgres-migrated-${key}`);
	if (existsSync(join(cluster, 'PG_VERSION'))) return cluster;

	// Made in the temporary folder, which the cluster's owner (`postgres`, as root) can reach.
	const work = mkdtempSync(join(tmpdir(), 'n8n-migrated-cluster-'));
	try {
		const [pgPort, brokerPort] = await freePorts(2);
		const postgres = await startPostgres(join(work, 'cluster'), pgPort);
		try {
			await postgres.createDatabase('n8n');
			const inherited = { ...process.env } as Record<string, string>;
			delete inherited.NODE_ENV;
			delete inherited.JEST_WORKER_ID;
			await promisify(execFile)(node, [n8nBin, 'list:workflow'], {
				cwd: work,
				timeout: 10 * 60_000,
				env: {
					...inherited,
					PATH: `${dirname(node)}:${process.env.PATH ?? ''}`,
					N8N_USER_FOLDER: join(work, 'user'),
					N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
					N8N_DIAGNOSTICS_ENABLED: 'false',
					N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
					...(hasMcpRegistry ? { N8N_DISABLED_MODULES: 'mcp-registry' } : {}),
					N8N_RUNNERS_MODE: 'internal',
					N8N_RUNNERS_BROKER_PORT: String(brokerPort),
					N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
					N8N_EXPRESSION_ENGINE: 'legacy',
					NODE_COMPILE_CACHE: compileCache(n8nDir),
					...databaseEnv(pgPort),
				},
			});
		} finally {
			await postgres.stop();
		}
		const copy = `${cluster}.${process.pid}.tmp`;
		await promisify(execFile)('cp', ['-a', join(work, 'cluster'), copy]);
		try {
			renameSync(copy, cluster);
		} catch (error) {
			rmSync(copy, { recursive: true, force: true });
			// Another jest process made it first.
			if (!['ENOTEMPTY', 'EEXIST'].includes((error as NodeJS.ErrnoException).code ?? ''))
				throw error;
		}
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
	return cluster;
}

/**
 * Starts a real n8n (Node 24, the cached n8n install) with its own PostgreSQL, both on
 * free loopback ports in a temporary folder, with this package in
 * `<user folder>/.n8n/nodes/node_modules/<name>`, exactly where Settings > Community Nodes
 * installs packages (see `load`). Sets up the owner and a public API key.
 */
export async function startN8n(options: StartN8nOptions = {}): Promise<N8nInstance> {
	const packageDir = options.packageDir ?? repoRoot;
	if (packageDir === repoRoot) assertBuilt();
	const n8nVersion = options.n8nVersion ?? DEFAULT_N8N_VERSION;
	const otherVersion = n8nVersion !== DEFAULT_N8N_VERSION;
	const { node, n8nBin, n8nDir } = runtime(n8nVersion);
	// n8n refuses to start with an unknown module in N8N_DISABLED_MODULES.
	const hasMcpRegistry =
		!otherVersion ||
		existsSync(join(n8nDir, 'node_modules', 'n8n', 'dist', 'modules', 'mcp-registry'));
	installExitHook();

	const tmp = mkdtempSync(join(tmpdir(), 'n8n-e2e-'));
	const userFolder = join(tmp, 'user');
	const pgDir = join(tmp, 'postgres');
	const logFile = join(tmp, 'n8n.log');
	const workerCount = options.queue?.workers ?? 0;
	// Per worker: its task broker and its health server.
	const [port, brokerPort, cliBrokerPort, pgPort, redisPort, ...workerPorts] = await freePorts(
		5 + 2 * workerCount,
	);

	const pkgName = (
		JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { name: string }
	).name;
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	mkdirSync(join(nodesDir, 'node_modules'), { recursive: true });
	writeFileSync(
		join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }),
	);
	if (options.load === 'link') {
		symlinkSync(packageDir, join(nodesDir, 'node_modules', pkgName), 'dir');
	} else {
		installLikeN8n(packageDir, nodesDir, tmp);
	}

	const postgres = await startPostgres(pgDir, pgPort, {
		copyOf: await migratedCluster(n8nVersion, hasMcpRegistry),
	});
	await postgres.createDatabase('n8n');
	let redis: RedisServer | undefined;
	if (options.queue) {
		try {
			redis = await startRedis(join(tmp, 'redis'), redisPort);
		} catch (error) {
			await postgres.stop().catch(() => undefined);
			throw error;
		}
	}

	const inherited = { ...process.env } as Record<string, string>;
	// Jest sets NODE_ENV=test, which changes n8n's behaviour; a user's n8n has none.
	delete inherited.NODE_ENV;
	delete inherited.JEST_WORKER_ID;
	delete inherited.WEBHOOK_URL;
	const env: Record<string, string> = {
		...inherited,
		PATH: `${dirname(node)}:${process.env.PATH ?? ''}`,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		N8N_SECURE_COOKIE: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		...(hasMcpRegistry ? { N8N_DISABLED_MODULES: 'mcp-registry' } : {}),
		N8N_RUNNERS_MODE: 'internal',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		// Node's on-disk cache of compiled modules, beside the n8n release it was made from: every
		// start, worker, task runner and CLI call after the first skips compiling n8n's thousands
		// of modules again (about a quarter of a start's CPU time). n8n itself is unchanged.
		NODE_COMPILE_CACHE: compileCache(n8nDir),
		...databaseEnv(pgPort),
		...(redis
			? {
					// Queue mode: the main process takes webhooks and schedules and puts each
					// execution in Redis; the workers run them (manual runs too).
					EXECUTIONS_MODE: 'queue',
					QUEUE_BULL_REDIS_HOST: redis.host,
					QUEUE_BULL_REDIS_PORT: String(redis.port),
					OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
				}
			: {}),
		...options.env,
	};

	const baseUrl = `http://127.0.0.1:${port}`;
	const processes: N8nProcess[] = [
		{
			name: 'n8n',
			args: ['start'],
			env,
			logFile,
			readinessUrl: `${baseUrl}/healthz/readiness`,
			exitPromise: Promise.resolve(),
		},
		...Array.from({ length: workerCount }, (_, i): N8nProcess => {
			const [workerBrokerPort, healthPort] = workerPorts.slice(2 * i, 2 * i + 2);
			return {
				name: `worker ${i + 1}`,
				args: ['worker', `--concurrency=${options.queue?.concurrency ?? 10}`],
				env: {
					...env,
					N8N_RUNNERS_BROKER_PORT: String(workerBrokerPort),
					QUEUE_HEALTH_CHECK_ACTIVE: 'true',
					QUEUE_HEALTH_CHECK_PORT: String(healthPort),
					N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
				},
				logFile: join(tmp, `worker-${i + 1}.log`),
				readinessUrl: `http://127.0.0.1:${healthPort}/healthz/readiness`,
				exitPromise: Promise.resolve(),
			};
		}),
	];
	const entry = { processes, pgDir, pgPort, redisDir: redis?.dir, tmp };
	live.add(entry);

	/** Spawns one n8n process (again, after `kill`: same folder, database and environment). */
	const spawnProcess = (n8nProcess: N8nProcess) => {
		const logFd = openSync(n8nProcess.logFile, 'a');
		const child = spawn(node, [n8nBin, ...n8nProcess.args], {
			env: n8nProcess.env,
			cwd: tmp,
			detached: true, // own process group: stop() ends n8n and its task runners together
			stdio: ['ignore', logFd, logFd],
		});
		closeSync(logFd);
		child.unref();
		n8nProcess.child = child;
		n8nProcess.exited = undefined;
		n8nProcess.exitPromise = new Promise<void>((resolve) => {
			child.on('exit', (code, signal) => {
				n8nProcess.exited = code ?? signal;
				resolve();
			});
		});
	};
	const readFile = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '');
	const logs = () => readFile(logFile);
	const running = (n8nProcess: N8nProcess) =>
		n8nProcess.exited === undefined && n8nProcess.child?.pid !== undefined;
	const signal = (n8nProcess: N8nProcess, name: NodeJS.Signals) => {
		try {
			if (n8nProcess.child?.pid) process.kill(-n8nProcess.child.pid, name);
		} catch {}
	};

	let stopped = false;
	const stop = async () => {
		if (stopped) return;
		stopped = true;
		const alive = processes.filter(running);
		for (const n8nProcess of alive) signal(n8nProcess, 'SIGTERM');
		await Promise.all(
			alive.map(async (n8nProcess) => {
				if (!(await settlesWithin(n8nProcess.exitPromise, 20_000))) {
					signal(n8nProcess, 'SIGKILL');
					await settlesWithin(n8nProcess.exitPromise, 5_000);
				}
			}),
		);
		await redis?.stop().catch(() => undefined);
		await postgres.stop().catch(() => undefined);
		live.delete(entry);
		if (process.env.E2E_KEEP !== '1') rmSync(tmp, { recursive: true, force: true });
	};

	const waitUntilReady = async (n8nProcess: N8nProcess) => {
		const deadline = Date.now() + (options.startTimeoutSeconds ?? 180) * 1000;
		for (;;) {
			if (n8nProcess.exited !== undefined)
				throw new Error(`${n8nProcess.name} exited during start (${n8nProcess.exited})`);
			if (Date.now() > deadline) throw new Error(`${n8nProcess.name} did not become ready in time`);
			const status = await fetch(n8nProcess.readinessUrl).then(
				(response) => response.status,
				() => 0,
			);
			if (status === 200) break;
			await sleep(500);
		}
		if (!otherVersion || n8nProcess !== processes[0]) return;
		// Older releases answer the readiness check before their REST API is mounted.
		for (;;) {
			if (n8nProcess.exited !== undefined)
				throw new Error(`${n8nProcess.name} exited during start (${n8nProcess.exited})`);
			if (Date.now() > deadline)
				throw new Error(`${n8nProcess.name}'s REST API did not open in time`);
			const status = await fetch(`${baseUrl}/rest/settings`).then(
				(response) => response.status,
				() => 0,
			);
			if (status === 200) return;
			await sleep(250);
		}
	};
	/** Starts n8n, then (queue mode) its workers once n8n has set up the database; resolves when all are ready. */
	const launch = async () => {
		const [main, ...workers] = processes;
		let starting = main;
		try {
			spawnProcess(main);
			await waitUntilReady(main);
			for (const worker of workers) spawnProcess(worker);
			for (const worker of workers) {
				starting = worker;
				await waitUntilReady(worker);
			}
		} catch (error) {
			throw new Error(
				`${(error as Error).message}\n--- ${starting.name} log (${starting.logFile}) ---\n${tail(readFile(starting.logFile))}`,
			);
		}
	};
	try {
		await launch();
	} catch (error) {
		await stop();
		throw error;
	}

	// Owner and API key, as a user does on first start.
	const owner = {
		email: 'owner@e2e.test',
		password: `E2e-${randomBytes(6).toString('hex')}-Pass1`,
	};
	const browserId = randomUUID();
	let cookie = '';
	const rest = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
		const response = await fetch(`${baseUrl}/rest${path}`, {
			method,
			headers: {
				'content-type': 'application/json',
				'browser-id': browserId,
				...(cookie ? { cookie } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`${method} /rest${path}: ${response.status} ${text}`);
		const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
		if (setCookie) cookie = setCookie.split(';')[0];
		return (text ? (JSON.parse(text) as { data: T }).data : undefined) as T;
	};

	let apiKey = '';
	const createApiKey = async () => {
		const scopes = await rest<string[]>('GET', '/api-keys/scopes');
		const key = await rest<{ rawApiKey: string }>('POST', '/api-keys', {
			label: 'e2e',
			scopes,
			expiresAt: null,
		});
		apiKey = key.rawApiKey;
	};
	if (options.owner !== 'none') {
		try {
			await rest('POST', '/owner/setup', { ...owner, firstName: 'E2e', lastName: 'Owner' });
			await createApiKey();
		} catch (error) {
			await stop();
			throw error;
		}
	}

	const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
		const response = await fetch(`${baseUrl}/api/v1${path}`, {
			method,
			headers: {
				'content-type': 'application/json',
				'x-n8n-api-key': instance.apiKey,
				accept: 'application/json',
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`${method} /api/v1${path}: ${response.status} ${text}`);
		return (text ? JSON.parse(text) : undefined) as T;
	};

	const cli = async (args: string[]) =>
		await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
			execFile(
				node,
				[n8nBin, ...args],
				{
					cwd: tmp,
					// Every CLI command starts its own task broker: keep it off the server's port.
					// The default expression engine can crash the CLI at exit (139) after its work.
					env: {
						...env,
						N8N_RUNNERS_BROKER_PORT: String(cliBrokerPort),
						N8N_EXPRESSION_ENGINE: 'legacy',
					},
					timeout: 120_000,
					maxBuffer: 32 * 1024 * 1024,
				},
				(error, stdout, stderr) => {
					if (error)
						reject(
							new Error(`n8n ${args.join(' ')} failed: ${error.message}\n${stdout}\n${stderr}`),
						);
					else resolve({ stdout, stderr });
				},
			);
		});

	const webhookPaths = async (id: string) => {
		const workflow = await api<WorkflowJson>('GET', `/workflows/${id}`);
		return workflow.nodes
			.filter((n) => typeof n.webhookId === 'string' && typeof n.parameters.path === 'string')
			.map((n) => n.parameters.path as string);
	};

	const editorTypes = async <T>(file: string): Promise<T> => {
		const response = await fetch(`${baseUrl}/types/${file}`, {
			headers: { cookie, 'browser-id': browserId },
		});
		if (!response.ok) throw new Error(`GET /types/${file}: ${response.status}`);
		return (await response.json()) as T;
	};

	const webhookUrl = (path: string) => `${baseUrl}/webhook/${path.replace(/^\//, '')}`;

	const executions = async (workflowId: string, includeData = true) => {
		const all: Execution[] = [];
		let cursor: string | undefined;
		do {
			const query = new URLSearchParams({
				workflowId,
				includeData: String(includeData),
				limit: '250',
			});
			if (cursor) query.set('cursor', cursor);
			const page = await api<{ data: Execution[]; nextCursor: string | null }>(
				'GET',
				`/executions?${query}`,
			);
			all.push(...page.data);
			cursor = page.nextCursor ?? undefined;
		} while (cursor);
		return all.sort((a, b) => Number(a.id) - Number(b.id));
	};

	const finishedStatuses = new Set(['success', 'error', 'crashed', 'canceled']);

	const instance: N8nInstance = {
		baseUrl,
		apiKey,
		owner,
		userFolder,
		postgres,
		env,
		webhookUrl,
		api,
		rest,
		cli,
		logs,
		stop,
		executions,
		workerLogs: () => processes.slice(1).map((worker) => readFile(worker.logFile)),
		async kill() {
			const alive = processes.filter(running);
			for (const n8nProcess of alive) signal(n8nProcess, 'SIGKILL');
			await Promise.all(
				alive.map(async (n8nProcess) => await settlesWithin(n8nProcess.exitPromise, 10_000)),
			);
		},
		restart: launch,
		nodeTypes: async () => await editorTypes('nodes.json'),
		credentialTypes: async () => await editorTypes('credentials.json'),

		async signIn(signedUp) {
			await rest('POST', '/login', {
				emailOrLdapLoginId: signedUp.email,
				password: signedUp.password,
			});
			instance.owner = signedUp;
			await createApiKey();
			instance.apiKey = apiKey;
		},

		async importCredentials(credentials) {
			// The rows `n8n import:credentials` writes (the credential, encrypted with the instance's
			// key, owned by the owner's personal project), written directly: the CLI would boot a
			// whole n8n for it, 2 to 3 CPU seconds per call.
			const [projectId] = await postgres.query(
				`select r."projectId" from project_relation r join project p on p.id = r."projectId"
				 join "user" u on u.id = r."userId"
				 where p.type = 'personal' and r.role = 'project:personalOwner'
				   and coalesce(to_jsonb(u)->>'roleSlug', to_jsonb(u)->>'role') = 'global:owner'`,
				'n8n',
			);
			if (!projectId) throw new Error('importCredentials: n8n has no owner yet');
			const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
			for (const credential of credentials) {
				const values = [
					credential.id,
					credential.name,
					credential.type,
					encryptLikeN8n(JSON.stringify(credential.data), env.N8N_ENCRYPTION_KEY),
				].map(literal);
				await postgres.query(
					`begin;
					 insert into credentials_entity (id, name, type, data) values (${values.join(', ')})
					   on conflict (id) do update set name = excluded.name, type = excluded.type,
					   data = excluded.data, "updatedAt" = now();
					 insert into shared_credentials ("credentialsId", "projectId", role)
					   values (${literal(credential.id)}, ${literal(projectId)}, 'credential:owner')
					   on conflict do nothing;
					 commit;`,
					'n8n',
				);
			}
		},

		async importWorkflow(workflow) {
			const body: Record<string, unknown> = {
				name: workflow.name,
				nodes: workflow.nodes,
				connections: workflow.connections,
				settings: workflow.settings ?? {},
			};
			if (workflow.staticData !== undefined && workflow.staticData !== null)
				body.staticData = workflow.staticData;
			const created = await api<{ id: string }>('POST', '/workflows', body);
			return created.id;
		},

		async updateWorkflow(id, workflow) {
			await api('PUT', `/workflows/${id}`, {
				name: workflow.name,
				nodes: workflow.nodes,
				connections: workflow.connections,
				settings: workflow.settings ?? {},
			});
		},

		async activate(id) {
			await api('POST', `/workflows/${id}/activate`);
			// The webhook may answer 404 for about a second after activation: wait until
			// each of the workflow's webhook paths is registered (CORS preflight, no execution).
			for (const path of await webhookPaths(id)) {
				const deadline = Date.now() + 5_000;
				for (;;) {
					const status = await fetch(webhookUrl(path), {
						method: 'OPTIONS',
						headers: { origin: 'http://e2e.test', 'access-control-request-method': 'POST' },
					}).then(
						(response) => response.status,
						() => 0,
					);
					if (status !== 404 && status !== 0) break;
					if (Date.now() > deadline)
						throw new Error(`webhook ${path} not registered after activation`);
					await sleep(100);
				}
			}
		},

		async deactivate(id) {
			await api('POST', `/workflows/${id}/deactivate`);
		},

		async webhook(path, init) {
			// n8n answers 404 ("not registered", nothing started) for a moment after activation, and
			// was seen to answer a few posts of a 50-post burst so on a loaded machine in queue mode:
			// posted again, as nothing ran, for up to 10 s.
			const deadline = Date.now() + 10_000;
			for (;;) {
				const response = await fetch(webhookUrl(path), init);
				if (response.status !== 404 || Date.now() > deadline) return response;
				await response.arrayBuffer();
				await sleep(100);
			}
		},

		async waitForExecutions(workflowId, count, waitOptions = {}) {
			const deadline = Date.now() + (waitOptions.timeoutMs ?? 30_000);
			const finishedOf = (all: Execution[]) => all.filter((e) => finishedStatuses.has(e.status));
			for (;;) {
				// Polled without their data (n8n reads every stored execution's data for each call
				// with it, which grows with the run); read with data once they are there.
				const finished = finishedOf(await executions(workflowId, false));
				if (finished.length >= count) return finishedOf(await executions(workflowId));
				if (Date.now() > deadline) {
					throw new Error(
						`expected ${count} finished executions of workflow ${workflowId}, have ${finished.length}\n--- n8n log ---\n${tail(logs(), 30)}`,
					);
				}
				await sleep(250);
			}
		},
	};
	return instance;
}

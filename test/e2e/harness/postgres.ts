import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { repoRoot } from './paths';

const run = promisify(execFile);
const script = join(repoRoot, 'scripts', 'postgres.sh');

/** A throwaway PostgreSQL server (scripts/postgres.sh) with trust auth for `postgres`. */
export interface PostgresServer {
	host: '127.0.0.1';
	port: number;
	user: 'postgres';
	password: '';
	dataDir: string;
	/** `createdb`, idempotent. */
	createDatabase(name: string): Promise<void>;
	/** Runs SQL through psql and returns the rows as tab-separated lines. */
	query(sql: string, database?: string): Promise<string[]>;
	stop(): Promise<void>;
}

/**
 * Starts the server in `dataDir` (made with initdb when empty). With `copyOf`, `dataDir` starts as
 * a copy of that stopped cluster (`cp -a`, owner kept), for instance one n8n has already migrated.
 */
export async function startPostgres(
	dataDir: string,
	port: number,
	options: { copyOf?: string } = {},
): Promise<PostgresServer> {
	if (options.copyOf) await run('cp', ['-a', options.copyOf, dataDir]);
	await run('bash', [script, 'start', dataDir, String(port)], { timeout: 10 * 60_000 });
	const { stdout } = await run('bash', [script, 'bin']);
	const psql = join(stdout.trim(), 'psql');
	const query = async (sql: string, database = 'postgres') => {
		const result = await run(psql, [
			'-h',
			'127.0.0.1',
			'-p',
			String(port),
			'-U',
			'postgres',
			'-d',
			database,
			'-v',
			'ON_ERROR_STOP=1',
			'-tA',
			'-F',
			'\t',
			'-c',
			sql,
		]);
		return result.stdout.split('\n').filter((line) => line !== '');
	};
	return {
		host: '127.0.0.1',
		port,
		user: 'postgres',
		password: '',
		dataDir,
		query,
		async createDatabase(name) {
			if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
			const exists = await query(`select 1 from pg_database where datname = '${name}'`);
			if (exists.length === 0) await query(`create database ${name}`);
		},
		async stop() {
			await run('bash', [script, 'stop', dataDir, String(port)]);
		},
	};
}

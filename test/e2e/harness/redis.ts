import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { repoRoot } from './paths';

const run = promisify(execFile);
const script = join(repoRoot, 'scripts', 'redis.sh');

/** A throwaway Redis (scripts/redis.sh) on 127.0.0.1, for n8n's queue mode. */
export interface RedisServer {
	host: '127.0.0.1';
	port: number;
	dir: string;
	stop(): Promise<void>;
}

export async function startRedis(dir: string, port: number): Promise<RedisServer> {
	await run('bash', [script, 'start', dir, String(port)], { timeout: 10 * 60_000 });
	return {
		host: '127.0.0.1',
		port,
		dir,
		async stop() {
			await run('bash', [script, 'stop', dir]);
		},
	};
}

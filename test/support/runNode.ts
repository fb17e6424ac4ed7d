import type { INodeExecutionData } from 'n8n-workflow';

import { AmoCrm } from '../../nodes/AmoCrm/AmoCrm.node';
import { clearCache } from '../../nodes/AmoCrm/transport/cache';
import { resetRateLimiter } from '../../nodes/AmoCrm/transport/rateLimiter';
import { forgetWorkedAccounts } from '../../nodes/AmoCrm/transport/request';
import { executeContext } from './executeContext';
import type { ContextOptions } from './executeContext';

export async function runNode(options: ContextOptions): Promise<INodeExecutionData[]> {
	const [output] = await new AmoCrm().execute.call(executeContext(options));
	return output;
}

/** Module state (caches, rate limiter) must not leak from one test into the next. */
export function resetTransportState(): void {
	clearCache();
	resetRateLimiter();
	forgetWorkedAccounts();
}

import { E2E_AMOCRM } from './amocrm';
import type { CredentialImport, WorkflowJson } from './n8n';

/** A long-lived-token credential of the fake amoCRM account (the fake accepts `test-token`). */
export function amoCrmTokenCredential(id: string): CredentialImport {
	return {
		id,
		name: 'amoCRM e2e (long-lived token)',
		type: 'amoCrmApi',
		data: { subdomain: E2E_AMOCRM.subdomain, domain: E2E_AMOCRM.domain, accessToken: 'test-token' },
	};
}

/**
 * A Webhook (POST /webhook/<path>, answering with the last node's output) followed by one
 * AmoCRM node with these parameters and the credential; ids derive from `key`, a unique 12-digit string.
 */
export function webhookToAmoCrm(options: {
	name: string;
	path: string;
	key: string;
	nodeName: string;
	parameters: Record<string, unknown>;
	credential: CredentialImport;
}): WorkflowJson {
	const id = (suffix: string) => `${options.key.slice(0, 8)}-0000-4000-8000-${suffix}`;
	return {
		name: options.name,
		nodes: [
			{
				id: id('000000000001'),
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: id('0000000000aa'),
				parameters: {
					httpMethod: 'POST',
					path: options.path,
					responseMode: 'lastNode',
					options: {},
				},
			},
			{
				id: id('000000000002'),
				name: options.nodeName,
				type: 'n8n-nodes-amocrm.amoCrm',
				typeVersion: 1,
				position: [220, 0],
				parameters: { authentication: 'longLivedToken', ...options.parameters },
				credentials: {
					amoCrmApi: { id: options.credential.id, name: options.credential.name },
				},
			},
		],
		connections: { Webhook: { main: [[{ node: options.nodeName, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/**
 * End-to-end harness: a real n8n 2.x with this package, PostgreSQL, and the host/TLS set-up
 * that lets n8n reach a fake amoCRM at https://e2e.amocrm.ru without any test switch in the
 * product. See test/e2e/operations/package-loads.ts for a complete example.
 */
export { startN8n, nodeOutput } from './n8n';
export type {
	CredentialImport,
	Execution,
	N8nInstance,
	StartN8nOptions,
	WorkflowJson,
} from './n8n';
export { mapHostToLoopback } from './hosts';
export { startPostgres } from './postgres';
export type { PostgresServer } from './postgres';
export { startRedis } from './redis';
export type { RedisServer } from './redis';
export { freePort, freePorts } from './ports';
export { repoRoot, runtime } from './paths';
export { E2E_AMOCRM, fakeAmoCrmTrust, serveFakeAmoCrm } from './amocrm';
export type { ServedFakeAmoCrm } from './amocrm';
export { amoCrmTokenCredential, webhookToAmoCrm } from './webhookWorkflow';

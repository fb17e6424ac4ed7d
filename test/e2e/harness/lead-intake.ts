/**
 * The lead-intake templates as a user sets them up in a real n8n (credentials, database,
 * import, the picks made in the editor), and their stored leads: shared by the end-to-end
 * tests and the burst benchmark.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { FakeAmoCrm } from '../../fakes/amocrm';
import type { FakeTelegram } from '../../fakes/telegram';
import { serveFakeAmoCrm } from './amocrm';
import {
	startN8n,
	type CredentialImport,
	type N8nInstance,
	type StartN8nOptions,
	type WorkflowJson,
} from './n8n';
import { repoRoot } from './paths';

export type Storage = 'dataTable' | 'postgres';

/**
 * The amoCRM account of the lead-intake tests and benchmark: a host and a loopback address of
 * their own, so that they need no turn at 127.0.0.1:443 (which other end-to-end files share).
 */
export const LEAD_ACCOUNT = {
	subdomain: 'leadintake',
	domain: 'amocrm.ru',
	host: 'leadintake.amocrm.ru',
	loopback: '127.0.0.3',
} as const;

/** One stored lead, whatever the storage (Data table columns, or the SQL table of leads.sql). */
export interface LeadRow {
	id: number;
	name: string;
	phone: string;
	phone_checked: boolean;
	email: string;
	source: string;
	message: string;
	product_id: string;
	/** Every other form field, as JSON text. */
	fields: string;
	status: 'pending' | 'syncing' | 'sending' | 'synced' | 'failed' | 'check';
	attempts: number;
	stored_by: string | null;
	synced_by: string | null;
	contact_id: number | null;
	deal_id: number | null;
	deal_url: string | null;
	note_id: number | null;
	note_error: string | null;
	refused_fields: string | null;
	telegram: 'sent' | 'failed' | null;
	telegram_failures: number;
	telegram_error: string | null;
	error: string | null;
}

export const TOKEN = 'e2e-long-lived-token';
export const BOT_TOKEN = '123456789:AAE2eTestBotTokenForTheFakeTelegramApi';
export const SALES_CHAT = '-1001234567890';
export const SYNC_TRIGGER = 'Sync every 5 minutes';

export const credentials = {
	amo: { id: 'leadE2eAmoToken1', name: 'amoCRM (e2e long-lived token)', type: 'amoCrmApi' },
	telegram: { id: 'leadE2eTelegram1', name: 'Telegram (e2e fake)', type: 'telegramApi' },
	postgres: { id: 'leadE2ePostgres1', name: 'Leads database (e2e)', type: 'postgres' },
};

type Node = WorkflowJson['nodes'][number];

export function templateFile(storage: Storage): string {
	return join(
		repoRoot,
		'workflows',
		storage === 'postgres' ? 'lead-intake-postgres.json' : 'lead-intake.json',
	);
}

/** The numbers of the sync: in the Code node "Pick due leads" (Data table) or the Claim query (PostgreSQL). */
export interface SyncTimings {
	retryAfterMinutes?: number;
	maxAttempts?: number;
	leaseMinutes?: number;
	batchSize?: number;
}

/** How the tests run the template beyond what a user picks. */
export interface TestPicks {
	/** The sync numbers (default: retry and lease after 0 minutes, so the cases need not wait). */
	timings?: SyncTimings;
	/**
	 * Whether the webhook's execution syncs after answering, as imported (default false: the
	 * cases store leads, then run the sync themselves, as the schedule would).
	 */
	webhookSyncs?: boolean;
}

/** The template with other sync numbers, changed where a user changes them. */
export function withTimings(template: WorkflowJson, timings: SyncTimings): WorkflowJson {
	const workflow = structuredClone(template);
	const names: Record<keyof SyncTimings, [string, string]> = {
		retryAfterMinutes: ['RETRY_AFTER_MINUTES', 'retry_after_minutes'],
		maxAttempts: ['MAX_ATTEMPTS', 'max_attempts'],
		leaseMinutes: ['LEASE_MINUTES', 'lease_minutes'],
		batchSize: ['BATCH_SIZE', 'batch_size'],
	};
	for (const node of workflow.nodes) {
		const p = node.parameters as { jsCode?: string; query?: string };
		for (const [key, value] of Object.entries(timings) as Array<[keyof SyncTimings, number]>) {
			const [constant, column] = names[key];
			if (node.name === 'Pick due leads' && p.jsCode)
				p.jsCode = p.jsCode.replace(
					new RegExp(`const ${constant} = \\d+;`),
					`const ${constant} = ${value};`,
				);
			if (node.name === 'Claim' && p.query)
				p.query = p.query.replace(new RegExp(`\\d+ AS ${column}\\b`), `${value} AS ${column}`);
		}
	}
	return workflow;
}

/**
 * What a user does in the editor after importing the template, nothing more: choose the
 * credentials, pick pipeline "Sales" (1001) and stage "New lead" (2002), pick the deal fields
 * "Source" (4001) and "Product ID" (4002), type the Telegram chat ID. The test also runs the
 * sync itself: its schedule is moved to once a year (a wall-clock tick during the test would
 * race the cases), and see `TestPicks`.
 */
export function userPicks(
	template: WorkflowJson,
	{ timings = { retryAfterMinutes: 0, leaseMinutes: 0 }, webhookSyncs = false }: TestPicks = {},
): WorkflowJson {
	const workflow = withTimings(template, timings);
	const node = (name: string): Node => {
		const found = workflow.nodes.find((n) => n.name === name);
		if (!found) throw new Error(`template has no node "${name}"`);
		return found;
	};
	for (const n of workflow.nodes) {
		if (n.type === 'n8n-nodes-amocrm.amoCrm') {
			n.parameters.authentication = 'longLivedToken';
			n.credentials = { amoCrmApi: { id: credentials.amo.id, name: credentials.amo.name } };
		}
		if (n.type === 'n8n-nodes-base.postgres') {
			n.credentials = {
				postgres: { id: credentials.postgres.id, name: credentials.postgres.name },
			};
		}
	}
	type Choice = { __rl: true; mode: string; value: string };
	const deal = node('Create deal').parameters as {
		statusId: Choice;
		customFields: { field: Array<{ fieldId: Choice | string; value: string }> };
	};
	deal.statusId = { __rl: true, mode: 'list', value: '1001:2002' };
	deal.customFields.field[0].fieldId = { __rl: true, mode: 'list', value: '4001' };
	deal.customFields.field[1].fieldId = { __rl: true, mode: 'list', value: '4002' };
	const telegram = node('Telegram');
	telegram.parameters.chatId = SALES_CHAT;
	telegram.credentials = {
		telegramApi: { id: credentials.telegram.id, name: credentials.telegram.name },
	};
	node(SYNC_TRIGGER).parameters.rule = {
		interval: [{ field: 'cronExpression', expression: '0 0 1 1 *' }],
	};
	if (!webhookSyncs) delete (workflow.connections as Record<string, unknown>)['Answer 200'];
	return workflow;
}

/**
 * What a user sets up before the template: the credentials (amoCRM long-lived token, Telegram,
 * and for PostgreSQL the database with workflows/leads.sql), then the template imported as a new
 * workflow, inactive (through the public API: an n8n CLI call would boot a whole n8n for it;
 * test/e2e/npm-start.e2e.test.ts covers the CLI import `npm start` makes). Returns it with its id.
 */
export async function installTemplate(
	n8n: N8nInstance,
	storage: Storage,
	telegramUrl: string,
	setup: LeadIntakeSetup = {},
): Promise<WorkflowJson> {
	const imports: CredentialImport[] = [
		{
			...credentials.amo,
			data: {
				subdomain: (setup.account ?? LEAD_ACCOUNT).subdomain,
				domain: (setup.account ?? LEAD_ACCOUNT).domain,
				accessToken: TOKEN,
				...(setup.requestsPerSecond ? { requestsPerSecond: setup.requestsPerSecond } : {}),
			},
		},
		{ ...credentials.telegram, data: { accessToken: BOT_TOKEN, baseUrl: telegramUrl } },
	];
	if (storage === 'postgres') {
		await n8n.postgres.createDatabase('leads');
		await n8n.postgres.query(
			readFileSync(join(repoRoot, 'workflows', 'leads.sql'), 'utf8'),
			'leads',
		);
		imports.push({
			...credentials.postgres,
			data: {
				host: n8n.postgres.host,
				port: n8n.postgres.port,
				database: 'leads',
				user: 'postgres',
				password: '',
				ssl: 'disable',
				maxConnections: setup.maxConnections ?? POSTGRES_MAX_CONNECTIONS,
			},
		});
	}
	await n8n.importCredentials(imports);
	const template = JSON.parse(readFileSync(templateFile(storage), 'utf8')) as WorkflowJson;
	return { ...template, id: await n8n.importWorkflow(template) };
}

export async function dataTableIdOf(n8n: N8nInstance): Promise<string | undefined> {
	const tables = await n8n.api<{ data: Array<{ id: string; name: string }> }>(
		'GET',
		'/data-tables?limit=250',
	);
	return tables.data.find((t) => t.name === 'amocrm_leads')?.id;
}

/** Every stored lead, by id, whatever the storage (none before the Data table exists). */
export async function readLeadRows(n8n: N8nInstance, storage: Storage): Promise<LeadRow[]> {
	if (storage === 'postgres') {
		const lines = await n8n.postgres.query(
			'select row_to_json(t) from (select * from amocrm_leads order by id) t',
			'leads',
		);
		return lines.map((line) => JSON.parse(line) as LeadRow);
	}
	const tableId = await dataTableIdOf(n8n);
	if (!tableId) return [];
	const all: LeadRow[] = [];
	let cursor: string | undefined;
	do {
		const query = new URLSearchParams({ limit: '250' });
		if (cursor) query.set('cursor', cursor);
		const page = await n8n.api<{ data: LeadRow[]; nextCursor: string | null }>(
			'GET',
			`/data-tables/${tableId}/rows?${query}`,
		);
		all.push(...page.data);
		cursor = page.nextCursor ?? undefined;
	} while (cursor);
	return all.sort((a, b) => a.id - b.id);
}

/**
 * Reads the stored leads every `everyMs` until `done` holds for all of them or `timeoutMs` has
 * passed; returns the last rows read (the caller asserts on them).
 */
export async function waitForLeadRows(
	n8n: N8nInstance,
	storage: Storage,
	done: (row: LeadRow) => boolean,
	{ timeoutMs, everyMs }: { timeoutMs: number; everyMs: number },
): Promise<LeadRow[]> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const rows = await readLeadRows(n8n, storage);
		if (rows.every(done) || Date.now() > deadline) return rows;
		await new Promise((resolve) => setTimeout(resolve, everyMs));
	}
}

/** The template with its sync schedule firing every `seconds` seconds (instead of the test's yearly one). */
export function syncEvery(workflow: WorkflowJson, seconds: number): WorkflowJson {
	const changed = structuredClone(workflow);
	const trigger = changed.nodes.find((n) => n.name === SYNC_TRIGGER);
	if (!trigger) throw new Error(`template has no node "${SYNC_TRIGGER}"`);
	trigger.parameters.rule = { interval: [{ field: 'seconds', secondsInterval: seconds }] };
	return changed;
}

export interface LeadIntakeRun {
	n8n: N8nInstance;
	workflowId: string;
	/** The template as imported (inactive, without the user's picks). */
	template: WorkflowJson;
	stop(): Promise<void>;
}

/** How the lead-intake n8n is set up beyond the defaults a user gets. */
export interface LeadIntakeSetup {
	/** The fake amoCRM account's address (default `LEAD_ACCOUNT`); the fake must have its subdomain. */
	account?: { subdomain: string; domain: string; host: string; loopback: string };
	/** Queue mode (main + `n8n worker` processes), see `StartN8nOptions.queue`. */
	queue?: StartN8nOptions['queue'];
	/** More environment for n8n. */
	env?: Record<string, string>;
	/** The amoCRM credential's Requests per Second (each n8n process keeps to it; 7/N with N workers). */
	requestsPerSecond?: number;
	/** The Postgres credential's Maximum Number of Connections (default `POSTGRES_MAX_CONNECTIONS`). */
	maxConnections?: number;
}

/**
 * The Postgres credential's Maximum Number of Connections in the tests (n8n's default is 100,
 * PostgreSQL's max_connections too): each n8n process holds a pool of that many per credential,
 * next to n8n's own database pool, so with the default a burst can open more connections than
 * PostgreSQL allows. The README says to keep processes × this value below max_connections.
 */
export const POSTGRES_MAX_CONNECTIONS = 20;

/**
 * n8n's settings for bursts of leads, as the README recommends. With n8n's defaults (no limit
 * on executions running at once, 2 connections to its own database, a 5 s health ping that
 * queues for one of them), a few hundred leads posted at once on a busy machine make every
 * execution wait for n8n's own database: the ping times out, n8n answers HTTP 503 "Database is
 * not ready!" and resets its connections, executions fail with "timeout exceeded when trying to
 * connect", and the site gets HTTP 500 or 503 for leads that were never stored. At most 20
 * executions at once (the other posts wait in n8n's queue), 20 connections, and a ping that
 * waits as long as a query may (20 s) keep every post answered. Queue mode ignores the limit:
 * each worker's `--concurrency` (10) plays its part.
 */
export const LEAD_INTAKE_BURST_ENV = {
	N8N_CONCURRENCY_PRODUCTION_LIMIT: '20',
	DB_POSTGRESDB_POOL_SIZE: '20',
	DB_PING_TIMEOUT_MS: '20000',
} as const;

/** A real n8n with the fake amoCRM and Telegram, the credentials and the template installed (with `LEAD_INTAKE_BURST_ENV`). */
export async function startLeadIntake(
	storage: Storage,
	amo: FakeAmoCrm,
	telegram: FakeTelegram,
	setup: LeadIntakeSetup = {},
): Promise<LeadIntakeRun> {
	const account = setup.account ?? LEAD_ACCOUNT;
	const served = await serveFakeAmoCrm(amo, account.host, account.loopback);
	const telegramServer = await telegram.listen();
	let n8n: N8nInstance | undefined;
	const stop = async () => {
		await n8n?.stop();
		await served.stop();
		await telegramServer.close();
	};
	try {
		n8n = await startN8n({
			env: { ...served.n8nEnv, ...LEAD_INTAKE_BURST_ENV, ...setup.env },
			queue: setup.queue,
		});
		const template = await installTemplate(n8n, storage, telegramServer.url, setup);
		return { n8n, workflowId: template.id as string, template, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}

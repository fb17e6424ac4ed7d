#!/usr/bin/env node
/**
 * Writes the two lead-intake templates from one description, so both storage variants run
 * the same flow and send the same Telegram text:
 *
 *   workflows/lead-intake.json           leads in n8n's Data table `amocrm_leads` (no set-up)
 *   workflows/lead-intake-postgres.json  leads in PostgreSQL (schema: workflows/leads.sql)
 *
 * The templates wire nodes; the logic (reading the form, phones, duplicates, refused field
 * values, the note) is in the AmoCRM node, where it is tested. Edit here, run
 * `node workflows/build-templates.mjs`, commit the JSON. Nothing at run time reads this file.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

const TABLE = 'amocrm_leads';
const AMO = 'n8n-nodes-amocrm.amoCrm';
export const SYNC_TRIGGER = 'Sync every 5 minutes';

/** How often a lead is tried, how long a run holds it, how many a run takes (both variants). */
const TIMINGS = { retryAfterMinutes: 5, maxAttempts: 10, leaseMinutes: 10, batchSize: 50 };

/** Stable UUIDs, so regenerating changes nothing a user might have referenced. */
function uuid(seed) {
	const h = createHash('sha256').update(seed).digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/* -------------------------------------------------------------------------------------------
 * What the nodes say (identical in both templates)
 * ----------------------------------------------------------------------------------------- */

/** The row being synced, from any node after the claim. */
const CLAIMED = "$('Claim').item.json";
const claimed = (column) => `={{ ${CLAIMED}.${column} }}`;

/** The Data table variant's only Code node: which stored leads a run takes. */
const PICK_DUE_JS = `// Which stored leads this run takes. Change the numbers here.
const RETRY_AFTER_MINUTES = ${TIMINGS.retryAfterMinutes}; // a failed lead is sent again after this long,
const MAX_ATTEMPTS = ${TIMINGS.maxAttempts}; // at most this many times (then it waits for a person)
const LEASE_MINUTES = ${TIMINGS.leaseMinutes}; // a run that stopped half-way gives its leads back after this long
const BATCH_SIZE = ${TIMINGS.batchSize}; // leads per run (amoCRM takes 50 deals per request)
const minutesSince = (lead) => (Date.now() - new Date(lead.updatedAt).getTime()) / 60000;
const rows = $input.all().map((item) => item.json);
// A post's run leaves the leads to a run already sending others: that one goes round until none waits.
const otherRunSending = rows.some((lead) => ['syncing', 'sending'].includes(lead.status) && lead.synced_by !== $execution.id && minutesSince(lead) < 1);
if ($('Lead webhook').isExecuted && otherRunSending) return [];
// After its first round a run takes only new leads: failed ones wait for their retry.
const due = rows.filter((lead) =>
	lead.status === 'pending' ||
	($runIndex === 0 && lead.status === 'failed' && minutesSince(lead) >= RETRY_AFTER_MINUTES) ||
	($runIndex === 0 && ['syncing', 'sending'].includes(lead.status) && minutesSince(lead) >= LEASE_MINUTES));
// Claim marks these 'check', for a person: left 'sending' (its deal may exist), or tried enough.
const needsPerson = (lead) => lead.status === 'sending' || (lead.status === 'failed' && lead.attempts >= MAX_ATTEMPTS);
return due.slice(0, BATCH_SIZE).map((lead) => ({ json: { ...lead, stuck: needsPerson(lead) } }));
`;

const CHECK_ADVICE =
	'It is not sent again automatically (that could create a second deal). Check amoCRM for a deal for ' +
	'this phone number, then set the status of the lead\'s row to "pending" to send it again, or to "synced".';
const STUCK_ERROR =
	'n8n stopped while the deal was being sent to amoCRM, before its ID was saved. ' + CHECK_ADVICE;
const GAVE_UP =
	'It is no longer sent automatically: fix what the error says, then set the status of the lead\'s row to "pending".';
/**
 * True only when a create went out and its answer was lost (the node says so in its message):
 * the deal may exist, so the lead waits for a person. Anything else created no deal: sent again.
 */
const MAY_EXIST =
	"/the deal may have been created$|^amoCRM did not return the new deal/.test(String($json.error ?? ''))";
const FAILED_STATUS = `={{ ${MAY_EXIST} ? 'check' : 'failed' }}`;
const FAILED_ERROR = `={{ String($json.error || 'unknown error').slice(0, 1000) + (${MAY_EXIST} ? ' ' + ${JSON.stringify(CHECK_ADVICE)} : '') }}`;

/** The deal Create deal made (Add product, when switched on, outputs the link instead). */
const DEAL = "$('Create deal').item.json";
/** A product Add product could not add: the deal is synced, the row and Telegram say what failed. */
const PRODUCT_ERROR = "$json.error ? 'The product was not added to the deal: ' + $json.error : ''";

/** The form's other fields (JSON text in the row) as "name: value" lines. */
const otherFields = (row) =>
	`Object.entries(JSON.parse(${row}.fields || '{}')).map(([name, value]) => name + ': ' + value).join('\\n')`;

/** The deal's note: the form's message, then its other fields. */
const NOTE = `={{ [${CLAIMED}.message, ${otherFields(CLAIMED)}].filter(Boolean).join('\\n\\n') }}`;

/**
 * Telegram's text, typed in the Telegram node: one message per lead, a line per entry, labels in
 * double quotes (an apostrophe, as in Uzbek, needs nothing). Telegram reads it as HTML (n8n's
 * Telegram node always sends a parse mode; its default, legacy Markdown, refuses a message whose
 * email has one underscore), so the lead's own <, > and & are escaped at the end.
 */
const TELEGRAM_TEXT = `={{ [
  { synced: "✅ New lead #" + $json.id, check: "⚠️ Lead #" + $json.id + " needs a manual check in amoCRM" }[$json.status] ?? "⚠️ Lead #" + $json.id + " is NOT in amoCRM yet (attempt " + $json.attempts + ")",
  "Name: " + $json.name,
  "Phone: " + $json.phone,
  "Email: " + $json.email,
  "Source: " + $json.source,
  "Product: " + $json.product_id,
  "Message: " + String($json.message).slice(0, 1500),
  Object.entries(JSON.parse($json.fields || "{}")).map(([name, value]) => name + ": " + value).join("\\n"),
  $json.deal_url ?? "",
  [$json.error, $json.note_error, $json.refused_fields ? "Not saved in the deal fields (they are in its note): " + JSON.parse($json.refused_fields).map((refused) => refused.field + " = " + refused.value).join("; ") : ""].filter(Boolean).join("\\n"),
].join("\\n").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;") }}`;

/**
 * Which stored leads Telegram announces: synced, waiting for a person (`check`), failing for the
 * first time, and those whose message did not go out before.
 */
const TELL_THE_TEAM = `={{ $json.id !== undefined && ($json.telegram === 'failed' || ['synced', 'check'].includes($json.status) || ($json.status === 'failed' && $json.attempts === 1)) }}`;

/* -------------------------------------------------------------------------------------------
 * Storage: Data table or PostgreSQL
 * ----------------------------------------------------------------------------------------- */

const COLUMNS = [
	['name', 'string'],
	['phone', 'string'],
	['phone_checked', 'boolean'],
	['email', 'string'],
	['source', 'string'],
	['message', 'string'],
	['product_id', 'string'],
	['fields', 'string'],
	['status', 'string'],
	['attempts', 'number'],
	['stored_by', 'string'],
	['synced_by', 'string'],
	['contact_id', 'number'],
	['deal_id', 'number'],
	['deal_url', 'string'],
	['note_id', 'number'],
	['note_error', 'string'],
	['refused_fields', 'string'],
	['telegram', 'string'],
	['telegram_failures', 'number'],
	['telegram_error', 'string'],
	['error', 'string'],
];

/**
 * The leads table by name (n8n's "By Name" mode), never by an expression: the editor resolves a
 * name, so it loads the table's columns and keeps the mappings when Refresh is clicked.
 */
const LEADS_TABLE = { __rl: true, mode: 'name', value: TABLE };

const dataTable = {
	/** values: column -> value or expression; where: [column, value][] (all must hold). */
	write(name, { values, where }) {
		const parameters = {
			resource: 'row',
			operation: where ? 'update' : 'insert',
			dataTableId: LEADS_TABLE,
		};
		if (where) {
			// One UPDATE … WHERE in n8n's database; it outputs only the rows it changed, so with the
			// state read before it is a claim only one run can win.
			parameters.matchType = 'allConditions';
			parameters.filters = {
				conditions: where.map(([keyName, keyValue]) => ({ keyName, condition: 'eq', keyValue })),
			};
		}
		parameters.columns = {
			mappingMode: 'defineBelow',
			value: values,
			matchingColumns: [],
			schema: COLUMNS.map(([id, type]) => ({
				id,
				displayName: id,
				required: false,
				defaultMatch: false,
				display: true,
				type,
				readOnly: false,
				removed: !(id in values),
			})),
			attemptToConvertTypes: false,
			convertFieldsToString: false,
		};
		parameters.options = {};
		return { name, type: 'n8n-nodes-base.dataTable', typeVersion: 1.1, parameters };
	},
	read(name, { matchType, conditions, limit }) {
		return {
			name,
			type: 'n8n-nodes-base.dataTable',
			typeVersion: 1.1,
			// n8n reads the rows and counts them in two queries; when another run changes a lead's
			// status in between, the node fails with "synchronization error: result count changed
			// during pagination". A moment later the read goes through, and reading twice is harmless.
			retryOnFail: true,
			maxTries: 5,
			waitBetweenTries: 1000,
			parameters: {
				resource: 'row',
				operation: 'get',
				dataTableId: LEADS_TABLE,
				matchType,
				filters: { conditions },
				limit,
				orderBy: true,
				orderByColumn: 'id',
				orderByDirection: 'ASC',
			},
		};
	},
};

function postgresQuery(name, query, values) {
	return {
		name,
		type: 'n8n-nodes-base.postgres',
		typeVersion: 2.6,
		parameters: {
			operation: 'executeQuery',
			query,
			options: {
				...(values ? { queryReplacement: `={{ [${values.join(', ')}] }}` } : {}),
				largeNumbersOutput: 'numbers',
			},
		},
	};
}

/** The numbers of the PostgreSQL claim, named where a user reads them. */
const PG_TIMINGS =
	`WITH settings AS (SELECT ${TIMINGS.retryAfterMinutes} AS retry_after_minutes, ${TIMINGS.maxAttempts} AS max_attempts,\n` +
	`                         ${TIMINGS.leaseMinutes} AS lease_minutes, ${TIMINGS.batchSize} AS batch_size)`;

/* -------------------------------------------------------------------------------------------
 * The flow
 * ----------------------------------------------------------------------------------------- */

/** n8n's condition "expression is true", as the If and Filter nodes take it. */
function isTrue(name, expression) {
	return {
		options: { caseSensitive: true, leftValue: '', typeValidation: 'loose', version: 2 },
		conditions: [
			{
				id: uuid(`${name}/condition`),
				leftValue: expression,
				rightValue: '',
				operator: { type: 'boolean', operation: 'true', singleValue: true },
			},
		],
		combinator: 'and',
	};
}

function ifNode(name, expression) {
	return {
		name,
		type: 'n8n-nodes-base.if',
		typeVersion: 2.2,
		parameters: { conditions: isTrue(name, expression), options: {}, looseTypeValidation: true },
	};
}

function filterNode(name, expression) {
	return {
		name,
		type: 'n8n-nodes-base.filter',
		typeVersion: 2.2,
		parameters: { conditions: isTrue(name, expression), options: {}, looseTypeValidation: true },
	};
}

function sticky(name, content, [x, y], width, height, color) {
	return {
		name,
		type: 'n8n-nodes-base.stickyNote',
		typeVersion: 1,
		position: [x, y],
		parameters: { content, height, width, ...(color ? { color } : {}) },
	};
}

function amo(name, parameters) {
	return {
		name,
		type: AMO,
		typeVersion: 1,
		onError: 'continueErrorOutput',
		parameters: { authentication: 'oAuth2', ...parameters },
	};
}

function respond(name, code, body) {
	return {
		name,
		type: 'n8n-nodes-base.respondToWebhook',
		typeVersion: 1.5,
		parameters: { respondWith: 'json', responseBody: body, options: { responseCode: code } },
	};
}

function build(variant) {
	const pg = variant === 'postgres';
	const nodes = [];
	const connections = {};
	// On n8n's 16 px grid, where the editor would move a node the first time the workflow is saved.
	const onGrid = (position) => position.map((value) => Math.round(value / 16) * 16);
	const add = (node, position, extra = {}) => {
		nodes.push({
			...node,
			...extra,
			position: onGrid(position),
			id: uuid(`${variant}/${node.name}`),
		});
		return node.name;
	};
	const connect = (from, to, output = 0) => {
		connections[from] ??= { main: [] };
		while (connections[from].main.length <= output) connections[from].main.push([]);
		connections[from].main[output].push({ node: to, type: 'main', index: 0 });
	};
	/** The row of the lead being synced, where the update's own condition holds too. */
	const rowId = `={{ ${CLAIMED}.id }}`;

	// Intake: read, store, answer. The site never waits for amoCRM. ---------------------------
	const webhook = add(
		{
			name: 'Lead webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2.1,
			webhookId: uuid(`${variant}/webhook`),
			parameters: {
				// GET: the test form a browser opens at this address; POST: the site's leads.
				multipleMethods: true,
				httpMethod: ['GET', 'POST'],
				path: 'lead',
				authentication: 'none',
				responseMode: 'responseNode',
				options: { allowedOrigins: '*' },
			},
		},
		[0, 300],
	);
	const testForm = add(
		amo('Test form', {
			resource: 'siteForm',
			operation: 'testForm',
			showForm: true,
			language: 'auto',
		}),
		[220, 80],
		{ onError: 'stopWorkflow' },
	);
	connect(webhook, testForm, 0);
	add(
		{
			name: 'Answer with the test form',
			type: 'n8n-nodes-base.respondToWebhook',
			typeVersion: 1.5,
			parameters: {
				respondWith: 'text',
				responseBody: '={{ $json.html }}',
				options: {
					responseCode: '={{ $json.statusCode }}',
					responseHeaders: {
						entries: [{ name: 'Content-Type', value: 'text/html; charset=utf-8' }],
					},
				},
			},
		},
		[440, 80],
	);
	connect(testForm, 'Answer with the test form');
	let beforeRead = webhook;
	if (!pg) {
		// Makes the table on the first lead (and finds it afterwards): nothing to set up.
		beforeRead = add(
			{
				name: 'Leads table',
				type: 'n8n-nodes-base.dataTable',
				typeVersion: 1.1,
				executeOnce: true,
				// Two first leads at once both try to create the table; the loser finds it on retry. If it
				// still fails, the lead goes on all the same: Save lead then fails and the site gets 503.
				retryOnFail: true,
				maxTries: 3,
				waitBetweenTries: 1000,
				parameters: {
					resource: 'table',
					operation: 'create',
					tableName: TABLE,
					columns: { column: COLUMNS.map(([name, type]) => ({ name, type })) },
					options: { createIfNotExists: true },
				},
			},
			[220, 300],
			{ onError: 'continueRegularOutput' },
		);
		connect(webhook, beforeRead, 1);
	}
	const readForm = add(
		amo('Read form', {
			resource: 'siteForm',
			operation: 'readSubmission',
			formFields: "={{ $('Lead webhook').item.json.body }}",
			contentType: "={{ $('Lead webhook').item.json.headers['content-type'] ?? '' }}",
			requiredFields: ['name', 'phone'],
			fieldNames: {},
			options: {},
		}),
		[440, 300],
		// Reading the form fails only on a fault of n8n or the node: like a failure to store, it is
		// answered (see Answer not stored), never left to n8n, which answers 200 on n8n 1.x and 2.0.
	);
	connect(beforeRead, readForm, pg ? 1 : 0);
	const valid = add(ifNode('Valid?', '={{ $json.valid }}'), [660, 300]);
	connect(readForm, valid);
	// 400 naming the fields to fix; 503 when the lead could not be stored (the table, the database,
	// an n8n too old for this template): the site never gets a 200 for a lead that was not stored.
	const notStored = add(
		respond(
			'Answer not stored',
			'={{ $json.valid === false ? 400 : 503 }}',
			"={{ $json.valid === false ? { ok: false, error: $json.errorMessage, fields: $json.errors } : { ok: false, error: 'The lead was not stored: ' + $json.error } }}",
		),
		[880, 440],
	);
	connect(valid, notStored, 1);
	connect(readForm, notStored, 1);
	const saveLead = add(
		pg
			? postgresQuery(
					'Save lead',
					`INSERT INTO ${TABLE} (name, phone, phone_checked, email, source, message, product_id, fields, stored_by)\n` +
						`VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)\nRETURNING id;`,
					[
						'$json.name',
						'$json.phone',
						'$json.phoneChecked',
						'$json.email',
						'$json.source',
						'$json.message',
						'$json.productId',
						'JSON.stringify($json.fields)',
						'$execution.id',
					],
				)
			: dataTable.write('Save lead', {
					values: {
						name: '={{ $json.name }}',
						phone: '={{ $json.phone }}',
						phone_checked: '={{ $json.phoneChecked }}',
						email: '={{ $json.email }}',
						source: '={{ $json.source }}',
						message: '={{ $json.message }}',
						product_id: '={{ $json.productId }}',
						// Every other form field, as sent: map them to deal fields as {{ JSON.parse(…fields).city }}.
						fields: '={{ JSON.stringify($json.fields) }}',
						status: 'pending',
						attempts: 0,
						telegram_failures: 0,
						stored_by: '={{ $execution.id }}',
					},
				}),
		[880, 220],
		{ onError: 'continueErrorOutput' },
	);
	connect(valid, saveLead, 0);
	connect(saveLead, notStored, 1);
	const answer200 = add(
		respond('Answer 200', 200, '={{ { ok: true, id: $json.id } }}'),
		[1100, 220],
	);
	connect(saveLead, answer200);
	// After answering, the post's own execution syncs: a lead alone is in amoCRM in a second or two.
	// In a burst one run at a time sends, the others answer and end (see Pick due leads / Claim);
	// the run that sends goes round again until no new lead waits (see Save Telegram result).

	// Sync: claim due leads ---------------------------------------------------------------------
	const schedule = add(
		{
			name: SYNC_TRIGGER,
			type: 'n8n-nodes-base.scheduleTrigger',
			typeVersion: 1.2,
			parameters: { rule: { interval: [{ field: 'minutes', minutesInterval: 5 }] } },
		},
		[1100, 760],
	);
	// A message Telegram did not take is sent once more by the next scheduled run.
	// Telegram lets a bot send a group 20 messages a minute. Above the sync (n8n runs a node's
	// branches top first), so a message that fails in this run waits for the next one.
	const resend = add(
		pg
			? postgresQuery(
					'Telegram to resend',
					`SELECT * FROM ${TABLE} WHERE telegram = 'failed' AND telegram_failures < 2 ORDER BY id LIMIT 19;`,
				)
			: dataTable.read('Telegram to resend', {
					matchType: 'allConditions',
					conditions: [
						{ keyName: 'telegram', condition: 'eq', keyValue: 'failed' },
						{ keyName: 'telegram_failures', condition: 'lt', keyValue: '={{ 2 }}' },
					],
					limit: 19,
				}),
		[1320, 400],
	);
	connect(schedule, resend);

	let claim;
	if (pg) {
		// One statement: leads that need a person become 'check'; due leads are claimed, skipping rows
		// another run has locked (rows it has taken no longer match).
		claim = add(
			postgresQuery(
				'Claim',
				PG_TIMINGS +
					`, to_check AS (\n` +
					`  -- n8n stopped while sending the deal (it may exist), or tried max_attempts times\n` +
					`  UPDATE ${TABLE} SET status = 'check', lease_until = NULL, updated_at = now(),\n` +
					`    error = CASE WHEN status = 'sending' THEN $2 ELSE COALESCE(error, '') || ' ' || $3 END\n` +
					`  FROM settings\n` +
					// 'sending' counts from Mark sending (as in the Data table template), not from the claim's lease.
					`  WHERE (status = 'sending' AND updated_at <= now() - lease_minutes * interval '1 minute')\n` +
					`     OR (status = 'failed' AND attempts >= max_attempts\n` +
					`         AND updated_at <= now() - retry_after_minutes * interval '1 minute')\n` +
					`  RETURNING ${TABLE}.*\n` +
					`), claimed AS (\n` +
					`  UPDATE ${TABLE}\n` +
					`  SET status = 'syncing', attempts = attempts + 1, synced_by = $1, updated_at = now(),\n` +
					`      lease_until = now() + settings.lease_minutes * interval '1 minute'\n` +
					`  FROM settings\n` +
					`  -- A post's run leaves the leads to a run already sending others ($5: from a post)\n` +
					`  WHERE NOT ($5::boolean AND EXISTS (SELECT 1 FROM ${TABLE} AS busy WHERE busy.status IN ('syncing', 'sending')\n` +
					`                  AND busy.synced_by IS DISTINCT FROM $1 AND busy.updated_at > now() - interval '1 minute'))\n` +
					`  AND id IN (\n` +
					`    SELECT id FROM ${TABLE}, settings\n` +
					`    WHERE status = 'pending'\n` +
					`       -- after its first round ($4) a run takes only new leads: failed ones wait for their retry\n` +
					`       OR ($4::boolean AND status = 'failed' AND attempts < max_attempts\n` +
					`           AND updated_at <= now() - retry_after_minutes * interval '1 minute')\n` +
					`       OR ($4::boolean AND status = 'syncing' AND lease_until < now())\n` +
					`    ORDER BY id\n` +
					`    LIMIT (SELECT batch_size FROM settings)\n` +
					`    FOR UPDATE OF ${TABLE} SKIP LOCKED\n` +
					`  )\n` +
					`  RETURNING ${TABLE}.*\n` +
					`)\nSELECT * FROM to_check UNION ALL SELECT * FROM claimed;`,
				[
					'$execution.id',
					JSON.stringify(STUCK_ERROR),
					JSON.stringify(GAVE_UP),
					'$runIndex === 0',
					"$('Lead webhook').isExecuted",
				],
			),
			[1540, 420],
			{ executeOnce: true },
		);
		connect(answer200, claim);
		connect(schedule, claim);
	} else {
		const findUnsynced = add(
			dataTable.read('Find unsynced leads', {
				matchType: 'anyCondition',
				conditions: ['pending', 'failed', 'syncing', 'sending'].map((status) => ({
					keyName: 'status',
					condition: 'eq',
					keyValue: status,
				})),
				limit: 1000,
			}),
			[1540, 420],
			// Once per round, also when the round before ends with several leads.
			{ executeOnce: true },
		);
		connect(answer200, findUnsynced);
		connect(schedule, findUnsynced);
		const pickDue = add(
			{
				name: 'Pick due leads',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				parameters: { jsCode: PICK_DUE_JS },
			},
			[1760, 420],
		);
		connect(findUnsynced, pickDue);
		// Only a run that finds the lead as it read it changes it: when runs overlap, one wins.
		claim = add(
			dataTable.write('Claim', {
				values: {
					status: "={{ $json.stuck ? 'check' : 'syncing' }}",
					attempts: '={{ $json.stuck ? $json.attempts : $json.attempts + 1 }}',
					error: `={{ !$json.stuck ? $json.error : $json.status === 'sending' ? ${JSON.stringify(STUCK_ERROR)} : String($json.error ?? '') + ' ' + ${JSON.stringify(GAVE_UP)} }}`,
					synced_by: '={{ $execution.id }}',
				},
				where: [
					['id', '={{ $json.id }}'],
					['status', '={{ $json.status }}'],
					['attempts', '={{ $json.attempts }}'],
				],
			}),
			[1980, 420],
		);
		connect(pickDue, claim);
	}
	// Leads claimed go on; those Claim marked 'check' go to Telegram. PostgreSQL answers a statement
	// that changed no row with one item {success: true}: it has no status.
	const claimedToSync = add(ifNode('Claimed to sync?', "={{ $json.status === 'syncing' }}"), [
		pg ? 1760 : 2200,
		420,
	]);
	connect(claim, claimedToSync);
	const stuck = [claimedToSync, 1];

	// Sync: contact, then deal with its note ----------------------------------------------------
	// Before 'sending': a run that stops here has created at most the contact, which the next
	// run finds by its phone.
	const contact = add(
		amo('Find or create contact', {
			resource: 'contact',
			operation: 'create',
			name: '={{ $json.name }}',
			phones: { phone: [{ number: '={{ $json.phone }}', type: 'MOB' }] },
			emails: { email: [{ address: '={{ $json.email }}', type: 'WORK' }] },
			avoidDuplicates: true,
			additionalFields: {},
			customFields: { field: [] },
			// A public form: anyone can type a customer's email, so only the phone finds a contact.
			// Default Country Code empty: a phone read without its country gets the account's.
			options: { matchContactsBy: 'phone' },
		}),
		[pg ? 1980 : 2420, 420],
	);
	connect(claimedToSync, contact);
	// The last step before amoCRM may create a deal: only the run holding the claim gets past it.
	const markSending = add(
		pg
			? postgresQuery(
					'Mark sending',
					`UPDATE ${TABLE} SET status = 'sending', contact_id = $3, updated_at = now()\n` +
						`WHERE id = $1 AND status = 'syncing' AND synced_by = $2\nRETURNING *;`,
					[`${CLAIMED}.id`, '$execution.id', '$json.id'],
				)
			: dataTable.write('Mark sending', {
					values: { status: 'sending', contact_id: '={{ $json.id }}' },
					where: [
						['id', rowId],
						['status', 'syncing'],
						['synced_by', '={{ $execution.id }}'],
					],
				}),
		[pg ? 2200 : 2640, 420],
	);
	connect(contact, markSending, 0);
	let sending = markSending;
	if (pg) {
		// PostgreSQL answers an update that changed no row (another run took the lead) with {success: true}.
		sending = add(filterNode('Still ours?', '={{ $json.id !== undefined }}'), [2420, 420]);
		connect(markSending, sending);
	}
	const createDeal = add(
		amo('Create deal', {
			resource: 'deal',
			operation: 'create',
			name: `=Website lead: {{ ${CLAIMED}.name }}`,
			price: 0,
			// Chosen from the list after import. Route by source with an expression, e.g.
			// {{ $('Claim').item.json.source === 'instagram' ? '1002:2101' : '1001:2002' }}
			statusId: { __rl: true, mode: 'list', value: '' },
			contactMode: 'existing',
			contactId: {
				__rl: true,
				mode: 'id',
				value: "={{ $('Find or create contact').item.json.id }}",
			},
			additionalFields: {},
			customFields: {
				field: [
					{ fieldId: { __rl: true, mode: 'list', value: '' }, value: claimed('source') },
					{ fieldId: { __rl: true, mode: 'list', value: '' }, value: claimed('product_id') },
				],
			},
			options: { ifFieldRefused: 'dropAndNote', note: NOTE },
		}),
		[pg ? 2640 : 3080, 340],
	);
	connect(sending, createDeal);
	// Switched off as imported (right-click > Activate): the form's productId as the deal's product,
	// found in the Products list by SKU (or By ID), quantity 1. The deal exists by now, so a product
	// that cannot be added is recorded on the row and in Telegram, never a reason to send the lead again.
	const addProduct = add(
		amo('Add product', {
			resource: 'deal',
			operation: 'addProducts',
			dealId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
			catalogId: '',
			productId: { __rl: true, mode: 'sku', value: claimed('product_id') },
			quantity: 1,
			// The form's product is optional: a lead without one gets no product.
			options: { ifProductEmpty: 'skip' },
		}),
		[pg ? 2860 : 3300, 200],
		{ disabled: true, onError: 'continueRegularOutput' },
	);
	connect(createDeal, addProduct, 0);
	const saveDeal = add(
		pg
			? postgresQuery(
					'Save deal',
					`UPDATE ${TABLE} SET status = 'synced', deal_id = $2, deal_url = $3, note_id = $4, note_error = $5,\n` +
						`    refused_fields = $6, error = $7, lease_until = NULL, updated_at = now()\nWHERE id = $1\nRETURNING *;`,
					[
						`${CLAIMED}.id`,
						`${DEAL}.id`,
						`${DEAL}.url`,
						`${DEAL}.noteId ?? null`,
						`${DEAL}.noteError ?? ''`,
						`${DEAL}.refusedFields?.length ? JSON.stringify(${DEAL}.refusedFields) : ''`,
						PRODUCT_ERROR,
					],
				)
			: dataTable.write('Save deal', {
					values: {
						status: 'synced',
						deal_id: `={{ ${DEAL}.id }}`,
						deal_url: `={{ ${DEAL}.url }}`,
						note_id: `={{ ${DEAL}.noteId ?? null }}`,
						note_error: `={{ ${DEAL}.noteError ?? '' }}`,
						refused_fields: `={{ ${DEAL}.refusedFields?.length ? JSON.stringify(${DEAL}.refusedFields) : '' }}`,
						error: `={{ ${PRODUCT_ERROR} }}`,
					},
					where: [['id', rowId]],
				}),
		[pg ? 2860 : 3300, 340],
	);
	connect(addProduct, saveDeal);
	const markFailed = add(
		pg
			? postgresQuery(
					'Mark failed',
					`UPDATE ${TABLE} SET status = $2, error = $3, lease_until = NULL, updated_at = now()\nWHERE id = $1\nRETURNING *;`,
					[`${CLAIMED}.id`, FAILED_STATUS.slice(4, -3), FAILED_ERROR.slice(4, -3)],
				)
			: dataTable.write('Mark failed', {
					values: { status: FAILED_STATUS, error: FAILED_ERROR },
					where: [['id', rowId]],
				}),
		[pg ? 2860 : 3300, 640],
	);
	connect(contact, markFailed, 1);
	connect(createDeal, markFailed, 1);

	// Telegram: one message per lead; one that did not go out is recorded and sent once more. -----
	const tell = add(filterNode('Tell the team?', TELL_THE_TEAM), [pg ? 3080 : 3520, 640]);
	connect(saveDeal, tell);
	connect(markFailed, tell);
	connect(stuck[0], tell, stuck[1]);
	connect(resend, tell);
	const telegram = add(
		{
			name: 'Telegram',
			type: 'n8n-nodes-base.telegram',
			typeVersion: 1.2,
			parameters: {
				chatId: '',
				text: TELEGRAM_TEXT,
				additionalFields: {
					appendAttribution: false,
					disable_web_page_preview: true,
					parse_mode: 'HTML',
				},
			},
		},
		[pg ? 3300 : 3740, 640],
		{ retryOnFail: true, maxTries: 3, waitBetweenTries: 2000, onError: 'continueErrorOutput' },
	);
	connect(tell, telegram);
	const TOLD = "$('Tell the team?').item.json";
	const telegramResult = add(
		pg
			? postgresQuery(
					'Save Telegram result',
					`UPDATE ${TABLE} SET telegram = $2, telegram_failures = CASE WHEN $2 = 'failed' THEN telegram_failures + 1 ELSE 0 END,\n` +
						`    telegram_error = $3\nWHERE id = $1\nRETURNING id;`,
					[`${TOLD}.id`, "$json.error ? 'failed' : 'sent'", "String($json.error ?? '')"],
				)
			: dataTable.write('Save Telegram result', {
					values: {
						telegram: "={{ $json.error ? 'failed' : 'sent' }}",
						// Failed sends in a row: a message is sent once more, then given up.
						telegram_failures: `={{ $json.error ? (${TOLD}.telegram_failures || 0) + 1 : 0 }}`,
						telegram_error: "={{ String($json.error ?? '') }}",
					},
					where: [['id', `={{ ${TOLD}.id }}`]],
				}),
		[pg ? 3520 : 3960, 640],
	);
	connect(telegram, telegramResult, 0);
	connect(telegram, telegramResult, 1);
	// Round again: leads posted while this run was sending (their own runs left them to it).
	connect(telegramResult, pg ? 'Claim' : 'Find unsynced leads');

	// Sticky notes ------------------------------------------------------------------------------
	const storage = pg
		? `Leads are rows of the PostgreSQL table **${TABLE}**. Create it once with \`workflows/leads.sql\` ` +
			'(run it again after updating the template) and choose your **Postgres** credential in every Postgres node.'
		: `Leads are rows of the Data table **${TABLE}**, made by **Leads table** with the first lead ` +
			'(Overview > Data tables). Nothing to set up.';
	nodes.push(
		sticky(
			'About this workflow',
			'## Website leads -> amoCRM + Telegram\nA form posts a lead to **/webhook/lead** (JSON or form fields: ' +
				'name, phone, email, source, message, productId, and any other field). **Read form** checks it; the lead ' +
				'is stored and the site gets `{"ok":true,"id":…}` at once (or 400 naming the wrong fields).\n' +
				'**Try it:** open the Production URL of **Lead webhook** in a browser: a test form (English, Russian or ' +
				'Uzbek) posts a lead. Turn it off in **Test form** (Show the Form) once your site sends leads.\n' +
				'Two seconds later the same execution sends it to amoCRM: the contact (found by its phone, or new), ' +
				'the deal with a note, then one Telegram message. Every 5 minutes **Sync** picks up what failed.\n\n' +
				`${storage}\n\n**To set after import:** the **Credential** of the AmoCRM nodes, **Pipeline and Stage** and ` +
				'**Custom Fields** in **Create deal**, the Telegram credential and **Chat ID**. Then click **Publish**.',
			[-40, -460],
			660,
			380,
			4,
		),
		sticky(
			'Note: form',
			'### The form\n**Read form > Form Field Names**: when your form names a field otherwise (e.g. `tel` for ' +
				'the phone). **Required Fields**: name and phone. **Options > Default Country Code**: empty = your ' +
				"amoCRM account's country. Every other form field is kept in the lead's `fields` and shown in the note " +
				'and in Telegram.',
			[300, 460],
			320,
			260,
		),
		sticky(
			'Note: amoCRM',
			'### amoCRM (set after import)\nIn every AmoCRM node pick your amoCRM connection in **Credential**.\n' +
				'**Create deal**: choose **Pipeline and Stage**, and under **Custom Fields** the deal fields for the ' +
				'source (row 1) and the product ID (row 2), or delete those rows.\n' +
				"**Another form field into a deal field**: add a row with the value `{{ JSON.parse($('Claim').item.json.fields).city }}`.\n" +
				"**Route by source**: Pipeline and Stage > By ID, as an expression: `{{ $('Claim').item.json.source === 'instagram' ? '1002:2101' : '1001:2002' }}`.\n" +
				'A value a field refuses never holds a lead: the deal is made without it and it goes into the note.',
			[pg ? 2160 : 2600, -120],
			560,
			380,
			5,
		),
		sticky(
			'Note: Telegram',
			"### Telegram\nChoose your Telegram credential and put the sales chat's ID in **Chat ID** (a group ID looks " +
				'like -1001234567890; add the bot to the group). Change the wording in **Text**. A message Telegram did not ' +
				'take is recorded on the lead and sent once more by the next scheduled run.',
			[pg ? 3240 : 3680, 380],
			420,
			220,
			5,
		),
		sticky(
			'Note: sync',
			'### Sync\nA lead is taken by one conditional update (**Claim**): when runs overlap (a burst, a slow amoCRM, ' +
				'several n8n workers) only one of them gets it. `failed` leads are sent again after 5 minutes, up to 10 times ' +
				`(the numbers are in **${pg ? 'Claim' : 'Pick due leads'}**). A deal is never created twice: the lead is ` +
				'marked `sending` just before its deal goes out. When a deal may exist unrecorded (n8n stopped, an answer ' +
				'was lost) the lead becomes `check` and Telegram says so. Each row names the executions that stored ' +
				"(`stored_by`) and synced (`synced_by`) it. In queue mode set the credential's Requests Per Second to 7 ÷ workers.",
			[1060, 1140],
			700,
			240,
		),
	);
	for (const note of nodes.filter((n) => n.type === 'n8n-nodes-base.stickyNote' && !n.id)) {
		note.id = uuid(`${variant}/${note.name}`);
		note.position = onGrid(note.position);
	}

	return {
		// A fixed id: `n8n import:workflow --input=<file>` (without --separate) needs one in 2.41.
		// Importing the file again replaces that workflow, as for any n8n export.
		id: pg ? 'amoCrmLeadsPgSql' : 'amoCrmLeadIntake',
		name: pg ? 'amoCRM lead intake (PostgreSQL)' : 'amoCRM lead intake',
		active: false,
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
		pinData: {},
		meta: { templateCredsSetupCompleted: false },
		tags: [],
	};
}

// `--check`: fail when a committed template differs from what this script makes, instead of writing it.
const check = process.argv.includes('--check');
let stale = 0;
for (const [file, variant] of [
	['lead-intake.json', 'dataTable'],
	['lead-intake-postgres.json', 'postgres'],
]) {
	const text = JSON.stringify(build(variant), null, 2) + '\n';
	if (check) {
		const current = existsSync(join(here, file)) ? readFileSync(join(here, file), 'utf8') : '';
		if (current !== text) {
			stale++;
			console.error(`workflows/${file} is out of date: run node workflows/build-templates.mjs`);
		}
		continue;
	}
	writeFileSync(join(here, file), text);
	console.log(`wrote workflows/${file}`);
}
if (stale > 0) process.exit(1);

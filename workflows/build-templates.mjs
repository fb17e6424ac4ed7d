#!/usr/bin/env node
/**
 * Writes the two lead-intake templates from one description, so both storage variants run
 * exactly the same flow, validation and Telegram wording:
 *
 *   workflows/lead-intake.json           leads in n8n's Data table `amocrm_leads` (no set-up)
 *   workflows/lead-intake-postgres.json  leads in PostgreSQL (schema: workflows/leads.sql)
 *
 * Edit here, run `node workflows/build-templates.mjs`, commit the JSON. The JSON is what
 * users import; nothing at run time reads this file.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

const TABLE = 'amocrm_leads';
const AMO = 'n8n-nodes-amocrm.amoCrm';

/** Stable UUIDs, so regenerating changes nothing a user might have referenced. */
function uuid(seed) {
	const h = createHash('sha256').update(seed).digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/* -------------------------------------------------------------------------------------------
 * Code nodes (identical in both templates)
 * ----------------------------------------------------------------------------------------- */

const VALIDATE_JS = String.raw`// Checks one form submission. Invalid -> the site gets 400 with the bad fields; nothing is stored.
// The default country code is in "Settings"; the length limits are here.
const MAX_LENGTH = { name: 200, phone: 40, email: 254, source: 200, message: 4000, productId: 100 };
const ACCEPTED_TYPES = ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'];
// Digits of a national number (after the country code) for common default countries.
const NATIONAL_LENGTH = { 998: 9, 7: 10, 992: 9, 993: 8, 994: 9, 995: 9, 996: 9, 374: 8, 375: 9, 380: 9 };

const settings = $('Settings').first().json;
const request = $('Lead webhook').first().json;
const countryCode = String(settings.defaultCountryCode ?? '').replace(/\D/g, '');
const errors = {};

const contentType = String((request.headers ?? {})['content-type'] ?? '').split(';')[0].trim().toLowerCase();
if (!ACCEPTED_TYPES.includes(contentType)) {
	errors['Content-Type'] = 'send the form as application/json or application/x-www-form-urlencoded' + (contentType ? ', not ' + contentType : '');
	return [{ json: reject(errors) }];
}
const body = request.body;
if (body === null || typeof body !== 'object' || Array.isArray(body)) {
	errors.body = 'must be a JSON object or form fields';
	return [{ json: reject(errors) }];
}

const name = field('name');
const rawPhone = field('phone');
const email = field('email');
const source = field('source');
const message = field('message');
const productId = field('productId', 'product_id');

if (!errors.name && name === '') errors.name = 'is required';
if (!errors.phone && rawPhone === '') errors.phone = 'is required';
let phone = '';
if (!errors.phone) {
	phone = normalisePhone(rawPhone, countryCode);
	if (!phone) errors.phone = 'is not a valid phone number' + (countryCode ? '' : ' (start it with + and the country code)');
}
if (!errors.email && email !== '' && !/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>".]+$/.test(email)) {
	errors.email = 'is not a valid email address';
}
if (Object.keys(errors).length > 0) return [{ json: reject(errors) }];

return [{ json: { valid: true, lead: { name, phone, email, source, message, product_id: productId } } }];

/** A form field as trimmed text ('' when absent); records an error when it is not text or too long. */
function field(key, ...aliases) {
	for (const name of [key, ...aliases]) {
		const value = body[name];
		if (value === undefined || value === null) continue;
		if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
			errors[key] = 'must be a single text value';
			return '';
		}
		const text = String(value).replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '').trim();
		if ([...text].length > MAX_LENGTH[key]) {
			errors[key] = 'is longer than ' + MAX_LENGTH[key] + ' characters';
			return '';
		}
		return text;
	}
	return '';
}

/** "+<country><number>", or '' when it cannot be a phone number. */
function normalisePhone(raw, cc) {
	if (!/^[+\d\s().\-\/]+$/.test(raw) || raw.lastIndexOf('+') > 0) return '';
	const digits = raw.replace(/\D/g, '');
	const national = NATIONAL_LENGTH[cc];
	let international;
	if (raw.startsWith('+')) international = digits;
	else if (digits.startsWith('00')) international = digits.slice(2);
	else if (cc && digits.startsWith(cc) && digits.length >= cc.length + (national ?? 8)) international = digits;
	else if (!cc) return '';
	else if (national && digits.length === national + 1 && /^[08]/.test(digits)) international = cc + digits.slice(1);
	else if (national) international = cc + digits;
	else international = cc + digits.replace(/^0/, '');
	if (national && international.startsWith(cc) && international.length !== cc.length + national) return '';
	if (international.length < 8 || international.length > 15) return '';
	return '+' + international;
}

function reject(errors) {
	return {
		valid: false,
		response: { ok: false, error: 'Invalid lead: ' + Object.keys(errors).join(', '), fields: errors },
	};
}
`;

const PICK_DUE_JS = String.raw`// Which unsynced leads the retry takes now (the minutes are in "Settings").
// - failed: amoCRM refused or was unreachable; sent again retryAfterMinutes after the failure.
// - pending or syncing for stuckAfterMinutes: the execution handling it stopped (n8n restarted).
//   Younger ones are left alone: an execution may still be working on them.
//   Pending ones, and syncing ones with a deal ID, are sent again (the deal is not created twice).
//   Syncing without a deal ID means the deal may exist unrecorded: flagged for a manual check.
const settings = $('Settings').first().json;
const minutes = (value, fallback) => (Number.isFinite(Number(value)) ? Number(value) : fallback) * 60 * 1000;
const retryAfter = minutes(settings.retryAfterMinutes, 5);
const stuckAfter = minutes(settings.stuckAfterMinutes, 15);
const now = Date.now();
const due = [];
for (const { json: lead } of $input.all()) {
	if (lead.id === undefined || lead.id === null) continue;
	const age = now - new Date(lead.updatedAt ?? lead.updated_at).getTime();
	if (lead.status === 'failed') {
		if (age >= retryAfter) due.push({ json: { ...lead, stuck: false } });
	} else if (age >= stuckAfter) {
		due.push({ json: { ...lead, stuck: lead.status === 'syncing' && !lead.deal_id } });
	}
}
return due;
`;

const TELEGRAM_TEXT_JS = String.raw`// One Telegram message (HTML) per lead: the lead with a link to its deal, or a warning.
// A lead that keeps failing is reported once, at its first failure.
const escape = (value) =>
	String(value ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const cut = (value, max) => {
	const chars = [...String(value ?? '')];
	return chars.length > max ? chars.slice(0, max - 1).join('') + '…' : chars.join('');
};
const messages = [];
for (const { json: lead } of $input.all()) {
	const attempts = Number(lead.attempts) || 1;
	const lines = [];
	if (lead.status === 'synced') {
		lines.push('✅ <b>New lead #' + escape(lead.id) + '</b>' + (attempts > 1 ? ' (in amoCRM after ' + attempts + ' attempts)' : ''));
	} else if (lead.status === 'failed') {
		if (attempts > 1) continue;
		lines.push('⚠️ <b>Lead #' + escape(lead.id) + ' is NOT in amoCRM yet</b>');
	} else if (lead.status === 'check') {
		lines.push('⚠️ <b>Lead #' + escape(lead.id) + ' needs a manual check in amoCRM</b>');
	} else {
		continue;
	}
	lines.push('<b>Name:</b> ' + escape(lead.name));
	lines.push('<b>Phone:</b> ' + escape(lead.phone));
	if (lead.email) lines.push('<b>Email:</b> ' + escape(lead.email));
	if (lead.source) lines.push('<b>Source:</b> ' + escape(lead.source));
	if (lead.product_id) lines.push('<b>Product:</b> ' + escape(lead.product_id));
	if (lead.message) lines.push('<b>Message:</b> ' + escape(cut(lead.message, 1500)));
	if (lead.status === 'synced') {
		if (/^https:\/\//.test(String(lead.deal_url ?? ''))) lines.push('<a href="' + escape(lead.deal_url) + '">Open the deal in amoCRM</a>');
	} else if (lead.status === 'failed') {
		lines.push('');
		lines.push('<b>amoCRM error:</b> ' + escape(cut(lead.error, 600)));
		lines.push('The lead is saved in n8n and is sent to amoCRM again automatically.');
	} else {
		lines.push('');
		lines.push(escape(cut(lead.error, 600)));
	}
	messages.push({ json: { leadId: lead.id, status: lead.status, text: lines.join('\n') } });
}
return messages;
`;

const FAILED_ERROR = `={{ String([$json.error, $json.description].filter(Boolean).join(' — ') || 'unknown error').slice(0, 1000) }}`;
const CHECK_ADVICE =
	'It is not sent again automatically (that could create a second deal). Check amoCRM for a deal for this ' +
	'phone number, then set the status of the lead\'s row to "failed" to send it again, or to "synced".';
const STUCK_ERROR = 'n8n stopped between creating the deal and saving its ID. ' + CHECK_ADVICE;
const LOST_ANSWER_ERROR =
	"={{ 'amoCRM\\'s answer to creating the deal was lost (' + String([$json.error, $json.description].filter(Boolean).join(' ')).slice(0, 300) + '), so the deal may exist. ' + " +
	JSON.stringify(CHECK_ADVICE) +
	' }}';
/** True when creating the deal failed without an answer from amoCRM, other than "never connected". */
const DEAL_MAY_EXIST =
	"={{ /^(Could not reach amoCRM|amoCRM did not answer in time)/.test(String($json.error ?? '')) && " +
	"!/^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)/.test(String($json.description ?? '')) }}";

/* -------------------------------------------------------------------------------------------
 * Storage: Data table or PostgreSQL
 * ----------------------------------------------------------------------------------------- */

const COLUMNS = [
	['name', 'string'],
	['phone', 'string'],
	['email', 'string'],
	['source', 'string'],
	['message', 'string'],
	['product_id', 'string'],
	['status', 'string'],
	['attempts', 'number'],
	['contact_id', 'number'],
	['deal_id', 'number'],
	['deal_url', 'string'],
	['note_id', 'number'],
	['error', 'string'],
];

const ROW_ID = "={{ $('Lead to sync').item.json.id }}";

const dataTable = {
	tableNode: {
		name: 'Leads table',
		type: 'n8n-nodes-base.dataTable',
		typeVersion: 1.1,
		executeOnce: true,
		// Two first leads at once both try to create the table; the loser finds it on retry.
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
	/** values: column -> expression; where: [column, value expression][] */
	write(name, { values, where }) {
		const params = {
			resource: 'row',
			operation: where ? 'update' : 'insert',
			dataTableId: { __rl: true, mode: 'id', value: "={{ $('Leads table').first().json.id }}" },
		};
		if (where) {
			params.matchType = 'allConditions';
			params.filters = { conditions: where.map(([keyName, keyValue]) => ({ keyName, condition: 'eq', keyValue })) };
		}
		params.columns = {
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
		params.options = {};
		return { name, type: 'n8n-nodes-base.dataTable', typeVersion: 1.1, parameters: params };
	},
	findUnsynced: {
		name: 'Find unsynced leads',
		type: 'n8n-nodes-base.dataTable',
		typeVersion: 1.1,
		parameters: {
			resource: 'row',
			operation: 'get',
			dataTableId: { __rl: true, mode: 'id', value: "={{ $('Leads table').first().json.id }}" },
			matchType: 'anyCondition',
			filters: {
				conditions: ['pending', 'failed', 'syncing'].map((status) => ({ keyName: 'status', condition: 'eq', keyValue: status })),
			},
			limit: 100,
			orderBy: true,
			orderByColumn: 'updatedAt',
			orderByDirection: 'ASC',
		},
	},
};

const postgres = {
	tableNode: undefined,
	query(name, query, replacement, extra = {}) {
		return {
			name,
			type: 'n8n-nodes-base.postgres',
			typeVersion: 2.6,
			parameters: {
				operation: 'executeQuery',
				query,
				options: { ...(replacement ? { queryReplacement: replacement } : {}), largeNumbersOutput: 'numbers', ...extra },
			},
		};
	},
	write(name, { sql, params }) {
		return this.query(name, sql, `={{ [${params.join(', ')}] }}`);
	},
	get findUnsynced() {
		return this.query(
			'Find unsynced leads',
			`SELECT * FROM ${TABLE}\nWHERE status IN ('pending', 'failed', 'syncing')\nORDER BY updated_at\nLIMIT 100;`,
		);
	},
};

/* -------------------------------------------------------------------------------------------
 * The flow
 * ----------------------------------------------------------------------------------------- */

function ifNode(name, expression) {
	return {
		name,
		type: 'n8n-nodes-base.if',
		typeVersion: 2.2,
		parameters: {
			conditions: {
				options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
				conditions: [
					{
						id: uuid(`${name}/condition`),
						leftValue: expression,
						rightValue: '',
						operator: { type: 'boolean', operation: 'true', singleValue: true },
					},
				],
				combinator: 'and',
			},
			options: {},
		},
	};
}

function codeNode(name, jsCode) {
	return { name, type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { jsCode } };
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

function build(variant) {
	const pg = variant === 'postgres';
	const store = pg ? postgres : dataTable;
	const nodes = [];
	const connections = {};
	const add = (node, position, extra = {}) => {
		nodes.push({ ...node, ...extra, position, id: uuid(`${variant}/${node.name}`) });
		return node.name;
	};
	const connect = (from, to, output = 0) => {
		connections[from] ??= { main: [] };
		while (connections[from].main.length <= output) connections[from].main.push([]);
		connections[from].main[output].push({ node: to, type: 'main', index: 0 });
	};

	// Triggers and settings --------------------------------------------------------------
	const webhook = add(
		{
			name: 'Lead webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2.1,
			webhookId: uuid(`${variant}/webhook`),
			parameters: {
				httpMethod: 'POST',
				path: 'lead',
				authentication: 'none',
				responseMode: 'responseNode',
				options: { allowedOrigins: '*' },
			},
		},
		[0, 300],
	);
	const schedule = add(
		{
			name: 'Every 10 minutes',
			type: 'n8n-nodes-base.scheduleTrigger',
			typeVersion: 1.2,
			parameters: { rule: { interval: [{ field: 'minutes', minutesInterval: 10 }] } },
		},
		[0, 760],
	);
	let afterTriggers;
	if (store.tableNode) {
		afterTriggers = add(store.tableNode, [220, 520]);
	}
	const settings = add(
		{
			name: 'Settings',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			parameters: {
				mode: 'manual',
				assignments: {
					assignments: [
						{ id: uuid('settings/cc'), name: 'defaultCountryCode', value: '998', type: 'string' },
						{ id: uuid('settings/retry'), name: 'retryAfterMinutes', value: 5, type: 'number' },
						{ id: uuid('settings/stuck'), name: 'stuckAfterMinutes', value: 15, type: 'number' },
					],
				},
				includeOtherFields: false,
				options: {},
			},
		},
		[440, 520],
	);
	if (afterTriggers) {
		connect(webhook, afterTriggers);
		connect(schedule, afterTriggers);
		connect(afterTriggers, settings);
	} else {
		connect(webhook, settings);
		connect(schedule, settings);
	}
	const route = add(ifNode('From the webhook?', "={{ $('Lead webhook').isExecuted }}"), [660, 520]);
	connect(settings, route);

	// Webhook path: validate, save, answer ------------------------------------------------
	const validate = add(codeNode('Validate', VALIDATE_JS), [880, 300]);
	connect(route, validate, 0);
	const valid = add(ifNode('Valid?', '={{ $json.valid }}'), [1100, 300]);
	connect(validate, valid);
	const answer400 = add(
		{
			name: 'Answer 400',
			type: 'n8n-nodes-base.respondToWebhook',
			typeVersion: 1.5,
			parameters: { respondWith: 'json', responseBody: '={{ $json.response }}', options: { responseCode: 400 } },
		},
		[1320, 440],
	);
	connect(valid, answer400, 1);
	const saveLead = add(
		pg
			? store.write('Save lead', {
					sql:
						`INSERT INTO ${TABLE} (name, phone, email, source, message, product_id, status, attempts)\n` +
						`VALUES ($1, $2, $3, $4, $5, $6, 'pending', 1)\nRETURNING *;`,
					params: ['name', 'phone', 'email', 'source', 'message', 'product_id'].map((c) => `$json.lead.${c}`),
				})
			: store.write('Save lead', {
					values: {
						...Object.fromEntries(['name', 'phone', 'email', 'source', 'message', 'product_id'].map((c) => [c, `={{ $json.lead.${c} }}`])),
						status: 'pending',
						attempts: 1,
					},
				}),
		[1320, 220],
	);
	connect(valid, saveLead, 0);
	const answer200 = add(
		{
			name: 'Answer 200',
			type: 'n8n-nodes-base.respondToWebhook',
			typeVersion: 1.5,
			parameters: { respondWith: 'json', responseBody: '={{ { ok: true, id: $json.id } }}', options: { responseCode: 200 } },
		},
		[1540, 220],
	);
	connect(saveLead, answer200);

	// Retry path: find, pick, claim --------------------------------------------------------
	const findUnsynced = add(store.findUnsynced, [880, 760]);
	connect(route, findUnsynced, 1);
	const pickDue = add(codeNode('Pick due leads', PICK_DUE_JS), [1100, 760]);
	connect(findUnsynced, pickDue);
	const stuck = add(ifNode('Stuck after creating a deal?', '={{ $json.stuck }}'), [1320, 760]);
	connect(pickDue, stuck);
	const markCheck = add(
		pg
			? store.write('Flag stuck lead', {
					sql: `UPDATE ${TABLE} SET status = 'check', error = $2, updated_at = now()\nWHERE id = $1 AND status = 'syncing' AND deal_id IS NULL\nRETURNING *;`,
					params: ['$json.id', JSON.stringify(STUCK_ERROR)],
				})
			: store.write('Flag stuck lead', {
					values: { status: 'check', error: STUCK_ERROR },
					where: [['id', '={{ $json.id }}'], ['status', 'syncing']],
				}),
		[1540, 900],
	);
	connect(stuck, markCheck, 0);
	const claim = add(
		pg
			? store.write('Claim for retry', {
					sql:
						`UPDATE ${TABLE} SET attempts = attempts + 1, updated_at = now()\n` +
						`WHERE id = $1 AND (status IN ('pending', 'failed') OR (status = 'syncing' AND deal_id IS NOT NULL))\nRETURNING *;`,
					params: ['$json.id'],
				})
			: store.write('Claim for retry', {
					values: { attempts: '={{ (Number($json.attempts) || 0) + 1 }}' },
					where: [['id', '={{ $json.id }}'], ['status', '={{ $json.status }}']],
				}),
		[1540, 680],
	);
	connect(stuck, claim, 1);

	// Sync: contact -> deal -> note -> synced ----------------------------------------------
	const leadToSync = add(
		{
			name: 'Lead to sync',
			type: 'n8n-nodes-base.filter',
			typeVersion: 2.2,
			parameters: {
				conditions: {
					options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
					conditions: [
						{
							id: uuid('lead-to-sync'),
							leftValue: '={{ $json.id !== undefined && $json.id !== null && $json.id !== "" }}',
							rightValue: '',
							operator: { type: 'boolean', operation: 'true', singleValue: true },
						},
					],
					combinator: 'and',
				},
				options: {},
			},
		},
		[1760, 460],
	);
	connect(answer200, leadToSync);
	connect(claim, leadToSync);
	const hasDeal = add(ifNode('Deal already created?', '={{ !!$json.deal_id }}'), [1980, 460]);
	connect(leadToSync, hasDeal);

	const amo = (name, parameters) => ({
		name,
		type: AMO,
		typeVersion: 1,
		onError: 'continueErrorOutput',
		parameters: { authentication: 'oAuth2', ...parameters },
	});
	const createContact = add(
		amo('Create contact', {
			resource: 'contact',
			operation: 'create',
			name: '={{ $json.name }}',
			phones: { phone: [{ number: '={{ $json.phone }}', type: 'MOB' }] },
			emails: { email: [{ address: '={{ $json.email }}', type: 'WORK' }] },
			avoidDuplicates: true,
			additionalFields: {},
			options: { defaultCountryCode: "={{ $('Settings').first().json.defaultCountryCode }}" },
		}),
		[2200, 560],
	);
	connect(hasDeal, createContact, 1);
	const saveContact = add(
		pg
			? store.write('Save contact ID', {
					sql: `UPDATE ${TABLE} SET contact_id = $2, status = 'syncing', updated_at = now()\nWHERE id = $1\nRETURNING *;`,
					params: ["$('Lead to sync').item.json.id", '$json.id'],
				})
			: store.write('Save contact ID', { values: { contact_id: '={{ $json.id }}', status: 'syncing' }, where: [['id', ROW_ID]] }),
		[2420, 540],
	);
	connect(createContact, saveContact, 0);
	const createDeal = add(
		amo('Create deal', {
			resource: 'deal',
			operation: 'create',
			name: "=Website lead: {{ $json.name }}",
			price: 0,
			pipelineId: '',
			statusId: '',
			contactId: '={{ $json.contact_id }}',
			additionalFields: {},
			customFields: {
				field: [
					{ fieldId: '', value: '={{ $json.source }}' },
					{ fieldId: '', value: '={{ $json.product_id }}' },
				],
			},
		}),
		[2640, 540],
	);
	connect(saveContact, createDeal);
	const saveDeal = add(
		pg
			? store.write('Save deal ID', {
					sql: `UPDATE ${TABLE} SET deal_id = $2, deal_url = $3, updated_at = now()\nWHERE id = $1\nRETURNING *;`,
					params: ["$('Lead to sync').item.json.id", '$json.id', '$json.url'],
				})
			: store.write('Save deal ID', { values: { deal_id: '={{ $json.id }}', deal_url: '={{ $json.url }}' }, where: [['id', ROW_ID]] }),
		[2860, 520],
	);
	connect(createDeal, saveDeal, 0);
	const hasMessage = add(ifNode('Note to add?', '={{ !!$json.message && !$json.note_id }}'), [3080, 420]);
	connect(saveDeal, hasMessage);
	connect(hasDeal, hasMessage, 0);
	const addNote = add(
		amo('Add note', {
			resource: 'note',
			operation: 'add',
			entityType: 'deal',
			entityId: '={{ $json.deal_id }}',
			text: '={{ $json.message }}',
		}),
		[3300, 340],
	);
	connect(hasMessage, addNote, 0);
	const saveNote = add(
		pg
			? store.write('Save note ID', {
					sql: `UPDATE ${TABLE} SET note_id = $2, updated_at = now()\nWHERE id = $1\nRETURNING *;`,
					params: ["$('Lead to sync').item.json.id", '$json.id'],
				})
			: store.write('Save note ID', { values: { note_id: '={{ $json.id }}' }, where: [['id', ROW_ID]] }),
		[3520, 320],
	);
	connect(addNote, saveNote, 0);
	const markSynced = add(
		pg
			? store.write('Mark synced', {
					sql: `UPDATE ${TABLE} SET status = 'synced', error = NULL, updated_at = now()\nWHERE id = $1\nRETURNING *;`,
					params: ["$('Lead to sync').item.json.id"],
				})
			: store.write('Mark synced', { values: { status: 'synced', error: '' }, where: [['id', ROW_ID]] }),
		[3740, 440],
	);
	connect(saveNote, markSynced);
	connect(hasMessage, markSynced, 1);
	const markFailed = add(
		pg
			? store.write('Mark failed', {
					sql: `UPDATE ${TABLE} SET status = 'failed', error = $2, updated_at = now()\nWHERE id = $1\nRETURNING *;`,
					params: ["$('Lead to sync').item.json.id", FAILED_ERROR.slice(4, -3)],
				})
			: store.write('Mark failed', { values: { status: 'failed', error: FAILED_ERROR }, where: [['id', ROW_ID]] }),
		[3740, 760],
	);
	connect(createContact, markFailed, 1);
	connect(addNote, markFailed, 1);
	const dealMayExist = add(ifNode('Deal may exist?', DEAL_MAY_EXIST), [2860, 760]);
	connect(createDeal, dealMayExist, 1);
	const markUnknown = add(
		pg
			? store.write('Mark for manual check', {
					sql: `UPDATE ${TABLE} SET status = 'check', error = $2, updated_at = now()\nWHERE id = $1\nRETURNING *;`,
					params: ["$('Lead to sync').item.json.id", LOST_ANSWER_ERROR.slice(4, -3)],
				})
			: store.write('Mark for manual check', { values: { status: 'check', error: LOST_ANSWER_ERROR }, where: [['id', ROW_ID]] }),
		[3080, 900],
	);
	connect(dealMayExist, markUnknown, 0);
	connect(dealMayExist, markFailed, 1);

	// Telegram -----------------------------------------------------------------------------
	const telegramText = add(codeNode('Telegram text', TELEGRAM_TEXT_JS), [3960, 600]);
	connect(markSynced, telegramText);
	connect(markFailed, telegramText);
	connect(markCheck, telegramText);
	connect(markUnknown, telegramText);
	add(
		{
			name: 'Telegram',
			type: 'n8n-nodes-base.telegram',
			typeVersion: 1.2,
			parameters: {
				chatId: '',
				text: '={{ $json.text }}',
				additionalFields: { appendAttribution: false, disable_web_page_preview: true, parse_mode: 'HTML' },
			},
		},
		[4180, 600],
		{ retryOnFail: true, maxTries: 3, waitBetweenTries: 2000, onError: 'continueRegularOutput' },
	);
	connect(telegramText, 'Telegram');

	// Sticky notes -------------------------------------------------------------------------
	const storage = pg
		? `Leads are rows of the PostgreSQL table **${TABLE}**. Create it once with \`workflows/leads.sql\` ` +
			'and choose your **Postgres** credential in every green Postgres node.'
		: `Leads are rows of the Data table **${TABLE}**, created by **Leads table** on the first run ` +
			'(Overview > Data tables). Nothing to set up.';
	nodes.push(
		sticky(
			'About this workflow',
			`## Website leads -> amoCRM + Telegram\nA form posts a lead to **/webhook/lead** (JSON or form fields: ` +
				'name, phone, email, source, message, productId). It is checked, stored with status `pending` and ' +
				'the site gets `{"ok":true,"id":…}` at once. Then: contact (no duplicates) -> deal -> note -> status ' +
				'`synced`, or `failed` with amoCRM\'s error, and one Telegram message.\n\n' +
				`${storage}\n\n**To set:** Settings (country code), the three AmoCRM nodes, Telegram. Then activate.`,
			[-40, -120],
			620,
			360,
			4,
		),
		sticky(
			'Note: settings',
			'### Settings\n**defaultCountryCode**: added to numbers typed without one (998 Uzbekistan, 7 Russia/' +
				'Kazakhstan).\n**retryAfterMinutes**: a `failed` lead waits this long before it is sent again.\n' +
				'**stuckAfterMinutes**: a lead still `pending`/`syncing` after this long was abandoned (n8n restarted): ' +
				'see the retry note.\nLength limits and accepted fields: in **Validate**.',
			[380, 260],
			260,
			240,
		),
		sticky(
			'Note: webhook',
			'### Protect the webhook (optional)\n**Lead webhook > Authentication > Header Auth** with a secret ' +
				'header, for a site that posts from its server.\n**Options > Allowed Origins (CORS)**: your site, e.g. ' +
				'`https://example.uz`, so only its pages can read the answer.',
			[-40, 440],
			240,
			280,
		),
		sticky(
			'Note: amoCRM',
			'### amoCRM (set after import)\nIn **Create contact**, **Create deal** and **Add note** choose your amoCRM ' +
				'credential (switch **Authentication** for a long-lived token).\nIn **Create deal** pick the **Pipeline** ' +
				'and **Stage**, and under **Custom Fields** the deal fields for the source (row 1) and the product ID ' +
				'(row 2), or delete those rows.',
			[2180, 100],
			440,
			260,
			5,
		),
		sticky(
			'Note: Telegram',
			'### Telegram\nChoose your Telegram credential and put the sales chat\'s ID in **Chat ID** ' +
				'(a group ID looks like -1001234567890; add the bot to the group). Wording: **Telegram text**.',
			[3940, 340],
			420,
			200,
			5,
		),
		sticky(
			'Note: retry',
			'### Retry (every 10 minutes)\n`failed` leads, and leads abandoned `pending`, are sent again until they are ' +
				'in amoCRM. A deal is never created twice: its ID is saved the moment it exists and later runs only add ' +
				'what is missing. When a deal may exist unrecorded (n8n stopped right after creating it, or amoCRM\'s ' +
				'answer was lost) the lead becomes `check`, is not resent, and Telegram says so.',
			[860, 920],
			640,
			200,
		),
	);
	for (const note of nodes.filter((n) => n.type === 'n8n-nodes-base.stickyNote' && !n.id)) {
		note.id = uuid(`${variant}/${note.name}`);
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

for (const [file, variant] of [
	['lead-intake.json', 'dataTable'],
	['lead-intake-postgres.json', 'postgres'],
]) {
	writeFileSync(join(here, file), JSON.stringify(build(variant), null, 2) + '\n');
	console.log(`wrote workflows/${file}`);
}

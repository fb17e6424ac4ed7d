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
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The node's own phone rule (nodes/AmoCrm/helpers/phone.ts, as compiled into dist/), embedded
 * as it is into the Validate Code node: the form and the node can never disagree on a number.
 * Run `npm run build` first. The Code node cannot load other files, so the rule must stay
 * self-contained (no imports).
 */
const PHONE_RULE_FILE = join(here, '..', 'dist', 'nodes', 'AmoCrm', 'helpers', 'phone.js');
function phoneRuleSource() {
	if (!existsSync(PHONE_RULE_FILE))
		throw new Error(`${PHONE_RULE_FILE} is missing: run "npm run build" first`);
	const source = readFileSync(PHONE_RULE_FILE, 'utf8')
		.replace(/\n\/\/# sourceMappingURL=.*\s*$/, '')
		.trim();
	if (/\brequire\(/.test(source)) {
		throw new Error(
			'helpers/phone.ts imports another module: the Code node could not run it. Keep the phone rule self-contained.',
		);
	}
	const rule = createRequire(import.meta.url)(PHONE_RULE_FILE);
	if (typeof rule.normalisePhone !== 'function')
		throw new Error('helpers/phone.ts no longer exports normalisePhone(text, defaultCountryCode)');
	return source;
}

const TABLE = 'amocrm_leads';
const AMO = 'n8n-nodes-amocrm.amoCrm';
const SYNC_TRIGGER = 'Sync every 30 seconds';

/** Stable UUIDs, so regenerating changes nothing a user might have referenced. */
function uuid(seed) {
	const h = createHash('sha256').update(seed).digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/* -------------------------------------------------------------------------------------------
 * Code nodes (identical in both templates)
 * ----------------------------------------------------------------------------------------- */

const VALIDATE_JS = () =>
	phoneRuleCode() +
	String.raw`// Checks one form submission. Invalid -> the site gets 400 with the bad fields; nothing is stored.
// The default country code is in "Settings"; the length limits are here.
const MAX_LENGTH = { name: 200, phone: 40, email: 254, source: 200, message: 4000, productId: 100 };
const ACCEPTED_TYPES = ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'];

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
	phone = phoneRule.normalisePhone(rawPhone, countryCode) ?? '';
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

function reject(errors) {
	return {
		valid: false,
		response: { ok: false, error: 'Invalid lead: ' + Object.keys(errors).join(', '), fields: errors },
	};
}
`;

/** The phone rule as a value of the Code node: `phoneRule.normalisePhone(text, countryCode)`. */
function phoneRuleCode() {
	const body = phoneRuleSource()
		.split('\n')
		.map((line) => (line === '' ? line : `\t${line}`))
		.join('\n');
	return (
		"// The AmoCRM node's own phone rule (its helpers/phone.ts, compiled), so the form and the node\n" +
		'// read every number the same way. Generated by workflows/build-templates.mjs: edit phone.ts.\n' +
		'const phoneRule = (() => {\n\tconst exports = {};\n\tconst module = { exports };\n' +
		body +
		'\n\treturn module.exports;\n})();\n\n'
	);
}

const PICK_DUE_JS = String.raw`// Which stored leads this sync run takes (the minutes and limits are in "Settings").
// Each one is then taken by "Claim": an update on the condition that the lead is still in the
// state read here, so when runs overlap only one of them wins it.
// - pending: stored by the webhook, not tried yet.
// - failed: tried and refused or unreachable; taken again retryAfterMinutes later, up to maxAttempts
//   (then it waits for a person).
// - syncing: taken by a run that stopped before it sent the deal, e.g. while looking up contacts
//   (its lease of leaseMinutes is over): nothing was created, so it is sent again.
// - sending: the deal was being created when that run stopped (lease over): the deal may exist,
//   so it is flagged for a manual check instead.
const settings = $('Settings').first().json;
const minutes = (value, fallback) => (Number.isFinite(Number(value)) ? Number(value) : fallback) * 60 * 1000;
const retryAfter = minutes(settings.retryAfterMinutes, 5);
const lease = minutes(settings.leaseMinutes, 10);
const maxAttempts = Number(settings.maxAttempts) || 10;
const batchSize = Math.max(1, Math.min(50, Number(settings.batchSize) || 50));
const now = Date.now();
const due = [];
let taken = 0;
for (const { json: lead } of $input.all()) {
	if (lead.id === undefined || lead.id === null) continue;
	const age = now - new Date(lead.updatedAt ?? lead.updated_at).getTime();
	const attempts = Number(lead.attempts) || 0;
	if (lead.status === 'sending') {
		if (age >= lease) due.push({ json: { ...lead, stuck: true } });
		continue;
	}
	const take =
		lead.status === 'pending' ||
		(lead.status === 'failed' && age >= retryAfter && attempts < maxAttempts) ||
		(lead.status === 'syncing' && age >= lease);
	if (take && taken < batchSize) {
		taken++;
		due.push({ json: { ...lead, attempts, stuck: false } });
	}
}
return due;
`;

/**
 * Shared by the three Code nodes that decide which contact a deal gets: how leads and contacts
 * match (Create deal > Options > Match Existing Contacts By), and the contacts this template
 * already synced (its own table), newest first.
 */
const CONTACT_RULES_JS = String.raw`// Settings > findExistingContacts false: every lead gets a new contact, nothing is looked up.
const findExisting = $('Settings').first().json.findExistingContacts !== false;
// How a lead is matched to a contact: "Create deal" > Options > Match Existing Contacts By.
const matchBy = ($('Create deal').params.options ?? {}).matchContactsBy || 'phoneOrEmail';
const sameEmail = (a, b) => !!a && !!b && String(a).trim().toLowerCase() === String(b).trim().toLowerCase();
/** Items of a node's output (none when the node did not run, or has no such output). */
const outputOf = (name, output = 0) => {
	if (!$(name).isExecuted) return [];
	try {
		return $(name).all(output);
	} catch {
		return [];
	}
};
/** The index of the input item an output item came from. */
const sourceIndex = (item) => {
	const paired = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
	return typeof paired === 'number' ? paired : (paired?.item ?? 0);
};
/** Leads already synced, with their contact: the phone or email of a new lead may be one of them. */
const synced = outputOf('Find known contacts')
	.map((item) => item.json)
	.filter((row) => row.status === 'synced' && Number(row.contact_id) > 0)
	.sort((a, b) => b.id - a.id);
/** The contact of a synced lead with the same phone (or email), or null: no need to ask amoCRM. */
function knownContact(lead) {
	if (!findExisting) return null;
	const samePhone = (row) => row.phone === lead.phone;
	const sameMail = (row) => sameEmail(row.email, lead.email);
	const row =
		matchBy === 'phone'
			? synced.find(samePhone)
			: matchBy === 'phoneAndEmail'
				? synced.find((r) => samePhone(r) && sameMail(r))
				: (synced.find(samePhone) ?? synced.find(sameMail));
	return row ? Number(row.contact_id) : null;
}
`;

const LEADS_TO_SEARCH_JS =
	String.raw`// The leads whose contact is not known from this table: amoCRM is searched for them
// ("Find contact by phone", then by email). Nothing is created before all searches are done.
` +
	CONTACT_RULES_JS +
	String.raw`
if (!findExisting) return [];
return $input.all().flatMap((item, index) =>
	knownContact(item.json) === null ? [{ json: item.json, pairedItem: index }] : [],
);
`;

const LEADS_TO_SEARCH_BY_EMAIL_JS =
	String.raw`// With "Phone or Email": the leads with an email whose phone amoCRM does not know.
` +
	CONTACT_RULES_JS +
	String.raw`
if (matchBy !== 'phoneOrEmail') return [];
const searched = new Set(
	[...outputOf('Find contact by phone'), ...outputOf('Find contact by phone', 1)].map(sourceIndex),
);
return $input.all().flatMap((item, index) =>
	item.json.email && !searched.has(index) ? [{ json: item.json, pairedItem: index }] : [],
);
`;

const CHOOSE_CONTACTS_JS =
	String.raw`// Which contact each deal gets, decided before anything is created in amoCRM:
// - contactId: a synced lead of this table with the same phone (or email), else the contact
//   amoCRM's search found: the deal is linked to it;
// - none: the contact is created with the deal. A later lead of this run with the same phone
//   (or email) gets sameContactAsEarlierLead, and "Create deal" gives it that new contact.
// A lead whose search failed is left out (it is already marked failed and is sent again).
` +
	CONTACT_RULES_JS +
	String.raw`
/** Lead id -> the first contact a search step found for it (and ids of leads whose search failed). */
const found = new Map();
const failed = new Set();
for (const [search, input] of [
	['Find contact by phone', 'Leads to search'],
	['Find contact by email', 'Leads to search by email'],
]) {
	const leads = outputOf(input).map((item) => item.json);
	for (const item of outputOf(search, 1)) failed.add(leads[sourceIndex(item)]?.id);
	for (const item of outputOf(search)) {
		const lead = leads[sourceIndex(item)];
		if (!lead || found.has(lead.id)) continue;
		// Phone and Email Must Both Agree: the contact found by phone must have the email too.
		if (matchBy === 'phoneAndEmail' && !(item.json.emails ?? []).some((email) => sameEmail(email, lead.email)))
			continue;
		found.set(lead.id, Number(item.json.id));
	}
}
const keysOf = (lead) => {
	const email = String(lead.email ?? '').trim().toLowerCase();
	if (matchBy === 'phone') return ['phone:' + lead.phone];
	if (matchBy === 'phoneAndEmail') return email ? ['phone:' + lead.phone + '+email:' + email] : [];
	return ['phone:' + lead.phone, ...(email ? ['email:' + email] : [])];
};
const newContacts = new Set();
const chosen = [];
$input.all().forEach((item, index) => {
	const lead = item.json;
	if (failed.has(lead.id)) return;
	const contactId = knownContact(lead) ?? found.get(lead.id) ?? null;
	let sameContactAsEarlierLead = false;
	if (contactId === null && findExisting) {
		const keys = keysOf(lead);
		sameContactAsEarlierLead = keys.some((key) => newContacts.has(key));
		for (const key of keys) newContacts.add(key);
	}
	chosen.push({ json: { ...lead, contactId, sameContactAsEarlierLead }, pairedItem: index });
});
return chosen;
`;

const TELEGRAM_TEXT_JS = String.raw`// One Telegram message (HTML) per lead: the lead with a link to its deal, or a warning.
// A lead that keeps failing is reported at its first failure, and once more if it gives up.
// Telegram lets a bot send a group at most 20 messages a minute and refuses the rest, so when a
// run has more than a few leads (a burst, a backlog after an outage) they share messages:
// up to 10 leads each, within Telegram's 4096 characters.
const ONE_MESSAGE_EACH_UP_TO = 3;
const LEADS_PER_MESSAGE = 10;
const MAX_CHARACTERS = 4000;
const maxAttempts = Number($('Settings').first().json.maxAttempts) || 10;
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
	if (lead.status === 'synced' && lead.merged === true) {
		lines.push('🔁 <b>Lead #' + escape(lead.id) + ' joined an existing deal</b>: amoCRM merged it as a duplicate, no new deal was made');
	} else if (lead.status === 'synced') {
		lines.push('✅ <b>New lead #' + escape(lead.id) + '</b>' + (attempts > 1 ? ' (in amoCRM after ' + attempts + ' attempts)' : ''));
	} else if (lead.status === 'failed' && attempts >= maxAttempts) {
		lines.push('⛔ <b>Lead #' + escape(lead.id) + ' was NOT sent to amoCRM after ' + attempts + ' attempts</b>');
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
		if (lead.note_id === 0) {
			lines.push('');
			lines.push('⚠️ n8n stopped while adding the message as a note: check the deal\'s notes (the message is above).');
		}
		if (lead.field_problem) {
			lines.push('');
			lines.push('⚠️ <b>Deal fields not saved</b> (the values are in the deal\'s note): ' + escape(cut(lead.field_problem, 400)));
			lines.push('Fix the field or its value in <b>Create deal</b> &gt; Custom Fields.');
		}
	} else if (lead.status === 'failed') {
		lines.push('');
		lines.push('<b>amoCRM error:</b> ' + escape(cut(lead.error, 600)));
		lines.push(
			attempts >= maxAttempts
				? 'It is no longer sent automatically. Fix what the error says, then set the status of the lead\'s row to "pending" to send it again.'
				: 'The lead is saved in n8n and is sent to amoCRM again automatically.',
		);
	} else {
		lines.push('');
		lines.push(escape(cut(lead.error, 600)));
	}
	messages.push({ json: { leadId: lead.id, status: lead.status, text: lines.join('\n') } });
}
if (messages.length <= ONE_MESSAGE_EACH_UP_TO) return messages;
const shared = [];
for (const message of messages) {
	const last = shared.at(-1);
	const text = last ? last.json.text + '\n\n— — —\n\n' + message.json.text : '';
	if (last && last.json.leadIds.length < LEADS_PER_MESSAGE && [...text].length <= MAX_CHARACTERS) {
		last.json.leadIds.push(message.json.leadId);
		last.json.text = text;
	} else {
		shared.push({ json: { leadIds: [message.json.leadId], text: message.json.text } });
	}
}
return shared;
`;

// n8n keeps only the message of an error item (its description is not in the item's data).
const FAILED_ERROR = `={{ String($json.error || 'unknown error').slice(0, 1000) }}`;
const CHECK_ADVICE =
	'It is not sent again automatically (that could create a second deal). Check amoCRM for a deal for this ' +
	'phone number, then set the status of the lead\'s row to "failed" to send it again, or to "synced".';
const STUCK_ERROR =
	'n8n stopped while the deal was being sent to amoCRM, before its ID was saved. ' + CHECK_ADVICE;
const LOST_ANSWER_ERROR =
	"={{ String($json.error ?? '').slice(0, 300) + '. ' + " + JSON.stringify(CHECK_ADVICE) + ' }}';
/** The node's message for a deal field value it or amoCRM refused (not for a field left unchosen). */
const FIELD_REFUSED =
	"={{ /^Custom Fields: |^amoCRM refused the deal: custom field /.test(String($json.error ?? '')) }}";
/** What the row keeps about the refused field (its values are in the row and go into the note). */
const FIELD_PROBLEM = "String($json.error ?? '').slice(0, 500)";
/** The lead's message, and the values of deal fields amoCRM refused. */
const NOTE_TEXT =
	"={{ [$json.message, $json.field_problem ? 'Not saved in the deal\\'s fields (' + $json.field_problem + '). Source: ' + $json.source + '; product: ' + $json.product_id : ''].filter(Boolean).join('\\n\\n') }}";

/**
 * True only when the deal create itself went out and its answer was lost (the node says so in
 * its message). Everything else (a search that failed, a connection refused, a credential not
 * connected, a 4xx, a 429, a 5xx answer, items not sent after an earlier batch stopped) created
 * nothing: the lead is re-sent.
 */
const DEAL_MAY_EXIST =
	"={{ /the (deal|incoming lead) may have been created$|^amoCRM did not return the new (deal|incoming lead)/.test(String($json.error ?? '')) }}";

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
	['merged', 'boolean'],
	['note_id', 'number'],
	['error', 'string'],
	['field_problem', 'string'],
];

/**
 * The leads table by name (n8n's "By Name" mode), not by an expression on Leads table's output:
 * the editor can resolve a name, so it loads the table's columns and keeps the mappings; at run
 * time n8n finds the table of that name in the workflow's project (created by Leads table).
 */
const LEADS_TABLE = { __rl: true, mode: 'name', value: TABLE };

const ROW_ID = "={{ $('Lead to sync').item.json.id }}";
const LEAD_FIELDS = ['name', 'phone', 'email', 'source', 'message', 'product_id'];

/** A Data table node reading the rows that match any of the conditions, by id, `limit` per input item. */
function rowsWhereAny(name, { conditions, limit, direction }) {
	return {
		name,
		type: 'n8n-nodes-base.dataTable',
		typeVersion: 1.1,
		parameters: {
			resource: 'row',
			operation: 'get',
			dataTableId: LEADS_TABLE,
			matchType: 'anyCondition',
			filters: { conditions },
			limit,
			orderBy: true,
			orderByColumn: 'id',
			orderByDirection: direction,
		},
	};
}

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
	/**
	 * values: column -> expression; where: [column, value expression][] (all must hold). An update
	 * is one UPDATE … WHERE <all conditions> in n8n's database, and outputs only the rows it
	 * changed: with the lead's id and the state read before, it is a claim only one run can win.
	 */
	write(name, { values, where }) {
		const params = {
			resource: 'row',
			operation: where ? 'update' : 'insert',
			dataTableId: LEADS_TABLE,
		};
		if (where) {
			params.matchType = 'allConditions';
			params.filters = {
				conditions: where.map(([keyName, keyValue]) => ({ keyName, condition: 'eq', keyValue })),
			};
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
	/**
	 * Per lead: the newest rows with its phone, or whose email contains its email whatever the
	 * case (Choose contacts keeps the synced ones with exactly that email). A lead without an
	 * email looks for its phone in the email column, where it never is, so that an empty email
	 * does not match every row.
	 */
	knownContacts: rowsWhereAny('Find known contacts', {
		conditions: [
			{ keyName: 'phone', condition: 'eq', keyValue: '={{ $json.phone }}' },
			{ keyName: 'email', condition: 'ilike', keyValue: '={{ $json.email || $json.phone }}' },
		],
		limit: 20,
		direction: 'DESC',
	}),
	findUnsynced: rowsWhereAny('Find unsynced leads', {
		conditions: ['pending', 'failed', 'syncing', 'sending'].map((status) => ({
			keyName: 'status',
			condition: 'eq',
			keyValue: status,
		})),
		limit: 1000,
		direction: 'ASC',
	}),
};

const minutesParam = (name) => `$('Settings').first().json.${name}`;
/** SQL: the lease of a taken lead is over ($2: leaseMinutes; a row without one counts from its last change). */
const LEASE_OVER = "COALESCE(lease_until, updated_at + $2::float8 * interval '1 minute') < now()";

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
				options: {
					...(replacement ? { queryReplacement: replacement } : {}),
					largeNumbersOutput: 'numbers',
					...extra,
				},
			},
		};
	},
	write(name, { sql, params }) {
		return this.query(name, sql, `={{ [${params.join(', ')}] }}`);
	},
};

/* -------------------------------------------------------------------------------------------
 * The flow
 * ----------------------------------------------------------------------------------------- */

/** n8n's condition "expression is true", as the If and Filter nodes take it. */
function isTrue(name, expression) {
	return {
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
	};
}

function ifNode(name, expression) {
	return {
		name,
		type: 'n8n-nodes-base.if',
		typeVersion: 2.2,
		parameters: { conditions: isTrue(name, expression), options: {} },
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
	/** Passes only items that are stored leads (an update that changed no row outputs none, or an empty item). */
	const leadFilter = (name) => ({
		name,
		type: 'n8n-nodes-base.filter',
		typeVersion: 2.2,
		parameters: {
			conditions: isTrue(
				name,
				'={{ $json.id !== undefined && $json.id !== null && $json.id !== "" }}',
			),
			options: {},
		},
	});

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
			name: SYNC_TRIGGER,
			type: 'n8n-nodes-base.scheduleTrigger',
			typeVersion: 1.2,
			parameters: { rule: { interval: [{ field: 'seconds', secondsInterval: 30 }] } },
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
						{ id: uuid('settings/lease'), name: 'leaseMinutes', value: 10, type: 'number' },
						{ id: uuid('settings/max'), name: 'maxAttempts', value: 10, type: 'number' },
						{ id: uuid('settings/batch'), name: 'batchSize', value: 50, type: 'number' },
						{
							id: uuid('settings/findExisting'),
							name: 'findExistingContacts',
							value: true,
							type: 'boolean',
						},
						{ id: uuid('settings/incoming'), name: 'incomingLeads', value: false, type: 'boolean' },
						{
							id: uuid('settings/formPage'),
							name: 'formPage',
							value: 'https://example.com/',
							type: 'string',
						},
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

	// Intake: validate, store, answer. Nothing else, so the site never waits for amoCRM. ----
	const validate = add(codeNode('Validate', VALIDATE_JS()), [880, 300]);
	connect(route, validate, 0);
	const valid = add(ifNode('Valid?', '={{ $json.valid }}'), [1100, 300]);
	connect(validate, valid);
	const answer400 = add(
		{
			name: 'Answer 400',
			type: 'n8n-nodes-base.respondToWebhook',
			typeVersion: 1.5,
			parameters: {
				respondWith: 'json',
				responseBody: '={{ $json.response }}',
				options: { responseCode: 400 },
			},
		},
		[1320, 440],
	);
	connect(valid, answer400, 1);
	const saveLead = add(
		pg
			? store.write('Save lead', {
					sql:
						`INSERT INTO ${TABLE} (name, phone, email, source, message, product_id, status, attempts)\n` +
						`VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0)\nRETURNING id;`,
					params: LEAD_FIELDS.map((c) => `$json.lead.${c}`),
				})
			: store.write('Save lead', {
					values: {
						...Object.fromEntries(LEAD_FIELDS.map((c) => [c, `={{ $json.lead.${c} }}`])),
						status: 'pending',
						attempts: 0,
					},
				}),
		[1320, 220],
	);
	connect(valid, saveLead, 0);
	add(
		{
			name: 'Answer 200',
			type: 'n8n-nodes-base.respondToWebhook',
			typeVersion: 1.5,
			parameters: {
				respondWith: 'json',
				responseBody: '={{ { ok: true, id: $json.id } }}',
				options: { responseCode: 200 },
			},
		},
		[1540, 220],
	);
	connect(saveLead, 'Answer 200');

	// Sync: flag abandoned sends, claim due leads --------------------------------------------
	let flagStuck;
	let claimed;
	if (pg) {
		flagStuck = add(
			store.write('Flag stuck leads', {
				sql:
					`UPDATE ${TABLE} SET status = 'check', error = $1, lease_until = NULL, updated_at = now()\n` +
					`WHERE status = 'sending' AND ${LEASE_OVER}\nRETURNING *;`,
				params: [JSON.stringify(STUCK_ERROR), minutesParam('leaseMinutes')],
			}),
			[880, 900],
		);
		connect(route, flagStuck, 1);
		// One statement: rows another run has locked are skipped, rows it has taken no longer match.
		claimed = add(
			store.write('Claim due leads', {
				sql:
					`UPDATE ${TABLE}\n` +
					`SET status = 'syncing', attempts = attempts + 1, updated_at = now(),\n` +
					`    lease_until = now() + $2::float8 * interval '1 minute'\n` +
					`WHERE id IN (\n` +
					`  SELECT id FROM ${TABLE}\n` +
					`  WHERE status = 'pending'\n` +
					`     OR (status = 'failed' AND updated_at <= now() - $1::float8 * interval '1 minute' AND attempts < $3::int)\n` +
					`     OR (status = 'syncing' AND ${LEASE_OVER})\n` +
					`  ORDER BY id\n` +
					`  LIMIT $4::int\n` +
					`  FOR UPDATE SKIP LOCKED\n` +
					`)\nRETURNING *;`,
				params: ['retryAfterMinutes', 'leaseMinutes', 'maxAttempts', 'batchSize'].map(
					(name) => `${minutesParam(name)}`,
				),
			}),
			[1100, 700],
		);
		connect(route, claimed, 1);
	} else {
		const findUnsynced = add(store.findUnsynced, [880, 760]);
		connect(route, findUnsynced, 1);
		const pickDue = add(codeNode('Pick due leads', PICK_DUE_JS), [1100, 760]);
		connect(findUnsynced, pickDue);
		const stuck = add(ifNode('Stuck while sending?', '={{ $json.stuck }}'), [1320, 760]);
		connect(pickDue, stuck);
		flagStuck = add(
			store.write('Flag stuck leads', {
				values: { status: 'check', error: STUCK_ERROR },
				where: [
					['id', '={{ $json.id }}'],
					['status', 'sending'],
					['attempts', '={{ $json.attempts }}'],
				],
			}),
			[1540, 900],
		);
		connect(stuck, flagStuck, 0);
		claimed = add(
			store.write('Claim due leads', {
				values: { status: 'syncing', attempts: '={{ $json.attempts + 1 }}' },
				where: [
					['id', '={{ $json.id }}'],
					['status', '={{ $json.status }}'],
					['attempts', '={{ $json.attempts }}'],
				],
			}),
			[1540, 680],
		);
		connect(stuck, claimed, 1);
	}

	// Sync: deal with its contact -> note -> synced ------------------------------------------
	const leadToSync = add(leadFilter('Lead to sync'), [1760, 520]);
	connect(claimed, leadToSync);
	const hasDeal = add(ifNode('Deal already created?', '={{ !!$json.deal_id }}'), [1980, 520]);
	connect(leadToSync, hasDeal);
	const amo = (name, parameters) => ({
		name,
		type: AMO,
		typeVersion: 1,
		onError: 'continueErrorOutput',
		parameters: { authentication: 'oAuth2', ...parameters },
	});
	// Contacts first: which contact each deal gets is decided (own table, then amoCRM's search)
	// while the lead is still `syncing`, so a run that stops here leaves leads that are simply
	// taken again. Branches run top to bottom, each to its end, before "Choose contacts".
	const findKnown = add(
		pg
			? postgres.query(
					'Find known contacts',
					`SELECT id, phone, email, status, contact_id FROM ${TABLE}\n` +
						`WHERE status = 'synced' AND contact_id IS NOT NULL\n` +
						`  AND (phone = $1 OR ($2 <> '' AND lower(email) = lower($2)))\n` +
						`ORDER BY id DESC\nLIMIT 20;`,
					'={{ [$json.phone, $json.email ?? ""] }}',
				)
			: store.knownContacts,
		[2200, 300],
	);
	connect(hasDeal, findKnown, 1);
	const leadsToSearch = add(codeNode('Leads to search', LEADS_TO_SEARCH_JS), [2200, 500]);
	connect(hasDeal, leadsToSearch, 1);
	const search = (name, searchBy, value) =>
		amo(name, {
			resource: 'contact',
			operation: 'search',
			searchBy,
			searchValue: value,
			options: {
				defaultCountryCode: "={{ $('Settings').first().json.defaultCountryCode }}",
				limit: 10,
			},
		});
	const findByPhone = add(
		search('Find contact by phone', 'phone', '={{ $json.phone }}'),
		[2420, 420],
	);
	connect(leadsToSearch, findByPhone);
	const leadsToSearchByEmail = add(
		codeNode('Leads to search by email', LEADS_TO_SEARCH_BY_EMAIL_JS),
		[2420, 620],
	);
	connect(leadsToSearch, leadsToSearchByEmail);
	const findByEmail = add(
		search('Find contact by email', 'email', '={{ $json.email }}'),
		[2640, 620],
	);
	connect(leadsToSearchByEmail, findByEmail);
	const chooseContacts = add(codeNode('Choose contacts', CHOOSE_CONTACTS_JS), [2860, 760]);
	connect(hasDeal, chooseContacts, 1);

	// The last step before amoCRM may create a deal: only the run holding the claim gets past it.
	const markSending = add(
		pg
			? store.write('Mark sending', {
					sql:
						`UPDATE ${TABLE} SET status = 'sending', updated_at = now(),\n` +
						`    lease_until = now() + $3::float8 * interval '1 minute'\n` +
						`WHERE id = $1 AND status = 'syncing' AND attempts = $2\nRETURNING *;`,
					params: ['$json.id', '$json.attempts', minutesParam('leaseMinutes')],
				})
			: store.write('Mark sending', {
					values: { status: 'sending' },
					where: [
						['id', '={{ $json.id }}'],
						['status', 'syncing'],
						['attempts', '={{ $json.attempts }}'],
					],
				}),
		[3080, 620],
	);
	connect(chooseContacts, markSending);
	const stillOurs = add(leadFilter('Still ours?'), [3300, 620]);
	connect(markSending, stillOurs);

	const lead = (column) => `={{ $('Lead to sync').item.json.${column} }}`;
	const CHOSEN = "$('Choose contacts').item.json";
	// Chosen by the user from a list after import (n8n marks the node until then).
	const fromList = () => ({ __rl: true, mode: 'list', value: '' });
	const dealParameters = (customFields, statusId = fromList()) => ({
		resource: 'deal',
		operation: 'create',
		name: "=Website lead: {{ $('Lead to sync').item.json.name }}",
		price: 0,
		statusId,
		// Decided by "Choose contacts": an existing contact (deal only), or a new one created with
		// the deal, without searching amoCRM again.
		contactMode: `={{ ${CHOSEN}.contactId ? 'existing' : 'new' }}`,
		contactId: `={{ ${CHOSEN}.contactId ?? '' }}`,
		newContactName: lead('name'),
		newContactPhone: lead('phone'),
		newContactEmail: lead('email'),
		// Only for a lead sharing the new contact of an earlier lead of the run: the node finds
		// that lead among its items and asks amoCRM nothing.
		newContactAvoidDuplicates: `={{ ${CHOSEN}.sameContactAsEarlierLead === true }}`,
		additionalFields: {},
		customFields: { field: customFields },
		options: {
			defaultCountryCode: "={{ $('Settings').first().json.defaultCountryCode }}",
			// A public form: anyone can type a customer's email, so only the phone picks an
			// existing contact (one search per lead). Phone or Email suits trusted sources.
			matchContactsBy: 'phone',
		},
	});
	// All leads of the run at once: the node sends each deal with its contact in /leads/complex,
	// up to 50 per request, with the existing contact "Choose contacts" found for it, if any.
	const createDeal = add(
		amo(
			'Create deal',
			dealParameters([
				{ fieldId: fromList(), value: lead('source') },
				{ fieldId: fromList(), value: lead('product_id') },
			]),
		),
		[3520, 600],
	);
	// Settings > incomingLeads: the lead goes to the pipeline's Incoming leads (amoCRM "Unsorted")
	// for a manager to accept or decline, instead of a deal in the chosen stage.
	const asIncoming = add(
		ifNode('As incoming lead?', "={{ $('Settings').first().json.incomingLeads === true }}"),
		[3410, 820],
	);
	connect(stillOurs, asIncoming);
	connect(asIncoming, createDeal, 1);
	const createIncoming = add(
		amo('Create incoming lead', {
			resource: 'incomingLead',
			operation: 'create',
			pipelineId: '',
			dealName: "=Website lead: {{ $('Lead to sync').item.json.name }}",
			contactName: lead('name'),
			contactPhone: lead('phone'),
			contactEmail: lead('email'),
			formPage: "={{ $('Settings').first().json.formPage }}",
			// The template does not keep the visitor's IP (amoCRM requires one): 0.0.0.0 says "unknown".
			visitorIp: '0.0.0.0',
			formName: 'Website form',
			formId: 'lead-intake',
			// One per stored lead: a lead sent again is recognisable in amoCRM by it.
			sourceUid: "=lead-{{ $('Lead to sync').item.json.id }}",
			sourceName: 'n8n lead intake',
			options: { defaultCountryCode: "={{ $('Settings').first().json.defaultCountryCode }}" },
		}),
		[3520, 1240],
	);
	connect(asIncoming, createIncoming, 0);
	const incomingAsDeal = add(
		{
			name: 'Incoming lead as deal',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			parameters: {
				mode: 'manual',
				assignments: {
					assignments: [
						{ id: uuid('incoming/id'), name: 'id', value: '={{ $json.dealId }}', type: 'number' },
						{ id: uuid('incoming/url'), name: 'url', value: '={{ $json.url }}', type: 'string' },
						{
							id: uuid('incoming/contact'),
							name: 'contactId',
							value: '={{ $json.contactId }}',
							type: 'number',
						},
						{ id: uuid('incoming/merged'), name: 'merged', value: false, type: 'boolean' },
					],
				},
				includeOtherFields: false,
				options: {},
			},
		},
		[3740, 1240],
	);
	connect(createIncoming, incomingAsDeal, 0);
	const saveDeal = add(
		pg
			? store.write('Save deal ID', {
					sql:
						`UPDATE ${TABLE} SET deal_id = $2, deal_url = $3, contact_id = $4, merged = $5, status = 'syncing', updated_at = now()\n` +
						`WHERE id = $1\nRETURNING *;`,
					params: [
						"$('Lead to sync').item.json.id",
						'$json.id',
						'$json.url',
						'$json.contactId',
						'$json.merged === true',
					],
				})
			: store.write('Save deal ID', {
					values: {
						deal_id: '={{ $json.id }}',
						deal_url: '={{ $json.url }}',
						contact_id: '={{ $json.contactId }}',
						// amoCRM's duplicate control put the lead into an existing deal (deal_id is that deal).
						merged: '={{ $json.merged === true }}',
						status: 'syncing',
					},
					where: [['id', ROW_ID]],
				}),
		[3740, 520],
	);
	connect(createDeal, saveDeal, 0);
	connect(incomingAsDeal, saveDeal);
	// note_id: empty = no note tried yet; 0 = a run stopped while adding it (it may exist: not
	// sent again, Telegram says to check); otherwise the note's ID.
	const hasMessage = add(
		ifNode(
			'Note to add?',
			"={{ !!($json.message || $json.field_problem) && ($json.note_id === null || $json.note_id === undefined || $json.note_id === '') }}",
		),
		[3960, 420],
	);
	connect(saveDeal, hasMessage);
	connect(hasDeal, hasMessage, 0);
	const addNote = add(
		amo('Add note', {
			resource: 'note',
			operation: 'add',
			entityType: 'deal',
			entityId: { __rl: true, mode: 'id', value: '={{ $json.deal_id }}' },
			text: NOTE_TEXT,
		}),
		[4180, 340],
	);
	// Recorded before the note goes out, so a run killed before its ID is saved adds no second note.
	const markNoteSending = add(
		pg
			? store.write('Mark note sending', {
					sql: `UPDATE ${TABLE} SET note_id = 0, updated_at = now()\nWHERE id = $1\nRETURNING *;`,
					params: ["$('Lead to sync').item.json.id"],
				})
			: store.write('Mark note sending', {
					values: { note_id: '={{ 0 }}' },
					where: [['id', ROW_ID]],
				}),
		[4070, 200],
	);
	connect(hasMessage, markNoteSending, 0);
	connect(markNoteSending, addNote);
	const saveNote = add(
		pg
			? store.write('Save note ID', {
					sql: `UPDATE ${TABLE} SET note_id = $2, updated_at = now()\nWHERE id = $1\nRETURNING *;`,
					params: ["$('Lead to sync').item.json.id", '$json.id'],
				})
			: store.write('Save note ID', {
					values: { note_id: '={{ $json.id }}' },
					where: [['id', ROW_ID]],
				}),
		[4400, 320],
	);
	connect(addNote, saveNote, 0);
	const markSynced = add(
		pg
			? store.write('Mark synced', {
					sql: `UPDATE ${TABLE} SET status = 'synced', error = NULL, lease_until = NULL, updated_at = now()\nWHERE id = $1\nRETURNING *;`,
					params: ["$('Lead to sync').item.json.id"],
				})
			: store.write('Mark synced', {
					values: { status: 'synced', error: '' },
					where: [['id', ROW_ID]],
				}),
		[4620, 440],
	);
	connect(saveNote, markSynced);
	connect(hasMessage, markSynced, 1);
	const markFailed = add(
		pg
			? store.write('Mark failed', {
					sql: `UPDATE ${TABLE} SET status = 'failed', error = $2, note_id = NULL, lease_until = NULL, updated_at = now()\nWHERE id = $1\nRETURNING *;`,
					params: ["$('Lead to sync').item.json.id", FAILED_ERROR.slice(4, -3)],
				})
			: store.write('Mark failed', {
					values: { status: 'failed', error: FAILED_ERROR, note_id: '={{ null }}' },
					where: [['id', ROW_ID]],
				}),
		[4620, 760],
	);
	connect(addNote, markFailed, 1);
	// A failed search created nothing: the lead is sent again.
	connect(findByPhone, markFailed, 1);
	connect(findByEmail, markFailed, 1);
	const dealMayExist = add(ifNode('Deal may exist?', DEAL_MAY_EXIST), [3740, 760]);
	connect(createDeal, dealMayExist, 1);
	connect(createIncoming, dealMayExist, 1);
	const markUnknown = add(
		pg
			? store.write('Mark for manual check', {
					sql: `UPDATE ${TABLE} SET status = 'check', error = $2, lease_until = NULL, updated_at = now()\nWHERE id = $1\nRETURNING *;`,
					params: ["$('Lead to sync').item.json.id", LOST_ANSWER_ERROR.slice(4, -3)],
				})
			: store.write('Mark for manual check', {
					values: { status: 'check', error: LOST_ANSWER_ERROR },
					where: [['id', ROW_ID]],
				}),
		[3960, 900],
	);
	connect(dealMayExist, markUnknown, 0);
	// A value amoCRM can never take for a deal field must not hold the lead: the deal is made
	// without the custom fields, their values go into the note, and Telegram names the field.
	const fieldRefused = add(ifNode('Field value refused?', FIELD_REFUSED), [3960, 1060]);
	connect(dealMayExist, fieldRefused, 1);
	connect(fieldRefused, markFailed, 1);
	// The problem is saved first, from the error item itself; the row then carries it to the note and Telegram.
	const saveFieldProblem = add(
		pg
			? store.write('Save field problem', {
					sql: `UPDATE ${TABLE} SET field_problem = $2, updated_at = now()\nWHERE id = $1\nRETURNING *;`,
					params: ["$('Lead to sync').item.json.id", FIELD_PROBLEM],
				})
			: store.write('Save field problem', {
					values: { field_problem: `={{ ${FIELD_PROBLEM} }}` },
					where: [['id', ROW_ID]],
				}),
		[4180, 1060],
	);
	connect(fieldRefused, saveFieldProblem, 0);
	// Starts the deal where "Create deal" would have: the stage is chosen once, there.
	const sameStage = {
		__rl: true,
		mode: 'id',
		value: "={{ $('Create deal').params.statusId.value }}",
	};
	const createWithoutFields = add(
		amo('Create deal without custom fields', dealParameters([], sameStage)),
		[4400, 1060],
	);
	connect(saveFieldProblem, createWithoutFields);
	connect(createWithoutFields, saveDeal, 0);
	connect(createWithoutFields, dealMayExist, 1);

	// Telegram -----------------------------------------------------------------------------
	const telegramText = add(codeNode('Telegram text', TELEGRAM_TEXT_JS), [4840, 600]);
	connect(markSynced, telegramText);
	connect(markFailed, telegramText);
	connect(flagStuck, telegramText);
	connect(markUnknown, telegramText);
	add(
		{
			name: 'Telegram',
			type: 'n8n-nodes-base.telegram',
			typeVersion: 1.2,
			parameters: {
				chatId: '',
				text: '={{ $json.text }}',
				additionalFields: {
					appendAttribution: false,
					disable_web_page_preview: true,
					parse_mode: 'HTML',
				},
			},
		},
		[5060, 600],
		{ retryOnFail: true, maxTries: 3, waitBetweenTries: 2000, onError: 'continueRegularOutput' },
	);
	connect(telegramText, 'Telegram');

	// Sticky notes -------------------------------------------------------------------------
	const storage = pg
		? `Leads are rows of the PostgreSQL table **${TABLE}**. Create it once with \`workflows/leads.sql\` ` +
			'(run it again after updating the template) and choose your **Postgres** credential in every Postgres node.'
		: `Leads are rows of the Data table **${TABLE}**, created by **Leads table** on the first run ` +
			'(Overview > Data tables). Nothing to set up.';
	nodes.push(
		sticky(
			'About this workflow',
			`## Website leads -> amoCRM + Telegram\nA form posts a lead to **/webhook/lead** (JSON or form fields: ` +
				'name, phone, email, source, message, productId). It is checked, stored with status `pending`, and ' +
				'the site gets `{"ok":true,"id":…}` at once: the answer never waits for amoCRM.\n' +
				'Every 30 seconds **Sync** takes the waiting leads (up to 50 at a time), looks up their contacts ' +
				"(a phone this table already synced, else amoCRM's search), creates each deal with that " +
				'contact or a new one, adds the note, and sets ' +
				"`synced`, or `failed` with amoCRM's error; one Telegram message per lead (more than 3 in a run share messages, 10 each: Telegram allows a group 20 a minute).\n\n" +
				`${storage}\n\n**To set:** Settings (country code), the **Credential** of the AmoCRM nodes, Telegram. ` +
				'Then click **Publish** (it stays greyed out while a node still shows a problem).',
			[-40, -160],
			640,
			400,
			4,
		),
		sticky(
			'Note: settings',
			'### Settings\n**defaultCountryCode**: added to numbers typed without one (998 Uzbekistan, 7 Russia/' +
				'Kazakhstan).\n**retryAfterMinutes**: a `failed` lead waits this long before it is sent again, ' +
				'at most **maxAttempts** times (then Telegram says it needs you).\n**leaseMinutes**: how long a sync ' +
				'run holds the leads it took (keep it longer than a run takes); leads of a run that stopped ' +
				'(n8n restarted) are taken again after it.\n' +
				'**batchSize**: leads per sync run (at most 50).\n**findExistingContacts**: reuse a contact with ' +
				'the same phone (this table, then a search in amoCRM; the email too if **Create deal** matches by ' +
				'Phone or Email); false: a new contact for every ' +
				'lead, the fastest.\n**incomingLeads**: `true` puts each lead in the main ' +
				'pipeline\'s **Incoming leads** (amoCRM "Unsorted") for a manager to accept or decline, instead of a deal ' +
				'in the chosen stage (amoCRM makes its contact; set findExistingContacts to false then: the manager ' +
				"merges duplicates); **formPage**: your form's page, shown on it.\n" +
				'Length limits and accepted fields: in **Validate**.',
			[380, 240],
			260,
			480,
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
			'### amoCRM (set after import)\nIn **Find contact by phone**, **Find contact by email**, **Create deal**, ' +
				'**Create deal without custom fields** and **Add note** pick your amoCRM connection in the ' +
				'**Credential** list (OAuth2: click **Connect** in the credential first; or a long-lived token).\n' +
				'In **Create deal** choose **Pipeline and Stage** (listed as *Pipeline → Stage*; the other deal node follows it), and under **Custom Fields** the deal fields ' +
				'for the source (row 1) and the product ID (row 2), or delete those rows. A value a field refuses ' +
				'never holds a lead: the deal is made without the custom fields, the values go into its note, and ' +
				'Telegram names the field to fix.\n' +
				'**Create deal > Options > Match Existing Contacts By** is **Phone Only**: on a public form anyone ' +
				"can type someone else's email, so a lead joins an existing contact only by its phone. For " +
				'trusted sources (your staff, imports) choose **Phone or Email** (the contact look-up before ' +
				'it follows that choice).',
			[3060, 20],
			440,
			360,
			5,
		),
		sticky(
			'Note: Telegram',
			"### Telegram\nChoose your Telegram credential and put the sales chat's ID in **Chat ID** " +
				'(a group ID looks like -1001234567890; add the bot to the group). Wording: **Telegram text**.',
			[4820, 340],
			420,
			200,
			5,
		),
		sticky(
			'Note: sync',
			'### Sync (every 30 seconds)\nA lead is taken by one conditional update: when sync runs overlap ' +
				'(a slow amoCRM, several n8n workers) only one of them gets it. `failed` leads are sent again until ' +
				'they are in amoCRM. Contacts are looked up first, while the lead is `syncing`: a run that stops ' +
				'then created nothing, and its leads are simply taken again. A deal is never created twice: the ' +
				'lead is marked `sending` only then, just before its deal goes out, and the deal ID is saved the ' +
				"moment it exists. When a deal may exist unrecorded (n8n stopped while sending, or amoCRM's answer " +
				'was lost) the lead becomes `check`, is not resent, and Telegram says so.',
			[860, 960],
			680,
			260,
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

// `--check`: fail when a committed template differs from what this script makes (e.g. after a
// change of the node's phone rule), instead of writing it.
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

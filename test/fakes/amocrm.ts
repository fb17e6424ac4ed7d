/**
 * An in-memory fake of one amoCRM account (API v4 + OAuth 2.0 token endpoint), faithful to the
 * shapes in amoCRM's own docs. One implementation (`handle`), two transports: a real HTTP(S)
 * server (`listen`, for end-to-end tests and the benchmark) and nock (`interceptWithNock`, for
 * in-process jest tests).
 *
 * Where amoCRM's behaviour is not documented, the choice made here is marked "unconfirmed".
 * Deliberate deviation from the docs' example: custom field values are read back with
 * `enum_code` (what amoCRM's official PHP client parses), not `enum` (which only that example
 * shows).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type nockType from 'nock';

// ---------------------------------------------------------------------------------------------
// Transport shared by the fakes
// ---------------------------------------------------------------------------------------------

export interface FakeHttpRequest {
	method: string;
	/** Absolute URL, or a path (then the fake's default origin is assumed). */
	url: string;
	headers: Record<string, string | string[] | undefined>;
	body?: Buffer | string;
}

export interface FakeHttpResponse {
	status: number;
	headers: Record<string, string>;
	body: string;
	/** The transport must destroy the connection instead of answering (server down, lost response). */
	dropConnection?: boolean;
}

export interface ListenOptions {
	port?: number;
	host?: string;
	/** PEM contents or file paths (e.g. what `createTestCertificates` returns). */
	tls?: { key: string | Buffer; cert: string | Buffer };
}

export interface RunningFake {
	port: number;
	/** e.g. `http://127.0.0.1:41234` */
	url: string;
	close(): Promise<void>;
}

export interface NockInterception {
	/** Removes this fake's interceptors (other nock interceptors stay). */
	stop(): void;
}

type Handler = (req: FakeHttpRequest) => Promise<FakeHttpResponse>;

function pem(value: string | Buffer): string | Buffer {
	if (Buffer.isBuffer(value) || value.includes('-----BEGIN')) return value;
	return readFileSync(value);
}

/** Serves `handler` over HTTP or HTTPS. `isDown()` true -> every new connection is reset. */
export function serveFake(
	handler: Handler,
	options: ListenOptions,
	isDown: () => boolean,
	onReset: () => void,
): Promise<RunningFake> {
	const host = options.host ?? '127.0.0.1';
	const listener: http.RequestListener = (req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const proto = options.tls ? 'https' : 'http';
			const url = `${proto}://${req.headers.host ?? host}${req.url ?? '/'}`;
			handler({
				method: req.method ?? 'GET',
				url,
				headers: req.headers,
				body: Buffer.concat(chunks),
			}).then(
				(out) => {
					if (out.dropConnection) {
						req.socket.destroy();
						return;
					}
					res.writeHead(out.status, out.headers);
					res.end(out.body);
				},
				(err: unknown) => {
					res.writeHead(500, { 'content-type': 'text/plain' });
					res.end(`fake crashed: ${String(err)}`);
				},
			);
		});
	};
	const server: http.Server | https.Server = options.tls
		? https.createServer({ key: pem(options.tls.key), cert: pem(options.tls.cert) }, listener)
		: http.createServer(listener);
	server.on('connection', (socket: Socket) => {
		if (isDown()) {
			onReset();
			socket.destroy();
		}
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, host, () => {
			server.off('error', reject);
			const port = (server.address() as AddressInfo).port;
			resolve({
				port,
				url: `${options.tls ? 'https' : 'http'}://${host}:${port}`,
				close: () =>
					new Promise<void>((done) => {
						server.close(() => done());
						server.closeAllConnections();
					}),
			});
		});
	});
}

const NOCK_METHODS = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'HEAD', 'OPTIONS'];

/** Routes every request for `origin` through `handler` (nock 15, persisted, async reply). */
export function interceptOriginWithNock(origin: string, handler: Handler): NockInterception {
	// Loaded lazily: nock patches node's http stack on import, which the HTTP transport must not pay for.
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const mod = require('nock') as { default?: typeof nockType } & typeof nockType;
	const nock: typeof nockType = mod.default ?? mod;
	const scope = nock(origin).persist();
	const interceptors: nockType.Interceptor[] = [];
	for (const method of NOCK_METHODS) {
		const interceptor = scope.intercept(() => true, method);
		interceptors.push(interceptor);
		// One parameter on purpose: nock treats a two-parameter function as callback style.
		interceptor.reply(async (request: Request) => {
			const headers: Record<string, string> = {};
			request.headers.forEach((value, key) => (headers[key] = value));
			const body =
				method === 'GET' || method === 'HEAD' ? '' : Buffer.from(await request.arrayBuffer());
			const out = await handler({ method, url: request.url, headers, body });
			if (out.dropConnection) {
				throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
			}
			return [out.status, out.body, out.headers] as const;
		});
	}
	return {
		stop: () => {
			for (const interceptor of interceptors) nock.removeInterceptor(interceptor);
		},
	};
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

export function normalizeHeaders(headers: FakeHttpRequest['headers']): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, value] of Object.entries(headers)) {
		if (value === undefined) continue;
		out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
	}
	return out;
}

/** JSON (by content type or shape) or form-urlencoded; `undefined` for an empty body. Throws on bad JSON. */
export function parseBody(contentType: string | undefined, raw: string): unknown {
	if (raw.trim() === '') return undefined;
	const ct = (contentType ?? '').toLowerCase();
	if (ct.includes('application/x-www-form-urlencoded'))
		return Object.fromEntries(new URLSearchParams(raw));
	if (ct.includes('json') || /^\s*[[{"]/.test(raw)) return JSON.parse(raw) as unknown;
	return raw;
}

// ---------------------------------------------------------------------------------------------
// amoCRM types
// ---------------------------------------------------------------------------------------------

export type FakeAmoMode = 'up' | 'down' | 'error500' | 'rateLimited' | 'html403';

export interface FakeAmoCrmOptions {
	subdomain?: string;
	/** Valid access tokens from the start (long-lived tokens, or an OAuth token already held). */
	accessTokens?: string[];
	clientId?: string;
	clientSecret?: string;
	/** A refresh token valid from the start. */
	refreshToken?: string;
	/** When set, code exchange (and refresh, when it carries one) must send exactly this redirect_uri. */
	redirectUri?: string;
	requireRedirectUriOnRefresh?: boolean;
	latencyMs?: number;
	/** Max requests in any sliding 1-second window; 0 = no limit. */
	rateLimitPerSecond?: number;
	/** After this many 429s every request gets 403 (amo's IP block); 0 = never. */
	blockAfter429s?: number;
	/** Where the account lives: `https://{subdomain}.amocrm.ru` (default) or a Kommo account on `{subdomain}.kommo.com`. */
	domain?: 'amocrm.ru' | 'kommo.com';
	/**
	 * The body of a 429. 'recorded' (default): what the real service sends, amoCRM's HTML page
	 * without a waiting time on amocrm.ru, Kommo's JSON with `retry_after` on kommo.com.
	 * 'json': the Kommo JSON on every domain (for measurements that need amoCRM's wait).
	 */
	rateLimitAnswer?: 'recorded' | 'json';
	/** Valid tokens of a user who is no administrator: `GET /api/v4/users` answers them 403. */
	nonAdminTokens?: string[];
}

export interface LoggedRequest {
	method: string;
	/** Path without the query string. */
	path: string;
	query: Record<string, string>;
	/** Lower-cased names; Authorization redacted ('Bearer ***' / 'Basic ***'). */
	headers: Record<string, string>;
	/** Parsed JSON / form object, the raw string if neither, undefined if empty. */
	body: unknown;
	status: number;
	/** Date.now() at arrival. */
	at: number;
	/** True when the write was performed but the connection was destroyed instead of answering. */
	dropped?: boolean;
}

export interface CustomFieldEnum {
	id: number;
	value: string;
	sort: number;
}

export interface CustomFieldDef {
	id: number;
	name: string;
	type: string;
	code: string | null;
	sort: number;
	enums: CustomFieldEnum[] | null;
	is_predefined: boolean;
	is_deletable: boolean;
	is_api_only: boolean;
}

export interface CustomFieldValueOut {
	value: unknown;
	enum_id?: number;
	enum_code?: string | null;
}

export interface CustomFieldOut {
	field_id: number;
	field_name: string;
	field_code: string | null;
	field_type: string;
	values: CustomFieldValueOut[];
}

export interface Tag {
	id: number;
	name: string;
	color: null;
}

export interface FakeContact {
	id: number;
	name: string;
	first_name: string;
	last_name: string;
	responsible_user_id: number;
	created_by: number;
	updated_by: number;
	created_at: number;
	updated_at: number;
	custom_fields_values: CustomFieldOut[] | null;
	tags: Tag[];
}

export interface FakeCompany {
	id: number;
	name: string;
	responsible_user_id: number;
	created_by: number;
	updated_by: number;
	created_at: number;
	updated_at: number;
	custom_fields_values: CustomFieldOut[] | null;
	tags: Tag[];
}

export interface FakeLead {
	id: number;
	name: string;
	price: number;
	responsible_user_id: number;
	status_id: number;
	pipeline_id: number;
	loss_reason_id: number | null;
	created_by: number;
	updated_by: number;
	created_at: number;
	updated_at: number;
	closed_at: number | null;
	custom_fields_values: CustomFieldOut[] | null;
	tags: Tag[];
}

export type LinkableType = 'leads' | 'contacts' | 'companies';

export interface FakeLink {
	entity_type: LinkableType;
	entity_id: number;
	to_entity_type: string;
	to_entity_id: number;
	metadata: Record<string, unknown> | null;
}

/** A list of the account (crm_platform/catalogs-api): `products` (at most one), `invoices`, `regular`. */
export interface FakeCatalog {
	id: number;
	name: string;
	type: 'products' | 'invoices' | 'regular';
	sort: number;
	fields: CustomFieldDef[];
}

/** An element of a list: a product in the products list. */
export interface FakeElement {
	id: number;
	catalog_id: number;
	name: string;
	created_at: number;
	updated_at: number;
	custom_fields_values: CustomFieldOut[] | null;
}

export interface FakeNote {
	id: number;
	entity_type: LinkableType;
	entity_id: number;
	note_type: string;
	params: Record<string, unknown>;
	created_by: number;
	responsible_user_id: number;
	created_at: number;
	/** Set once the note is edited (PATCH). */
	updated_at?: number;
	updated_by?: number;
}

export interface FakeTask {
	id: number;
	text: string;
	task_type_id: number;
	/** Unix seconds. */
	complete_till: number;
	duration: number;
	entity_type: LinkableType | null;
	entity_id: number | null;
	responsible_user_id: number;
	is_completed: boolean;
	/** Set when the task was completed with a result. */
	result: { text: string } | null;
	created_by: number;
	updated_by: number;
	created_at: number;
	updated_at: number;
}

/** An incoming lead ("Неразобранное") of category forms, and what became of it. */
export interface FakeUnsorted {
	uid: string;
	source_uid: string;
	source_name: string;
	category: 'forms' | 'sip';
	pipeline_id: number;
	created_at: number;
	metadata: Record<string, unknown>;
	lead_id: number;
	contact_ids: number[];
	company_ids: number[];
	state: 'incoming' | 'accepted' | 'declined';
}

export interface FakeStatus {
	id: number;
	name: string;
	sort: number;
	is_editable: boolean;
	color: string;
	/** 1 = unsorted ("Incoming"), 0 = any other. */
	type: 0 | 1;
}

export interface FakePipeline {
	id: number;
	name: string;
	sort: number;
	is_main: boolean;
	is_unsorted_on: boolean;
	is_archive: boolean;
	statuses: FakeStatus[];
}

export interface FakeUser {
	id: number;
	name: string;
	email: string;
	is_admin: boolean;
}

export interface IssuedTokens {
	token_type: 'Bearer';
	expires_in: number;
	server_time: number;
	access_token: string;
	refresh_token: string;
}

export interface GrantCounters {
	authorizationCode: number;
	refreshToken: number;
	/** Token-endpoint calls answered with an error. */
	rejected: number;
}

interface FieldError {
	code: string;
	path: string;
	detail: string;
}

type Json = Record<string, unknown>;

/** What leads, contacts and companies share for PATCH. */
interface Updatable {
	name: string;
	responsible_user_id: number;
	custom_fields_values: CustomFieldOut[] | null;
	tags: Tag[];
}

// ---------------------------------------------------------------------------------------------
// Seed data
// ---------------------------------------------------------------------------------------------

export const ACCOUNT_ID = 29000001;
const OAUTH_PROBLEM = 'https://developers.amocrm.ru/v3/errors/OAuthProblemJson';
const NOTE_TYPES = [
	'common',
	'call_in',
	'call_out',
	'service_message',
	'extended_service_message',
	'sms_in',
	'sms_out',
	'geolocation',
	'message_cashier',
	'attachment',
];
const DETAIL = {
	NotSupportedChoice: 'The value you selected is not a valid choice.',
	NotBlank: 'This value should not be blank.',
	NotFound: 'Entity not found', // unconfirmed wording
};

function seedUsers(): FakeUser[] {
	return [
		{ id: 501, name: 'Admin', email: 'admin@e2e.example', is_admin: true },
		{ id: 502, name: 'Sales Manager', email: 'sales@e2e.example', is_admin: false },
	];
}

/** amoCRM's built-in task types (account-info, `with=task_types`): 1 follow-up (a call), 2 meeting. */
export const TASK_TYPES = [
	{ id: 1, name: 'Связаться', color: null, icon_id: null, code: 'FOLLOW_UP' },
	{ id: 2, name: 'Встреча', color: null, icon_id: null, code: 'MEETING' },
];

function closing(): FakeStatus[] {
	return [
		{ id: 142, name: 'Closed - won', sort: 10000, is_editable: false, color: '#CCFF66', type: 0 },
		{ id: 143, name: 'Closed - lost', sort: 11000, is_editable: false, color: '#D5D8DB', type: 0 },
	];
}

function seedPipelines(): FakePipeline[] {
	return [
		{
			id: 1001,
			name: 'Sales',
			sort: 1,
			is_main: true,
			is_unsorted_on: true,
			is_archive: false,
			statuses: [
				{ id: 2001, name: 'Incoming', sort: 10, is_editable: false, color: '#c1c1c1', type: 1 },
				{ id: 2002, name: 'New lead', sort: 20, is_editable: true, color: '#99ccff', type: 0 },
				{ id: 2003, name: 'Qualified', sort: 30, is_editable: true, color: '#ffcc66', type: 0 },
				...closing(),
			],
		},
		{
			id: 1002,
			name: 'Wholesale',
			sort: 2,
			is_main: false,
			is_unsorted_on: false,
			is_archive: false,
			statuses: [
				{ id: 2101, name: 'New', sort: 10, is_editable: true, color: '#99ccff', type: 0 },
				{ id: 2102, name: 'Contacted', sort: 20, is_editable: true, color: '#ffff99', type: 0 },
				...closing(),
			],
		},
	];
}

function field(
	id: number,
	name: string,
	type: string,
	code: string | null,
	sort: number,
	enums: string[] | null,
	enumBase = 0,
	predefined = false,
): CustomFieldDef {
	return {
		id,
		name,
		type,
		code,
		sort,
		enums: enums
			? enums.map((value, i) => ({ id: enumBase + i + 1, value, sort: (i + 1) * 2 }))
			: null,
		is_predefined: predefined,
		is_deletable: !predefined,
		is_api_only: false,
	};
}

/** 60 contact fields, so /contacts/custom_fields needs two pages at amo's default 50. */
function seedContactFields(): CustomFieldDef[] {
	const fields = [
		field(
			3001,
			'Phone',
			'multitext',
			'PHONE',
			4,
			['WORK', 'WORKDD', 'MOB', 'FAX', 'HOME', 'OTHER'],
			3100,
			true,
		),
		field(3002, 'Email', 'multitext', 'EMAIL', 6, ['WORK', 'PRIV', 'OTHER'], 3110, true),
		field(3003, 'Position', 'text', 'POSITION', 2, null, 0, true),
		field(3004, 'Birthday', 'birthday', null, 8, null),
		field(3005, 'Newsletter consent', 'checkbox', null, 10, null),
		field(3006, 'Customer type', 'select', null, 12, ['Retail', 'Wholesale', 'Partner'], 3120),
		field(3007, 'Web site', 'url', null, 14, null),
	];
	for (let id = 3008; id <= 3060; id++)
		fields.push(field(id, `Extra field ${id - 3000}`, 'text', null, id - 2990, null));
	return fields;
}

/** amo's predefined company fields. */
function seedCompanyFields(): CustomFieldDef[] {
	return [
		field(
			5001,
			'Phone',
			'multitext',
			'PHONE',
			4,
			['WORK', 'WORKDD', 'MOB', 'FAX', 'HOME', 'OTHER'],
			5100,
			true,
		),
		field(5002, 'Email', 'multitext', 'EMAIL', 6, ['WORK', 'PRIV', 'OTHER'], 5110, true),
		field(5003, 'Web', 'url', 'WEB', 8, null, 0, true),
		field(5004, 'Address', 'textarea', 'ADDRESS', 10, null, 0, true),
	];
}

/**
 * The account's lists as crm_platform/catalogs-api shows them: a regular list and the products
 * list, whose elements have the fields products-api names (SKU, description, price, group) and,
 * here, a second price field (type `price`, custom-fields "price | Цена"; a link's `price_id`).
 */
function seedCatalogs(): FakeCatalog[] {
	return [
		{ id: 4589, name: 'Просто список', type: 'regular', sort: 10, fields: [] },
		{
			id: 4521,
			name: 'Товары',
			type: 'products',
			sort: 20,
			fields: [
				field(271207, 'Артикул', 'text', 'SKU', 2, null, 0, true),
				field(271209, 'Описание', 'textarea', 'DESCRIPTION', 4, null, 0, true),
				field(271211, 'Цена', 'numeric', 'PRICE', 6, null, 0, true),
				field(2930681, 'Оптовая цена', 'price', null, 8, null),
			],
		},
	];
}

/**
 * The metadata each kind of incoming lead must have (unsorted-api: "all fields except
 * created_at and pipeline_id are required" for a call; which form keys are required is unconfirmed).
 */
const UNSORTED_METADATA = {
	forms: ['form_id', 'form_name', 'form_page', 'ip', 'form_sent_at'],
	sip: ['uniq', 'phone', 'called_at', 'duration', 'service_code', 'from'],
};

/**
 * Metadata read back as amo's examples show it (unsorted-api): a form's form_sent_at a string and
 * visitor_uid null when not sent; a call's duration a string, link null when not sent, and no
 * is_call_event_needed ("not returned by the API").
 */
function readBackMetadata(category: 'forms' | 'sip', metadata: Json): Json {
	if (category === 'forms')
		return {
			...metadata,
			form_sent_at: str(metadata.form_sent_at),
			visitor_uid: metadata.visitor_uid ?? null,
		};
	const { is_call_event_needed: _dropped, ...rest } = metadata;
	return { ...rest, duration: str(metadata.duration), link: metadata.link ?? null };
}

function seedLeadFields(): CustomFieldDef[] {
	return [
		field(4001, 'Source', 'text', null, 2, null),
		field(4002, 'Product ID', 'text', null, 4, null),
		field(
			4003,
			'Channel',
			'select',
			null,
			6,
			['Website', 'Telegram', 'Phone call', 'Instagram'],
			4100,
		),
		field(4004, 'utm_source', 'tracking_data', 'UTM_SOURCE', 8, null, 0, true),
		field(4005, 'utm_medium', 'tracking_data', 'UTM_MEDIUM', 10, null, 0, true),
		field(4006, 'utm_campaign', 'tracking_data', 'UTM_CAMPAIGN', 12, null, 0, true),
	];
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

const nowSec = (): number => Math.floor(Date.now() / 1000);
const isObject = (v: unknown): v is Json =>
	typeof v === 'object' && v !== null && !Array.isArray(v);
const toInt = (v: unknown): number | undefined => {
	if (typeof v === 'number' && Number.isInteger(v)) return v;
	if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim());
	return undefined;
};
const str = (v: unknown): string =>
	typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
const b64url = (v: string | Buffer): string => Buffer.from(v).toString('base64url');

/** A list parameter as amo takes it: `key=1`, `key[]=1&key[]=2` or `key[0]=1&key[1]=2`. */
function listParam(q: URLSearchParams, key: string): string[] | undefined {
	const out: string[] = [];
	let seen = false;
	for (const [k, v] of q) {
		if (k === key || (k.startsWith(`${key}[`) && /^\[\d*\]$/.test(k.slice(key.length)))) {
			seen = true;
			out.push(...v.split(',').filter((x) => x.trim() !== ''));
		}
	}
	return seen ? out : undefined;
}
const intList = (q: URLSearchParams, key: string): number[] | undefined =>
	listParam(q, key)
		?.map(toInt)
		.filter((n): n is number => n !== undefined);

/** `key[from]` / `key[to]` (unix seconds, inclusive); a bare `key=ts` means "from". */
function rangeParam(q: URLSearchParams, key: string): { from?: number; to?: number } | undefined {
	const bare = toInt(q.get(key));
	const from = toInt(q.get(`${key}[from]`)) ?? bare;
	const to = toInt(q.get(`${key}[to]`));
	return from === undefined && to === undefined ? undefined : { from, to };
}
const inRange = (v: number, r: { from?: number; to?: number } | undefined): boolean =>
	!r || ((r.from === undefined || v >= r.from) && (r.to === undefined || v <= r.to));

/** `order[field]=asc|desc` among `fields`; default: by id ascending. */
function sortByOrder<T extends { id: number }>(
	q: URLSearchParams,
	items: T[],
	fields: string[],
): T[] {
	const field = fields.find((f) => q.has(`order[${f}]`));
	const key = field ?? 'id';
	const dir = field && q.get(`order[${field}]`)?.toLowerCase() === 'desc' ? -1 : 1;
	return [...items].sort(
		(a, b) =>
			dir * (Number((a as unknown as Json)[key]) - Number((b as unknown as Json)[key])) ||
			a.id - b.id,
	);
}

/** amo's `query`: a substring of any filled text, name or custom field value, or the id. */
function textMatches(
	id: number,
	texts: string[],
	fields: CustomFieldOut[] | null,
	query: string,
): boolean {
	const needle = query.trim().toLowerCase();
	if (!needle) return true;
	if (String(id) === needle) return true;
	const haystack = [...texts];
	for (const f of fields ?? []) for (const v of f.values) haystack.push(str(v.value));
	return haystack.some((s) => s.toLowerCase().includes(needle));
}

function json(
	status: number,
	body: unknown,
	contentType = 'application/hal+json',
): FakeHttpResponse {
	return {
		status,
		headers: { 'content-type': `${contentType}; charset=utf-8` },
		body: JSON.stringify(body),
	};
}
const hal = (body: unknown): FakeHttpResponse => json(200, body);
const problem = (status: number, body: Json): FakeHttpResponse =>
	json(status, body, 'application/problem+json');
const noContent = (): FakeHttpResponse => ({ status: 204, headers: {}, body: '' });

function html(status: number, title: string): FakeHttpResponse {
	return {
		status,
		headers: { 'content-type': 'text/html' },
		body: `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`,
	};
}

const STATUS_TITLES: Record<number, string> = {
	400: 'Bad Request',
	401: 'Unauthorized',
	402: 'Payment Required',
	403: 'Forbidden',
	404: 'Not Found',
	405: 'Method Not Allowed',
	422: 'Unprocessable Entity',
	429: 'Too Many Requests',
};

export const UNAUTHORIZED_BODY = {
	title: 'Unauthorized',
	type: 'https://httpstatus.es/401',
	status: 401,
	detail: 'Invalid user name or password',
};

export const TOO_MANY_REQUESTS_BODY = {
	title: 'Too Many Requests',
	type: 'https://httpstatus.es/429',
	status: 429,
	detail: 'Too many requests per second',
	retry_after: 1,
};

/**
 * amoCRM's own 429 on amocrm.ru: an HTML page, no `retry_after`, no Retry-After header
 * (https://github.com/amocrm/amocrm-api-php/pull/517: "429 отдаются в json … Response body is
 * not json"; https://github.com/amocrm/amocrm-api-php/issues/526: "почему 429 отдает html").
 * Kommo documents the JSON form with `retry_after` (developers.kommo.com/docs/http-codes).
 */
function tooManyRequests(domain: string, answer: 'recorded' | 'json'): FakeHttpResponse {
	if (answer === 'recorded' && domain === 'amocrm.ru') return html(429, '429 Too Many Requests');
	return problem(429, { ...TOO_MANY_REQUESTS_BODY });
}

/**
 * amoCRM's code 244 ("no rights", or the subscription ended) in a 400 naming no field
 * (https://github.com/amocrm/amocrm-api-php/issues/33, POST /api/v4/leads).
 */
export const NO_RIGHTS_BODY = {
	title: 'Bad Request',
	type: 'https://httpstatus.es/400',
	status: 400,
	detail:
		'Код ошибки 244. В случае повторного возникновения ошибки, обращайтесь в нашу техническую поддержку - support@amocrm.ru',
};

/**
 * A request to an account (subdomain) that does not exist: 401 with amoCRM's code 101 (amoCRM's
 * error-code table, https://www.amocrm.ru/developers/content/crm_platform/error-codes). The
 * text follows amoCRM's recorded "Код ошибки 244. …" answer above.
 */
export const NO_SUCH_ACCOUNT_BODY = {
	title: 'Unauthorized',
	type: 'https://httpstatus.es/401',
	status: 401,
	detail:
		'Код ошибки 101. В случае повторного возникновения ошибки, обращайтесь в нашу техническую поддержку - support@amocrm.ru',
};

/** amoCRM's 500 (https://github.com/amocrm/amocrm-api-php/issues/23, /issues/28). */
export const INTERNAL_ERROR_BODY = {
	title: 'Internal Server Error',
	type: 'https://httpstatus.es/500',
	status: 500,
	detail: 'An unknown error occurred.',
};

function simpleProblem(status: number, detail: string): FakeHttpResponse {
	return problem(status, {
		title: STATUS_TITLES[status] ?? 'Error',
		type: `https://httpstatus.es/${status}`,
		status,
		detail,
	});
}

/** The answer amo gives for `status` when a test forces one (failNext). */
function cannedError(status: number): FakeHttpResponse {
	switch (status) {
		case 401:
			return problem(401, { ...UNAUTHORIZED_BODY });
		case 402:
			return simpleProblem(402, 'Payment required');
		case 403:
			return html(403, '403 Forbidden');
		case 429:
			return problem(429, { ...TOO_MANY_REQUESTS_BODY });
		case 500:
			return problem(500, { ...INTERNAL_ERROR_BODY });
		case 502:
			return html(502, '502 Bad Gateway');
		case 503:
			return html(503, '503 Service Temporarily Unavailable');
		case 504:
			return html(504, '504 Gateway Time-out');
		default:
			return simpleProblem(status, STATUS_TITLES[status] ?? 'Error');
	}
}

function validationFailed(
	errors: { request_id: string; errors: FieldError[] }[],
): FakeHttpResponse {
	return problem(400, {
		'validation-errors': errors,
		title: 'Bad Request',
		type: 'https://httpstatus.es/400',
		status: 400,
		detail: 'Request validation failed',
	});
}

function oauthProblem(
	status: number,
	title: string,
	detail: string,
	hint?: string,
): FakeHttpResponse {
	return problem(status, { ...(hint ? { hint } : {}), title, type: OAUTH_PROBLEM, status, detail });
}
const OAUTH_BAD_REQUEST = 'Некорректный запрос';
const OAUTH_BAD_REQUEST_DETAIL = 'В запросе отсутствует ряд параметров или параметры невалидны';
const oauthMissing = (param: string): FakeHttpResponse =>
	oauthProblem(
		400,
		OAUTH_BAD_REQUEST,
		OAUTH_BAD_REQUEST_DETAIL,
		`Check the \`${param}\` parameter`,
	);
const oauthBadClient = (): FakeHttpResponse =>
	oauthProblem(401, 'Некорректный клиент', 'Авторизация клиента не прошла');

// ---------------------------------------------------------------------------------------------
// The fake
// ---------------------------------------------------------------------------------------------

interface Entities {
	contacts: Map<number, FakeContact>;
	companies: Map<number, FakeCompany>;
	leads: Map<number, FakeLead>;
	notes: FakeNote[];
	links: FakeLink[];
	tags: Map<string, Tag>;
	tasks: Map<number, FakeTask>;
	unsorted: Map<string, FakeUnsorted>;
	elements: Map<number, FakeElement>;
	/** Entities amo moved to its trash (a declined incoming lead's deal, contact and company). */
	trash: { leads: FakeLead[]; contacts: FakeContact[]; companies: FakeCompany[] };
	nextId: {
		contact: number;
		company: number;
		lead: number;
		note: number;
		tag: number;
		task: number;
		element: number;
	};
}

function emptyEntities(): Entities {
	return {
		contacts: new Map(),
		companies: new Map(),
		leads: new Map(),
		notes: [],
		links: [],
		tags: new Map(),
		tasks: new Map(),
		unsorted: new Map(),
		elements: new Map(),
		trash: { leads: [], contacts: [], companies: [] },
		nextId: {
			contact: 10000001,
			company: 11000001,
			lead: 20000001,
			note: 30000001,
			tag: 40001,
			task: 50000001,
			element: 525001,
		},
	};
}

interface RouteContext {
	method: string;
	url: URL;
	path: string;
	headers: Record<string, string>;
	body: unknown;
	origin: string;
}

export class FakeAmoCrm {
	readonly subdomain: string;
	/** Where amo would live: `https://{subdomain}.amocrm.ru`. Used for hrefs when a request URL carries no host. */
	readonly origin: string;
	readonly users: FakeUser[] = seedUsers();
	readonly pipelines: FakePipeline[] = seedPipelines();
	readonly contactFields: CustomFieldDef[] = seedContactFields();
	readonly leadFields: CustomFieldDef[] = seedLeadFields();
	readonly companyFields: CustomFieldDef[] = seedCompanyFields();
	readonly catalogs: FakeCatalog[] = seedCatalogs();
	/** Every request that reached the server, oldest first. */
	readonly requests: LoggedRequest[] = [];
	readonly grants: GrantCounters = { authorizationCode: 0, refreshToken: 0, rejected: 0 };
	/** Number of 429 answers so far. */
	tooManyRequestsCount = 0;
	/** Connections reset because the fake was 'down'. */
	resetConnections = 0;
	/** True once `blockAfter429s` was reached: everything gets 403 until `unblock()`. */
	blocked = false;
	/**
	 * The token's user is not an administrator: GET /users answers 403 (crm_platform/users-api:
	 * "Метод доступен только с правами администратора аккаунта", 403 "Не хватает прав для вызова данного метода"; amocrm/amocrm-api-php#86). The body is amoCRM's
	 * problem+json shape (crm_platform/error-codes); its detail wording is unconfirmed.
	 */
	usersForbidden = false;

	private readonly options: Required<Omit<FakeAmoCrmOptions, 'refreshToken' | 'redirectUri'>> &
		Pick<FakeAmoCrmOptions, 'refreshToken' | 'redirectUri'>;
	private entities: Entities = emptyEntities();
	private webhookList: FakeWebhook[] = [];
	private nextWebhookId = 1056949;
	private mode: FakeAmoMode = 'up';
	private failQueue: { remaining: number; status: number; answer?: () => FakeHttpResponse }[] = [];
	private nonAdminTokens = new Set<string>();
	/** Entities whose next PATCH amoCRM refuses keyed by their ID (see refuseChangesOf). */
	private keyedRefusals = new Map<number, string>();
	private dropQueue: { method: string; path: string | RegExp }[] = [];
	private endpointLatency: { key: string; method: string; path: string | RegExp; ms: number }[] =
		[];
	/** Existing deals the next /leads/complex items are merged into (amoCRM's duplicate control). */
	private mergeQueue: number[] = [];
	private accessTokens = new Set<string>();
	private refreshTokens = new Set<string>();
	private usedRefreshTokens = new Set<string>();
	private codes = new Map<string, { used: boolean; expiresAt: number; redirectUri?: string }>();
	/** performance.now() of admitted requests in the last second (rate limit). */
	private admittedWindow: number[] = [];
	/** performance.now() of all requests in the last second (statistics). */
	private seenWindow: number[] = [];
	private maxSeenPerSecond = 0;

	constructor(options: FakeAmoCrmOptions = {}) {
		this.options = {
			subdomain: options.subdomain ?? 'e2e',
			accessTokens: options.accessTokens ?? ['test-token'],
			clientId: options.clientId ?? 'test-client-id',
			clientSecret: options.clientSecret ?? 'test-client-secret',
			refreshToken: options.refreshToken,
			redirectUri: options.redirectUri,
			requireRedirectUriOnRefresh: options.requireRedirectUriOnRefresh ?? false,
			latencyMs: options.latencyMs ?? 0,
			rateLimitPerSecond: options.rateLimitPerSecond ?? 7,
			blockAfter429s: options.blockAfter429s ?? 0,
			domain: options.domain ?? 'amocrm.ru',
			rateLimitAnswer: options.rateLimitAnswer ?? 'recorded',
			nonAdminTokens: options.nonAdminTokens ?? [],
		};
		this.subdomain = this.options.subdomain;
		this.origin = `https://${this.subdomain}.${this.options.domain}`;
		this.reset();
	}

	// ----- test controls ------------------------------------------------------------------

	/** Back to the initial state: no entities, initial tokens, mode 'up', empty log and counters. */
	reset(): void {
		this.entities = emptyEntities();
		this.mode = 'up';
		this.failQueue = [];
		this.dropQueue = [];
		this.endpointLatency = [];
		this.mergeQueue = [];
		this.accessTokens = new Set(this.options.accessTokens);
		this.nonAdminTokens = new Set(this.options.nonAdminTokens);
		this.keyedRefusals.clear();
		this.refreshTokens = new Set(this.options.refreshToken ? [this.options.refreshToken] : []);
		this.usedRefreshTokens.clear();
		this.codes.clear();
		this.grants.authorizationCode = 0;
		this.grants.refreshToken = 0;
		this.grants.rejected = 0;
		this.tooManyRequestsCount = 0;
		this.resetConnections = 0;
		this.blocked = false;
		this.webhookList = [];
		this.clearRequests();
	}

	/** Empties the request log and the per-second statistics (entities stay). */
	clearRequests(): void {
		this.requests.length = 0;
		this.admittedWindow = [];
		this.seenWindow = [];
		this.maxSeenPerSecond = 0;
	}

	setMode(mode: FakeAmoMode): void {
		this.mode = mode;
	}

	/** From now on every answer comes this many milliseconds late (a slow amoCRM). */
	setLatency(ms: number): void {
		this.options.latencyMs = ms;
	}

	/**
	 * From now on answers to requests matching method and path (exact pathname, or a RegExp)
	 * come this many milliseconds late, instead of after the general latency; 0 removes it.
	 */
	setLatencyFor(method: string, path: string | RegExp, ms: number): void {
		const key = `${method.toUpperCase()} ${String(path)}`;
		this.endpointLatency = this.endpointLatency.filter((slow) => slow.key !== key);
		if (ms > 0) this.endpointLatency.push({ key, method: method.toUpperCase(), path, ms });
	}

	/** The next `n` requests (any path) are answered with `status` and amo's body for it. */
	failNext(n: number, status: number): void {
		this.failQueue.push({ remaining: n, status });
	}

	/**
	 * A PATCH that changes entity `id` (deal, contact, company or task) is refused with `errors`
	 * keyed by that ID and `reason`, as amoCRM refuses a loss reason on a deal that is not lost
	 * (https://github.com/amocrm/amocrm-api-php/issues/88); nothing of the request is changed.
	 */
	refuseChangesOf(id: number, reason = 'Loss reason can be specified only for lost lead'): void {
		this.keyedRefusals.set(id, reason);
	}

	/** The next `n` requests get amoCRM's code-244 refusal (no rights, or the subscription ended). */
	refuseNextForRights(n = 1): void {
		this.failQueue.push({
			remaining: n,
			status: 400,
			answer: () => problem(400, { ...NO_RIGHTS_BODY }),
		});
	}

	/**
	 * The next request matching method and path (exact pathname, or a RegExp) is executed
	 * (entities are written) but the connection is destroyed instead of answering.
	 */
	dropResponseOfNext(method: string, path: string | RegExp): void {
		this.dropQueue.push({ method: method.toUpperCase(), path });
	}

	/**
	 * amoCRM's duplicate control (an integration setting) merges the next /leads/complex item
	 * into the existing deal `leadId`: nothing is created, the answer carries that deal's id,
	 * its main contact and `merged: true`.
	 */
	mergeNextComplexInto(leadId: number): void {
		this.mergeQueue.push(leadId);
	}

	/** Lifts the 403 block set by `blockAfter429s` (amo support would). */
	unblock(): void {
		this.blocked = false;
		this.tooManyRequestsCount = 0;
	}

	/** A fresh access + refresh token pair, valid now (as if a grant had just happened). */
	issueTokens(): IssuedTokens {
		const access = this.makeAccessToken();
		const refresh = `def502${randomBytes(24).toString('hex')}`;
		this.accessTokens.add(access);
		this.refreshTokens.add(refresh);
		return {
			token_type: 'Bearer',
			expires_in: 86400,
			server_time: nowSec(),
			access_token: access,
			refresh_token: refresh,
		};
	}

	/** An authorization code (20 min, single use), as amo appends to the redirect URI. */
	issueAuthorizationCode(redirectUri?: string): string {
		const code = `def502${randomBytes(32).toString('hex')}`;
		this.codes.set(code, { used: false, expiresAt: Date.now() + 20 * 60_000, redirectUri });
		return code;
	}

	/** Every access token issued so far (and the initial ones) stops working: API answers 401. */
	expireAccessTokens(): void {
		this.accessTokens.clear();
	}

	/** Revokes everything (admin switched the integration off): access and refresh tokens. */
	revokeAllTokens(): void {
		this.accessTokens.clear();
		for (const t of this.refreshTokens) this.usedRefreshTokens.add(t);
		this.refreshTokens.clear();
	}

	isValidAccessToken(token: string): boolean {
		return this.accessTokens.has(token);
	}

	/** The most requests seen in any 1-second window since the last reset. */
	maxRequestsPerSecond(): number {
		return this.maxSeenPerSecond;
	}

	// ----- entity read helpers ------------------------------------------------------------

	get contacts(): FakeContact[] {
		return [...this.entities.contacts.values()];
	}
	get companies(): FakeCompany[] {
		return [...this.entities.companies.values()];
	}
	company(id: number): FakeCompany | undefined {
		return this.entities.companies.get(id);
	}
	get leads(): FakeLead[] {
		return [...this.entities.leads.values()];
	}
	get notes(): FakeNote[] {
		return [...this.entities.notes];
	}
	get links(): FakeLink[] {
		return [...this.entities.links];
	}
	/** Incoming leads (all states, oldest first). */
	get unsorted(): FakeUnsorted[] {
		return [...this.entities.unsorted.values()];
	}
	/** What a declined incoming lead moved to amo's trash (gone from lists and GET by id). */
	get trash(): { leads: FakeLead[]; contacts: FakeContact[]; companies: FakeCompany[] } {
		const t = this.entities.trash;
		return { leads: [...t.leads], contacts: [...t.contacts], companies: [...t.companies] };
	}
	get tasks(): FakeTask[] {
		return [...this.entities.tasks.values()];
	}
	task(id: number): FakeTask | undefined {
		return this.entities.tasks.get(id);
	}
	contact(id: number): FakeContact | undefined {
		return this.entities.contacts.get(id);
	}
	lead(id: number): FakeLead | undefined {
		return this.entities.leads.get(id);
	}
	/** The contacts linked to a lead, main first. */
	leadContacts(leadId: number): { id: number; is_main: boolean }[] {
		return this.entities.links
			.filter(
				(l) =>
					l.entity_type === 'leads' && l.entity_id === leadId && l.to_entity_type === 'contacts',
			)
			.map((l) => ({ id: l.to_entity_id, is_main: l.metadata?.main_contact === true }))
			.sort((a, b) => Number(b.is_main) - Number(a.is_main));
	}
	/** The elements (products) of the account's lists. */
	get elements(): FakeElement[] {
		return [...this.entities.elements.values()];
	}
	/** A product in the products list (4521), as if added in amoCRM. */
	seedProduct(name: string, price?: number, sku?: string): FakeElement {
		const values = [
			...(sku === undefined
				? []
				: [
						{
							field_id: 271207,
							field_name: 'Артикул',
							field_code: 'SKU',
							field_type: 'text',
							values: [{ value: sku }],
						},
					]),
			...(price === undefined
				? []
				: [
						{
							field_id: 271211,
							field_name: 'Цена',
							field_code: 'PRICE',
							field_type: 'numeric',
							values: [{ value: String(price) }],
						},
					]),
		];
		const element: FakeElement = {
			id: this.entities.nextId.element++,
			catalog_id: 4521,
			name,
			created_at: nowSec(),
			updated_at: nowSec(),
			custom_fields_values: values.length > 0 ? values : null,
		};
		this.entities.elements.set(element.id, element);
		return element;
	}
	/** Values of a contact's multitext field ('PHONE' | 'EMAIL'). */
	contactValues(id: number, fieldCode: 'PHONE' | 'EMAIL'): string[] {
		const c = this.entities.contacts.get(id);
		const f = c?.custom_fields_values?.find((v) => v.field_code === fieldCode);
		return f ? f.values.map((v) => str(v.value)) : [];
	}
	/** amo's `?query=` search, as the API runs it. */
	searchContacts(query: string): FakeContact[] {
		return this.contacts.filter(
			(c) => this.contactMatches(c, query) && !this.isPending('contacts', c.id),
		);
	}

	/** Creates a contact exactly as `POST /api/v4/contacts` would (one model). Throws on validation errors. */
	seedContact(model: Json): FakeContact {
		const errors: FieldError[] = [];
		const contact = this.buildContact(model, '', errors);
		if (errors.length) throw new Error(`invalid contact: ${JSON.stringify(errors)}`);
		return this.storeContact(contact, model);
	}

	/** Creates a lead exactly as `POST /api/v4/leads` would (one model). Throws on validation errors. */
	seedLead(model: Json): FakeLead {
		const errors: FieldError[] = [];
		const built = this.buildLead(model, '', errors);
		if (errors.length) throw new Error(`invalid lead: ${JSON.stringify(errors)}`);
		return this.storeLead(built.lead, built.contacts, built.companies, model);
	}

	/** Creates a company exactly as `POST /api/v4/companies` would (one model). Throws on validation errors. */
	seedCompany(model: Json): FakeCompany {
		const errors: FieldError[] = [];
		const company = this.buildCompany(model, '', errors);
		if (errors.length) throw new Error(`invalid company: ${JSON.stringify(errors)}`);
		return this.storeCompany(company, model);
	}

	/** Creates a task exactly as `POST /api/v4/tasks` would (one model). Throws on validation errors. */
	seedTask(model: Json): FakeTask {
		const errors: FieldError[] = [];
		const fields = this.taskFields(model, undefined, errors);
		if (errors.length) throw new Error(`invalid task: ${JSON.stringify(errors)}`);
		return this.storeTask(fields, model);
	}

	/**
	 * `n` deals named "Deal 1".."Deal n" (plus `model`), created one second apart ending now, so
	 * that paging and created/updated filters have something to work on.
	 */
	seedLeads(n: number, model: Json = {}): FakeLead[] {
		const start = nowSec() - n;
		return Array.from({ length: n }, (_, i) =>
			this.seedLead({
				name: `Deal ${i + 1}`,
				created_at: start + i + 1,
				updated_at: start + i + 1,
				...model,
			}),
		);
	}

	/** The tags amo holds for an entity type, as `/{type}/tags` lists them. */
	tags(type: LinkableType): Tag[] {
		return this.tagsOfType(type);
	}

	// ----- transports ---------------------------------------------------------------------

	listen(options: ListenOptions = {}): Promise<RunningFake> {
		return serveFake(
			(req) => this.handle(req),
			options,
			() => this.mode === 'down',
			() => this.resetConnections++,
		);
	}

	interceptWithNock(origin = 'https://e2e.amocrm.ru'): NockInterception {
		return interceptOriginWithNock(origin, (req) => this.handle(req));
	}

	// ----- the server ---------------------------------------------------------------------

	async handle(req: FakeHttpRequest): Promise<FakeHttpResponse> {
		const arrived = performance.now();
		if (this.mode === 'down') {
			this.resetConnections++;
			return { status: 0, headers: {}, body: '', dropConnection: true };
		}
		const url = new URL(req.url, this.origin);
		const method = req.method.toUpperCase();
		const headers = normalizeHeaders(req.headers);
		const raw = typeof req.body === 'string' ? req.body : (req.body?.toString('utf8') ?? '');
		let body: unknown;
		let badJson = false;
		try {
			body = parseBody(headers['content-type'], raw);
		} catch {
			body = raw;
			badJson = true;
		}
		const entry: LoggedRequest = {
			method,
			path: url.pathname,
			query: Object.fromEntries(url.searchParams),
			headers: redact(headers),
			body,
			status: 0,
			at: Date.now(),
		};
		this.requests.push(entry);
		this.countSeen(arrived);

		let res: FakeHttpResponse;
		try {
			res = this.respond(
				{
					method,
					url,
					path: url.pathname.replace(/\/+$/, '') || '/',
					headers,
					body,
					origin: url.origin,
				},
				arrived,
				badJson,
			);
		} catch (err) {
			res = problem(500, {
				title: 'ErrInternalServer',
				type: 'https://httpstatus.es/500',
				status: 500,
				detail: `fake: ${String(err)}`,
			});
		}
		if (res.status === 429) this.count429();
		entry.status = res.status;

		const drop = this.dropQueue.findIndex(
			(d) =>
				d.method === method &&
				(typeof d.path === 'string' ? d.path === url.pathname : d.path.test(url.pathname)),
		);
		if (drop >= 0) {
			this.dropQueue.splice(drop, 1);
			entry.dropped = true;
			res = { ...res, dropConnection: true };
		}
		const slow = this.endpointLatency.find(
			(s) =>
				s.method === method &&
				(typeof s.path === 'string' ? s.path === url.pathname : s.path.test(url.pathname)),
		);
		const latency = slow ? slow.ms : this.options.latencyMs;
		if (latency > 0) await sleep(latency);
		return res;
	}

	/** 429 as the real service sends it on this account's domain (see tooManyRequests). */
	private tooMany(ctx: RouteContext): FakeHttpResponse {
		const domain = ctx.url.hostname.endsWith('.kommo.com') ? 'kommo.com' : this.options.domain;
		return tooManyRequests(domain, this.options.rateLimitAnswer);
	}

	/** Another subdomain of amoCRM's or Kommo's domains is an account this fake is not. */
	private isOwnHost(hostname: string): boolean {
		const match = /^([^.]+)\.(amocrm\.ru|kommo\.com|amocrm\.com)$/.exec(hostname.toLowerCase());
		if (!match) return true;
		return match[1] === this.subdomain && match[2] === this.options.domain;
	}

	private countSeen(t: number): void {
		this.seenWindow.push(t);
		while (this.seenWindow.length && this.seenWindow[0] <= t - 1000) this.seenWindow.shift();
		this.maxSeenPerSecond = Math.max(this.maxSeenPerSecond, this.seenWindow.length);
	}

	private count429(): void {
		this.tooManyRequestsCount++;
		if (this.options.blockAfter429s > 0 && this.tooManyRequestsCount >= this.options.blockAfter429s)
			this.blocked = true;
	}

	/** Sliding 1-second window over admitted requests (429s are not admitted). Unconfirmed which amo counts. */
	private admit(t: number): boolean {
		const limit = this.options.rateLimitPerSecond;
		if (limit <= 0) return true;
		while (this.admittedWindow.length && this.admittedWindow[0] <= t - 1000)
			this.admittedWindow.shift();
		if (this.admittedWindow.length >= limit) return false;
		this.admittedWindow.push(t);
		return true;
	}

	private respond(ctx: RouteContext, arrived: number, badJson: boolean): FakeHttpResponse {
		if (this.blocked) return html(403, '403 Forbidden');
		if (this.mode === 'error500') return cannedError(500);
		if (this.mode === 'rateLimited') return this.tooMany(ctx);
		if (this.mode === 'html403') return html(403, '403 Forbidden');
		const fail = this.failQueue[0];
		if (fail) {
			if (--fail.remaining <= 0) this.failQueue.shift();
			if (fail.answer) return fail.answer();
			return fail.status === 429 ? this.tooMany(ctx) : cannedError(fail.status);
		}
		if (!this.admit(arrived)) return this.tooMany(ctx);

		if (ctx.path === '/oauth2/access_token') {
			return ctx.method === 'POST'
				? this.tokenEndpoint(ctx, badJson)
				: simpleProblem(405, 'Method Not Allowed');
		}
		if (ctx.path === '/oauth' && ctx.method === 'GET') return this.authorize(ctx);
		if (!ctx.path.startsWith('/api/v4/'))
			return simpleProblem(404, `Cannot ${ctx.method} ${ctx.path}`);

		if (!this.isOwnHost(ctx.url.hostname)) return problem(401, { ...NO_SUCH_ACCOUNT_BODY });
		const auth = /^Bearer\s+(.+)$/i.exec(ctx.headers.authorization ?? '');
		const token = auth?.[1].trim() ?? '';
		if (!this.accessTokens.has(token) && !this.nonAdminTokens.has(token))
			return problem(401, { ...UNAUTHORIZED_BODY });
		// amoCRM lists users for administrators only (crm_platform/users-api; amocrm-api-php#86).
		if (this.nonAdminTokens.has(token) && ctx.path.startsWith('/api/v4/users'))
			return simpleProblem(403, 'Access denied'); // wording unconfirmed
		if (badJson) return simpleProblem(400, 'Invalid JSON in request body'); // unconfirmed wording
		return this.route(ctx);
	}

	// ----- OAuth --------------------------------------------------------------------------

	private makeAccessToken(): string {
		const now = nowSec();
		const header = b64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', jti: randomUUID() }));
		const payload = b64url(
			JSON.stringify({
				aud: this.options.clientId,
				jti: randomUUID(),
				iat: now,
				nbf: now,
				exp: now + 86400,
				sub: '501',
				grant_type: '',
				account_id: ACCOUNT_ID,
				base_domain: 'amocrm.ru',
				version: 2,
				scopes: ['crm', 'files', 'files_delete', 'notifications', 'push_notifications'],
				api_domain: 'api-b.amocrm.ru',
			}),
		);
		return `${header}.${payload}.${b64url(randomBytes(32))}`;
	}

	/**
	 * POST /oauth2/access_token. Tokens are answered as `application/json`: no recording of the real
	 * header is public, but n8n 1.x's OAuth2 client, through which the most installed amoCRM node
	 * connects and renews, accepts nothing else for a JSON body (the API facts, "Token response").
	 */
	private tokenEndpoint(ctx: RouteContext, badJson: boolean): FakeHttpResponse {
		const res = this.grant(ctx, badJson);
		if (res.status !== 200) this.grants.rejected++;
		return res;
	}

	private grant(ctx: RouteContext, badJson: boolean): FakeHttpResponse {
		const body: Json = !badJson && isObject(ctx.body) ? ctx.body : {};
		let clientId = str(body.client_id);
		let clientSecret = str(body.client_secret);
		const basic = /^Basic\s+(.+)$/i.exec(ctx.headers.authorization ?? '');
		if (basic && !clientId) {
			const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
			const sep = decoded.indexOf(':');
			clientId = decodeURIComponent(decoded.slice(0, sep < 0 ? undefined : sep));
			clientSecret = sep < 0 ? '' : decodeURIComponent(decoded.slice(sep + 1));
		}
		const grantType = str(body.grant_type);
		if (!grantType) return oauthMissing('grant_type');
		if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
			return oauthProblem(
				400,
				'Неподдерживаемый тип авторизации',
				'Тип авторизации не поддерживается сервером авторизации',
			); // unconfirmed
		}
		if (!clientId) return oauthMissing('client_id');
		if (clientId !== this.options.clientId || clientSecret !== this.options.clientSecret)
			return oauthBadClient();
		const redirectUri = str(body.redirect_uri);

		if (grantType === 'authorization_code') {
			const code = str(body.code);
			if (!code) return oauthMissing('code');
			if (!redirectUri) return oauthMissing('redirect_uri');
			const issued = this.codes.get(code);
			if (!issued)
				return oauthProblem(
					400,
					OAUTH_BAD_REQUEST,
					OAUTH_BAD_REQUEST_DETAIL,
					'Cannot decrypt the authorization code',
				);
			if (issued.used)
				return oauthProblem(
					400,
					OAUTH_BAD_REQUEST,
					OAUTH_BAD_REQUEST_DETAIL,
					'Authorization code has been revoked',
				);
			if (issued.expiresAt < Date.now())
				return oauthProblem(
					400,
					OAUTH_BAD_REQUEST,
					OAUTH_BAD_REQUEST_DETAIL,
					'Authorization code has expired',
				);
			const expected = this.options.redirectUri ?? issued.redirectUri;
			if (expected && expected !== redirectUri) return oauthBadClient();
			issued.used = true;
			this.grants.authorizationCode++;
			return json(200, this.issueTokens(), 'application/json');
		}

		const refresh = str(body.refresh_token);
		if (!refresh) return oauthMissing('refresh_token');
		if (this.options.requireRedirectUriOnRefresh && !redirectUri)
			return oauthMissing('redirect_uri');
		if (redirectUri && this.options.redirectUri && redirectUri !== this.options.redirectUri)
			return oauthBadClient();
		if (this.usedRefreshTokens.has(refresh))
			return oauthProblem(
				401,
				OAUTH_BAD_REQUEST,
				OAUTH_BAD_REQUEST_DETAIL,
				'Token has been revoked',
			);
		if (!this.refreshTokens.has(refresh))
			return oauthProblem(
				401,
				OAUTH_BAD_REQUEST,
				OAUTH_BAD_REQUEST_DETAIL,
				'Cannot decrypt the refresh token',
			);
		this.refreshTokens.delete(refresh);
		this.usedRefreshTokens.add(refresh);
		this.grants.refreshToken++;
		return json(200, this.issueTokens(), 'application/json');
	}

	/** `GET /oauth?client_id&state&mode` (amo's consent page, auto-approved): redirects with a code. */
	private authorize(ctx: RouteContext): FakeHttpResponse {
		const q = ctx.url.searchParams;
		if (q.get('client_id') !== this.options.clientId)
			return { status: 400, headers: { 'content-type': 'text/plain' }, body: 'Unknown client_id' };
		const redirect = this.options.redirectUri ?? q.get('redirect_uri');
		if (!redirect)
			return {
				status: 400,
				headers: { 'content-type': 'text/plain' },
				body: 'No redirect URI configured',
			};
		const target = new URL(redirect);
		target.searchParams.set('code', this.issueAuthorizationCode(redirect));
		const state = q.get('state');
		if (state !== null) target.searchParams.set('state', state);
		target.searchParams.set('referer', `${this.subdomain}.amocrm.ru`);
		target.searchParams.set('platform', '1');
		target.searchParams.set('client_id', this.options.clientId);
		return { status: 302, headers: { location: target.toString() }, body: '' };
	}

	// ----- API routing --------------------------------------------------------------------

	private route(ctx: RouteContext): FakeHttpResponse {
		const p = ctx.path.slice('/api/v4'.length);
		const m = ctx.method;
		let match: RegExpExecArray | null;
		const notAllowed = (): FakeHttpResponse => simpleProblem(405, 'Method Not Allowed');

		if (p === '/account') return m === 'GET' ? this.getAccount(ctx) : notAllowed();
		if (p === '/catalogs' || p.startsWith('/catalogs/')) return this.catalogRoute(ctx, p);
		if (p === '/calls') return m === 'POST' ? this.postCalls(ctx) : notAllowed();
		if (p === '/tasks') {
			if (m === 'GET') return this.listTasks(ctx);
			if (m === 'POST') return this.postTasks(ctx);
			if (m === 'PATCH') return this.patchTasks(ctx, undefined);
			return notAllowed();
		}
		if ((match = /^\/tasks\/(\d+)$/.exec(p))) {
			if (m === 'GET') return this.getTask(ctx, Number(match[1]));
			if (m === 'PATCH') return this.patchTasks(ctx, Number(match[1]));
			return notAllowed();
		}
		if (p === '/webhooks') return this.webhooksEndpoint(ctx);
		if (p === '/users') return m === 'GET' ? this.getUsers(ctx) : notAllowed();
		if (p === '/leads/pipelines') return m === 'GET' ? this.getPipelines(ctx) : notAllowed();
		if ((match = /^\/leads\/pipelines\/(\d+)$/.exec(p)))
			return m === 'GET' ? this.getPipeline(ctx, Number(match[1])) : notAllowed();
		if ((match = /^\/(contacts|leads|companies)\/custom_fields$/.exec(p)))
			return m === 'GET' ? this.getCustomFields(ctx, match[1] as LinkableType) : notAllowed();
		if (p === '/contacts') {
			if (m === 'GET') return this.listContacts(ctx);
			if (m === 'POST')
				return this.postEntities(
					ctx,
					'contacts',
					(model, prefix, errors) => this.buildContact(model, prefix, errors),
					(c, model) => this.storeContact(c, model),
				);
			if (m === 'PATCH')
				return this.patchEntities(ctx, 'contacts', undefined, this.planContactUpdate);
			return notAllowed();
		}
		if ((match = /^\/contacts\/(\d+)$/.exec(p))) {
			if (m === 'GET') return this.getContact(ctx, Number(match[1]));
			if (m === 'PATCH')
				return this.patchEntities(ctx, 'contacts', Number(match[1]), this.planContactUpdate);
			return notAllowed();
		}
		if (p === '/companies') {
			if (m === 'GET') return this.listCompanies(ctx);
			if (m === 'POST')
				return this.postEntities(
					ctx,
					'companies',
					(model, prefix, errors) => this.buildCompany(model, prefix, errors),
					(c, model) => this.storeCompany(c, model),
				);
			if (m === 'PATCH')
				return this.patchEntities(ctx, 'companies', undefined, this.planCompanyUpdate);
			return notAllowed();
		}
		if ((match = /^\/companies\/(\d+)$/.exec(p))) {
			if (m === 'GET') return this.getCompany(ctx, Number(match[1]));
			if (m === 'PATCH')
				return this.patchEntities(ctx, 'companies', Number(match[1]), this.planCompanyUpdate);
			return notAllowed();
		}
		if ((match = /^\/(contacts|companies)\/link$/.exec(p)))
			return m === 'POST' ? this.postLinks(ctx, undefined, match[1] as LinkableType) : notAllowed();
		if ((match = /^\/(contacts|companies)\/(\d+)\/link$/.exec(p)))
			return m === 'POST'
				? this.postLinks(ctx, Number(match[2]), match[1] as LinkableType)
				: notAllowed();
		if (p === '/leads') {
			if (m === 'GET') return this.listLeads(ctx);
			if (m === 'POST') return this.postLeads(ctx);
			if (m === 'PATCH')
				return this.patchEntities(ctx, 'leads', undefined, (id, model, errors) =>
					this.planLeadUpdate(id, model, errors),
				);
			return notAllowed();
		}
		if (p === '/leads/complex') return m === 'POST' ? this.postComplex(ctx) : notAllowed();
		if (p === '/leads/unsorted/forms')
			return m === 'POST' ? this.postUnsortedForms(ctx) : notAllowed();
		if (p === '/leads/unsorted/sip')
			return m === 'POST' ? this.postUnsortedForms(ctx, 'sip') : notAllowed();
		if (p === '/leads/unsorted') return m === 'GET' ? this.listUnsorted(ctx) : notAllowed();
		if ((match = /^\/leads\/unsorted\/([0-9a-zA-Z]+)$/.exec(p)))
			return m === 'GET' ? this.getUnsorted(ctx, match[1]) : notAllowed();
		if ((match = /^\/leads\/unsorted\/([0-9a-zA-Z]+)\/accept$/.exec(p)))
			return m === 'POST' ? this.acceptUnsorted(ctx, match[1]) : notAllowed();
		if ((match = /^\/leads\/unsorted\/([0-9a-zA-Z]+)\/decline$/.exec(p)))
			return m === 'DELETE' ? this.declineUnsorted(ctx, match[1]) : notAllowed();
		if ((match = /^\/leads\/(\d+)$/.exec(p))) {
			if (m === 'GET') return this.getLead(ctx, Number(match[1]));
			if (m === 'PATCH')
				return this.patchEntities(ctx, 'leads', Number(match[1]), (id, model, errors) =>
					this.planLeadUpdate(id, model, errors),
				);
			return notAllowed();
		}
		if (p === '/leads/link') return m === 'POST' ? this.postLinks(ctx, undefined) : notAllowed();
		if ((match = /^\/leads\/(\d+)\/link$/.exec(p)))
			return m === 'POST' ? this.postLinks(ctx, Number(match[1])) : notAllowed();
		if ((match = /^\/(leads|contacts|companies)\/(\d+)\/unlink$/.exec(p)))
			return m === 'POST'
				? this.postUnlink(ctx, Number(match[2]), match[1] as LinkableType)
				: notAllowed();
		if ((match = /^\/leads\/(\d+)\/links$/.exec(p)))
			return m === 'GET' ? this.getLinks(ctx, Number(match[1])) : notAllowed();
		if ((match = /^\/(leads|contacts|companies)\/notes$/.exec(p))) {
			const type = match[1] as LinkableType;
			if (m === 'POST') return this.postNotes(ctx, type, undefined);
			if (m === 'GET') return this.getNotes(ctx, type, undefined);
			if (m === 'PATCH') return this.patchNotes(ctx, type, undefined, undefined);
			return notAllowed();
		}
		if ((match = /^\/(leads|contacts|companies)\/(\d+)\/notes$/.exec(p))) {
			const type = match[1] as LinkableType;
			if (m === 'POST') return this.postNotes(ctx, type, Number(match[2]));
			if (m === 'GET') return this.getNotes(ctx, type, Number(match[2]));
			if (m === 'PATCH') return this.patchNotes(ctx, type, Number(match[2]), undefined);
			return notAllowed();
		}
		if ((match = /^\/(leads|contacts|companies)\/(?:(\d+)\/)?notes\/(\d+)$/.exec(p))) {
			const type = match[1] as LinkableType;
			const entityId = match[2] === undefined ? undefined : Number(match[2]);
			if (m === 'GET') return this.getNote(ctx, type, entityId, Number(match[3]));
			if (m === 'PATCH' && entityId !== undefined)
				return this.patchNotes(ctx, type, entityId, Number(match[3]));
			return notAllowed();
		}
		if ((match = /^\/(leads|contacts|companies)\/tags$/.exec(p)))
			return m === 'GET' ? this.getTags(ctx, match[1] as LinkableType) : notAllowed();
		return simpleProblem(404, `Cannot ${m} ${ctx.path}`);
	}

	private href(ctx: RouteContext, path: string): { href: string } {
		return { href: `${ctx.origin}/api/v4${path}` };
	}

	/**
	 * amo's list envelope. page/limit (default 50, max 250: more -> 422); empty page -> 204.
	 * `counts` adds `_total_items` (items on this page, as amo's examples show) and `_page_count`.
	 */
	private paginate<T>(
		ctx: RouteContext,
		path: string,
		key: string,
		items: T[],
		render: (item: T) => unknown,
		counts: boolean,
	): FakeHttpResponse {
		const q = ctx.url.searchParams;
		const page = Math.max(1, toInt(q.get('page')) ?? 1);
		const limit = toInt(q.get('limit')) ?? 50;
		if (limit > 250) return simpleProblem(422, 'Limit 250 per page'); // K-http wording; unconfirmed for GET
		const size = limit < 1 ? 50 : limit;
		const slice = items.slice((page - 1) * size, page * size);
		if (slice.length === 0) return noContent();
		const pageCount = Math.ceil(items.length / size);
		const link = (n: number): { href: string } => {
			const params = new URLSearchParams(q);
			params.set('page', String(n));
			params.set('limit', String(size));
			return this.href(ctx, `${path}?${params.toString()}`);
		};
		const links: Json = { self: link(page) };
		// amoCRM gives a next link on every full page, even the last; that page then answers 204
		// (https://github.com/amocrm/amocrm-api-php/issues/193, /issues/209).
		if (page < pageCount || slice.length === size) links.next = link(page + 1);
		if (page > 1) {
			links.first = link(1);
			links.prev = link(page - 1);
		}
		return hal({
			...(counts ? { _total_items: slice.length } : {}),
			_page: page,
			...(counts ? { _page_count: pageCount } : {}),
			_links: links,
			_embedded: { [key]: slice.map(render) },
		});
	}

	private withParams(ctx: RouteContext): Set<string> {
		return new Set(
			(ctx.url.searchParams.get('with') ?? '')
				.split(',')
				.map((s) => s.trim())
				.filter(Boolean),
		);
	}

	// ----- account, users, pipelines, fields --------------------------------------------------

	private getAccount(ctx: RouteContext): FakeHttpResponse {
		return hal({
			id: ACCOUNT_ID,
			name: 'E2E Test Account',
			subdomain: this.subdomain,
			created_at: 1700000000,
			created_by: 0,
			updated_at: 1700000000,
			updated_by: 0,
			current_user_id: 501,
			country: 'RU',
			currency: 'RUB',
			customers_mode: 'disabled',
			is_unsorted_on: true,
			is_loss_reason_enabled: true,
			is_helpbot_enabled: false,
			is_technical_account: true,
			contact_name_display_order: 1,
			amojo_id: 'f3c6340d-410e-4ad1-9f7e-c5e663599909',
			uuid: '824f3a59-6154-4edf-ba90-0b5593715d07',
			version: 16,
			_links: { self: this.href(ctx, '/account') },
			...(this.withParams(ctx).has('task_types')
				? { _embedded: { task_types: TASK_TYPES.map((t) => ({ ...t })) } }
				: {}),
		});
	}

	private getUsers(ctx: RouteContext): FakeHttpResponse {
		if (this.usersForbidden) return simpleProblem(403, 'Access denied');
		const rights = (admin: boolean): Json => {
			const full = { view: 'A', edit: 'A', add: 'A', delete: 'A', export: 'A' };
			return {
				leads: full,
				contacts: full,
				companies: full,
				tasks: { edit: 'A', delete: 'A' },
				mail_access: false,
				catalog_access: false,
				status_rights: [],
				is_admin: admin,
				is_free: false,
				is_active: true,
				group_id: null,
				role_id: null,
			};
		};
		return this.paginate(
			ctx,
			'/users',
			'users',
			this.users,
			(u) => ({
				id: u.id,
				name: u.name,
				email: u.email,
				lang: 'ru',
				rights: rights(u.is_admin),
				_links: { self: this.href(ctx, `/users/${u.id}/`) },
			}),
			true,
		);
	}

	private renderPipeline(ctx: RouteContext, p: FakePipeline): Json {
		return {
			id: p.id,
			name: p.name,
			sort: p.sort,
			is_main: p.is_main,
			is_unsorted_on: p.is_unsorted_on,
			is_archive: p.is_archive,
			account_id: ACCOUNT_ID,
			_links: { self: this.href(ctx, `/leads/pipelines/${p.id}`) },
			_embedded: {
				statuses: p.statuses.map((s) => ({
					id: s.id,
					name: s.name,
					sort: s.sort,
					is_editable: s.is_editable,
					pipeline_id: p.id,
					color: s.color,
					type: s.type,
					account_id: ACCOUNT_ID,
					_links: { self: this.href(ctx, `/leads/pipelines/${p.id}/statuses/${s.id}`) },
				})),
			},
		};
	}

	private getPipelines(ctx: RouteContext): FakeHttpResponse {
		return hal({
			_total_items: this.pipelines.length,
			_links: { self: this.href(ctx, '/leads/pipelines') },
			_embedded: { pipelines: this.pipelines.map((p) => this.renderPipeline(ctx, p)) },
		});
	}

	private getPipeline(ctx: RouteContext, id: number): FakeHttpResponse {
		const p = this.pipelines.find((x) => x.id === id);
		// Observed: {"title":"Not Found",...,"detail":"Pipeline not found"} (amocrm-api-php#92).
		return p ? hal(this.renderPipeline(ctx, p)) : simpleProblem(404, 'Pipeline not found');
	}

	private getCustomFields(ctx: RouteContext, entity: LinkableType): FakeHttpResponse {
		const defs =
			entity === 'contacts'
				? this.contactFields
				: entity === 'leads'
					? this.leadFields
					: this.companyFields;
		return this.paginate(
			ctx,
			`/${entity}/custom_fields`,
			'custom_fields',
			defs,
			(f) => ({
				id: f.id,
				name: f.name,
				type: f.type,
				account_id: ACCOUNT_ID,
				code: f.code,
				sort: f.sort,
				is_api_only: f.is_api_only,
				enums: f.enums,
				group_id: null,
				required_statuses: [],
				is_deletable: f.is_deletable,
				is_predefined: f.is_predefined,
				entity_type: entity,
				remind: null,
				_links: { self: this.href(ctx, `/${entity}/custom_fields/${f.id}`) },
			}),
			true,
		);
	}

	// ----- custom field values ----------------------------------------------------------------

	/** Validates and normalises `custom_fields_values` (by field_id or field_code; enum_id / enum_code / value). */
	private customFields(
		defs: CustomFieldDef[],
		input: unknown,
		prefix: string,
		errors: FieldError[],
		clearable = false,
	): CustomFieldOut[] | null {
		if (input === undefined || input === null) return null;
		const path = `${prefix}custom_fields_values`;
		if (!Array.isArray(input)) {
			errors.push({ code: 'InvalidType', path, detail: 'This value should be of type array.' });
			return null;
		}
		const out: CustomFieldOut[] = [];
		input.forEach((entry: unknown, i) => {
			const at = `${path}.${i}`;
			if (!isObject(entry)) {
				errors.push({
					code: 'InvalidType',
					path: at,
					detail: 'This value should be of type object.',
				});
				return;
			}
			const byId = entry.field_id !== undefined && entry.field_id !== null;
			const byCode = !byId && entry.field_code !== undefined && entry.field_code !== null;
			const def = byId
				? defs.find((d) => d.id === toInt(entry.field_id))
				: byCode
					? defs.find((d) => d.code !== null && d.code === str(entry.field_code).toUpperCase())
					: undefined;
			if (!def)
				return void errors.push({
					code: 'NotSupportedChoice',
					path: `${at}.${byCode ? 'field_code' : 'field_id'}`,
					detail: DETAIL.NotSupportedChoice,
				});
			if (clearable && entry.values === null) {
				out.push({
					field_id: def.id,
					field_name: def.name,
					field_code: def.code,
					field_type: def.type,
					values: [],
				});
				return;
			}
			if (!Array.isArray(entry.values) || entry.values.length === 0) {
				return void errors.push({
					code: 'NotBlank',
					path: `${at}.values`,
					detail: DETAIL.NotBlank,
				});
			}
			const values: CustomFieldValueOut[] = [];
			entry.values.forEach((v: unknown, j) => {
				const vat = `${at}.values.${j}`;
				if (!isObject(v))
					return void errors.push({
						code: 'InvalidType',
						path: vat,
						detail: 'This value should be of type object.',
					});
				const value = this.fieldValue(def, v, vat, errors);
				if (value) values.push(value);
			});
			const existing = out.find((o) => o.field_id === def.id);
			if (existing) existing.values.push(...values);
			else
				out.push({
					field_id: def.id,
					field_name: def.name,
					field_code: def.code,
					field_type: def.type,
					values,
				});
		});
		return out.length ? out : null;
	}

	private fieldValue(
		def: CustomFieldDef,
		v: Json,
		at: string,
		errors: FieldError[],
	): CustomFieldValueOut | undefined {
		const enums = def.enums ?? [];
		const byEnum = (): CustomFieldEnum | undefined | null => {
			if (v.enum_id !== undefined && v.enum_id !== null) {
				const e = enums.find((x) => x.id === toInt(v.enum_id));
				if (!e)
					errors.push({
						code: 'NotSupportedChoice',
						path: `${at}.enum_id`,
						detail: DETAIL.NotSupportedChoice,
					});
				return e ?? null;
			}
			if (v.enum_code !== undefined && v.enum_code !== null) {
				const e = enums.find((x) => x.value === str(v.enum_code).toUpperCase());
				if (!e)
					errors.push({
						code: 'NotSupportedChoice',
						path: `${at}.enum_code`,
						detail: DETAIL.NotSupportedChoice,
					});
				return e ?? null;
			}
			return undefined;
		};
		switch (def.type) {
			case 'multitext': {
				const e = byEnum();
				if (e === null) return undefined;
				const value = str(v.value);
				if (!value)
					return void errors.push({
						code: 'NotBlank',
						path: `${at}.value`,
						detail: DETAIL.NotBlank,
					});
				const chosen = e ?? enums[0]; // no enum given: amo files it under the first one (WORK); unconfirmed
				return { value, enum_id: chosen.id, enum_code: chosen.value };
			}
			case 'select':
			case 'radiobutton':
			case 'multiselect': {
				let e = byEnum();
				if (e === null) return undefined;
				if (e === undefined) {
					e = enums.find((x) => x.value === str(v.value));
					// amocrm-api-php#115: unknown list value -> NotSupportedChoice at values.N.value
					if (!e)
						return void errors.push({
							code: 'NotSupportedChoice',
							path: `${at}.value`,
							detail: DETAIL.NotSupportedChoice,
						});
				}
				return { value: e.value, enum_id: e.id, enum_code: null };
			}
			case 'checkbox':
				if (typeof v.value !== 'boolean')
					return void errors.push({
						code: 'InvalidType',
						path: `${at}.value`,
						detail: 'This value should be of type bool.',
					});
				return { value: v.value };
			case 'date':
			case 'date_time':
			case 'birthday': {
				const n = toInt(v.value);
				const ts =
					n ?? (typeof v.value === 'string' ? Math.floor(Date.parse(v.value) / 1000) : NaN);
				if (!Number.isFinite(ts))
					return void errors.push({
						code: 'InvalidType',
						path: `${at}.value`,
						detail: 'This value should be of type int.',
					});
				return { value: ts };
			}
			case 'numeric': {
				const n = typeof v.value === 'number' ? v.value : Number(str(v.value));
				if (str(v.value) === '' || !Number.isFinite(n))
					return void errors.push({
						code: 'InvalidType',
						path: `${at}.value`,
						detail: 'This value should be of type numeric.',
					});
				return { value: str(v.value) };
			}
			default: {
				if (typeof v.value !== 'string' && typeof v.value !== 'number') {
					return void errors.push({
						code: 'InvalidType',
						path: `${at}.value`,
						detail: 'This value should be of type string.',
					});
				}
				return { value: str(v.value) };
			}
		}
	}

	/** A tag of this entity type by `{id}` or `{name}`; a new name creates the tag when `create`. */
	private resolveTag(type: LinkableType, t: unknown, create: boolean): Tag | undefined {
		if (!isObject(t)) return undefined;
		const tags = this.entities.tags;
		if (t.name !== undefined && t.name !== null) {
			const name = str(t.name);
			const key = `${type}:${name.toLowerCase()}`;
			let tag = tags.get(key);
			if (!tag && create) {
				tag = { id: this.entities.nextId.tag++, name, color: null };
				tags.set(key, tag);
			}
			return tag;
		}
		const id = toInt(t.id);
		return [...tags.entries()].find(([key, x]) => key.startsWith(`${type}:`) && x.id === id)?.[1];
	}

	/** Tags amo keeps per entity type (`/leads/tags`, `/contacts/tags`, `/companies/tags`). */
	private tagsOfType(type: LinkableType): Tag[] {
		return [...this.entities.tags.entries()]
			.filter(([key]) => key.startsWith(`${type}:`))
			.map(([, tag]) => tag)
			.sort((a, b) => a.id - b.id);
	}

	private tagsOf(model: Json, type: LinkableType): Tag[] {
		const raw: unknown[] = [];
		if (Array.isArray(model.tags_to_add)) raw.push(...(model.tags_to_add as unknown[]));
		const emb = isObject(model._embedded) ? model._embedded : {};
		if (Array.isArray(emb.tags)) raw.push(...(emb.tags as unknown[]));
		return this.updatedTags(type, [], { tags_to_add: raw });
	}

	/**
	 * Tags after an update: `_embedded.tags` replaces them (null or [] clears), `tags_to_add` adds,
	 * `tags_to_delete` removes by id or name; tags not named stay.
	 */
	private updatedTags(type: LinkableType, current: Tag[], model: Json): Tag[] {
		let out = [...current];
		const emb = isObject(model._embedded) ? model._embedded : {};
		const add = (list: unknown): void => {
			if (!Array.isArray(list)) return;
			for (const t of list) {
				const tag = this.resolveTag(type, t, true);
				if (tag && !out.some((x) => x.id === tag.id)) out.push(tag);
			}
		};
		if ('tags' in emb) {
			out = [];
			add(emb.tags);
		}
		add(model.tags_to_add);
		if (Array.isArray(model.tags_to_delete)) {
			for (const t of model.tags_to_delete) {
				const tag = this.resolveTag(type, t, false);
				if (tag) out = out.filter((x) => x.id !== tag.id);
			}
		}
		return out;
	}

	private responsible(model: Json, prefix: string, errors: FieldError[]): number {
		if (model.responsible_user_id === undefined || model.responsible_user_id === null) return 501;
		const id = toInt(model.responsible_user_id);
		if (id === undefined || !this.users.some((u) => u.id === id)) {
			errors.push({
				code: 'NotSupportedChoice',
				path: `${prefix}responsible_user_id`,
				detail: DETAIL.NotSupportedChoice,
			});
			return 501;
		}
		return id;
	}

	// ----- contacts ---------------------------------------------------------------------------

	private buildContact(model: Json, prefix: string, errors: FieldError[]): FakeContact {
		const first = str(model.first_name);
		const last = str(model.last_name);
		const name =
			model.name !== undefined && model.name !== null
				? str(model.name)
				: [first, last].filter(Boolean).join(' ');
		const now = nowSec();
		return {
			id: 0,
			name,
			first_name: first,
			last_name: last,
			responsible_user_id: this.responsible(model, prefix, errors),
			created_by: toInt(model.created_by) ?? 501,
			updated_by: toInt(model.updated_by) ?? 501,
			created_at: toInt(model.created_at) ?? now,
			updated_at: toInt(model.updated_at) ?? now,
			custom_fields_values: this.customFields(
				this.contactFields,
				model.custom_fields_values,
				prefix,
				errors,
			),
			tags: [],
		};
	}

	private storeContact(contact: FakeContact, model?: Json): FakeContact {
		contact.id = this.entities.nextId.contact++;
		if (model) contact.tags = this.tagsOf(model, 'contacts');
		this.entities.contacts.set(contact.id, contact);
		return contact;
	}

	// ----- companies ----------------------------------------------------------------------------

	private buildCompany(model: Json, prefix: string, errors: FieldError[]): FakeCompany {
		const now = nowSec();
		return {
			id: 0,
			name: model.name !== undefined && model.name !== null ? str(model.name) : '',
			responsible_user_id: this.responsible(model, prefix, errors),
			created_by: toInt(model.created_by) ?? 501,
			updated_by: toInt(model.updated_by) ?? 501,
			created_at: toInt(model.created_at) ?? now,
			updated_at: toInt(model.updated_at) ?? now,
			custom_fields_values: this.customFields(
				this.companyFields,
				model.custom_fields_values,
				prefix,
				errors,
			),
			tags: [],
		};
	}

	private storeCompany(company: FakeCompany, model?: Json): FakeCompany {
		company.id = this.entities.nextId.company++;
		if (model) company.tags = this.tagsOf(model, 'companies');
		this.entities.companies.set(company.id, company);
		return company;
	}

	private contactMatches(c: FakeContact, query: string): boolean {
		const needle = query.trim().toLowerCase();
		if (!needle) return true;
		const haystack = [c.name, c.first_name, c.last_name];
		for (const f of c.custom_fields_values ?? [])
			for (const v of f.values) haystack.push(str(v.value));
		if (haystack.some((s) => s.toLowerCase().includes(needle))) return true;
		// A phone-like query matches digit substrings of phone values ("+7 (912) 345" finds "79123456789").
		if (/^[\d\s+().-]+$/.test(needle)) {
			const digits = needle.replace(/\D/g, '');
			if (digits) {
				const phones = c.custom_fields_values?.find((f) => f.field_code === 'PHONE')?.values ?? [];
				return phones.some((v) => str(v.value).replace(/\D/g, '').includes(digits));
			}
		}
		return false;
	}

	private linkedIds(from: LinkableType, id: number, to: string): FakeLink[] {
		return this.entities.links.filter(
			(l) => l.entity_type === from && l.entity_id === id && l.to_entity_type === to,
		);
	}

	/** A contact or company as amo renders it (API v4 GET), `names` after `name`. */
	private renderParty(
		ctx: RouteContext,
		type: 'contacts' | 'companies',
		c: FakeContact | FakeCompany,
		embedded: Json,
		names: Json,
	): Json {
		return {
			id: c.id,
			name: c.name,
			...names,
			responsible_user_id: c.responsible_user_id,
			group_id: 0,
			created_by: c.created_by,
			updated_by: c.updated_by,
			created_at: c.created_at,
			updated_at: c.updated_at,
			closest_task_at: null,
			is_deleted: false,
			// A contact says whether it still waits in Incoming leads (crm_platform/contacts-api).
			...(type === 'contacts' ? { is_unsorted: false } : {}),
			custom_fields_values: c.custom_fields_values,
			account_id: ACCOUNT_ID,
			_links: { self: this.href(ctx, `/${type}/${c.id}`) },
			_embedded: embedded,
		};
	}

	private renderContact(ctx: RouteContext, c: FakeContact, withs: Set<string>): Json {
		const embedded: Json = {
			tags: c.tags.map((t) => ({ id: t.id, name: t.name, color: t.color })),
			companies: this.linkedIds('contacts', c.id, 'companies').map((l) => ({
				id: l.to_entity_id,
				_links: { self: this.href(ctx, `/companies/${l.to_entity_id}`) },
			})),
		};
		if (withs.has('leads')) {
			embedded.leads = this.entities.links
				.filter(
					(l) =>
						l.entity_type === 'leads' && l.to_entity_type === 'contacts' && l.to_entity_id === c.id,
				)
				.map((l) => ({
					id: l.entity_id,
					_links: { self: this.href(ctx, `/leads/${l.entity_id}`) },
				}));
		}
		return this.renderParty(ctx, 'contacts', c, embedded, {
			first_name: c.first_name,
			last_name: c.last_name,
		});
	}

	private listContacts(ctx: RouteContext): FakeHttpResponse {
		const q = ctx.url.searchParams;
		const query = q.get('query') ?? '';
		const withs = this.withParams(ctx);
		const found = this.commonFilters(q, this.contacts).filter(
			(c) => this.contactMatches(c, query) && !this.isPending('contacts', c.id),
		);
		return this.paginate(
			ctx,
			'/contacts',
			'contacts',
			sortByOrder(q, found, ['created_at', 'updated_at', 'id']),
			(c) => this.renderContact(ctx, c, withs),
			false,
		);
	}

	private getContact(ctx: RouteContext, id: number): FakeHttpResponse {
		const c = this.entities.contacts.get(id);
		return c && !this.isPending('contacts', id)
			? hal(this.renderContact(ctx, c, this.withParams(ctx)))
			: noContent();
	}

	/** Shared checks for batch POST bodies. Returns the items, or the error response. */
	private batch(ctx: RouteContext, max: number): Json[] | FakeHttpResponse {
		const body = ctx.body;
		if (
			body === undefined ||
			(Array.isArray(body) && body.length === 0) ||
			(isObject(body) && Object.keys(body).length === 0)
		) {
			return simpleProblem(400, 'Request data can not be empty');
		}
		if (!Array.isArray(body)) return simpleProblem(400, 'Request body must be an array'); // unconfirmed wording
		if (body.length > max) return simpleProblem(422, `Limit ${max} per page`); // K-http "Limit 250 per page"; 50 for complex unconfirmed
		if (!body.every(isObject))
			return simpleProblem(400, 'Request body must be an array of objects'); // unconfirmed wording
		return body;
	}

	private requestId(model: Json, i: number): string {
		return model.request_id !== undefined && model.request_id !== null
			? str(model.request_id)
			: String(i);
	}

	/** POST /contacts or /companies: an array of models, all checked first; answers `_embedded.{type}[{id, request_id}]`. */
	private postEntities<T extends { id: number }>(
		ctx: RouteContext,
		type: 'contacts' | 'companies',
		build: (model: Json, prefix: string, errors: FieldError[]) => T,
		store: (entity: T, model: Json) => T,
	): FakeHttpResponse {
		const items = this.batch(ctx, 250);
		if (!Array.isArray(items)) return items;
		const failures: { request_id: string; errors: FieldError[] }[] = [];
		const built = items.map((model, i) => {
			const errors: FieldError[] = [];
			const c = build(model, '', errors);
			if (errors.length) failures.push({ request_id: this.requestId(model, i), errors });
			return c;
		});
		if (failures.length) return validationFailed(failures);
		const created = built.map((c, i) => store(c, items[i]));
		return hal({
			_links: { self: this.href(ctx, `/${type}`) },
			_embedded: {
				[type]: created.map((c, i) => ({
					id: c.id,
					request_id: this.requestId(items[i], i),
					_links: { self: this.href(ctx, `/${type}/${c.id}`) },
				})),
			},
		});
	}

	// ----- leads ------------------------------------------------------------------------------

	private mainPipeline(): FakePipeline {
		return this.pipelines.find((p) => p.is_main) ?? this.pipelines[0];
	}

	private firstStage(p: FakePipeline): FakeStatus {
		return (
			[...p.statuses]
				.sort((a, b) => a.sort - b.sort)
				.find((s) => s.type === 0 && s.id !== 142 && s.id !== 143) ?? p.statuses[0]
		);
	}

	/** pipeline_id / status_id rules: defaults to the main pipeline's first stage; the status must be in the pipeline. */
	private placement(
		model: Json,
		prefix: string,
		errors: FieldError[],
		unsorted: boolean,
	): { pipeline: FakePipeline; status: FakeStatus } {
		const main = this.mainPipeline();
		let pipeline: FakePipeline | undefined;
		if (model.pipeline_id !== undefined && model.pipeline_id !== null) {
			pipeline = this.pipelines.find((p) => p.id === toInt(model.pipeline_id));
			if (!pipeline) {
				errors.push({
					code: 'NotSupportedChoice',
					path: `${prefix}pipeline_id`,
					detail: DETAIL.NotSupportedChoice,
				});
				return { pipeline: main, status: this.firstStage(main) };
			}
		}
		if (unsorted) {
			const p = pipeline ?? main;
			return { pipeline: p, status: p.statuses.find((s) => s.type === 1) ?? this.firstStage(p) };
		}
		if (model.status_id === undefined || model.status_id === null) {
			const p = pipeline ?? main;
			return { pipeline: p, status: this.firstStage(p) };
		}
		const statusId = toInt(model.status_id);
		const candidates = pipeline ? [pipeline] : [main, ...this.pipelines.filter((p) => p !== main)];
		for (const p of candidates) {
			const s = p.statuses.find((x) => x.id === statusId);
			// Creating straight into "Incoming" (unsorted) is what /leads/unsorted is for; unconfirmed that /leads refuses it.
			if (s && s.type === 0) return { pipeline: p, status: s };
		}
		errors.push({
			code: 'NotSupportedChoice',
			path: `${prefix}status_id`,
			detail: DETAIL.NotSupportedChoice,
		});
		const p = pipeline ?? main;
		return { pipeline: p, status: this.firstStage(p) };
	}

	private buildLead(
		model: Json,
		prefix: string,
		errors: FieldError[],
		opts: { unsorted?: boolean; embeddedContactsById?: boolean } = {},
	): { lead: FakeLead; contacts: { id: number; is_main: boolean }[]; companies: number[] } {
		const now = nowSec();
		let price = 0;
		if (model.price !== undefined && model.price !== null) {
			if (typeof model.price !== 'number' || !Number.isInteger(model.price)) {
				errors.push({
					code: 'InvalidType',
					path: `${prefix}price`,
					detail: 'This value should be of type int.',
				});
			} else price = model.price;
		}
		const { pipeline, status } = this.placement(model, prefix, errors, opts.unsorted ?? false);
		const emb = isObject(model._embedded) ? model._embedded : {};
		const contacts: { id: number; is_main: boolean }[] = [];
		if (opts.embeddedContactsById !== false && Array.isArray(emb.contacts)) {
			emb.contacts.forEach((c: unknown, i) => {
				const id = isObject(c) ? toInt(c.id) : undefined;
				if (id === undefined || !this.entities.contacts.has(id)) {
					errors.push({
						code: 'NotFound',
						path: `${prefix}_embedded.contacts.${i}.id`,
						detail: DETAIL.NotFound,
					}); // unconfirmed code
					return;
				}
				contacts.push({ id, is_main: isObject(c) && (c.is_main === true || c.is_main === 'true') });
			});
			if (contacts.length && !contacts.some((c) => c.is_main)) contacts[0].is_main = true;
		}
		const companies: number[] = [];
		if (opts.embeddedContactsById !== false && Array.isArray(emb.companies)) {
			emb.companies.forEach((c: unknown, i) => {
				const id = isObject(c) ? toInt(c.id) : undefined;
				if (id === undefined || !this.entities.companies.has(id)) {
					errors.push({
						code: 'NotFound',
						path: `${prefix}_embedded.companies.${i}.id`,
						detail: DETAIL.NotFound,
					}); // unconfirmed code
					return;
				}
				companies.push(id);
			});
		}
		const lead: FakeLead = {
			id: 0,
			name: model.name !== undefined && model.name !== null ? str(model.name) : '',
			price,
			responsible_user_id: this.responsible(model, prefix, errors),
			status_id: status.id,
			pipeline_id: pipeline.id,
			loss_reason_id: toInt(model.loss_reason_id) ?? null,
			created_by: toInt(model.created_by) ?? 501,
			updated_by: toInt(model.updated_by) ?? 501,
			created_at: toInt(model.created_at) ?? now,
			updated_at: toInt(model.updated_at) ?? now,
			closed_at: status.id === 142 || status.id === 143 ? (toInt(model.closed_at) ?? now) : null,
			custom_fields_values: this.customFields(
				this.leadFields,
				model.custom_fields_values,
				prefix,
				errors,
			),
			tags: [],
		};
		return { lead, contacts, companies };
	}

	private storeLead(
		lead: FakeLead,
		contacts: { id: number; is_main: boolean }[],
		companies: number[],
		model?: Json,
	): FakeLead {
		lead.id = this.entities.nextId.lead++;
		if (!lead.name) lead.name = `Сделка #${lead.id}`;
		if (model) lead.tags = this.tagsOf(model, 'leads');
		this.entities.leads.set(lead.id, lead);
		for (const c of contacts) this.link(lead.id, 'contacts', c.id, { main_contact: c.is_main });
		for (const id of companies) this.link(lead.id, 'companies', id, null);
		return lead;
	}

	private postLeads(ctx: RouteContext): FakeHttpResponse {
		const items = this.batch(ctx, 250);
		if (!Array.isArray(items)) return items;
		const failures: { request_id: string; errors: FieldError[] }[] = [];
		const built = items.map((model, i) => {
			const errors: FieldError[] = [];
			const b = this.buildLead(model, '', errors);
			if (errors.length) failures.push({ request_id: this.requestId(model, i), errors });
			return b;
		});
		if (failures.length) return validationFailed(failures);
		const created = built.map((b, i) => this.storeLead(b.lead, b.contacts, b.companies, items[i]));
		return hal({
			_links: { self: this.href(ctx, '/leads') },
			_embedded: {
				leads: created.map((l, i) => ({
					id: l.id,
					request_id: this.requestId(items[i], i),
					_links: { self: this.href(ctx, `/leads/${l.id}`) },
				})),
			},
		});
	}

	private renderLead(ctx: RouteContext, l: FakeLead, withs: Set<string>): Json {
		const embedded: Json = {
			tags: l.tags.map((t) => ({ id: t.id, name: t.name, color: t.color })),
			companies: this.linkedIds('leads', l.id, 'companies').map((x) => ({
				id: x.to_entity_id,
				_links: { self: this.href(ctx, `/companies/${x.to_entity_id}`) },
			})),
		};
		if (withs.has('catalog_elements')) {
			// leads-api, with=catalog_elements: `{ id, metadata: { quantity, catalog_id } }` per product.
			embedded.catalog_elements = this.linkedIds('leads', l.id, 'catalog_elements').map((x) => ({
				id: x.to_entity_id,
				metadata: x.metadata,
			}));
		}
		if (withs.has('contacts')) {
			embedded.contacts = this.leadContacts(l.id).map((c) => ({
				id: c.id,
				is_main: c.is_main,
				_links: { self: this.href(ctx, `/contacts/${c.id}`) },
			}));
		}
		return {
			id: l.id,
			name: l.name,
			price: l.price,
			responsible_user_id: l.responsible_user_id,
			group_id: 0,
			status_id: l.status_id,
			pipeline_id: l.pipeline_id,
			loss_reason_id: l.loss_reason_id,
			source_id: null,
			created_by: l.created_by,
			updated_by: l.updated_by,
			created_at: l.created_at,
			updated_at: l.updated_at,
			closed_at: l.closed_at,
			closest_task_at: null,
			is_deleted: false,
			custom_fields_values: l.custom_fields_values,
			score: null,
			account_id: ACCOUNT_ID,
			labor_cost: null,
			is_price_modified_by_robot: false,
			_links: { self: this.href(ctx, `/leads/${l.id}`) },
			_embedded: embedded,
		};
	}

	private getLead(ctx: RouteContext, id: number): FakeHttpResponse {
		const l = this.entities.leads.get(id);
		return l ? hal(this.renderLead(ctx, l, this.withParams(ctx))) : noContent();
	}

	// ----- lists and updates shared by leads, contacts and companies ---------------------------

	/** The filters every entity list takes: `filter[id]`, `filter[responsible_user_id]`, created/updated ranges. */
	private commonFilters<
		T extends { id: number; responsible_user_id: number; created_at: number; updated_at: number },
	>(q: URLSearchParams, items: T[]): T[] {
		const ids = intList(q, 'filter[id]');
		const users = intList(q, 'filter[responsible_user_id]');
		const created = rangeParam(q, 'filter[created_at]');
		const updated = rangeParam(q, 'filter[updated_at]');
		return items.filter(
			(x) =>
				(!ids || ids.includes(x.id)) &&
				(!users || users.includes(x.responsible_user_id)) &&
				inRange(x.created_at, created) &&
				inRange(x.updated_at, updated),
		);
	}

	/** Custom field values after an update: each field sent replaces that field's values; `values: null` clears it. */
	private mergedFields(
		defs: CustomFieldDef[],
		current: CustomFieldOut[] | null,
		input: unknown,
		prefix: string,
		errors: FieldError[],
	): CustomFieldOut[] | null {
		if (input === undefined) return current;
		const changes = this.customFields(defs, input, prefix, errors, true) ?? [];
		const out = (current ?? []).filter((f) => !changes.some((c) => c.field_id === f.field_id));
		out.push(...changes.filter((c) => c.values.length > 0));
		return out.length ? out : null;
	}

	/**
	 * PATCH `/{type}` (array, each with `id`, up to 250) or `/{type}/{id}` (one object). Every item
	 * is checked before anything is written, as for POST. Answers `{id, updated_at, request_id}`.
	 */
	private patchEntities(
		ctx: RouteContext,
		type: LinkableType | 'tasks',
		pathId: number | undefined,
		plan: (id: number, model: Json, errors: FieldError[]) => (() => void) | undefined,
	): FakeHttpResponse {
		let items: Json[];
		if (pathId !== undefined) {
			if (!isObject(ctx.body) || Object.keys(ctx.body).length === 0)
				return simpleProblem(400, 'Request data can not be empty');
			items = [ctx.body];
		} else {
			const batch = this.batch(ctx, 250);
			if (!Array.isArray(batch)) return batch;
			items = batch;
		}
		const failures: { request_id: string; errors: FieldError[] }[] = [];
		const plans = items.map((model, i) => {
			const errors: FieldError[] = [];
			const id = pathId ?? toInt(model.id);
			let apply: (() => void) | undefined;
			if (id === undefined) errors.push({ code: 'NotBlank', path: 'id', detail: DETAIL.NotBlank });
			else {
				apply = plan(id, model, errors);
				if (!apply) errors.push({ code: 'NotFound', path: 'id', detail: DETAIL.NotFound }); // unconfirmed code
			}
			if (errors.length) failures.push({ request_id: this.requestId(model, i), errors });
			return { id: id ?? 0, apply };
		});
		// A loss reason on a deal that is not (or no longer) lost: amoCRM keys its refusal by the
		// deal's ID (https://github.com/amocrm/amocrm-api-php/issues/88).
		const keyed: Record<string, string> = {};
		if (!failures.length) {
			items.forEach((model, i) => {
				const own = this.keyedRefusals.get(plans[i].id);
				if (own !== undefined) keyed[String(plans[i].id)] = own;
				if (type !== 'leads') return;
				const lead = this.entities.leads.get(plans[i].id);
				const status = toInt(model.status_id) ?? lead?.status_id;
				if (lead && model.loss_reason_id != null && status !== 143)
					keyed[String(plans[i].id)] = 'Loss reason can be specified only for lost lead';
			});
		}
		if (Object.keys(keyed).length > 0) {
			return problem(400, {
				errors: keyed,
				title: 'Bad Request',
				type: 'https://httpstatus.es/400',
				status: 400,
				detail: 'Invalid request body',
			});
		}
		if (failures.length) {
			// One unknown id on /{type}/{id}: amo answers 404 (unconfirmed wording).
			if (pathId !== undefined && !plans[0].apply) return simpleProblem(404, DETAIL.NotFound);
			return validationFailed(failures);
		}
		const answers = plans.map(({ id, apply }, i) => {
			apply?.();
			const entity = this.entityStore(type).get(id);
			return {
				id,
				updated_at: entity?.updated_at ?? nowSec(),
				request_id: this.requestId(items[i], i),
				_links: { self: this.href(ctx, `/${type}/${id}`) },
			};
		});
		if (pathId !== undefined) return hal(answers[0]);
		return hal({ _links: { self: this.href(ctx, `/${type}`) }, _embedded: { [type]: answers } });
	}

	private entityStore(type: LinkableType | 'tasks'): Map<number, { updated_at: number }> {
		if (type === 'tasks') return this.entities.tasks;
		if (type === 'leads') return this.entities.leads;
		if (type === 'contacts') return this.entities.contacts;
		return this.entities.companies;
	}

	private updatedBy(model: Json): { updated_by: number; updated_at: number } {
		return {
			updated_by: toInt(model.updated_by) ?? 501,
			updated_at: toInt(model.updated_at) ?? nowSec(),
		};
	}

	// ----- contacts and companies: update, list, read --------------------------------------------

	/**
	 * What every entity update shares: name, responsible user, custom fields (each field sent
	 * replaces that field's values, so PHONE/EMAIL too), tags and updated_by/updated_at. `own`
	 * gives the entity's own changes (and adds its errors) before anything is written.
	 */
	private planUpdate<T extends Updatable>(
		type: LinkableType,
		entity: T | undefined,
		defs: CustomFieldDef[],
		model: Json,
		errors: FieldError[],
		own: (entity: T) => Partial<T> = () => ({}),
	): (() => void) | undefined {
		if (!entity) return undefined;
		const before = errors.length;
		const changes = own(entity);
		const responsible =
			model.responsible_user_id === undefined
				? entity.responsible_user_id
				: this.responsible(model, '', errors);
		const fields = this.mergedFields(
			defs,
			entity.custom_fields_values,
			model.custom_fields_values,
			'',
			errors,
		);
		if (errors.length > before) return () => undefined;
		return () =>
			Object.assign(entity, {
				name: model.name !== undefined && model.name !== null ? str(model.name) : entity.name,
				responsible_user_id: responsible,
				custom_fields_values: fields,
				...changes,
				tags: this.updatedTags(type, entity.tags, model),
				...this.updatedBy(model),
			});
	}

	private readonly planContactUpdate = (
		id: number,
		model: Json,
		errors: FieldError[],
	): (() => void) | undefined =>
		this.planUpdate(
			'contacts',
			this.entities.contacts.get(id),
			this.contactFields,
			model,
			errors,
			(c) => {
				const text = (key: 'first_name' | 'last_name'): string =>
					model[key] !== undefined && model[key] !== null ? str(model[key]) : c[key];
				return { first_name: text('first_name'), last_name: text('last_name') };
			},
		);

	private readonly planCompanyUpdate = (
		id: number,
		model: Json,
		errors: FieldError[],
	): (() => void) | undefined =>
		this.planUpdate(
			'companies',
			this.entities.companies.get(id),
			this.companyFields,
			model,
			errors,
		);

	private renderCompany(ctx: RouteContext, c: FakeCompany, withs: Set<string>): Json {
		const embedded: Json = {
			tags: c.tags.map((t) => ({ id: t.id, name: t.name, color: t.color })),
		};
		if (withs.has('contacts'))
			embedded.contacts = this.entities.links
				.filter(
					(l) =>
						l.entity_type === 'contacts' &&
						l.to_entity_type === 'companies' &&
						l.to_entity_id === c.id,
				)
				.map((l) => ({
					id: l.entity_id,
					_links: { self: this.href(ctx, `/contacts/${l.entity_id}`) },
				}));
		if (withs.has('leads'))
			embedded.leads = this.entities.links
				.filter(
					(l) =>
						l.entity_type === 'leads' &&
						l.to_entity_type === 'companies' &&
						l.to_entity_id === c.id,
				)
				.map((l) => ({
					id: l.entity_id,
					_links: { self: this.href(ctx, `/leads/${l.entity_id}`) },
				}));
		return this.renderParty(ctx, 'companies', c, embedded, {});
	}

	/** GET /companies: `query`, `with=contacts,leads`, `order`, and the common filters. */
	private listCompanies(ctx: RouteContext): FakeHttpResponse {
		const q = ctx.url.searchParams;
		const query = q.get('query') ?? '';
		const withs = this.withParams(ctx);
		const found = this.commonFilters(q, this.companies).filter(
			(c) =>
				textMatches(c.id, [c.name], c.custom_fields_values, query) &&
				!this.isPending('companies', c.id),
		);
		return this.paginate(
			ctx,
			'/companies',
			'companies',
			sortByOrder(q, found, ['created_at', 'updated_at', 'id']),
			(c) => this.renderCompany(ctx, c, withs),
			false,
		);
	}

	private getCompany(ctx: RouteContext, id: number): FakeHttpResponse {
		const c = this.entities.companies.get(id);
		return c && !this.isPending('companies', id)
			? hal(this.renderCompany(ctx, c, this.withParams(ctx)))
			: noContent();
	}

	// ----- leads: list and update -------------------------------------------------------------

	/**
	 * GET /leads: `query`, `with=contacts`, `order[created_at|updated_at|id]`, `filter[id]`,
	 * `filter[pipeline_id]`, `filter[statuses][N][pipeline_id|status_id]`,
	 * `filter[responsible_user_id]`, `filter[created_at|updated_at][from|to]`, `filter[closed_at]`.
	 */
	private listLeads(ctx: RouteContext): FakeHttpResponse {
		const q = ctx.url.searchParams;
		const query = q.get('query') ?? '';
		const pipelines = intList(q, 'filter[pipeline_id]');
		const statuses = new Map<string, { pipeline_id?: number; status_id?: number }>();
		for (const [key, value] of q) {
			const m = /^filter\[statuses\]\[(\d+)\]\[(pipeline_id|status_id)\]$/.exec(key);
			if (m) statuses.set(m[1], { ...statuses.get(m[1]), [m[2]]: toInt(value) });
		}
		const closed = rangeParam(q, 'filter[closed_at]');
		const found = this.commonFilters(q, this.leads).filter(
			(l) =>
				textMatches(l.id, [l.name, String(l.price)], l.custom_fields_values, query) &&
				(!pipelines || pipelines.includes(l.pipeline_id)) &&
				(statuses.size === 0 ||
					[...statuses.values()].some(
						(s) => s.pipeline_id === l.pipeline_id && s.status_id === l.status_id,
					)) &&
				(!closed || (l.closed_at !== null && inRange(l.closed_at, closed))),
		);
		const withs = this.withParams(ctx);
		return this.paginate(
			ctx,
			'/leads',
			'leads',
			sortByOrder(q, found, ['created_at', 'updated_at', 'id']),
			(l) => this.renderLead(ctx, l, withs),
			false,
		);
	}

	/**
	 * Moving a deal: `pipeline_id` and/or `status_id`. The stage must belong to the pipeline
	 * (the one sent, or the deal's own); a new pipeline without a stage puts the deal in that
	 * pipeline's first stage (unconfirmed). "Incoming" is not a stage a deal can be moved to.
	 */
	private movedLead(
		lead: FakeLead,
		model: Json,
		errors: FieldError[],
	): { pipeline_id: number; status_id: number } {
		const keep = { pipeline_id: lead.pipeline_id, status_id: lead.status_id };
		const hasPipeline = model.pipeline_id !== undefined && model.pipeline_id !== null;
		const hasStatus = model.status_id !== undefined && model.status_id !== null;
		if (!hasPipeline && !hasStatus) return keep;
		const pipeline = hasPipeline
			? this.pipelines.find((p) => p.id === toInt(model.pipeline_id))
			: this.pipelines.find((p) => p.id === lead.pipeline_id);
		if (!pipeline) {
			errors.push({
				code: 'NotSupportedChoice',
				path: 'pipeline_id',
				detail: DETAIL.NotSupportedChoice,
			});
			return keep;
		}
		if (!hasStatus) return { pipeline_id: pipeline.id, status_id: this.firstStage(pipeline).id };
		const status = pipeline.statuses.find((x) => x.id === toInt(model.status_id) && x.type === 0);
		if (!status) {
			errors.push({
				code: 'NotSupportedChoice',
				path: 'status_id',
				detail: DETAIL.NotSupportedChoice,
			});
			return keep;
		}
		return { pipeline_id: pipeline.id, status_id: status.id };
	}

	private planLeadUpdate(id: number, model: Json, errors: FieldError[]): (() => void) | undefined {
		return this.planUpdate(
			'leads',
			this.entities.leads.get(id),
			this.leadFields,
			model,
			errors,
			(lead) => {
				let price = lead.price;
				if (model.price !== undefined && model.price !== null) {
					if (typeof model.price !== 'number' || !Number.isInteger(model.price))
						errors.push({
							code: 'InvalidType',
							path: 'price',
							detail: 'This value should be of type int.',
						});
					else price = model.price;
				}
				const place = this.movedLead(lead, model, errors);
				const closes = place.status_id === 142 || place.status_id === 143;
				return {
					price,
					...place,
					loss_reason_id: toInt(model.loss_reason_id) ?? lead.loss_reason_id,
					closed_at: closes ? (toInt(model.closed_at) ?? lead.closed_at ?? nowSec()) : null,
				};
			},
		);
	}

	/** /leads/complex: lead + at most one contact and one company (by id or full model). Bare-array answer. */
	private postComplex(ctx: RouteContext): FakeHttpResponse {
		const items = this.batch(ctx, 50);
		if (!Array.isArray(items)) return items;
		const failures: { request_id: string; errors: FieldError[] }[] = [];
		type Plan = {
			lead: FakeLead;
			contact?: { existing?: number; model?: FakeContact; raw?: Json };
			company?: { existing?: number; name?: string; raw?: Json };
		};
		const plans: Plan[] = [];
		items.forEach((model, i) => {
			const errors: FieldError[] = [];
			const emb = isObject(model._embedded) ? model._embedded : {};
			const built = this.buildLead(model, '', errors, {
				unsorted: isObject(emb.metadata),
				embeddedContactsById: false,
			});
			const plan: Plan = { lead: built.lead };
			const contacts = Array.isArray(emb.contacts) ? emb.contacts : [];
			const companies = Array.isArray(emb.companies) ? emb.companies : [];
			if (contacts.length > 1)
				errors.push({
					code: 'Count',
					path: '_embedded.contacts',
					detail: 'This collection should contain 1 element or less.',
				}); // unconfirmed
			if (companies.length > 1)
				errors.push({
					code: 'Count',
					path: '_embedded.companies',
					detail: 'This collection should contain 1 element or less.',
				}); // unconfirmed
			const c0: unknown = contacts[0];
			if (isObject(c0)) {
				const id = toInt(c0.id);
				if (id !== undefined) {
					if (!this.entities.contacts.has(id))
						errors.push({
							code: 'NotFound',
							path: '_embedded.contacts.0.id',
							detail: DETAIL.NotFound,
						});
					plan.contact = { existing: id };
				} else
					plan.contact = { model: this.buildContact(c0, '_embedded.contacts.0.', errors), raw: c0 };
			}
			const k0: unknown = companies[0];
			if (isObject(k0)) {
				const id = toInt(k0.id);
				if (id !== undefined) {
					if (!this.entities.companies.has(id))
						errors.push({
							code: 'NotFound',
							path: '_embedded.companies.0.id',
							detail: DETAIL.NotFound,
						});
					plan.company = { existing: id };
				} else plan.company = { name: str(k0.name), raw: k0 };
			}
			if (errors.length) failures.push({ request_id: this.requestId(model, i), errors });
			plans.push(plan);
		});
		if (failures.length) return validationFailed(failures);
		const result = plans.map((plan, i) => {
			const mergedInto = this.mergeQueue.shift();
			if (mergedInto !== undefined) {
				const main = this.leadContacts(mergedInto).find((link) => link.is_main)?.id ?? null;
				return {
					id: mergedInto,
					contact_id: main,
					company_id: null,
					request_id: [this.requestId(items[i], i)],
					merged: true,
				};
			}
			let contactId: number | null = null;
			let companyId: number | null = null;
			if (plan.contact?.existing !== undefined) contactId = plan.contact.existing;
			else if (plan.contact?.model)
				contactId = this.storeContact(plan.contact.model, plan.contact.raw).id;
			if (plan.company?.existing !== undefined) companyId = plan.company.existing;
			else if (plan.company) {
				const company = this.storeCompany(
					this.buildCompany({ name: plan.company.name ?? '' }, '', []),
					plan.company.raw,
				);
				companyId = company.id;
				if (contactId !== null && plan.contact?.model)
					this.link(contactId, 'companies', companyId, null, 'contacts');
			}
			const lead = this.storeLead(
				plan.lead,
				contactId !== null ? [{ id: contactId, is_main: true }] : [],
				companyId !== null ? [companyId] : [],
				items[i],
			);
			return {
				id: lead.id,
				contact_id: contactId,
				company_id: companyId,
				request_id: [this.requestId(items[i], i)],
				merged: false,
			};
		});
		return json(200, result);
	}

	// ----- links ------------------------------------------------------------------------------

	private link(
		entityId: number,
		toType: string,
		toId: number,
		metadata: Record<string, unknown> | null,
		entityType: LinkableType = 'leads',
	): FakeLink {
		if (toType === 'contacts' && metadata?.main_contact === true) {
			for (const l of this.linkedIds(entityType, entityId, 'contacts'))
				if (l.metadata) l.metadata.main_contact = false;
		}
		let existing = this.entities.links.find(
			(l) =>
				l.entity_type === entityType &&
				l.entity_id === entityId &&
				l.to_entity_type === toType &&
				l.to_entity_id === toId,
		);
		if (existing) existing.metadata = metadata;
		else {
			existing = {
				entity_type: entityType,
				entity_id: entityId,
				to_entity_type: toType,
				to_entity_id: toId,
				metadata,
			};
			this.entities.links.push(existing);
		}
		return existing;
	}

	/**
	 * POST /{leads|contacts|companies}/{id}/link, or /{type}/link with `entity_id` per item.
	 * Deals link to contacts, companies and catalog elements; contacts to companies and deals;
	 * companies to contacts and deals. A link is one fact whichever side it is made from.
	 */
	private postLinks(
		ctx: RouteContext,
		pathId: number | undefined,
		from: LinkableType = 'leads',
	): FakeHttpResponse {
		const store = this.entityStore(from);
		if (pathId !== undefined && !store.has(pathId)) return simpleProblem(404, 'Entity not found'); // unconfirmed wording
		const items = this.batch(ctx, 250);
		if (!Array.isArray(items)) return items;
		const targets: Record<LinkableType, string[]> = {
			leads: ['contacts', 'companies', 'catalog_elements'],
			contacts: ['companies', 'leads'],
			companies: ['contacts', 'leads'],
		};
		const failures: { request_id: string; errors: FieldError[] }[] = [];
		const plans = items.map((item, i) => {
			const errors: FieldError[] = [];
			const fromId = pathId ?? toInt(item.entity_id);
			if (pathId === undefined && (fromId === undefined || !store.has(fromId))) {
				errors.push({ code: 'NotFound', path: 'entity_id', detail: DETAIL.NotFound });
			}
			const toType = str(item.to_entity_type);
			const toId = toInt(item.to_entity_id);
			if (!targets[from].includes(toType)) {
				errors.push({
					code: 'NotSupportedChoice',
					path: 'to_entity_type',
					detail: DETAIL.NotSupportedChoice,
				});
			} else if (toId === undefined) {
				errors.push({ code: 'NotBlank', path: 'to_entity_id', detail: DETAIL.NotBlank });
			} else if (
				toType === 'catalog_elements'
					? this.entities.elements.get(toId)?.catalog_id !==
						(isObject(item.metadata) ? toInt(item.metadata.catalog_id) : undefined)
					: !this.entityStore(toType as LinkableType).has(toId)
			) {
				errors.push({ code: 'NotFound', path: 'to_entity_id', detail: DETAIL.NotFound }); // unconfirmed code
			}
			if (errors.length) failures.push({ request_id: String(i), errors });
			return {
				fromId: fromId ?? 0,
				toType,
				toId: toId ?? 0,
				metadata: isObject(item.metadata) ? item.metadata : {},
			};
		});
		if (failures.length) return validationFailed(failures);
		const links = plans.map((p) => {
			// Stored one way: deal -> contact/company, contact -> company.
			const pair =
				from === 'leads' || (from === 'contacts' && p.toType === 'companies')
					? { entity: from, id: p.fromId, toType: p.toType, toId: p.toId }
					: p.toType === 'leads'
						? { entity: 'leads' as const, id: p.toId, toType: from as string, toId: p.fromId }
						: { entity: 'contacts' as const, id: p.toId, toType: 'companies', toId: p.fromId };
			let metadata: Record<string, unknown> | null = null;
			if (pair.entity === 'leads' && pair.toType === 'contacts') {
				const hasMain = this.linkedIds('leads', pair.id, 'contacts').some(
					(l) => l.metadata?.main_contact === true && l.to_entity_id !== pair.toId,
				);
				const isMain = p.metadata.is_main === undefined ? !hasMain : p.metadata.is_main === true; // default: main if the deal has none; unconfirmed
				metadata = { main_contact: isMain };
			} else if (p.toType === 'catalog_elements')
				metadata = {
					quantity: p.metadata.quantity ?? 1,
					catalog_id: p.metadata.catalog_id ?? null,
					// Kept only when given (amocrm-api-php#508: a link without one has no price_id).
					...(p.metadata.price_id !== undefined ? { price_id: p.metadata.price_id } : {}),
				};
			const l = this.link(pair.id, pair.toType, pair.toId, metadata, pair.entity);
			return {
				entity_id: p.fromId,
				entity_type: from,
				to_entity_id: p.toId,
				to_entity_type: p.toType,
				metadata: l.metadata,
			};
		});
		return hal({
			_total_items: links.length,
			_links: {
				self: this.href(ctx, pathId !== undefined ? `/${from}/${pathId}/links` : `/${from}/links`),
			},
			_embedded: { links },
		});
	}

	/**
	 * POST /{leads|contacts|companies}/{id}/unlink: takes the links named off and answers 204 with
	 * no body (crm_platform/entity-links-api, "Отвязка сущностей"). Links are stored one way, as
	 * postLinks stores them; a link that is not there changes nothing (unconfirmed).
	 */
	private postUnlink(
		ctx: RouteContext,
		fromId: number,
		from: LinkableType = 'leads',
	): FakeHttpResponse {
		if (!this.entityStore(from).has(fromId)) return simpleProblem(404, 'Entity not found');
		const items = this.batch(ctx, 250);
		if (!Array.isArray(items)) return items;
		for (const item of items) {
			const toType = str(item.to_entity_type);
			const toId = toInt(item.to_entity_id);
			const pair =
				from === 'leads' || (from === 'contacts' && toType === 'companies')
					? { entity: from as string, id: fromId, toType, toId }
					: toType === 'leads'
						? { entity: 'leads', id: toId, toType: from as string, toId: fromId }
						: { entity: 'contacts', id: toId, toType: 'companies', toId: fromId };
			this.entities.links = this.entities.links.filter(
				(l) =>
					!(
						l.entity_type === pair.entity &&
						l.entity_id === pair.id &&
						l.to_entity_type === pair.toType &&
						l.to_entity_id === pair.toId
					),
			);
		}
		return noContent();
	}

	private getLinks(ctx: RouteContext, leadId: number): FakeHttpResponse {
		if (!this.entities.leads.has(leadId)) return noContent();
		const links = this.entities.links.filter(
			(l) => l.entity_type === 'leads' && l.entity_id === leadId,
		);
		if (!links.length) return noContent();
		return hal({
			_total_items: links.length,
			_links: { self: this.href(ctx, `/leads/${leadId}/links?page=1&limit=50`) },
			_embedded: {
				links: links.map((l) => ({
					to_entity_id: l.to_entity_id,
					to_entity_type: l.to_entity_type,
					metadata: l.metadata,
				})),
			},
		});
	}

	// ----- calls (crm_platform/calls-api) -----------------------------------------------------------

	/**
	 * POST /calls: each call goes, as a call_in / call_out note, on the contact or company whose
	 * phone has the same last 10 digits, or on its deal when it has exactly one open deal. With no
	 * such card nothing is logged and amoCRM answers 400 `errors[]` "Entity not found"
	 * (amocrm/amocrm-api-php#52); the whole request is refused (unconfirmed for a mixed batch).
	 */
	private postCalls(ctx: RouteContext): FakeHttpResponse {
		const items = this.batch(ctx, 250);
		if (!Array.isArray(items)) return items;
		const last10 = (text: unknown) => String(text).replace(/\D/g, '').slice(-10);
		const failures: { request_id: string; errors: FieldError[] }[] = [];
		const plans = items.map((item, i) => {
			const errors: FieldError[] = [];
			for (const key of ['direction', 'phone', 'source'] as const)
				if (str(item[key]).trim() === '')
					errors.push({ code: 'NotBlank', path: key, detail: DETAIL.NotBlank });
			if (toInt(item.duration) === undefined)
				errors.push({ code: 'NotBlank', path: 'duration', detail: DETAIL.NotBlank });
			if (errors.length) failures.push({ request_id: this.requestId(item, i), errors });
			const digits = last10(item.phone);
			const hasPhone = (values: CustomFieldOut[] | null) =>
				digits.length > 0 &&
				(values ?? []).some(
					(f) => f.field_code === 'PHONE' && f.values.some((v) => last10(v.value) === digits),
				);
			const contact = this.contacts.find((c) => hasPhone(c.custom_fields_values));
			const company = contact
				? undefined
				: this.companies.find((c) => hasPhone(c.custom_fields_values));
			return { item, i, contact, company };
		});
		if (failures.length) return validationFailed(failures);
		const missing = plans.filter((p) => !p.contact && !p.company);
		if (missing.length) {
			return problem(400, {
				_total_items: 0,
				errors: missing.map((p) => ({
					title: 'Entity not found',
					status: 400,
					detail: 'Entity not found',
					request_id: this.requestId(p.item, p.i),
				})),
			});
		}
		const calls = plans.map(({ item, i, contact, company }) => {
			const card = (contact ?? company) as { id: number };
			const cardType: LinkableType = contact ? 'contacts' : 'companies';
			const openDeals = this.entities.links
				.filter(
					(l) =>
						l.entity_type === 'leads' &&
						l.to_entity_type === cardType &&
						l.to_entity_id === card.id,
				)
				.map((l) => this.entities.leads.get(l.entity_id))
				.filter((l): l is FakeLead => l !== undefined && l.closed_at === null);
			const on =
				openDeals.length === 1
					? { type: 'leads' as const, id: openDeals[0].id, name: 'lead' }
					: { type: cardType, id: card.id, name: contact ? 'contact' : 'company' };
			const note: FakeNote = {
				id: this.entities.nextId.note++,
				entity_type: on.type,
				entity_id: on.id,
				note_type: str(item.direction) === 'outbound' ? 'call_out' : 'call_in',
				params: {
					uniq: item.uniq ?? null,
					duration: toInt(item.duration),
					source: str(item.source),
					link: item.link ?? null,
					phone: str(item.phone),
				},
				created_by: toInt(item.created_by) ?? 0,
				responsible_user_id: toInt(item.responsible_user_id) ?? 501,
				created_at: toInt(item.created_at) ?? nowSec(),
			};
			this.entities.notes.push(note);
			return {
				id: note.id,
				entity_id: on.id,
				entity_type: on.name,
				account_id: ACCOUNT_ID,
				request_id: this.requestId(item, i),
				_embedded: {
					entity: { id: on.id, _links: { self: this.href(ctx, `/${on.type}/${on.id}`) } },
				},
			};
		});
		return hal({ _total_items: calls.length, errors: [], _embedded: { calls } });
	}

	// ----- lists and their elements (crm_platform/catalogs-api) ------------------------------------

	/** /catalogs, /catalogs/{id}/custom_fields, /catalogs/{id}/elements and /catalogs/{id}/elements/{id}. */
	private catalogRoute(ctx: RouteContext, p: string): FakeHttpResponse {
		const m = ctx.method;
		const notAllowed = (): FakeHttpResponse => simpleProblem(405, 'Method Not Allowed');
		if (p === '/catalogs') {
			if (m !== 'GET') return notAllowed();
			return this.paginate(
				ctx,
				'/catalogs',
				'catalogs',
				this.catalogs,
				(c) => ({
					id: c.id,
					name: c.name,
					created_by: 501,
					updated_by: 501,
					created_at: 1700000000,
					updated_at: 1700000000,
					sort: c.sort,
					type: c.type,
					can_add_elements: true,
					can_show_in_cards: false,
					can_link_multiple: true,
					can_be_deleted: c.type !== 'products',
					sdk_widget_code: null,
					account_id: ACCOUNT_ID,
					_links: { self: this.href(ctx, `/catalogs/${c.id}`) },
				}),
				false,
			);
		}
		const match = /^\/catalogs\/(\d+)(\/custom_fields|\/elements)?(?:\/(\d+))?$/.exec(p);
		const catalog = match ? this.catalogs.find((c) => c.id === Number(match[1])) : undefined;
		if (!match || !catalog) return simpleProblem(404, `Cannot ${m} ${ctx.path}`); // unconfirmed for an unknown list
		if (match[2] === '/custom_fields' && match[3] === undefined) {
			if (m !== 'GET') return notAllowed();
			return this.paginate(
				ctx,
				`/catalogs/${catalog.id}/custom_fields`,
				'custom_fields',
				catalog.fields,
				(f) => ({
					id: f.id,
					name: f.name,
					type: f.type,
					account_id: ACCOUNT_ID,
					code: f.code,
					sort: f.sort,
					is_api_only: f.is_api_only,
					enums: f.enums,
					catalog_id: catalog.id,
					_links: { self: this.href(ctx, `/catalogs/${catalog.id}/custom_fields/${f.id}`) },
				}),
				true,
			);
		}
		if (match[2] !== '/elements') return simpleProblem(404, `Cannot ${m} ${ctx.path}`);
		if (match[3] !== undefined) {
			if (m !== 'GET') return notAllowed();
			const element = this.entities.elements.get(Number(match[3]));
			return element && element.catalog_id === catalog.id
				? hal(this.renderElement(ctx, element))
				: noContent();
		}
		if (m === 'GET') return this.listElements(ctx, catalog);
		if (m === 'POST' || m === 'PATCH') return this.writeElements(ctx, catalog, m);
		return notAllowed();
	}

	private renderElement(ctx: RouteContext, e: FakeElement): Json {
		return {
			id: e.id,
			name: e.name,
			created_by: 501,
			updated_by: 501,
			created_at: e.created_at,
			updated_at: e.updated_at,
			is_deleted: null,
			custom_fields_values: e.custom_fields_values,
			catalog_id: e.catalog_id,
			account_id: ACCOUNT_ID,
			_links: { self: this.href(ctx, `/catalogs/${e.catalog_id}/elements/${e.id}`) },
		};
	}

	/** GET /catalogs/{id}/elements: `query` (name and filled fields), `filter[id]`. */
	private listElements(ctx: RouteContext, catalog: FakeCatalog): FakeHttpResponse {
		const q = ctx.url.searchParams;
		const ids = intList(q, 'filter[id]');
		const query = (q.get('query') ?? '').trim().toLowerCase();
		const elements = [...this.entities.elements.values()].filter(
			(e) =>
				e.catalog_id === catalog.id &&
				(!ids || ids.includes(e.id)) &&
				(query === '' ||
					[e.name, ...(e.custom_fields_values ?? []).flatMap((f) => f.values.map((v) => v.value))]
						.map((text) => String(text).toLowerCase())
						.some((text) => text.includes(query))),
		);
		return this.paginate(
			ctx,
			`/catalogs/${catalog.id}/elements`,
			'elements',
			elements,
			(e) => this.renderElement(ctx, e),
			false,
		);
	}

	/**
	 * POST (new elements, `name` required) or PATCH (each with `id`) /catalogs/{id}/elements, all
	 * checked first; both answer the whole elements with `request_id` (catalogs-api examples).
	 */
	private writeElements(
		ctx: RouteContext,
		catalog: FakeCatalog,
		method: 'POST' | 'PATCH',
	): FakeHttpResponse {
		const items = this.batch(ctx, 250);
		if (!Array.isArray(items)) return items;
		const failures: { request_id: string; errors: FieldError[] }[] = [];
		const plans = items.map((model, i) => {
			const errors: FieldError[] = [];
			const existing =
				method === 'PATCH' ? this.entities.elements.get(toInt(model.id) ?? 0) : undefined;
			if (method === 'PATCH' && existing?.catalog_id !== catalog.id)
				errors.push({ code: 'NotFound', path: 'id', detail: DETAIL.NotFound }); // unconfirmed code
			if (str(model.name).trim() === '')
				errors.push({ code: 'NotBlank', path: 'name', detail: DETAIL.NotBlank }); // catalogs-api: name "Обязательный параметр"
			const values = this.customFields(catalog.fields, model.custom_fields_values, '', errors);
			if (errors.length) failures.push({ request_id: this.requestId(model, i), errors });
			return { existing, name: str(model.name).trim(), values };
		});
		if (failures.length) return validationFailed(failures);
		const written = plans.map(({ existing, name, values }) => {
			if (existing) {
				existing.name = name;
				if (values) {
					const codes = new Set(values.map((v) => v.field_id));
					existing.custom_fields_values = [
						...(existing.custom_fields_values ?? []).filter((v) => !codes.has(v.field_id)),
						...values,
					];
				}
				existing.updated_at = nowSec();
				return existing;
			}
			const element: FakeElement = {
				id: this.entities.nextId.element++,
				catalog_id: catalog.id,
				name,
				created_at: nowSec(),
				updated_at: nowSec(),
				custom_fields_values: values,
			};
			this.entities.elements.set(element.id, element);
			return element;
		});
		return hal({
			_links: { self: this.href(ctx, `/catalogs/${catalog.id}/elements`) },
			_embedded: {
				elements: written.map((e, i) => ({
					...this.renderElement(ctx, e),
					request_id: this.requestId(items[i], i),
				})),
			},
		});
	}

	// ----- tasks (crm_platform/tasks-api) --------------------------------------------------------

	/**
	 * The task fields of a POST or PATCH model. `text` and `complete_till` are required on create;
	 * `entity_type` leads|contacts|companies with an existing `entity_id`; `task_type_id` one of
	 * the account's types; completing needs nothing more than `is_completed: true`.
	 */
	private taskFields(
		model: Json,
		current: FakeTask | undefined,
		errors: FieldError[],
	): Omit<FakeTask, 'id' | 'created_by' | 'created_at'> {
		const now = nowSec();
		const text = model.text !== undefined ? str(model.text) : (current?.text ?? '');
		if (!text.trim()) errors.push({ code: 'NotBlank', path: 'text', detail: DETAIL.NotBlank });
		let completeTill = current?.complete_till ?? 0;
		if (model.complete_till !== undefined || !current) {
			const till = toInt(model.complete_till);
			if (till === undefined)
				errors.push({
					code: model.complete_till === undefined ? 'NotBlank' : 'InvalidType',
					path: 'complete_till',
					detail:
						model.complete_till === undefined
							? DETAIL.NotBlank
							: 'This value should be of type int.',
				});
			else completeTill = till;
		}
		let taskType = current?.task_type_id ?? 1; // unconfirmed: amo files a task without a type as "follow-up"
		if (model.task_type_id !== undefined && model.task_type_id !== null) {
			const id = toInt(model.task_type_id);
			if (id === undefined || !TASK_TYPES.some((t) => t.id === id))
				errors.push({
					code: 'NotSupportedChoice',
					path: 'task_type_id',
					detail: DETAIL.NotSupportedChoice,
				});
			else taskType = id;
		}
		let entityType = current?.entity_type ?? null;
		let entityId = current?.entity_id ?? null;
		if (model.entity_type !== undefined || model.entity_id !== undefined) {
			const type = str(model.entity_type ?? entityType);
			const id = toInt(model.entity_id ?? entityId);
			if (!['leads', 'contacts', 'companies'].includes(type))
				errors.push({
					code: 'NotSupportedChoice',
					path: 'entity_type',
					detail: DETAIL.NotSupportedChoice,
				});
			else if (id === undefined || !this.entityStore(type as LinkableType).has(id))
				errors.push({ code: 'NotFound', path: 'entity_id', detail: DETAIL.NotFound }); // unconfirmed code
			else {
				entityType = type as LinkableType;
				entityId = id;
			}
		}
		const responsible =
			model.responsible_user_id === undefined && current
				? current.responsible_user_id
				: this.responsible(model, '', errors);
		let result = current?.result ?? null;
		if (model.result !== undefined && model.result !== null) {
			if (!isObject(model.result) || !str(model.result.text).trim())
				errors.push({ code: 'NotBlank', path: 'result.text', detail: DETAIL.NotBlank });
			else result = { text: str(model.result.text) };
		}
		return {
			text,
			task_type_id: taskType,
			complete_till: completeTill,
			duration: toInt(model.duration) ?? current?.duration ?? 0,
			entity_type: entityType,
			entity_id: entityId,
			responsible_user_id: responsible,
			is_completed:
				model.is_completed !== undefined
					? model.is_completed === true
					: (current?.is_completed ?? false),
			result,
			updated_by: toInt(model.updated_by) ?? 501,
			updated_at: toInt(model.updated_at) ?? now,
		};
	}

	private storeTask(
		fields: Omit<FakeTask, 'id' | 'created_by' | 'created_at'>,
		model: Json,
	): FakeTask {
		const task: FakeTask = {
			...fields,
			id: this.entities.nextId.task++,
			created_by: toInt(model.created_by) ?? 501,
			created_at: toInt(model.created_at) ?? fields.updated_at,
		};
		this.entities.tasks.set(task.id, task);
		return task;
	}

	private renderTask(ctx: RouteContext, t: FakeTask): Json {
		return {
			id: t.id,
			created_by: t.created_by,
			updated_by: t.updated_by,
			created_at: t.created_at,
			updated_at: t.updated_at,
			responsible_user_id: t.responsible_user_id,
			group_id: 0,
			entity_id: t.entity_id,
			entity_type: t.entity_type,
			duration: t.duration,
			is_completed: t.is_completed,
			task_type_id: t.task_type_id,
			text: t.text,
			result: t.result ? { ...t.result } : [], // an empty result is `[]` in amo's example
			complete_till: t.complete_till,
			account_id: ACCOUNT_ID,
			_links: { self: this.href(ctx, `/tasks/${t.id}`) },
		};
	}

	private postTasks(ctx: RouteContext): FakeHttpResponse {
		const items = this.batch(ctx, 250);
		if (!Array.isArray(items)) return items;
		const failures: { request_id: string; errors: FieldError[] }[] = [];
		const built = items.map((model, i) => {
			const errors: FieldError[] = [];
			const fields = this.taskFields(model, undefined, errors);
			if (errors.length) failures.push({ request_id: this.requestId(model, i), errors });
			return fields;
		});
		if (failures.length) return validationFailed(failures);
		const created = built.map((fields, i) => this.storeTask(fields, items[i]));
		return hal({
			_links: { self: this.href(ctx, '/tasks') },
			_embedded: {
				tasks: created.map((t, i) => ({
					id: t.id,
					request_id: this.requestId(items[i], i),
					_links: { self: this.href(ctx, `/tasks/${t.id}`) },
				})),
			},
		});
	}

	/** GET /tasks: `filter[is_completed]`, `[responsible_user_id]`, `[task_type]`, `[entity_type]`, `[entity_id]`, `[id]`, `[updated_at]`; `order[created_at|complete_till|id]`. */
	private listTasks(ctx: RouteContext): FakeHttpResponse {
		const q = ctx.url.searchParams;
		const completed = listParam(q, 'filter[is_completed]')?.[0];
		const ids = intList(q, 'filter[id]');
		const users = intList(q, 'filter[responsible_user_id]');
		const types = intList(q, 'filter[task_type]');
		const entityType = q.get('filter[entity_type]');
		const entityIds = intList(q, 'filter[entity_id]');
		const updated = rangeParam(q, 'filter[updated_at]');
		const found = this.tasks.filter(
			(t) =>
				(completed === undefined ||
					t.is_completed === (completed === '1' || completed === 'true')) &&
				(!ids || ids.includes(t.id)) &&
				(!users || users.includes(t.responsible_user_id)) &&
				(!types || types.includes(t.task_type_id)) &&
				(entityType === null || t.entity_type === entityType) &&
				(!entityIds || (t.entity_id !== null && entityIds.includes(t.entity_id))) &&
				inRange(t.updated_at, updated),
		);
		return this.paginate(
			ctx,
			'/tasks',
			'tasks',
			sortByOrder(q, found, ['created_at', 'complete_till', 'id']),
			(t) => this.renderTask(ctx, t),
			false,
		);
	}

	private getTask(ctx: RouteContext, id: number): FakeHttpResponse {
		const t = this.entities.tasks.get(id);
		return t ? hal(this.renderTask(ctx, t)) : noContent();
	}

	/** PATCH /tasks (array with ids) and /tasks/{id} (object); answers `{id, updated_at, request_id}`. */
	private patchTasks(ctx: RouteContext, pathId: number | undefined): FakeHttpResponse {
		return this.patchEntities(ctx, 'tasks', pathId, (id, model, errors) => {
			const task = this.entities.tasks.get(id);
			if (!task) return undefined;
			const fields = this.taskFields(model, task, errors);
			return () => Object.assign(task, fields);
		});
	}

	// ----- incoming leads (crm_platform/unsorted-api) --------------------------------------------

	/**
	 * "До принятия неразобранной сделки, контакты и компании недоступны в соответствующих
	 * разделах" (unsorted-api): an incoming lead's new contact and company stay out of
	 * /contacts and /companies (lists, search, GET by id) until it is accepted.
	 */
	private isPending(type: 'contacts' | 'companies', id: number): boolean {
		for (const u of this.entities.unsorted.values())
			if (
				u.state === 'incoming' &&
				(type === 'contacts' ? u.contact_ids : u.company_ids).includes(id)
			)
				return true;
		return false;
	}

	private embeddedRefs(ctx: RouteContext, type: LinkableType, ids: number[]): Json[] {
		return ids.map((id) => ({ id, _links: { self: this.href(ctx, `/${type}/${id}`) } }));
	}

	private renderUnsorted(ctx: RouteContext, u: FakeUnsorted): Json {
		return {
			uid: u.uid,
			source_uid: u.source_uid,
			source_name: u.source_name,
			category: u.category,
			pipeline_id: u.pipeline_id,
			created_at: u.created_at,
			metadata: u.metadata,
			account_id: ACCOUNT_ID,
			_links: { self: this.href(ctx, `/leads/unsorted/${u.uid}`) },
			_embedded: {
				contacts: this.embeddedRefs(ctx, 'contacts', u.contact_ids),
				leads: this.embeddedRefs(ctx, 'leads', [u.lead_id]),
				companies: this.embeddedRefs(ctx, 'companies', u.company_ids),
			},
		};
	}

	/**
	 * POST /leads/unsorted/forms: source_uid, source_name and metadata are required (form_id,
	 * form_name, form_page, ip, form_sent_at; referer optional: which metadata keys amo requires
	 * is unconfirmed). One deal, at most one contact and one company, all new; the deal sits in
	 * the pipeline's "Incoming" stage (status type 1).
	 */
	private postUnsortedForms(
		ctx: RouteContext,
		category: 'forms' | 'sip' = 'forms',
	): FakeHttpResponse {
		const items = this.batch(ctx, 250); // amo's general batch limit; unconfirmed for unsorted
		if (!Array.isArray(items)) return items;
		const failures: { request_id: string; errors: FieldError[] }[] = [];
		const plans = items.map((model, i) => {
			const errors: FieldError[] = [];
			for (const key of ['source_uid', 'source_name'])
				if (!str(model[key]).trim())
					errors.push({ code: 'NotBlank', path: key, detail: DETAIL.NotBlank });
			const metadata = isObject(model.metadata) ? model.metadata : undefined;
			if (!metadata) errors.push({ code: 'NotBlank', path: 'metadata', detail: DETAIL.NotBlank });
			else
				for (const key of UNSORTED_METADATA[category])
					if (!str(metadata[key]).trim())
						errors.push({ code: 'NotBlank', path: `metadata.${key}`, detail: DETAIL.NotBlank });
			const pipeline =
				model.pipeline_id === undefined || model.pipeline_id === null
					? this.mainPipeline()
					: this.pipelines.find((x) => x.id === toInt(model.pipeline_id));
			if (!pipeline || !pipeline.statuses.some((x) => x.type === 1))
				errors.push({
					code: 'NotSupportedChoice',
					path: 'pipeline_id',
					detail: DETAIL.NotSupportedChoice,
				}); // a pipeline without "Incoming" cannot take incoming leads; unconfirmed
			const emb = isObject(model._embedded) ? model._embedded : {};
			const list = (key: string): Json[] => {
				const value = Array.isArray(emb[key]) ? (emb[key] as unknown[]) : [];
				if (value.length > 1)
					errors.push({
						code: 'Count',
						path: `_embedded.${key}`,
						detail: 'This collection should contain 1 element or less.',
					}); // unconfirmed
				return value.filter(isObject);
			};
			const leadModel = list('leads')[0] ?? {};
			const contactModel = list('contacts')[0];
			const companyModel = list('companies')[0];
			const built = this.buildLead(
				{ ...leadModel, pipeline_id: pipeline?.id ?? this.mainPipeline().id },
				'_embedded.leads.0.',
				errors,
				{ unsorted: true, embeddedContactsById: false },
			);
			const contact = contactModel
				? this.buildContact(contactModel, '_embedded.contacts.0.', errors)
				: undefined;
			const company = companyModel
				? this.buildCompany(companyModel, '_embedded.companies.0.', errors)
				: undefined;
			if (errors.length) failures.push({ request_id: this.requestId(model, i), errors });
			return {
				model,
				metadata: metadata ?? {},
				built,
				leadModel,
				contact,
				contactModel,
				company,
				companyModel,
			};
		});
		if (failures.length) return validationFailed(failures);
		const created = plans.map((plan) => {
			const contactIds = plan.contact
				? [this.storeContact(plan.contact, plan.contactModel).id]
				: [];
			const companyIds = plan.company
				? [this.storeCompany(plan.company, plan.companyModel).id]
				: [];
			if (contactIds.length && companyIds.length)
				this.link(contactIds[0], 'companies', companyIds[0], null, 'contacts');
			const lead = this.storeLead(
				plan.built.lead,
				contactIds.map((id) => ({ id, is_main: true })),
				companyIds,
				plan.leadModel,
			);
			const unsorted: FakeUnsorted = {
				uid: randomBytes(30).toString('hex'),
				source_uid: str(plan.model.source_uid),
				source_name: str(plan.model.source_name),
				category,
				pipeline_id: lead.pipeline_id,
				created_at: toInt(plan.model.created_at) ?? nowSec(),
				metadata: readBackMetadata(category, plan.metadata),
				lead_id: lead.id,
				contact_ids: contactIds,
				company_ids: companyIds,
				state: 'incoming',
			};
			this.entities.unsorted.set(unsorted.uid, unsorted);
			return unsorted;
		});
		return hal({
			_total_items: created.length,
			_embedded: {
				unsorted: created.map((u, i) => ({
					uid: u.uid,
					account_id: ACCOUNT_ID,
					request_id: this.requestId(items[i], i),
					_links: { self: this.href(ctx, `/leads/unsorted/${u.uid}`) },
					_embedded: {
						contacts: this.embeddedRefs(ctx, 'contacts', u.contact_ids),
						leads: this.embeddedRefs(ctx, 'leads', [u.lead_id]),
						companies: this.embeddedRefs(ctx, 'companies', u.company_ids),
					},
				})),
			},
		});
	}

	/** GET /leads/unsorted: incoming leads not yet accepted or declined; `filter[uid]`, `filter[category]`, `filter[pipeline_id]`, `order[created_at]`. */
	private listUnsorted(ctx: RouteContext): FakeHttpResponse {
		const q = ctx.url.searchParams;
		const uids = listParam(q, 'filter[uid]');
		const categories = listParam(q, 'filter[category]');
		const pipeline = toInt(q.get('filter[pipeline_id]'));
		const found = this.unsorted
			.filter(
				(u) =>
					u.state === 'incoming' &&
					(!uids || uids.includes(u.uid)) &&
					(!categories || categories.includes(u.category)) &&
					(pipeline === undefined || u.pipeline_id === pipeline),
			)
			.map((u, i) => ({ ...u, id: i }));
		const dir = q.get('order[created_at]')?.toLowerCase() === 'desc' ? -1 : 1;
		found.sort((a, b) => dir * (a.created_at - b.created_at) || a.id - b.id);
		return this.paginate(
			ctx,
			'/leads/unsorted',
			'unsorted',
			found,
			(u) => this.renderUnsorted(ctx, u),
			false,
		);
	}

	private getUnsorted(ctx: RouteContext, uid: string): FakeHttpResponse {
		const u = this.entities.unsorted.get(uid);
		// Unconfirmed: an unknown or already handled uid answers 204, like other GETs by id.
		return u && u.state === 'incoming' ? hal(this.renderUnsorted(ctx, u)) : noContent();
	}

	/** The incoming lead to accept or decline, or amo's refusal: 404 unknown uid, 400 already handled. */
	private pendingUnsorted(uid: string): FakeUnsorted | FakeHttpResponse {
		const u = this.entities.unsorted.get(uid);
		if (!u) return simpleProblem(404, 'Unsorted not found'); // wording unconfirmed
		if (u.state !== 'incoming') return simpleProblem(400, `Unsorted already ${u.state}`); // unconfirmed
		return u;
	}

	private userIdOf(body: Json, errors: FieldError[]): number | undefined {
		if (body.user_id === undefined || body.user_id === null) return undefined;
		const id = toInt(body.user_id);
		if (id === undefined || !this.users.some((x) => x.id === id)) {
			errors.push({
				code: 'NotSupportedChoice',
				path: 'user_id',
				detail: DETAIL.NotSupportedChoice,
			});
			return undefined;
		}
		return id;
	}

	/**
	 * POST /leads/unsorted/{uid}/accept `{user_id?, status_id?}`: the deal moves to `status_id`
	 * (a stage of its pipeline) or to the pipeline's first stage after "Incoming".
	 */
	private acceptUnsorted(ctx: RouteContext, uid: string): FakeHttpResponse {
		const u = this.pendingUnsorted(uid);
		if (!('uid' in u)) return u;
		const body = isObject(ctx.body) ? ctx.body : {};
		const errors: FieldError[] = [];
		const userId = this.userIdOf(body, errors);
		const pipeline = this.pipelines.find((x) => x.id === u.pipeline_id) ?? this.mainPipeline();
		let status = this.firstStage(pipeline);
		if (body.status_id !== undefined && body.status_id !== null) {
			const chosen = pipeline.statuses.find((x) => x.id === toInt(body.status_id) && x.type === 0);
			if (!chosen)
				errors.push({
					code: 'NotSupportedChoice',
					path: 'status_id',
					detail: DETAIL.NotSupportedChoice,
				});
			else status = chosen;
		}
		if (errors.length) return validationFailed([{ request_id: '0', errors }]);
		const lead = this.entities.leads.get(u.lead_id);
		if (lead) {
			lead.status_id = status.id;
			lead.closed_at = status.id === 142 || status.id === 143 ? nowSec() : null;
			lead.updated_by = userId ?? 501;
			lead.updated_at = nowSec();
		}
		u.state = 'accepted';
		return hal({
			uid: u.uid,
			pipeline_id: u.pipeline_id,
			category: u.category,
			created_at: u.created_at,
			_embedded: {
				leads: this.embeddedRefs(ctx, 'leads', [u.lead_id]),
				contacts: this.embeddedRefs(ctx, 'contacts', u.contact_ids),
				companies: this.embeddedRefs(ctx, 'companies', u.company_ids),
			},
		});
	}

	/**
	 * DELETE /leads/unsorted/{uid}/decline `{user_id?}`: amo's docs say the incoming lead's
	 * entities go to the trash, so the deal and its new contact and company leave the lists.
	 */
	private declineUnsorted(ctx: RouteContext, uid: string): FakeHttpResponse {
		const u = this.pendingUnsorted(uid);
		if (!('uid' in u)) return u;
		const errors: FieldError[] = [];
		this.userIdOf(isObject(ctx.body) ? ctx.body : {}, errors);
		if (errors.length) return validationFailed([{ request_id: '0', errors }]);
		const trash = this.entities.trash;
		const lead = this.entities.leads.get(u.lead_id);
		if (lead) trash.leads.push(lead);
		this.entities.leads.delete(u.lead_id);
		for (const id of u.contact_ids) {
			const c = this.entities.contacts.get(id);
			if (c) trash.contacts.push(c);
			this.entities.contacts.delete(id);
		}
		for (const id of u.company_ids) {
			const c = this.entities.companies.get(id);
			if (c) trash.companies.push(c);
			this.entities.companies.delete(id);
		}
		u.state = 'declined';
		return hal({
			uid: u.uid,
			pipeline_id: u.pipeline_id,
			category: u.category,
			created_at: u.created_at,
			_embedded: {
				leads: this.embeddedRefs(ctx, 'leads', [u.lead_id]),
				contacts: this.embeddedRefs(ctx, 'contacts', u.contact_ids),
			},
		});
	}

	// ----- webhooks (amo -> the account's subscribers) -------------------------------------------
	// https://www.amocrm.ru/developers/content/crm_platform/webhooks-api and webhooks-format.

	/** The account's webhooks, as `GET /api/v4/webhooks` lists them. */
	get webhooks(): FakeWebhook[] {
		return this.webhookList.map((hook) => ({ ...hook, settings: [...hook.settings] }));
	}

	/** amoCRM switched the webhook off (after repeated failed deliveries). */
	disableWebhook(destination: string): void {
		const hook = this.webhookList.find((candidate) => candidate.destination === destination);
		if (!hook) throw new Error(`no webhook for ${destination}`);
		hook.disabled = true;
	}

	/**
	 * Delivers an event the way amoCRM does: a form-encoded POST (`body`: nested data, encoded like
	 * PHP's http_build_query, or an already encoded string) to `destination`.
	 */
	async deliverWebhook(
		destination: string,
		body: Json | string,
	): Promise<{ status: number; text: string }> {
		const response = await fetch(destination, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: typeof body === 'string' ? body : encodeForm(body),
			signal: AbortSignal.timeout(2_000), // amoCRM waits 2 s at most
		});
		return { status: response.status, text: await response.text() };
	}

	/** Delivers to every enabled webhook subscribed to `setting` (e.g. "status_lead"). */
	async deliverEvent(
		setting: string,
		body: Json | string,
	): Promise<Array<{ destination: string; status: number }>> {
		const targets = this.webhookList.filter(
			(hook) => !hook.disabled && hook.settings.includes(setting),
		);
		const results: Array<{ destination: string; status: number }> = [];
		for (const hook of targets)
			results.push({
				destination: hook.destination,
				status: (await this.deliverWebhook(hook.destination, body)).status,
			});
		return results;
	}

	private renderWebhook(hook: FakeWebhook): Json {
		return { ...hook, account_id: ACCOUNT_ID, settings: [...hook.settings] };
	}

	private webhooksEndpoint(ctx: RouteContext): FakeHttpResponse {
		const body = isObject(ctx.body) ? ctx.body : {};
		const destination = str(body.destination);
		if (ctx.method === 'GET') {
			const wanted = ctx.url.searchParams.get('filter[destination]');
			const hooks = this.webhookList.filter(
				(hook) => wanted === null || hook.destination === wanted,
			);
			if (hooks.length === 0) return noContent(); // unconfirmed: an empty list as 204, like other lists
			return hal({
				_total_items: hooks.length,
				_embedded: { webhooks: hooks.map((hook) => this.renderWebhook(hook)) },
			});
		}
		if (ctx.method === 'POST') {
			const errors: FieldError[] = [];
			if (!/^https?:\/\/[^\s/]+/.test(destination))
				errors.push({
					code: 'InvalidUrl',
					path: 'destination',
					detail: 'This value is not a valid URL.',
				}); // unconfirmed wording
			const settings = Array.isArray(body.settings) ? body.settings.map(str) : [];
			// Unconfirmed which codes amo accepts beyond its list; any lower-case code is taken.
			if (settings.length === 0 || settings.some((setting) => !/^[a-z_]+$/.test(setting))) {
				errors.push({
					code: 'NotSupportedChoice',
					path: 'settings',
					detail: DETAIL.NotSupportedChoice,
				});
			}
			if (errors.length) return validationFailed([{ request_id: '0', errors }]);
			const now = nowSec();
			const existing = this.webhookList.find((hook) => hook.destination === destination);
			if (existing) {
				// "Если в аккаунте уже есть вебхук с переданным адресом, то он будет обновлен".
				existing.settings = settings;
				existing.updated_at = now;
				return json(201, this.renderWebhook(existing));
			}
			if (this.webhookList.length >= 100) return simpleProblem(400, 'Webhooks limit exceeded'); // 100 per account; wording unconfirmed
			const hook: FakeWebhook = {
				id: this.nextWebhookId++,
				destination,
				created_at: now,
				updated_at: now,
				created_by: 501,
				sort: 1,
				disabled: false,
				settings,
			};
			this.webhookList.push(hook);
			return json(201, this.renderWebhook(hook));
		}
		if (ctx.method === 'DELETE') {
			if (!destination)
				return validationFailed([
					{
						request_id: '0',
						errors: [{ code: 'NotBlank', path: 'destination', detail: DETAIL.NotBlank }],
					},
				]);
			const before = this.webhookList.length;
			this.webhookList = this.webhookList.filter((hook) => hook.destination !== destination);
			return this.webhookList.length < before
				? noContent()
				: simpleProblem(404, 'Webhook not found'); // wording unconfirmed
		}
		return simpleProblem(405, 'Method Not Allowed');
	}

	// ----- notes ------------------------------------------------------------------------------

	private postNotes(
		ctx: RouteContext,
		type: LinkableType,
		pathId: number | undefined,
	): FakeHttpResponse {
		const store = this.entityStore(type);
		if (pathId !== undefined && !store.has(pathId)) return simpleProblem(404, 'Entity not found'); // unconfirmed wording
		const items = this.batch(ctx, 250);
		if (!Array.isArray(items)) return items;
		const failures: { request_id: string; errors: FieldError[] }[] = [];
		const plans = items.map((item, i) => {
			const errors: FieldError[] = [];
			const entityId = pathId ?? toInt(item.entity_id);
			if (pathId === undefined && (entityId === undefined || !store.has(entityId))) {
				errors.push({ code: 'NotFound', path: 'entity_id', detail: DETAIL.NotFound }); // unconfirmed code
			}
			const noteType = str(item.note_type);
			if (!NOTE_TYPES.includes(noteType))
				errors.push({
					code: 'NotSupportedChoice',
					path: 'note_type',
					detail: DETAIL.NotSupportedChoice,
				});
			const params = isObject(item.params) ? item.params : {};
			if (
				['common', 'service_message', 'geolocation', 'sms_in', 'sms_out'].includes(noteType) &&
				!str(params.text)
			) {
				errors.push({ code: 'NotBlank', path: 'params.text', detail: DETAIL.NotBlank });
			}
			const responsible = this.responsible(item, '', errors);
			if (errors.length) failures.push({ request_id: this.requestId(item, i), errors });
			return {
				entityId: entityId ?? 0,
				noteType,
				params,
				responsible,
				createdBy: toInt(item.created_by) ?? 501,
			};
		});
		if (failures.length) return validationFailed(failures);
		const created = plans.map((p) => {
			const note: FakeNote = {
				id: this.entities.nextId.note++,
				entity_type: type,
				entity_id: p.entityId,
				note_type: p.noteType,
				params: p.params,
				created_by: p.createdBy,
				responsible_user_id: p.responsible,
				created_at: nowSec(),
			};
			this.entities.notes.push(note);
			return note;
		});
		return hal({
			_links: {
				self: this.href(ctx, pathId !== undefined ? `/${type}/${pathId}/notes` : `/${type}/notes`),
			},
			_embedded: {
				notes: created.map((n, i) => ({
					id: n.id,
					entity_id: n.entity_id,
					request_id: this.requestId(items[i], i),
					_links: { self: this.href(ctx, `/${type}/${n.entity_id}/notes/${n.id}`) },
				})),
			},
		});
	}

	/**
	 * GET /{type}/notes (`filter[entity_id]`) and /{type}/{id}/notes, with paging,
	 * `filter[note_type]`, `filter[id]`, `filter[updated_at]` and `order[updated_at|id]`.
	 */
	private getNotes(
		ctx: RouteContext,
		type: LinkableType,
		id: number | undefined,
	): FakeHttpResponse {
		const q = ctx.url.searchParams;
		const entityIds = id !== undefined ? [id] : intList(q, 'filter[entity_id]');
		const noteTypes = listParam(q, 'filter[note_type]');
		const ids = intList(q, 'filter[id]');
		const updated = rangeParam(q, 'filter[updated_at]');
		const notes = this.entities.notes.filter(
			(n) =>
				n.entity_type === type &&
				(!entityIds || entityIds.includes(n.entity_id)) &&
				(!noteTypes || noteTypes.includes(n.note_type)) &&
				(!ids || ids.includes(n.id)) &&
				inRange(n.updated_at ?? n.created_at, updated),
		);
		return this.paginate(
			ctx,
			id !== undefined ? `/${type}/${id}/notes` : `/${type}/notes`,
			'notes',
			sortByOrder(q, notes, ['updated_at', 'id']),
			(n) => this.renderNote(ctx, type, n),
			false,
		);
	}

	/**
	 * GET /{type}/notes/{id} and /{type}/{entity_id}/notes/{id} (crm_platform/events-and-notes,
	 * "Получение примечания по ID"): the note model; a note that is not there (or is on another
	 * type of entity) answers 204, as amoCRM's other GETs by ID do (unconfirmed for notes).
	 */
	private getNote(
		ctx: RouteContext,
		type: LinkableType,
		entityId: number | undefined,
		id: number,
	): FakeHttpResponse {
		const n = this.entities.notes.find(
			(x) =>
				x.id === id &&
				x.entity_type === type &&
				(entityId === undefined || x.entity_id === entityId),
		);
		return n ? hal(this.renderNote(ctx, type, n)) : noContent();
	}

	/**
	 * PATCH /{type}/notes and /{type}/{entity_id}/notes (an array, `id` in each) and
	 * /{type}/{entity_id}/notes/{id} (one model): sets `note_type` and `params` as given and answers
	 * `{id, entity_id, updated_at}` per note (crm_platform/events-and-notes, "Редактирование
	 * примечаний"). A note that is not there: NotFound at `id` (code unconfirmed).
	 */
	private patchNotes(
		ctx: RouteContext,
		type: LinkableType,
		entityId: number | undefined,
		pathId: number | undefined,
	): FakeHttpResponse {
		let items: Json[];
		if (pathId !== undefined) {
			if (!isObject(ctx.body) || Object.keys(ctx.body).length === 0)
				return simpleProblem(400, 'Request data can not be empty');
			items = [{ ...ctx.body, id: pathId }];
		} else {
			const batch = this.batch(ctx, 250);
			if (!Array.isArray(batch)) return batch;
			items = batch;
		}
		const failures: { request_id: string; errors: FieldError[] }[] = [];
		const plans = items.map((item, i) => {
			const errors: FieldError[] = [];
			const id = toInt(item.id);
			const note = this.entities.notes.find(
				(n) =>
					n.id === id &&
					n.entity_type === type &&
					(entityId === undefined || n.entity_id === entityId),
			);
			if (!note) errors.push({ code: 'NotFound', path: 'id', detail: DETAIL.NotFound });
			const noteType = item.note_type === undefined ? note?.note_type : str(item.note_type);
			if (noteType !== undefined && !NOTE_TYPES.includes(noteType))
				errors.push({
					code: 'NotSupportedChoice',
					path: 'note_type',
					detail: DETAIL.NotSupportedChoice,
				});
			const params = isObject(item.params) ? item.params : note?.params;
			if (
				['common', 'service_message', 'geolocation', 'sms_in', 'sms_out'].includes(
					noteType ?? '',
				) &&
				!str(params?.text)
			)
				errors.push({ code: 'NotBlank', path: 'params.text', detail: DETAIL.NotBlank });
			if (errors.length) failures.push({ request_id: this.requestId(item, i), errors });
			return { note, noteType, params };
		});
		if (failures.length) {
			if (pathId !== undefined && !plans[0].note) return simpleProblem(404, DETAIL.NotFound);
			return validationFailed(failures);
		}
		const now = nowSec();
		const answers = plans.map(({ note, noteType, params }) => {
			const n = note as FakeNote;
			n.note_type = noteType ?? n.note_type;
			n.params = (params as Record<string, unknown>) ?? n.params;
			n.updated_at = now;
			n.updated_by = 501;
			return {
				id: n.id,
				entity_id: n.entity_id,
				updated_at: now,
				_links: { self: this.href(ctx, `/${type}/${n.entity_id}/notes/${n.id}`) },
			};
		});
		if (pathId !== undefined) return hal(answers[0]);
		return hal({
			_links: { self: this.href(ctx, `/${type}/notes`) },
			_embedded: { notes: answers },
		});
	}

	private renderNote(ctx: RouteContext, type: LinkableType, n: FakeNote): Json {
		return {
			id: n.id,
			entity_id: n.entity_id,
			created_by: n.created_by,
			updated_by: n.updated_by ?? n.created_by,
			created_at: n.created_at,
			updated_at: n.updated_at ?? n.created_at,
			responsible_user_id: n.responsible_user_id,
			group_id: 0,
			note_type: n.note_type,
			params: n.params,
			account_id: ACCOUNT_ID,
			_links: { self: this.href(ctx, `/${type}/${n.entity_id}/notes/${n.id}`) },
		};
	}

	// ----- tags (crm_platform/tags-api) --------------------------------------------------------

	/** GET /{type}/tags: `query` (part of the name), `filter[name]` (exact), `filter[id]`, paging. */
	private getTags(ctx: RouteContext, type: LinkableType): FakeHttpResponse {
		const q = ctx.url.searchParams;
		const query = (q.get('query') ?? '').trim().toLowerCase();
		const name = q.get('filter[name]');
		const ids = intList(q, 'filter[id]');
		const tags = this.tagsOfType(type).filter(
			(t) =>
				t.name.toLowerCase().includes(query) &&
				(name === null || t.name === name) &&
				(!ids || ids.includes(t.id)),
		);
		return this.paginate(
			ctx,
			`/${type}/tags`,
			'tags',
			tags,
			(t) => ({ id: t.id, name: t.name, color: t.color }),
			false,
		);
	}
}

export interface FakeWebhook {
	id: number;
	destination: string;
	created_at: number;
	updated_at: number;
	created_by: number;
	sort: number;
	disabled: boolean;
	settings: string[];
}

/** Nested data as amoCRM (PHP's http_build_query) encodes it: `leads[status][0][id]=1&…`. */
export function encodeForm(data: Json): string {
	const pairs: string[] = [];
	const walk = (value: unknown, key: string): void => {
		if (Array.isArray(value)) value.forEach((entry, index) => walk(entry, `${key}[${index}]`));
		else if (isObject(value))
			for (const [name, entry] of Object.entries(value)) walk(entry, `${key}[${name}]`);
		else if (value !== undefined && value !== null)
			pairs.push(
				`${encodeURIComponent(key)}=${encodeURIComponent(String(value)).replace(/%20/g, '+')}`,
			);
	};
	for (const [name, value] of Object.entries(data)) walk(value, name);
	return pairs.join('&');
}

function redact(headers: Record<string, string>): Record<string, string> {
	const out = { ...headers };
	if (out.authorization !== undefined) {
		const scheme = out.authorization.split(/\s+/)[0] || 'Bearer';
		out.authorization = `${scheme} ***`;
	}
	return out;
}

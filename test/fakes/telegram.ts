/**
 * An in-memory fake of the Telegram Bot API (getMe, sendMessage), for the lead-intake template's
 * notification step. n8n's Telegram credential has a `baseUrl` field: point it at `listen()`'s URL.
 * Validates what the real API rejects most often: empty chat_id/text, too long text, unknown
 * parse_mode, HTML with unsupported/unbalanced tags, unescaped reserved characters in MarkdownV2.
 */
import { performance } from 'node:perf_hooks';
import {
	interceptOriginWithNock,
	normalizeHeaders,
	parseBody,
	serveFake,
	sleep,
	type FakeHttpRequest,
	type FakeHttpResponse,
	type ListenOptions,
	type NockInterception,
	type RunningFake,
} from './amocrm';

export type FakeTelegramMode = 'up' | 'down' | 'error500' | 'rateLimited';

export interface FakeTelegramOptions {
	/** The only bot token accepted (others: 401). Default: any token shaped like `123456:ABC...`. */
	token?: string;
	latencyMs?: number;
	/**
	 * Telegram's limit for a group: a bot may send it at most this many messages a minute (20
	 * for real); more within 60 s are refused with 429 and `retry_after`. Off by default.
	 */
	groupMessagesPerMinute?: number;
}

export interface TelegramMessage {
	message_id: number;
	/** As sent, stringified. */
	chat_id: string;
	/** As sent (markup included). */
	text: string;
	parse_mode?: string;
	disable_web_page_preview?: boolean;
	/** Every parameter as received. */
	params: Record<string, unknown>;
	date: number;
}

export interface TelegramLoggedRequest {
	method: string;
	/** Path with the bot token replaced by three asterisks. */
	path: string;
	botMethod: string;
	body: unknown;
	status: number;
	at: number;
}

type Json = Record<string, unknown>;

const HTML_TAGS = new Set([
	'b',
	'strong',
	'i',
	'em',
	'u',
	'ins',
	's',
	'strike',
	'del',
	'a',
	'code',
	'pre',
	'span',
	'tg-spoiler',
	'tg-emoji',
	'blockquote',
]);
const HTML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

function reply(status: number, body: Json): FakeHttpResponse {
	return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
const fail = (status: number, description: string, extra: Json = {}): FakeHttpResponse =>
	reply(status, { ok: false, error_code: status, description, ...extra });
const badRequest = (what: string): FakeHttpResponse => fail(400, `Bad Request: ${what}`);

function cannedError(status: number): FakeHttpResponse {
	if (status === 429)
		return fail(429, 'Too Many Requests: retry after 5', { parameters: { retry_after: 5 } });
	if (status === 500) return fail(500, 'Internal Server Error');
	if (status === 401) return fail(401, 'Unauthorized');
	if (status === 403) return fail(403, 'Forbidden: bot was blocked by the user');
	return fail(status, 'Error');
}

const byteOffset = (text: string, index: number): number =>
	Buffer.byteLength(text.slice(0, index), 'utf8');

/** Telegram's HTML parse mode: returns the plain text, or the API's error description. */
export function parseTelegramHtml(text: string): { text: string } | { error: string } {
	const stack: string[] = [];
	let out = '';
	for (let i = 0; i < text.length;) {
		const ch = text[i];
		if (ch === '<') {
			const end = text.indexOf('>', i);
			const inner = end < 0 ? text.slice(i + 1) : text.slice(i + 1, end);
			if (inner.startsWith('/')) {
				const name = inner.slice(1).trim().toLowerCase();
				const open = stack.pop();
				if (open === undefined)
					return { error: `Unexpected end tag at byte offset ${byteOffset(text, i)}` };
				if (open !== name)
					return {
						error: `Unmatched end tag at byte offset ${byteOffset(text, i)}, expected "</${open}>", found "</${name}>"`,
					};
			} else {
				const name = (/^[^\s/>]*/.exec(inner)?.[0] ?? '').toLowerCase();
				if (!HTML_TAGS.has(name))
					return { error: `Unsupported start tag "${name}" at byte offset ${byteOffset(text, i)}` };
				if (end < 0) return { error: `Unclosed start tag at byte offset ${byteOffset(text, i)}` };
				stack.push(name);
			}
			i = end + 1;
			continue;
		}
		if (ch === '&') {
			const m = /^&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);/.exec(text.slice(i));
			if (m) {
				const name = m[1];
				out += name.startsWith('#x')
					? String.fromCodePoint(parseInt(name.slice(2), 16))
					: name.startsWith('#')
						? String.fromCodePoint(Number(name.slice(1)))
						: HTML_ENTITIES[name];
				i += m[0].length;
				continue;
			}
		}
		out += ch;
		i++;
	}
	if (stack.length)
		return { error: `Can't find end tag corresponding to start tag "${stack[stack.length - 1]}"` };
	return { text: out };
}

/** MarkdownV2: characters that must be escaped outside code when they are not markup. Returns an error or undefined. */
export function checkMarkdownV2(text: string): string | undefined {
	let inCode = false;
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (ch === '\\') {
			i++;
			continue;
		}
		if (ch === '`') {
			inCode = !inCode;
			continue;
		}
		if (inCode) continue;
		const atLineStart = i === 0 || text[i - 1] === '\n';
		if ('#+-={}.!'.includes(ch) || (ch === '>' && !atLineStart)) {
			return `Character '${ch}' is reserved and must be escaped with the preceding '\\'`;
		}
	}
	return undefined;
}

function asBool(v: unknown): boolean | undefined {
	if (typeof v === 'boolean') return v;
	if (v === 'true' || v === '1') return true;
	if (v === 'false' || v === '0') return false;
	return undefined;
}

export class FakeTelegram {
	readonly messages: TelegramMessage[] = [];
	readonly requests: TelegramLoggedRequest[] = [];
	/** Connections reset because the fake was 'down'. */
	resetConnections = 0;
	private mode: FakeTelegramMode = 'up';
	private failQueue: { remaining: number; status: number }[] = [];
	private nextMessageId = 1;
	/** When each group chat was last sent messages (ms), for `groupMessagesPerMinute`. */
	private readonly sentAt = new Map<string, number[]>();
	/** Messages refused because a group got more than `groupMessagesPerMinute`. */
	refusedForFlood = 0;
	private groupMessagesPerMinute: number | undefined;

	constructor(private readonly options: FakeTelegramOptions = {}) {
		this.groupMessagesPerMinute = options.groupMessagesPerMinute;
	}

	setMode(mode: FakeTelegramMode): void {
		this.mode = mode;
	}

	/** Telegram's per-group limit from now on (`undefined`: none), until `reset()`. */
	limitGroupMessagesPerMinute(perMinute: number | undefined): void {
		this.groupMessagesPerMinute = perMinute;
	}

	/** The next `n` Bot API calls are answered with `status` (Telegram's error body for it). */
	failNext(n: number, status: number): void {
		this.failQueue.push({ remaining: n, status });
	}

	reset(): void {
		this.messages.length = 0;
		this.requests.length = 0;
		this.resetConnections = 0;
		this.mode = 'up';
		this.failQueue = [];
		this.nextMessageId = 1;
		this.sentAt.clear();
		this.refusedForFlood = 0;
		this.groupMessagesPerMinute = this.options.groupMessagesPerMinute;
	}

	listen(options: ListenOptions = {}): Promise<RunningFake> {
		return serveFake(
			(req) => this.handle(req),
			options,
			() => this.mode === 'down',
			() => this.resetConnections++,
		);
	}

	interceptWithNock(origin = 'https://api.telegram.org'): NockInterception {
		return interceptOriginWithNock(origin, (req) => this.handle(req));
	}

	async handle(req: FakeHttpRequest): Promise<FakeHttpResponse> {
		if (this.mode === 'down') {
			this.resetConnections++;
			return { status: 0, headers: {}, body: '', dropConnection: true };
		}
		const started = performance.now();
		const url = new URL(req.url, 'http://127.0.0.1');
		const headers = normalizeHeaders(req.headers);
		const raw = typeof req.body === 'string' ? req.body : (req.body?.toString('utf8') ?? '');
		const m = /^\/bot([^/]*)\/([A-Za-z]+)\/?$/.exec(url.pathname);
		let body: unknown;
		let badJson = false;
		try {
			body = parseBody(headers['content-type'], raw);
		} catch {
			body = raw;
			badJson = true;
		}
		const entry: TelegramLoggedRequest = {
			method: req.method.toUpperCase(),
			path: m ? `/bot***/${m[2]}` : url.pathname,
			botMethod: m?.[2] ?? '',
			body,
			status: 0,
			at: Date.now(),
		};
		this.requests.push(entry);
		const res = this.respond(m, url, body, badJson);
		entry.status = res.status;
		const wait = (this.options.latencyMs ?? 0) - (performance.now() - started);
		if (wait > 0) await sleep(wait);
		return res;
	}

	private respond(
		m: RegExpExecArray | null,
		url: URL,
		body: unknown,
		badJson: boolean,
	): FakeHttpResponse {
		if (!m) return fail(404, 'Not Found');
		const [, token, method] = m;
		if (!/^\d+:[A-Za-z0-9_-]+$/.test(token)) return fail(404, 'Not Found');
		if (this.options.token !== undefined && token !== this.options.token)
			return fail(401, 'Unauthorized');
		if (this.mode === 'error500') return cannedError(500);
		if (this.mode === 'rateLimited') return cannedError(429);
		const forced = this.failQueue[0];
		if (forced) {
			if (--forced.remaining <= 0) this.failQueue.shift();
			return cannedError(forced.status);
		}
		if (badJson) return badRequest("can't parse JSON"); // unconfirmed wording
		const params: Json = {
			...Object.fromEntries(url.searchParams),
			...(typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Json) : {}),
		};
		const botId = Number(token.split(':')[0]);
		switch (method) {
			case 'getMe':
				return reply(200, {
					ok: true,
					result: {
						id: botId,
						is_bot: true,
						first_name: 'E2E Bot',
						username: 'e2e_test_bot',
						can_join_groups: true,
						can_read_all_group_messages: false,
						supports_inline_queries: false,
					},
				});
			case 'sendMessage':
				return this.sendMessage(botId, params);
			default:
				return fail(404, 'Not Found');
		}
	}

	private sendMessage(botId: number, params: Json): FakeHttpResponse {
		const chatRaw = params.chat_id;
		const chatId =
			typeof chatRaw === 'number'
				? String(chatRaw)
				: typeof chatRaw === 'string'
					? chatRaw.trim()
					: '';
		if (!chatId) return badRequest('chat_id is empty');
		if (!/^-?\d+$/.test(chatId) && !/^@\w{4,}$/.test(chatId)) return badRequest('chat not found');
		const text =
			typeof params.text === 'string'
				? params.text
				: typeof params.text === 'number'
					? String(params.text)
					: '';
		if (!text.trim()) return badRequest('message text is empty');
		const parseMode =
			typeof params.parse_mode === 'string' && params.parse_mode !== ''
				? params.parse_mode
				: undefined;
		let plain = text;
		if (parseMode !== undefined) {
			const mode = parseMode.toLowerCase();
			if (mode === 'html') {
				const parsed = parseTelegramHtml(text);
				if ('error' in parsed) return badRequest(`can't parse entities: ${parsed.error}`);
				plain = parsed.text;
			} else if (mode === 'markdownv2') {
				const error = checkMarkdownV2(text);
				if (error) return badRequest(`can't parse entities: ${error}`);
			} else if (mode !== 'markdown') {
				return badRequest('unsupported parse_mode');
			}
		}
		if ([...plain].length > 4096) return badRequest('message is too long');
		const perMinute = this.groupMessagesPerMinute;
		if (perMinute !== undefined && chatId.startsWith('-')) {
			const now = Date.now();
			const recent = (this.sentAt.get(chatId) ?? []).filter((at) => now - at < 60_000);
			if (recent.length >= perMinute) {
				const retryAfter = Math.max(1, Math.ceil((recent[0] + 60_000 - now) / 1000));
				this.refusedForFlood++;
				return fail(429, `Too Many Requests: retry after ${retryAfter}`, {
					parameters: { retry_after: retryAfter },
				});
			}
			this.sentAt.set(chatId, [...recent, now]);
		}

		const date = Math.floor(Date.now() / 1000);
		const message: TelegramMessage = {
			message_id: this.nextMessageId++,
			chat_id: chatId,
			text,
			params,
			date,
		};
		if (parseMode !== undefined) message.parse_mode = parseMode;
		const preview = asBool(params.disable_web_page_preview);
		if (preview !== undefined) message.disable_web_page_preview = preview;
		this.messages.push(message);

		let chat: Json;
		if (chatId.startsWith('@'))
			chat = {
				id: -1001000000001,
				title: chatId.slice(1),
				username: chatId.slice(1),
				type: 'channel',
			};
		else {
			const id = Number(chatId);
			chat =
				id > 0
					? { id, first_name: 'Test', type: 'private' }
					: { id, title: 'Test group', type: id <= -1000000000000 ? 'supergroup' : 'group' };
		}
		return reply(200, {
			ok: true,
			result: {
				message_id: message.message_id,
				from: { id: botId, is_bot: true, first_name: 'E2E Bot', username: 'e2e_test_bot' },
				chat,
				date,
				text: plain,
			},
		});
	}
}

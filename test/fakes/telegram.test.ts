/* eslint-disable @typescript-eslint/no-explicit-any */
import http from 'node:http';
import type { RunningFake } from './amocrm';
import { FakeTelegram, checkMarkdownV2, parseTelegramHtml } from './telegram';

const TOKEN = '123456:ABC-def_ghi';

function call(
	base: string,
	method: string,
	urlPath: string,
	body?: { json?: unknown; form?: Record<string, string> },
): Promise<{ status: number; body: any }> {
	const headers: Record<string, string> = {};
	let payload: string | undefined;
	if (body?.json !== undefined) {
		payload = JSON.stringify(body.json);
		headers['content-type'] = 'application/json';
	} else if (body?.form) {
		payload = new URLSearchParams(body.form).toString();
		headers['content-type'] = 'application/x-www-form-urlencoded';
	}
	return new Promise((resolve, reject) => {
		const req = http.request(new URL(urlPath, base), { method, headers, agent: false }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
			});
		});
		req.on('error', reject);
		req.end(payload);
	});
}

let fake: FakeTelegram;
let server: RunningFake;
let base: string;

beforeEach(async () => {
	fake = new FakeTelegram();
	server = await fake.listen({ port: 0 });
	base = server.url;
});
afterEach(async () => {
	await server.close();
});

test('getMe describes the bot', async () => {
	const r = await call(base, 'GET', `/bot${TOKEN}/getMe`);
	expect(r).toEqual({
		status: 200,
		body: {
			ok: true,
			result: {
				id: 123456,
				is_bot: true,
				first_name: 'E2E Bot',
				username: 'e2e_test_bot',
				can_join_groups: true,
				can_read_all_group_messages: false,
				supports_inline_queries: false,
			},
		},
	});
});

test('sendMessage with a JSON body is recorded and answered like Telegram', async () => {
	const r = await call(base, 'POST', `/bot${TOKEN}/sendMessage`, {
		json: {
			chat_id: 42,
			text: 'New lead: <b>Ann</b> &amp; co',
			parse_mode: 'HTML',
			disable_web_page_preview: true,
		},
	});
	expect(r.status).toBe(200);
	expect(r.body).toEqual({
		ok: true,
		result: {
			message_id: 1,
			from: { id: 123456, is_bot: true, first_name: 'E2E Bot', username: 'e2e_test_bot' },
			chat: { id: 42, first_name: 'Test', type: 'private' },
			date: expect.any(Number),
			text: 'New lead: Ann & co',
		},
	});
	expect(fake.messages).toEqual([
		{
			message_id: 1,
			chat_id: '42',
			text: 'New lead: <b>Ann</b> &amp; co',
			parse_mode: 'HTML',
			disable_web_page_preview: true,
			params: {
				chat_id: 42,
				text: 'New lead: <b>Ann</b> &amp; co',
				parse_mode: 'HTML',
				disable_web_page_preview: true,
			},
			date: expect.any(Number),
		},
	]);
});

test('sendMessage with a form body works too', async () => {
	const r = await call(base, 'POST', `/bot${TOKEN}/sendMessage`, {
		form: { chat_id: '-1001234567890', text: 'hi', disable_web_page_preview: 'true' },
	});
	expect(r.body.result.chat).toEqual({
		id: -1001234567890,
		title: 'Test group',
		type: 'supergroup',
	});
	expect(fake.messages[0]).toMatchObject({
		chat_id: '-1001234567890',
		text: 'hi',
		disable_web_page_preview: true,
	});
});

test('an empty chat_id or text is a Telegram 400', async () => {
	expect(await call(base, 'POST', `/bot${TOKEN}/sendMessage`, { json: { text: 'x' } })).toEqual({
		status: 400,
		body: { ok: false, error_code: 400, description: 'Bad Request: chat_id is empty' },
	});
	expect(
		(await call(base, 'POST', `/bot${TOKEN}/sendMessage`, { json: { chat_id: 1, text: ' ' } })).body
			.description,
	).toBe('Bad Request: message text is empty');
	expect(fake.messages).toHaveLength(0);
});

test('HTML with an unsupported tag is refused with the byte offset', async () => {
	const r = await call(base, 'POST', `/bot${TOKEN}/sendMessage`, {
		json: { chat_id: 1, text: 'Name: <Ann>', parse_mode: 'HTML' },
	});
	expect(r).toEqual({
		status: 400,
		body: {
			ok: false,
			error_code: 400,
			description: `Bad Request: can't parse entities: Unsupported start tag "ann" at byte offset 6`,
		},
	});
});

test('MarkdownV2 with an unescaped reserved character is refused', async () => {
	const r = await call(base, 'POST', `/bot${TOKEN}/sendMessage`, {
		json: { chat_id: 1, text: 'Phone +998 90', parse_mode: 'MarkdownV2' },
	});
	expect(r.body.description).toBe(
		"Bad Request: can't parse entities: Character '+' is reserved and must be escaped with the preceding '\\'",
	);
});

test('a text longer than 4096 characters is refused', async () => {
	const r = await call(base, 'POST', `/bot${TOKEN}/sendMessage`, {
		json: { chat_id: 1, text: 'x'.repeat(4097) },
	});
	expect(r.body.description).toBe('Bad Request: message is too long');
});

test('a configured token rejects other tokens with 401; a malformed one is 404', async () => {
	const strict = new FakeTelegram({ token: TOKEN });
	const s = await strict.listen({ port: 0 });
	try {
		expect((await call(s.url, 'GET', '/bot999:zzz/getMe')).body).toEqual({
			ok: false,
			error_code: 401,
			description: 'Unauthorized',
		});
		expect((await call(s.url, 'GET', '/botnot-a-token/getMe')).status).toBe(404);
		expect((await call(s.url, 'GET', `/bot${TOKEN}/getMe`)).status).toBe(200);
	} finally {
		await s.close();
	}
});

test("setMode('error500') answers Telegram's 500", async () => {
	fake.setMode('error500');
	expect(
		await call(base, 'POST', `/bot${TOKEN}/sendMessage`, { json: { chat_id: 1, text: 'x' } }),
	).toEqual({
		status: 500,
		body: { ok: false, error_code: 500, description: 'Internal Server Error' },
	});
	expect(fake.messages).toHaveLength(0);
});

test("setMode('down') resets connections", async () => {
	fake.setMode('down');
	await expect(
		call(base, 'POST', `/bot${TOKEN}/sendMessage`, { json: { chat_id: 1, text: 'x' } }),
	).rejects.toMatchObject({ code: 'ECONNRESET' });
	fake.setMode('up');
	expect(
		(await call(base, 'POST', `/bot${TOKEN}/sendMessage`, { json: { chat_id: 1, text: 'x' } }))
			.status,
	).toBe(200);
});

test('the request log hides the bot token', async () => {
	await call(base, 'GET', `/bot${TOKEN}/getMe`);
	expect(fake.requests).toEqual([
		{
			method: 'GET',
			path: '/bot***/getMe',
			botMethod: 'getMe',
			body: undefined,
			status: 200,
			at: expect.any(Number),
		},
	]);
});

test('parsers: balanced HTML passes, unbalanced fails; escaped MarkdownV2 passes', () => {
	expect(parseTelegramHtml('<a href="https://x.y/?a=1&amp;b=2">link</a> &lt;3')).toEqual({
		text: 'link <3',
	});
	expect(parseTelegramHtml('<b>open')).toEqual({
		error: `Can't find end tag corresponding to start tag "b"`,
	});
	expect(checkMarkdownV2('*Lead* \\+998 `a.b`\n> quote')).toBeUndefined();
});

test('groupMessagesPerMinute: a group gets that many messages a minute, then 429 with retry_after; private chats are not limited', async () => {
	const limited = new FakeTelegram({ groupMessagesPerMinute: 2 });
	const s = await limited.listen({ port: 0 });
	const send = async (chat: number) =>
		await call(s.url, 'POST', `/bot${TOKEN}/sendMessage`, { json: { chat_id: chat, text: 'x' } });
	try {
		expect((await send(-100123)).status).toBe(200);
		expect((await send(-100123)).status).toBe(200);
		const refused = await send(-100123);
		expect(refused.status).toBe(429);
		expect(refused.body).toEqual({
			ok: false,
			error_code: 429,
			description: `Too Many Requests: retry after ${refused.body.parameters.retry_after}`,
			parameters: { retry_after: expect.any(Number) },
		});
		expect(refused.body.parameters.retry_after).toBeGreaterThanOrEqual(59);
		expect(refused.body.parameters.retry_after).toBeLessThanOrEqual(60);
		expect((await send(-100456)).status).toBe(200); // another group
		expect((await send(42)).status).toBe(200);
		expect((await send(42)).status).toBe(200);
		expect((await send(42)).status).toBe(200);
		expect(limited.messages.map((m) => m.chat_id)).toEqual([
			'-100123',
			'-100123',
			'-100456',
			'42',
			'42',
			'42',
		]);
		expect(limited.refusedForFlood).toBe(1);
	} finally {
		await s.close();
	}
});

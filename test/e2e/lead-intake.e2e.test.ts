/**
 * The lead-intake template (workflows/lead-intake.json) in a real n8n 2.x: imported as
 * `npm start` imports it, given the picks a user makes after import (credentials, pipeline,
 * stage, deal fields, Telegram chat), activated, and fed real HTTP posts on /webhook/lead.
 * Here a post only stores the lead and answers; the cases run the sync part themselves, as its
 * schedule would (the webhook's own sync after 2 s is covered in lead-intake-alone).
 * amoCRM is the fake at https://leadintake.amocrm.ru (hosts + throwaway CA; its account's
 * country is RU), Telegram the fake Bot API behind the credential's base URL. Every case checks
 * the stored rows, what amoCRM received and what Telegram received.
 *
 * The same suite runs against the PostgreSQL variant in lead-intake-postgres.e2e.test.ts.
 */
import { readFileSync } from 'node:fs';

import { phoneSearchQuery } from '../../nodes/AmoCrm/helpers/phone';
import { FakeAmoCrm, type FakeHttpRequest, type LoggedRequest } from '../fakes/amocrm';
import { FakeTelegram, parseTelegramHtml, type TelegramMessage } from '../fakes/telegram';
import type { Execution, N8nInstance, WorkflowJson } from './harness';
import {
	dataTableIdOf,
	LEAD_ACCOUNT,
	readLeadRows,
	SALES_CHAT,
	startLeadIntake,
	SYNC_TRIGGER,
	templateFile,
	TOKEN,
	userPicks,
	type LeadIntakeRun,
	type LeadRow,
	type Storage,
	type TestPicks,
} from './harness/lead-intake';

type Node = WorkflowJson['nodes'][number];

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/** What a site posts as JSON. */
interface Lead {
	name: string;
	phone: string;
	email: string;
	source: string;
	message: string;
	productId: string;
}

/** The advice the template adds to the error of a lead that waits for a person. */
const CHECK_ADVICE =
	'It is not sent again automatically (that could create a second deal). Check amoCRM for a deal for ' +
	'this phone number, then set the status of the lead\'s row to "pending" to send it again, or to "synced".';

/** The suite, for either storage variant. */
export function leadIntakeSuite(storage: Storage): void {
	describe(`lead-intake template (${storage === 'postgres' ? 'PostgreSQL' : 'Data table'}) in a real n8n`, () => {
		let n8n: N8nInstance;
		let run: LeadIntakeRun;
		let workflowId: string;
		const amo = new FakeAmoCrm({ subdomain: LEAD_ACCOUNT.subdomain, accessTokens: [TOKEN] });
		const telegram = new FakeTelegram();
		let finishedExecutions = 0;
		let leadCounter = 0;

		// ----- storage -------------------------------------------------------------------

		let dataTableId = '';
		async function rows(): Promise<LeadRow[]> {
			const all = await readLeadRows(n8n, storage);
			dataTableId ||= (await dataTableIdOf(n8n)) ?? '';
			return all;
		}
		async function row(id: number): Promise<LeadRow> {
			const found = (await rows()).find((r) => r.id === id);
			if (!found) throw new Error(`no stored lead ${id}`);
			return found;
		}
		/**
		 * Stores a row directly, as if an earlier execution had left it so. In PostgreSQL a run's
		 * hold on a lead is `lease_until`: a seeded row's hold ended long ago.
		 */
		async function seedRow(values: Partial<LeadRow>): Promise<number> {
			const full: Record<string, unknown> = {
				name: '',
				phone: '',
				email: '',
				source: '',
				message: '',
				product_id: '',
				phone_checked: true,
				fields: '{}',
				status: 'pending',
				attempts: 1,
				telegram_failures: 0,
				...values,
			};
			if (storage === 'postgres') {
				full.lease_until = '2000-01-01 00:00:00+00';
				const columns = Object.keys(full);
				const literal = (v: unknown) =>
					v === null
						? 'NULL'
						: typeof v === 'number' || typeof v === 'boolean'
							? String(v)
							: `'${String(v).replace(/'/g, "''")}'`;
				const [id] = await n8n.postgres.query(
					`insert into amocrm_leads (${columns.join(', ')}) values (${columns.map((c) => literal(full[c])).join(', ')}) returning id`,
					'leads',
				);
				return Number(id);
			}
			await rows(); // resolves the table id (the template created the table on its first lead)
			const inserted = await n8n.api<Array<{ id: number }>>(
				'POST',
				`/data-tables/${dataTableId}/rows`,
				{ data: [full], returnType: 'all' },
			);
			return inserted[0].id;
		}

		/** Changes a stored row directly, as a person (or an earlier execution) would. */
		async function setRow(id: number, values: Partial<LeadRow>): Promise<void> {
			if (storage === 'postgres') {
				const sets = Object.entries(values).map(
					([column, v]) =>
						`${column} = ${typeof v === 'number' ? v : `'${String(v).replace(/'/g, "''")}'`}`,
				);
				await n8n.postgres.query(
					`update amocrm_leads set ${sets.join(', ')} where id = ${id}`,
					'leads',
				);
				return;
			}
			await rows();
			await n8n.api('PATCH', `/data-tables/${dataTableId}/rows/update`, {
				filter: { type: 'and', filters: [{ columnName: 'id', condition: 'eq', value: id }] },
				data: values,
			});
		}

		/**
		 * Puts the leads earlier cases left unfinished out of the sync's way, as a person who
		 * checked them would: each case then sees only its own leads reach amoCRM and Telegram.
		 */
		async function settleEarlierLeads(): Promise<void> {
			for (const stored of await rows()) {
				if (['pending', 'failed', 'syncing', 'sending'].includes(stored.status))
					await setRow(stored.id, { status: 'check' });
				if (stored.telegram === 'failed') await setRow(stored.id, { telegram: 'sent' });
			}
		}

		// ----- driving the workflow --------------------------------------------------------

		async function waitForExecutions(count: number): Promise<Execution[]> {
			finishedExecutions += count;
			const all = await n8n.waitForExecutions(workflowId, finishedExecutions, {
				timeoutMs: 90_000,
			});
			return all.slice(-count);
		}

		/** Posts to the webhook and waits until the execution it started has finished. */
		async function post(
			body: string | Record<string, string>,
			contentType = 'application/json',
		): Promise<{ status: number; body: Record<string, unknown> }> {
			const payload =
				typeof body === 'string'
					? body
					: contentType === 'application/json'
						? JSON.stringify(body)
						: new URLSearchParams(body).toString();
			const response = await n8n.webhook('lead', {
				method: 'POST',
				headers: { 'content-type': contentType },
				body: payload,
			});
			const text = await response.text();
			const [execution] = await waitForExecutions(1);
			expect(execution.status).toBe('success');
			return {
				status: response.status,
				body: (text ? JSON.parse(text) : undefined) as Record<string, unknown>,
			};
		}
		/** Posts a valid lead; returns its row's id. */
		async function store(lead: Lead | Record<string, string>): Promise<number> {
			const answer = await post({ ...lead });
			expect(answer).toEqual({ status: 200, body: { ok: true, id: expect.any(Number) } });
			return answer.body.id as number;
		}

		/** Runs the sync part now, exactly as its schedule would, and waits for it. */
		async function runSync(): Promise<Execution> {
			const started = await n8n.rest<{ executionId?: string }>(
				'POST',
				`/workflows/${workflowId}/run`,
				{ triggerToStartFrom: { name: SYNC_TRIGGER } },
			);
			if (!started?.executionId)
				throw new Error(`the sync did not start: ${JSON.stringify(started)}`);
			const deadline = Date.now() + 90_000;
			for (;;) {
				const execution = await n8n
					.api<Execution>('GET', `/executions/${started.executionId}?includeData=true`)
					.catch(() => undefined);
				if (execution && ['success', 'error', 'crashed', 'canceled'].includes(execution.status)) {
					finishedExecutions++;
					expect(execution.data?.resultData.error).toBeUndefined();
					expect(execution.status).toBe('success');
					return execution;
				}
				if (Date.now() > deadline)
					throw new Error(`sync execution ${started.executionId} did not finish`);
				await sleep(250);
			}
		}

		/** Runs `check` with the workflow changed as `change` says (a user's other picks), then restores it. */
		async function withChangedPicks(
			change: (picked: WorkflowJson) => void,
			check: () => Promise<void>,
			picks: TestPicks = {},
		) {
			const republish = async (workflow: WorkflowJson) => {
				await n8n.deactivate(workflowId);
				await n8n.updateWorkflow(workflowId, workflow);
				await n8n.activate(workflowId);
			};
			const picked = userPicks(run.template, picks);
			change(picked);
			await republish(picked);
			try {
				await check();
			} finally {
				await republish(userPicks(run.template));
			}
		}
		const nodeOf = (workflow: WorkflowJson, name: string) =>
			workflow.nodes.find((n) => n.name === name) as Node;

		// ----- leads and what they become ----------------------------------------------------

		const newLead = (extra: Partial<Lead> = {}): Lead => ({
			name: `Aziza Karimova ${++leadCounter}`,
			phone: `+998 90 123-45-${String(10 + leadCounter).padStart(2, '0')}`,
			email: `aziza${leadCounter}@example.uz`,
			source: 'site',
			message: `Call me after 18:00 (lead ${leadCounter})`,
			productId: `HA-${100 + leadCounter}`,
			...extra,
		});
		const normalised = (phone: string) => '+' + phone.replace(/\D/g, '');
		/** A lead's row as a run that stopped at its first attempt left it, in `status`. */
		const seedLeftAt = async (lead: Lead, status: 'syncing' | 'sending') =>
			await seedRow({
				name: lead.name,
				phone: normalised(lead.phone),
				email: lead.email,
				source: lead.source,
				message: lead.message,
				product_id: lead.productId,
				status,
				attempts: 1,
			});

		const posts = (path: string): LoggedRequest[] =>
			amo.requests.filter((r) => r.method === 'POST' && r.path === path);
		const writes = () =>
			amo.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
		const dealsNamed = (name: string) =>
			amo.leads.filter((deal) => deal.name === `Website lead: ${name}`);
		const messagesAbout = (rowId: number): TelegramMessage[] =>
			telegram.messages.filter((m) => new RegExp(`#${rowId}(?!\\d)`).test(m.text));
		const sendAttempts = () =>
			telegram.requests.filter((r) => r.botMethod === 'sendMessage').length;
		const dealUrl = (dealId: number) => `https://${LEAD_ACCOUNT.host}/leads/detail/${dealId}`;

		/** The form's other fields as the note and Telegram list them. */
		const otherLines = (stored: LeadRow) =>
			Object.entries(JSON.parse(stored.fields || '{}') as Record<string, string>)
				.map(([name, value]) => `${name}: ${value}`)
				.join('\n');

		/** Telegram's text for a stored lead, as the template's Telegram node words it. */
		function telegramText(stored: LeadRow): string {
			const headline =
				stored.status === 'synced'
					? `✅ New lead #${stored.id}`
					: stored.status === 'check'
						? `⚠️ Lead #${stored.id} needs a manual check in amoCRM`
						: `⚠️ Lead #${stored.id} is NOT in amoCRM yet (attempt ${stored.attempts})`;
			const problems = [
				stored.error,
				stored.note_error,
				stored.refused_fields
					? `Not saved in the deal fields (they are in its note): ${(
							JSON.parse(stored.refused_fields) as Array<{ field: string; value: string }>
						)
							.map((refused) => `${refused.field} = ${refused.value}`)
							.join('; ')}`
					: '',
			]
				.filter(Boolean)
				.join('\n');
			return [
				headline,
				`Name: ${stored.name}`,
				`Phone: ${stored.phone}`,
				`Email: ${stored.email}`,
				`Source: ${stored.source}`,
				`Product: ${stored.product_id}`,
				`Message: ${stored.message}`,
				otherLines(stored),
				stored.deal_url ?? '',
				problems,
			]
				.join('\n')
				.replace(/&/g, '&amp;')
				.replace(/</g, '&lt;')
				.replace(/>/g, '&gt;');
		}
		/** The one message about a lead: to the sales chat, plain text, worded for its row. */
		function expectOneMessage(stored: LeadRow): TelegramMessage {
			const about = messagesAbout(stored.id);
			expect(about.map((m) => m.text)).toEqual([telegramText(stored)]);
			expect(about[0].chat_id).toBe(SALES_CHAT);
			return about[0];
		}

		/** Everything a synced lead must look like: its row, its contact, deal and note in amoCRM. */
		async function expectSynced(rowId: number, lead: Lead, attempts = 1) {
			const stored = await row(rowId);
			expect(stored).toMatchObject({
				name: lead.name,
				phone: normalised(lead.phone),
				phone_checked: true,
				email: lead.email,
				source: lead.source,
				message: lead.message,
				product_id: lead.productId,
				status: 'synced',
				attempts,
				note_error: '',
				refused_fields: '',
			});
			expect(stored.error || null).toBeNull();
			expect(stored.synced_by).toMatch(/^\d+$/);
			const deals = dealsNamed(lead.name);
			expect(deals).toHaveLength(1);
			const [deal] = deals;
			expect(stored.deal_id).toBe(deal.id);
			expect(stored.deal_url).toBe(dealUrl(deal.id));
			expect(deal).toMatchObject({ pipeline_id: 1001, status_id: 2002 });
			const dealFields = Object.fromEntries(
				(deal.custom_fields_values ?? []).map((f) => [f.field_id, f.values.map((v) => v.value)]),
			);
			expect(dealFields).toEqual({ 4001: [lead.source], 4002: [lead.productId] });
			expect(amo.leadContacts(deal.id)).toEqual([{ id: stored.contact_id, is_main: true }]);
			expect(amo.contactValues(stored.contact_id as number, 'PHONE')).toEqual([
				normalised(lead.phone),
			]);
			const notes = amo.notes.filter((note) => note.entity_id === deal.id);
			expect(notes).toHaveLength(1);
			expect(notes[0]).toMatchObject({
				id: stored.note_id,
				entity_type: 'leads',
				note_type: 'common',
				params: { text: [lead.message, otherLines(stored)].filter(Boolean).join('\n\n') },
			});
			return { stored, deal };
		}

		// ----- set-up ----------------------------------------------------------------------

		beforeAll(async () => {
			run = await startLeadIntake(storage, amo, telegram);
			n8n = run.n8n;
			workflowId = run.workflowId;
			await n8n.updateWorkflow(workflowId, userPicks(run.template));
			await n8n.activate(workflowId);
		}, 10 * 60_000);

		beforeEach(async () => {
			await settleEarlierLeads();
			amo.reset();
			telegram.reset();
		});

		afterAll(async () => await run?.stop());

		// ----- the cases -------------------------------------------------------------------

		it('imports with all its nodes and activates with the user’s picks', async () => {
			const stored = await n8n.api<WorkflowJson & { active: boolean }>(
				'GET',
				`/workflows/${workflowId}`,
			);
			const template = JSON.parse(readFileSync(templateFile(storage), 'utf8')) as WorkflowJson;
			expect(stored.nodes.map((n) => n.name).sort()).toEqual(
				template.nodes.map((n) => n.name).sort(),
			);
			expect(stored.nodes.filter((n) => n.type !== 'n8n-nodes-base.stickyNote')).toHaveLength(
				storage === 'postgres' ? 22 : 24,
			);
			expect(stored.active).toBe(true);
			const deal = nodeOf(stored, 'Create deal').parameters as {
				statusId: { value: string };
				customFields: { field: Array<{ fieldId: { value: string } }> };
			};
			expect(deal.statusId.value).toBe('1001:2002');
			expect(deal.customFields.field.map((f) => f.fieldId.value)).toEqual(['4001', '4002']);
			expect(nodeOf(stored, 'Telegram').parameters.chatId).toBe(SALES_CHAT);
		});

		it('stores a valid JSON lead and answers 200 with its id at once; the sync makes the contact, the deal with its fields and note, and one plain Telegram message', async () => {
			const lead = newLead();
			const answer = await post({ ...lead });

			expect(answer).toEqual({ status: 200, body: { ok: true, id: expect.any(Number) } });
			const rowId = answer.body.id as number;
			const pending = await row(rowId);
			expect(pending).toMatchObject({
				status: 'pending',
				attempts: 0,
				phone: normalised(lead.phone),
				phone_checked: true,
				fields: '{}',
				deal_id: null,
				telegram: null,
			});
			expect(pending.stored_by).toMatch(/^\d+$/);
			expect(amo.requests).toHaveLength(0);
			expect(telegram.messages).toHaveLength(0);

			const sync = await runSync();

			const { stored, deal } = await expectSynced(rowId, lead);
			expect(stored.synced_by).toBe(sync.id);
			expect(stored.stored_by).toBe(pending.stored_by);
			expect(amo.contacts.map((c) => c.id)).toEqual([stored.contact_id]);
			expect(amo.contacts[0].name).toBe(lead.name);
			expect(amo.contactValues(stored.contact_id as number, 'EMAIL')).toEqual([lead.email]);
			expect(amo.leads.map((d) => d.id)).toEqual([deal.id]);

			// The contact is looked for by its phone, then made; then the deal, then its note.
			const searches = amo.requests.filter(
				(r) => r.method === 'GET' && r.path === '/api/v4/contacts',
			);
			expect(searches.map((r) => r.query.query)).toEqual([
				phoneSearchQuery(normalised(lead.phone).slice(1)),
			]);
			expect(writes()).toEqual([
				'POST /api/v4/contacts',
				'POST /api/v4/leads',
				'POST /api/v4/leads/notes',
			]);
			expect(posts('/api/v4/contacts')[0].body).toEqual([
				expect.objectContaining({
					name: lead.name,
					custom_fields_values: [
						{ field_code: 'PHONE', values: [{ value: normalised(lead.phone), enum_code: 'MOB' }] },
						{ field_code: 'EMAIL', values: [{ value: lead.email, enum_code: 'WORK' }] },
					],
				}),
			]);
			expect(posts('/api/v4/leads')[0].body).toEqual([
				expect.objectContaining({
					name: `Website lead: ${lead.name}`,
					pipeline_id: 1001,
					status_id: 2002,
					custom_fields_values: [
						{ field_id: 4001, values: [{ value: lead.source }] },
						{ field_id: 4002, values: [{ value: lead.productId }] },
					],
					_embedded: { contacts: [expect.objectContaining({ id: stored.contact_id })] },
				}),
			]);
			expect(posts('/api/v4/leads/notes')[0].body).toEqual([
				expect.objectContaining({
					entity_id: deal.id,
					note_type: 'common',
					params: { text: lead.message },
				}),
			]);

			expect(stored.telegram).toBe('sent');
			expect(stored.telegram_failures).toBe(0);
			expect(stored.telegram_error || null).toBeNull();
			expect(telegram.messages).toHaveLength(1);
			const message = expectOneMessage(stored);
			expect(message.text).toBe(
				[
					`✅ New lead #${rowId}`,
					`Name: ${lead.name}`,
					`Phone: ${normalised(lead.phone)}`,
					`Email: ${lead.email}`,
					`Source: ${lead.source}`,
					`Product: ${lead.productId}`,
					`Message: ${lead.message}`,
					'',
					dealUrl(deal.id),
					'',
				].join('\n'),
			);

			// Nothing left to do: another run sends nothing.
			amo.clearRequests();
			await runSync();
			expect(amo.requests).toHaveLength(0);
			expect(telegram.messages).toHaveLength(1);
		});

		it("Telegram shows a name, email or product with Markdown's _ and *, and HTML's <, > and &, as typed", async () => {
			const lead = newLead({
				name: 'Aziza *VIP* Karimova <b> & Co',
				email: 'aziza_karimova@example.uz',
				productId: 'HA_7',
			});
			const rowId = await store(lead);
			await runSync();

			const stored = await row(rowId);
			expect(stored.status).toBe('synced');
			const message = expectOneMessage(stored);
			// What the chat shows under the message's parse mode. Legacy Markdown (n8n's default) takes
			// _ and * as marks: an odd one makes Telegram refuse the message ("can't parse entities"),
			// which the fake does not model, so it is refused here.
			const shown = (): string => {
				if (message.parse_mode === undefined) return message.text;
				if (message.parse_mode === 'HTML') {
					const parsed = parseTelegramHtml(message.text);
					if ('error' in parsed) throw new Error(parsed.error);
					return parsed.text;
				}
				throw new Error(`parse_mode ${message.parse_mode} reads the lead's _ and * as marks`);
			};
			expect(shown).not.toThrow();
			expect(shown()).toContain('\nName: Aziza *VIP* Karimova <b> & Co\n');
			expect(shown()).toContain('\nEmail: aziza_karimova@example.uz\n');
			expect(shown()).toContain('\nProduct: HA_7\n');
		});

		it('takes a form-encoded lead whose field names differ in case, and keeps an extra field for the note and Telegram', async () => {
			const lead = newLead();
			const answer = await post(
				{
					Name: lead.name,
					PHONE: lead.phone,
					email: lead.email,
					source: lead.source,
					message: lead.message,
					product_id: lead.productId,
					city: 'Tashkent',
				},
				'application/x-www-form-urlencoded',
			);
			expect(answer).toEqual({ status: 200, body: { ok: true, id: expect.any(Number) } });
			const rowId = answer.body.id as number;
			expect(await row(rowId)).toMatchObject({
				name: lead.name,
				phone: normalised(lead.phone),
				product_id: lead.productId,
				fields: '{"city":"Tashkent"}',
				status: 'pending',
			});

			await runSync();
			const { stored } = await expectSynced(rowId, lead);
			expect(amo.notes[0].params).toEqual({ text: `${lead.message}\n\ncity: Tashkent` });
			expect(expectOneMessage(stored).text).toContain('\ncity: Tashkent\n');
			expect(telegram.messages).toHaveLength(1);
		});

		const invalid: Array<[string, () => { body: string; contentType: string }, string[]]> = [
			[
				'no name',
				() => ({
					body: JSON.stringify({ ...newLead(), name: '' }),
					contentType: 'application/json',
				}),
				['name'],
			],
			[
				'a phone with letters and a bad email',
				() => ({
					body: JSON.stringify({ ...newLead(), phone: 'call me', email: 'aziza@' }),
					contentType: 'application/json',
				}),
				['email', 'phone'],
			],
			[
				// "+8 …": a Russian 8 with a + put in front; no country code starts with 89.
				'a phone that is no number of any country',
				() => ({
					body: JSON.stringify({ ...newLead(), phone: '+8 901 555-00-11' }),
					contentType: 'application/json',
				}),
				['phone'],
			],
			[
				'a wrong content type',
				() => ({ body: 'name=Aziza&phone=901234567', contentType: 'text/plain' }),
				['Content-Type'],
			],
		];
		it.each(invalid)(
			'refuses %s with 400 naming the fields, stores nothing and calls no one',
			async (_case, make, fields) => {
				const before = (await rows()).length;
				const { body, contentType } = make();
				const answer = await post(body, contentType);

				expect(answer.status).toBe(400);
				expect(answer.body).toEqual({
					ok: false,
					error: `Invalid lead: ${fields.join(', ')}`,
					fields: Object.fromEntries(fields.map((field) => [field, expect.any(String)])),
				});
				expect((await rows()).length).toBe(before);
				expect(amo.requests.filter((r) => r.path !== '/api/v4/account')).toHaveLength(0);
				expect(telegram.messages).toHaveLength(0);
			},
		);

		it('with Default Country Code 998 (an Uzbek account) refuses "8 901 555-00-11", a Russian number typed the Russian way, instead of storing +89015550011', async () => {
			await withChangedPicks(
				(picked) => {
					nodeOf(picked, 'Read form').parameters.options = { defaultCountryCode: '998' };
				},
				async () => {
					const before = (await rows()).length;
					const answer = await post({ ...newLead(), phone: '8 901 555-00-11' });
					expect(answer.status).toBe(400);
					expect(answer.body).toEqual({
						ok: false,
						error: 'Invalid lead: phone',
						fields: { phone: expect.stringContaining('"8 901 555-00-11"') },
					});
					expect((await rows()).length).toBe(before);
					expect(amo.requests).toHaveLength(0);
				},
			);
		});

		it("completes a phone typed without its country code with the amoCRM account's country (RU): 8 (901) 555-00-11 is stored and sent as +79015550011", async () => {
			const lead = newLead({ phone: '8 (901) 555-00-11' });
			const rowId = await store(lead);
			expect(await row(rowId)).toMatchObject({
				phone: '+79015550011',
				phone_checked: true,
				status: 'pending',
			});

			await runSync();
			const stored = await row(rowId);
			expect(stored).toMatchObject({ status: 'synced', phone: '+79015550011' });
			expect(amo.contactValues(stored.contact_id as number, 'PHONE')).toEqual(['+79015550011']);
			expect(expectOneMessage(stored).text).toContain('\nPhone: +79015550011\n');
		});

		it.each([
			['down (connections refused)', 'down' as const],
			['answering 500', 'error500' as const],
		])(
			'amoCRM %s: the row fails with the error and Telegram says it is not in amoCRM yet; once amoCRM is back the next run syncs it with one deal',
			async (_case, mode) => {
				const lead = newLead();
				const rowId = await store(lead);
				amo.setMode(mode);

				await runSync();
				const failed = await row(rowId);
				expect(failed).toMatchObject({
					status: 'failed',
					attempts: 1,
					deal_id: null,
					telegram: 'sent',
				});
				expect(failed.error).toMatch(
					mode === 'down' ? /reach amoCRM|ECONNRESET|socket hang up/i : /HTTP 500|500/,
				);
				expect(amo.leads).toHaveLength(0);
				expectOneMessage(failed);
				expect(messagesAbout(rowId)[0].text).toContain(
					`⚠️ Lead #${rowId} is NOT in amoCRM yet (attempt 1)`,
				);

				amo.setMode('up');
				await runSync();
				const { stored } = await expectSynced(rowId, lead, 2);
				expect(amo.leads).toHaveLength(1);
				expect(posts('/api/v4/leads')).toHaveLength(1);
				expect(messagesAbout(rowId).map((m) => m.text)).toEqual([
					telegramText(failed),
					telegramText(stored),
				]);
			},
		);

		it('a lead that keeps failing is taken MAX_ATTEMPTS times (2 here), then waits for a person (check), Telegram announcing the first failure and the check, then nothing more', async () => {
			await withChangedPicks(
				() => undefined,
				async () => {
					const rowId = await store(newLead());
					amo.setMode('error500');

					await runSync();
					const first = await row(rowId);
					expect(first).toMatchObject({ status: 'failed', attempts: 1 });
					await runSync();
					expect(await row(rowId)).toMatchObject({ status: 'failed', attempts: 2 });
					expect(messagesAbout(rowId).map((m) => m.text)).toEqual([telegramText(first)]);

					// The next run sends nothing: the lead used its attempts and becomes check, with what to do.
					amo.clearRequests();
					await runSync();
					expect(amo.requests).toHaveLength(0);
					const gaveUp = await row(rowId);
					expect(gaveUp).toMatchObject({ status: 'check', attempts: 2 });
					expect(gaveUp.error).toBe(
						`${String(first.error)} It is no longer sent automatically: fix what the error says, then set the status of the lead's row to "pending".`,
					);
					expect(messagesAbout(rowId).map((m) => m.text)).toEqual([
						telegramText(first),
						telegramText(gaveUp),
					]);
					expect(telegramText(gaveUp).split('\n')[0]).toBe(
						`⚠️ Lead #${rowId} needs a manual check in amoCRM`,
					);

					await runSync();
					expect(amo.requests).toHaveLength(0);
					expect(messagesAbout(rowId)).toHaveLength(2);
				},
				{ timings: { retryAfterMinutes: 0, leaseMinutes: 0, maxAttempts: 2 } },
			);
		});

		it('never creates a deal twice when the answer to creating it is lost: the lead waits for a manual check, Telegram says so once', async () => {
			const lead = newLead();
			const rowId = await store(lead);
			amo.dropResponseOfNext('POST', '/api/v4/leads');

			await runSync();
			expect(amo.leads).toHaveLength(1); // created, but n8n never heard back
			const stored = await row(rowId);
			expect(stored).toMatchObject({ status: 'check', attempts: 1, deal_id: null });
			expect(stored.error).toMatch(/the deal may have been created/);
			expect(stored.error!.endsWith(` ${CHECK_ADVICE}`)).toBe(true);
			expectOneMessage(stored);
			expect(messagesAbout(rowId)[0].text).toContain(
				`⚠️ Lead #${rowId} needs a manual check in amoCRM`,
			);

			await runSync();
			expect(amo.leads).toHaveLength(1);
			expect(posts('/api/v4/leads')).toHaveLength(1);
			expect(await row(rowId)).toMatchObject({ status: 'check', attempts: 1 });
			expect(messagesAbout(rowId)).toHaveLength(1);
		});

		it('a deal field value amoCRM refuses does not hold the lead: the deal is made without it, the value goes into the note, the row and Telegram name it', async () => {
			// "Channel" (4003) is a list. The node checks a value against the choices it read from
			// amoCRM; a choice removed in amoCRM since then passes that check and amoCRM refuses it.
			const channel = amo.leadFields.find((field) => field.id === 4003)!;
			const choices = [...channel.enums!];
			channel.enums!.push({ id: 4199, value: 'site', sort: 100 });
			try {
				await withChangedPicks(
					(picked) => {
						const deal = nodeOf(picked, 'Create deal').parameters as {
							customFields: { field: Array<{ fieldId: unknown }> };
						};
						deal.customFields.field[0].fieldId = { __rl: true, mode: 'list', value: '4003' };
					},
					async () => {
						// A first lead while "site" is a choice: its deal has it, and n8n has read the choices.
						const first = newLead();
						const firstId = await store(first);
						await runSync();
						expect(await row(firstId)).toMatchObject({ status: 'synced', refused_fields: '' });
						expect(
							dealsNamed(first.name)[0].custom_fields_values?.map((f) => [
								f.field_id,
								f.values.map((v) => v.value),
							]),
						).toEqual([
							[4003, ['site']],
							[4002, [first.productId]],
						]);

						channel.enums = choices; // the choice is removed in amoCRM
						amo.clearRequests();
						telegram.reset();
						const lead = newLead();
						const rowId = await store(lead);
						await runSync();

						const stored = await row(rowId);
						expect(stored).toMatchObject({ status: 'synced', attempts: 1, note_error: '' });
						const deals = dealsNamed(lead.name);
						expect(deals).toHaveLength(1);
						expect(stored.deal_id).toBe(deals[0].id);
						expect(deals[0]).toMatchObject({ pipeline_id: 1001, status_id: 2002 });
						expect(
							(deals[0].custom_fields_values ?? []).map((f) => [
								f.field_id,
								f.values.map((v) => v.value),
							]),
						).toEqual([[4002, [lead.productId]]]);
						// The first try was refused as a whole; the second went without the value.
						expect(posts('/api/v4/leads').map((r) => r.status)).toEqual([400, 200]);
						expect(amo.leadContacts(deals[0].id)).toEqual([
							{ id: stored.contact_id, is_main: true },
						]);
						const notes = amo.notes.filter((note) => note.entity_id === deals[0].id);
						expect(notes).toHaveLength(1);
						expect(notes[0]).toMatchObject({ id: stored.note_id });
						expect(expectOneMessage(stored).text).toContain(
							'\nNot saved in the deal fields (they are in its note): Channel = site',
						);

						// The value is named as the form sent it, so nothing of the lead is lost.
						expect(JSON.parse(stored.refused_fields as string)).toEqual([
							{
								field: 'Channel',
								value: 'site',
								reason: 'The value you selected is not a valid choice.',
							},
						]);
						expect(notes[0].params).toEqual({
							text:
								`${lead.message}\n\nNot saved in the deal's fields (amoCRM refused them):\n` +
								'Channel: site (The value you selected is not a valid choice.)',
						});
					},
				);
			} finally {
				channel.enums = choices;
			}
		});

		it('a note amoCRM refuses leaves the deal synced, with the reason on the row and in Telegram', async () => {
			const lead = newLead();
			const rowId = await store(lead);
			// amoCRM's code-244 refusal for the note only, whenever it comes.
			const handle = amo.handle.bind(amo);
			amo.handle = async (req: FakeHttpRequest) => {
				if (req.method === 'POST' && new URL(req.url).pathname === '/api/v4/leads/notes')
					amo.refuseNextForRights(1);
				return await handle(req);
			};
			try {
				await runSync();
			} finally {
				amo.handle = handle;
			}

			const stored = await row(rowId);
			const [deal] = dealsNamed(lead.name);
			expect(stored).toMatchObject({
				status: 'synced',
				attempts: 1,
				deal_id: deal.id,
				note_id: null,
				refused_fields: '',
			});
			expect(stored.note_error).toMatch(/^The note was not added: /);
			expect(amo.notes).toHaveLength(0);
			expect(posts('/api/v4/leads/notes').map((r) => r.status)).toEqual([400]);
			expect(expectOneMessage(stored).text).toContain(`\n${stored.note_error}`);
		});

		it('flags a lead left "sending" by a run that stopped, instead of resending it; Telegram says so once', async () => {
			const lead = newLead();
			const rowId = await seedLeftAt(lead, 'sending');

			await runSync();
			const stored = await row(rowId);
			expect(stored).toMatchObject({ status: 'check', attempts: 1 });
			expect(stored.error).toBe(
				`n8n stopped while the deal was being sent to amoCRM, before its ID was saved. ${CHECK_ADVICE}`,
			);
			expect(amo.requests).toHaveLength(0);
			expectOneMessage(stored);

			await runSync();
			expect(await row(rowId)).toMatchObject({ status: 'check', attempts: 1 });
			expect(amo.requests).toHaveLength(0);
			expect(messagesAbout(rowId)).toHaveLength(1);
		});

		it('takes again a lead left "syncing" by a run that stopped before sending (its lease is over) and syncs it with one deal', async () => {
			const lead = newLead();
			const rowId = await seedLeftAt(lead, 'syncing');

			const sync = await runSync();
			const { stored } = await expectSynced(rowId, lead, 2);
			expect(stored.synced_by).toBe(sync.id);
			expect(amo.leads).toHaveLength(1);
			expectOneMessage(stored);
		});

		it('Telegram down: the lead is synced, the message recorded as failed, and the next scheduled run sends it once', async () => {
			const lead = newLead();
			const rowId = await store(lead);
			telegram.setMode('error500');
			await runSync();

			// One message, tried three times by the Telegram node, then recorded as failed.
			expect(sendAttempts()).toBe(3);

			const failed = await row(rowId);
			expect(failed).toMatchObject({ status: 'synced', telegram: 'failed', telegram_failures: 1 });
			expect(failed.telegram_error).not.toBe('');
			expect(failed.telegram_error).not.toBeNull();
			expect(telegram.messages).toHaveLength(0);
			expect(dealsNamed(lead.name)).toHaveLength(1);

			telegram.setMode('up');
			amo.clearRequests();
			await runSync();
			const sent = await row(rowId);
			expect(sent).toMatchObject({
				status: 'synced',
				telegram: 'sent',
				telegram_failures: 0,
				telegram_error: '',
			});
			expectOneMessage(sent);
			expect(amo.requests).toHaveLength(0);

			await runSync();
			expect(messagesAbout(rowId)).toHaveLength(1);
		});

		it('Telegram down twice: the message is tried once more, then given up', async () => {
			const rowId = await store(newLead());
			telegram.setMode('error500');
			await runSync();
			expect(sendAttempts()).toBe(3);
			expect(await row(rowId)).toMatchObject({ telegram: 'failed', telegram_failures: 1 });
			await runSync();
			expect(sendAttempts()).toBe(6);
			expect(await row(rowId)).toMatchObject({ telegram: 'failed', telegram_failures: 2 });

			telegram.setMode('up');
			await runSync();
			expect(await row(rowId)).toMatchObject({
				status: 'synced',
				telegram: 'failed',
				telegram_failures: 2,
			});
			expect(telegram.messages).toHaveLength(0);
		});

		it('two leads with the same phone in one run share one new contact, each with its own deal', async () => {
			const first = newLead();
			const second = newLead({ phone: first.phone.replace(/-/g, ' ') });
			const a = await store(first);
			const b = await store(second);
			await runSync();

			const rowA = await row(a);
			const rowB = await row(b);
			expect(rowA).toMatchObject({ status: 'synced', phone: normalised(first.phone) });
			expect(rowB).toMatchObject({ status: 'synced', phone: normalised(first.phone) });
			expect(amo.contacts.map((c) => c.id)).toEqual([rowA.contact_id]);
			expect(rowB.contact_id).toBe(rowA.contact_id);
			expect(posts('/api/v4/contacts')).toHaveLength(1);
			expect(amo.leads).toHaveLength(2);
			expect(amo.leadContacts(rowA.deal_id as number)).toEqual([
				{ id: rowA.contact_id, is_main: true },
			]);
			expect(amo.leadContacts(rowB.deal_id as number)).toEqual([
				{ id: rowA.contact_id, is_main: true },
			]);
			expectOneMessage(rowA);
			expectOneMessage(rowB);
		});

		it('a lead whose phone is already a contact in amoCRM gets that contact, no new one', async () => {
			const lead = newLead();
			const contact = amo.seedContact({
				name: 'Aziza (from a call)',
				custom_fields_values: [
					{ field_code: 'PHONE', values: [{ value: normalised(lead.phone), enum_code: 'MOB' }] },
				],
			});
			const rowId = await store(lead);
			await runSync();

			const stored = await row(rowId);
			expect(stored).toMatchObject({ status: 'synced', contact_id: contact.id });
			expect(posts('/api/v4/contacts')).toHaveLength(0);
			expect(amo.contacts.map((c) => c.id)).toEqual([contact.id]);
			expect(amo.leadContacts(stored.deal_id as number)).toEqual([
				{ id: contact.id, is_main: true },
			]);
			expectOneMessage(stored);
		});

		it('every execution of the template finished without a workflow error', async () => {
			const all = await n8n.executions(workflowId);
			expect(all.length).toBe(finishedExecutions);
			expect(
				all
					.filter((e) => e.status !== 'success')
					.map((e) => [e.id, e.status, e.data?.resultData.error?.message]),
			).toEqual([]);
		});
	});
}

// This file also exports the suite for the PostgreSQL variant: run it only when jest runs this file.
if (expect.getState().testPath === __filename) leadIntakeSuite('dataTable');

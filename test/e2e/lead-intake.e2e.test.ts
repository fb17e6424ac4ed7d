/**
 * The lead-intake template (workflows/lead-intake.json) in a real n8n 2.x: imported as
 * `npm start` imports it, given the picks a user makes after import (credentials, pipeline,
 * stage, deal fields, Telegram chat), activated, and fed real HTTP posts on /webhook/lead.
 * A post only stores the lead and answers; the sync part (its schedule) sends stored leads to
 * amoCRM: the cases run it themselves, as the schedule would.
 * amoCRM is the fake at https://leadintake.amocrm.ru (hosts + throwaway CA), Telegram the fake Bot
 * API behind the credential's base URL. Every case checks the stored rows, what amoCRM
 * received and what Telegram received.
 *
 * The same suite runs against the PostgreSQL variant in lead-intake-postgres.e2e.test.ts.
 */
import { readFileSync } from 'node:fs';

import { phoneSearchQuery } from '../../nodes/AmoCrm/helpers/phone';
import { FakeAmoCrm, type LoggedRequest } from '../fakes/amocrm';
import { FakeTelegram, type TelegramMessage } from '../fakes/telegram';
import {
	serveFakeAmoCrm,
	startN8n,
	type Execution,
	type N8nInstance,
	type ServedFakeAmoCrm,
	type WorkflowJson,
} from './harness';
import {
	dataTableIdOf,
	installTemplate,
	LEAD_ACCOUNT,
	readLeadRows,
	SALES_CHAT,
	SYNC_TRIGGER,
	templateFile,
	TOKEN,
	userPicks,
	type LeadRow,
	type Storage,
} from './harness/lead-intake';

type Node = WorkflowJson['nodes'][number];

/** Notes go to /leads/{id}/notes or, in bulk, /leads/notes: amoCRM takes both. */
const NOTE_PATH = /^\/api\/v4\/leads(\/\d+)?\/notes$/;

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/** The suite, for either storage variant. */
export function leadIntakeSuite(storage: Storage): void {
	describe(`lead-intake template (${storage === 'postgres' ? 'PostgreSQL' : 'Data table'}) in a real n8n`, () => {
		let n8n: N8nInstance;
		let served: ServedFakeAmoCrm;
		let amo: FakeAmoCrm;
		const telegram = new FakeTelegram();
		let telegramServer: Awaited<ReturnType<FakeTelegram['listen']>>;
		let workflowId: string;
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
		/** Stores a row directly, as if an earlier execution had left it so. */
		async function seedRow(values: Partial<LeadRow>): Promise<number> {
			const full = {
				name: '',
				phone: '',
				email: '',
				source: '',
				message: '',
				product_id: '',
				status: 'pending',
				attempts: 1,
				...values,
			};
			if (storage === 'postgres') {
				const columns = Object.keys(full);
				const literal = (v: unknown) =>
					v === null
						? 'NULL'
						: typeof v === 'number'
							? String(v)
							: `'${String(v).replace(/'/g, "''")}'`;
				const [id] = await n8n.postgres.query(
					`insert into amocrm_leads (${columns.join(', ')}) values (${columns.map((c) => literal(full[c as keyof typeof full])).join(', ')}) returning id`,
					'leads',
				);
				return Number(id);
			}
			await rows(); // resolves the table id (the template created the table on its first run)
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

		// ----- driving the workflow --------------------------------------------------------

		async function waitForExecutions(count: number): Promise<Execution[]> {
			finishedExecutions += count;
			const all = await n8n.waitForExecutions(workflowId, finishedExecutions, {
				timeoutMs: 90_000,
			});
			return all.slice(-count);
		}

		/** Posts to the webhook and waits until the execution it started has finished. */
		async function post(body: string | Record<string, string>, contentType = 'application/json') {
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

		/** Runs the sync part now, exactly as its schedule would, and waits for it. */
		async function runSync(): Promise<Execution> {
			const started = await n8n.rest<{ executionId?: string }>(
				'POST',
				`/workflows/${workflowId}/run`,
				{
					triggerToStartFrom: { name: SYNC_TRIGGER },
				},
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

		const newLead = (extra: Record<string, string> = {}) => ({
			name: `Aziza Karimova ${++leadCounter}`,
			phone: `+998 90 123-45-${String(10 + leadCounter).padStart(2, '0')}`,
			email: `aziza${leadCounter}@example.uz`,
			source: 'Landing page <spring>',
			message: 'Call me after 18:00 & ask about "Model X"',
			productId: `HA-${100 + leadCounter}`,
			...extra,
		});
		const normalised = (phone: string) => '+' + phone.replace(/\D/g, '');

		const posts = (path: string | RegExp): LoggedRequest[] =>
			amo.requests.filter(
				(r) =>
					r.method === 'POST' && (typeof path === 'string' ? r.path === path : path.test(r.path)),
			);
		const dealNamed = (name: string) =>
			amo.leads.filter((deal) => deal.name === `Website lead: ${name}`);
		const messagesAbout = (rowId: number): TelegramMessage[] =>
			telegram.messages.filter((m) => new RegExp(`#${rowId}(?!\\d)`).test(m.text));

		/** Everything a fully synced lead must look like: row, amoCRM and Telegram. */
		async function expectSynced(rowId: number, lead: ReturnType<typeof newLead>, attempts = 1) {
			const stored = await row(rowId);
			expect(stored).toMatchObject({
				name: lead.name,
				phone: normalised(lead.phone),
				email: lead.email,
				source: lead.source,
				message: lead.message,
				product_id: lead.productId,
				status: 'synced',
				attempts,
			});
			expect(stored.error || null).toBeNull();

			const [deal] = dealNamed(lead.name);
			expect(dealNamed(lead.name)).toHaveLength(1);
			expect(stored.deal_id).toBe(deal.id);
			expect(stored.deal_url).toBe(`https://${LEAD_ACCOUNT.host}/leads/detail/${deal.id}`);
			expect(deal).toMatchObject({ pipeline_id: 1001, status_id: 2002 });
			const dealFields = Object.fromEntries(
				(deal.custom_fields_values ?? []).map((f) => [f.field_id, f.values.map((v) => v.value)]),
			);
			expect(dealFields).toEqual({ 4001: [lead.source], 4002: [lead.productId] });

			expect(amo.leadContacts(deal.id)).toEqual([{ id: stored.contact_id, is_main: true }]);
			const contact = amo.contact(stored.contact_id as number);
			expect(contact?.name).toBe(lead.name);
			expect(amo.contactValues(contact!.id, 'PHONE')).toEqual([normalised(lead.phone)]);
			expect(amo.contactValues(contact!.id, 'EMAIL')).toEqual([lead.email]);

			const notes = amo.notes.filter((note) => note.entity_id === deal.id);
			expect(notes).toHaveLength(1);
			expect(notes[0]).toMatchObject({
				id: stored.note_id,
				entity_type: 'leads',
				note_type: 'common',
				params: { text: lead.message },
			});

			const message = messagesAbout(rowId).at(-1);
			expect(message).toBeDefined();
			expect(message).toMatchObject({ chat_id: SALES_CHAT, parse_mode: 'HTML' });
			expect(message!.text).toContain(`New lead #${rowId}`);
			expect(message!.text).toContain(
				`<a href="https://${LEAD_ACCOUNT.host}/leads/detail/${deal.id}">`,
			);
			expect(message!.text).toContain('Landing page &lt;spring&gt;');
			expect(message!.text).toContain('Call me after 18:00 &amp; ask about &quot;Model X&quot;');
			expect(message!.text).not.toMatch(/n8n/i); // no "sent automatically with n8n"
			return { stored, deal };
		}

		// ----- set-up ----------------------------------------------------------------------

		beforeAll(async () => {
			amo = new FakeAmoCrm({ subdomain: LEAD_ACCOUNT.subdomain, accessTokens: [TOKEN] });
			served = await serveFakeAmoCrm(amo, LEAD_ACCOUNT.host, LEAD_ACCOUNT.loopback);
			telegramServer = await telegram.listen();
			n8n = await startN8n({ env: served.n8nEnv });

			const template = await installTemplate(n8n, storage, telegramServer.url);
			workflowId = template.id as string;
			await n8n.updateWorkflow(workflowId, userPicks(template));
			await n8n.activate(workflowId);
		}, 10 * 60_000);

		beforeEach(() => {
			amo.reset();
			telegram.reset();
		});

		afterAll(async () => {
			await n8n?.stop();
			await served?.stop();
			await telegramServer?.close();
		});

		// ----- the cases -------------------------------------------------------------------

		it('imports with all its nodes and activates with the user’s picks', async () => {
			const stored = await n8n.api<WorkflowJson>('GET', `/workflows/${workflowId}`);
			const template = JSON.parse(readFileSync(templateFile(storage), 'utf8')) as WorkflowJson;
			expect(stored.nodes.map((n) => n.name).sort()).toEqual(
				template.nodes.map((n) => n.name).sort(),
			);
		});

		it('stores a valid JSON lead and answers 200 with its id at once; the sync sends the deal with its new contact in one request, the note, and one Telegram message', async () => {
			const lead = newLead();
			const answer = await post(lead);

			expect(answer.status).toBe(200);
			expect(answer.body).toEqual({ ok: true, id: expect.any(Number) });
			const rowId = answer.body.id as number;
			expect(await row(rowId)).toMatchObject({
				status: 'pending',
				attempts: 0,
				phone: normalised(lead.phone),
				deal_id: null,
			});
			expect(amo.requests).toHaveLength(0);
			expect(telegram.messages).toHaveLength(0);

			await runSync();

			const { stored, deal } = await expectSynced(rowId, lead);
			expect(posts('/api/v4/contacts')).toHaveLength(0);
			expect(posts('/api/v4/leads')).toHaveLength(0);
			expect(posts('/api/v4/leads/complex')).toHaveLength(1);
			expect(posts('/api/v4/leads/complex')[0].body).toEqual([
				expect.objectContaining({
					name: `Website lead: ${lead.name}`,
					pipeline_id: 1001,
					status_id: 2002,
					_embedded: {
						contacts: [
							expect.objectContaining({
								name: lead.name,
								custom_fields_values: expect.arrayContaining([
									{
										field_code: 'PHONE',
										values: [{ value: normalised(lead.phone), enum_code: 'MOB' }],
									},
									{ field_code: 'EMAIL', values: [{ value: lead.email, enum_code: 'WORK' }] },
								]),
							}),
						],
					},
				}),
			]);
			expect(posts(NOTE_PATH)).toHaveLength(1);
			expect(amo.notes.map((note) => note.entity_id)).toEqual([deal.id]);
			expect(amo.contacts.map((c) => c.id)).toEqual([stored.contact_id]);
			expect(amo.leads).toHaveLength(1);
			expect(telegram.messages).toHaveLength(1);

			// Nothing left to do: another run sends nothing.
			amo.clearRequests();
			await runSync();
			expect(amo.requests).toHaveLength(0);
			expect(telegram.messages).toHaveLength(1);
		});

		it('takes a form-encoded lead the same way', async () => {
			const lead = newLead();
			const answer = await post(lead, 'application/x-www-form-urlencoded');
			await runSync();

			expect(answer.status).toBe(200);
			await expectSynced(answer.body.id as number, lead);
			expect(amo.contacts).toHaveLength(1);
			expect(amo.leads).toHaveLength(1);
			expect(amo.notes).toHaveLength(1);
			expect(telegram.messages).toHaveLength(1);
		});

		it('records a lead that amoCRM merged into an existing deal as merged, and says so on Telegram', async () => {
			const first = newLead();
			const a = (await post(first)).body.id as number;
			await runSync();
			const [existing] = dealNamed(first.name);
			amo.mergeNextComplexInto(existing.id);

			const second = newLead();
			const b = (await post(second)).body.id as number;
			await runSync();

			expect(await row(b)).toMatchObject({
				status: 'synced',
				merged: true,
				deal_id: existing.id,
				attempts: 1,
			});
			expect(await row(a)).toMatchObject({ status: 'synced', merged: false, deal_id: existing.id });
			expect(amo.leads).toHaveLength(1);
			expect(dealNamed(second.name)).toHaveLength(0);
			const message = messagesAbout(b).at(-1);
			expect(message?.text).toContain(
				`Lead #${b} joined an existing deal</b>: amoCRM merged it as a duplicate, no new deal was made`,
			);
			expect(message?.text).not.toContain('New lead');
		});

		it.each([
			['in two sync runs', true],
			['in one sync run', false],
		])(
			'makes one contact and two deals for the same phone sent twice, %s',
			async (_case, syncBetween) => {
				const first = newLead();
				const second = { ...newLead(), phone: first.phone.replace('+998 ', '').replace(/-/g, ' ') }; // same number, typed without country code
				const a = await post(first);
				if (syncBetween) await runSync();
				const b = await post(second);
				await runSync();

				expect(amo.contacts).toHaveLength(1);
				expect(amo.leads).toHaveLength(2);
				const rowA = await row(a.body.id as number);
				const rowB = await row(b.body.id as number);
				expect(rowA.status).toBe('synced');
				expect(rowB.status).toBe('synced');
				expect(rowB.phone).toBe(rowA.phone);
				expect(rowB.contact_id).toBe(rowA.contact_id);
				expect(rowB.deal_id).not.toBe(rowA.deal_id);
				for (const deal of amo.leads)
					expect(amo.leadContacts(deal.id)).toEqual([{ id: rowA.contact_id, is_main: true }]);
				expect(telegram.messages).toHaveLength(2);
			},
		);

		/** Runs `check` with the user's picks changed by `change`, then puts the picks back. */
		async function withChangedPicks(
			change: (picked: WorkflowJson) => void,
			check: () => Promise<void>,
		) {
			const template = JSON.parse(readFileSync(templateFile(storage), 'utf8')) as WorkflowJson;
			const republish = async (workflow: WorkflowJson) => {
				await n8n.deactivate(workflowId);
				await n8n.updateWorkflow(workflowId, workflow);
				await n8n.activate(workflowId);
			};
			const picked = userPicks(template);
			change(picked);
			await republish(picked);
			try {
				await check();
			} finally {
				await republish(userPicks(template));
			}
		}

		/** Runs `check` with Create deal's Match Existing Contacts By set to `matchContactsBy` (the template's Phone Only when undefined). */
		async function matchingBy(matchContactsBy: string | undefined, check: () => Promise<void>) {
			if (!matchContactsBy) return await check();
			await withChangedPicks((picked) => {
				for (const name of ['Create deal', 'Create deal without custom fields']) {
					const node = picked.nodes.find((n) => n.name === name) as Node;
					(node.parameters.options as Record<string, unknown>).matchContactsBy = matchContactsBy;
				}
			}, check);
		}

		/**
		 * Syncs a lead, then (amoCRM's request log cleared) a second lead sharing what `same` gives
		 * of the first; returns the first lead's row, the second lead and its row id.
		 */
		async function syncSecondLead(
			same: (first: ReturnType<typeof newLead>) => Partial<ReturnType<typeof newLead>>,
		) {
			const first = newLead();
			const a = (await post(first)).body.id as number;
			await runSync();
			const rowA = await row(a);
			expect(rowA).toMatchObject({ status: 'synced', contact_id: expect.any(Number) });

			amo.clearRequests();
			const second = { ...newLead(), ...same(first) };
			const b = (await post(second)).body.id as number;
			await runSync();
			return { rowA, second, b };
		}

		it('matches by phone only as imported (a public form): a lead with the email of a synced lead but another phone gets a contact of its own, and amoCRM is searched by its phone alone', async () => {
			const { rowA, second, b } = await syncSecondLead((first) => ({
				email: first.email.toUpperCase(),
			}));

			const searches = amo.requests.filter(
				(r) => r.method === 'GET' && r.path === '/api/v4/contacts',
			);
			// The phone's last digits (however amoCRM stores the number); no search by the email.
			expect(searches.map((r) => r.query.query)).toEqual([
				phoneSearchQuery(normalised(second.phone).slice(1)),
			]);
			expect(posts('/api/v4/leads')).toHaveLength(0);
			expect(posts('/api/v4/leads/complex')).toHaveLength(1);
			const rowB = await row(b);
			expect(rowB.status).toBe('synced');
			expect(rowB.contact_id).toEqual(expect.any(Number));
			expect(rowB.contact_id).not.toBe(rowA.contact_id);
			expect(amo.contacts).toHaveLength(2);
			const [deal] = dealNamed(second.name);
			expect(amo.leadContacts(deal.id)).toEqual([{ id: rowB.contact_id, is_main: true }]);
		});

		it.each([
			[
				'phone',
				'Phone Only, as imported',
				undefined,
				(first: ReturnType<typeof newLead>) => ({ phone: first.phone.replace('+998 ', '') }),
			],
			[
				'email',
				'Phone or Email',
				'phoneOrEmail',
				(first: ReturnType<typeof newLead>) => ({ email: first.email.toUpperCase() }),
			],
		])(
			'takes the contact of a lead it already synced with the same %s from its own table: no search in amoCRM, the deal linked to that contact (Match Existing Contacts By: %s)',
			async (_case, _label, matchContactsBy, same) => {
				await matchingBy(matchContactsBy, async () => {
					const { rowA, second, b } = await syncSecondLead(same);

					expect(
						amo.requests.filter((r) => r.method === 'GET' && r.path === '/api/v4/contacts'),
					).toEqual([]);
					expect(posts('/api/v4/leads/complex')).toHaveLength(0);
					expect(posts('/api/v4/leads')).toHaveLength(1);
					expect(posts('/api/v4/leads')[0].body).toEqual([
						expect.objectContaining({
							name: `Website lead: ${second.name}`,
							_embedded: { contacts: [{ id: rowA.contact_id, is_main: true }] },
						}),
					]);
					const rowB = await row(b);
					expect(rowB).toMatchObject({
						status: 'synced',
						contact_id: rowA.contact_id,
						attempts: 1,
					});
					const [deal] = dealNamed(second.name);
					expect(rowB.deal_id).toBe(deal.id);
					expect(amo.leadContacts(deal.id)).toEqual([{ id: rowA.contact_id, is_main: true }]);
					expect(amo.contacts).toHaveLength(1);
					expect(amo.notes.filter((note) => note.entity_id === deal.id)).toHaveLength(1);
					expect(messagesAbout(b)).toHaveLength(1);
					expect(messagesAbout(b)[0].text).toContain(`New lead #${b}`);
				});
			},
		);

		const invalid: Array<[string, () => { body: string; contentType: string }, string]> = [
			[
				'no phone',
				() => ({
					body: JSON.stringify({ ...newLead(), phone: '' }),
					contentType: 'application/json',
				}),
				'phone',
			],
			[
				'a phone with letters',
				() => ({
					body: JSON.stringify({ ...newLead(), phone: 'call me' }),
					contentType: 'application/json',
				}),
				'phone',
			],
			[
				'a bad email',
				() => ({
					body: JSON.stringify({ ...newLead(), email: 'aziza@' }),
					contentType: 'application/json',
				}),
				'email',
			],
			[
				'a huge body',
				() => ({
					body: JSON.stringify({ ...newLead(), message: 'x'.repeat(200_000) }),
					contentType: 'application/json',
				}),
				'message',
			],
			[
				'a wrong content type',
				() => ({ body: `name=Aziza&phone=901234567`, contentType: 'text/plain' }),
				'Content-Type',
			],
		];
		it.each(invalid)(
			'refuses %s with 400 naming the field, stores nothing and calls no one',
			async (_case, make, field) => {
				const before = (await rows()).length;
				const { body, contentType } = make();
				const answer = await post(body, contentType);

				expect(answer.status).toBe(400);
				expect(answer.body).toMatchObject({
					ok: false,
					error: expect.stringContaining(field),
					fields: { [field]: expect.any(String) },
				});
				expect(Object.keys(answer.body.fields as object)).toEqual([field]);
				expect((await rows()).length).toBe(before);
				expect(amo.requests).toHaveLength(0);
				expect(telegram.messages).toHaveLength(0);
			},
		);

		it.each([
			['down', 'down' as const, /Could not reach amoCRM/],
			['answering 500', 'error500' as const, /amoCRM is having trouble \(HTTP 500\)/],
		])(
			'amoCRM %s: the site still gets 200, the sync fails the row, Telegram warns once; a later run syncs it with exactly one deal',
			async (_case, mode, error) => {
				amo.setMode(mode);
				const lead = newLead();
				const answer = await post(lead);
				expect(answer.status).toBe(200);
				const rowId = answer.body.id as number;

				await runSync();
				const failed = await row(rowId);
				expect(failed).toMatchObject({ status: 'failed', attempts: 1, deal_id: null });
				expect(failed.error).toMatch(error);
				expect(amo.leads).toHaveLength(0);
				expect(messagesAbout(rowId)).toHaveLength(1);
				expect(messagesAbout(rowId)[0].text).toContain(`Lead #${rowId} is NOT in amoCRM yet`);
				expect(messagesAbout(rowId)[0].text).toMatch(error);

				// Still down at the next run: still failed, no second warning.
				await runSync();
				expect(await row(rowId)).toMatchObject({ status: 'failed', attempts: 2 });
				expect(messagesAbout(rowId)).toHaveLength(1);

				amo.setMode('up');
				await runSync();
				await expectSynced(rowId, lead, 3);
				expect(amo.leads).toHaveLength(1);
				expect(posts('/api/v4/leads/complex')).toHaveLength(1);
				expect(messagesAbout(rowId)).toHaveLength(2);
				expect(messagesAbout(rowId)[1].text).toContain('in amoCRM after 3 attempts');

				amo.clearRequests();
				await runSync();
				expect(amo.requests).toHaveLength(0);
				expect(amo.leads).toHaveLength(1);
			},
		);

		it('a lead that keeps failing stops at maxAttempts with one more Telegram warning, and is not sent again', async () => {
			amo.setMode('error500');
			const lead = newLead();
			const rowId = (await post(lead)).body.id as number;
			const max = 10;
			// As if it had already failed max - 1 times.
			await runSync();
			await setRow(rowId, { attempts: max - 1 });
			await runSync();

			const stored = await row(rowId);
			expect(stored).toMatchObject({ status: 'failed', attempts: max });
			expect(messagesAbout(rowId)).toHaveLength(2);
			expect(messagesAbout(rowId)[1].text).toContain(
				`Lead #${rowId} was NOT sent to amoCRM after ${max} attempts`,
			);
			expect(messagesAbout(rowId)[1].text).toContain('It is no longer sent automatically');

			amo.clearRequests();
			await runSync();
			expect(amo.requests).toHaveLength(0);
			expect(await row(rowId)).toMatchObject({ status: 'failed', attempts: max });
			expect(messagesAbout(rowId)).toHaveLength(2);
		});

		it('a deal field value amoCRM can never take does not hold the lead: the deal is made without the fields, their values go into the note, Telegram names the field', async () => {
			const misPick = (picked: WorkflowJson) => {
				const dealNode = picked.nodes.find((n) => n.name === 'Create deal') as Node;
				// "Channel" is a list (Website, Telegram, Phone call, Instagram): the form's source is none of them.
				(
					dealNode.parameters as { customFields: { field: Array<{ fieldId: string }> } }
				).customFields.field[0].fieldId = '4003';
				// Another pipeline than the default one, so the fallback is seen to follow the choice.
				(dealNode.parameters as { statusId: unknown }).statusId = {
					__rl: true,
					mode: 'list',
					value: '1002:2102',
				};
			};
			await withChangedPicks(misPick, async () => {
				const lead = newLead();
				const rowId = (await post(lead)).body.id as number;
				await runSync();

				const stored = await row(rowId);
				expect(stored).toMatchObject({
					status: 'synced',
					attempts: 1,
					error: storage === 'postgres' ? null : '',
				});
				expect(stored.field_problem).toBe(
					'Custom Fields: "Landing page <spring>" is not one of the choices of "Channel": "Website", "Telegram", "Phone call", "Instagram"',
				);
				expect(dealNamed(lead.name)).toHaveLength(1);
				const [deal] = dealNamed(lead.name);
				expect(stored.deal_id).toBe(deal.id);
				expect(deal.custom_fields_values ?? []).toEqual([]);
				// The fallback deal starts in the stage chosen in "Create deal".
				expect({ pipeline: deal.pipeline_id, stage: deal.status_id }).toEqual({
					pipeline: 1002,
					stage: 2102,
				});
				expect(amo.leadContacts(deal.id)).toEqual([{ id: stored.contact_id, is_main: true }]);
				expect(amo.notes).toHaveLength(1);
				expect(amo.notes[0]).toMatchObject({ entity_id: deal.id, note_type: 'common' });
				expect((amo.notes[0].params as { text: string }).text).toBe(
					`${lead.message}\n\nNot saved in the deal's fields (${stored.field_problem}). Source: ${lead.source}; product: ${lead.productId}`,
				);
				expect(messagesAbout(rowId)).toHaveLength(1);
				expect(messagesAbout(rowId)[0].text).toContain(`New lead #${rowId}`);
				expect(messagesAbout(rowId)[0].text).toContain('Deal fields not saved');
				expect(messagesAbout(rowId)[0].text).toContain(
					'is not one of the choices of &quot;Channel&quot;',
				);
			});
		});

		it("a run of 30 leads (a burst, a backlog) reaches the sales group within Telegram's 20 messages a minute: every lead in exactly one message, none refused", async () => {
			telegram.limitGroupMessagesPerMinute(20);
			const ids: number[] = [];
			// Ten at a time, as a busy site posts them: each answered 200 with its id, each execution a success.
			for (let first = 0; first < 30; first += 10) {
				const answers = await Promise.all(
					Array.from({ length: 10 }, async (_, k) => {
						const phone = `+998 91 555 00 ${String(first + k).padStart(2, '0')}`;
						const response = await n8n.webhook('lead', {
							method: 'POST',
							headers: { 'content-type': 'application/json' },
							body: JSON.stringify(newLead({ phone })),
						});
						expect(response.status).toBe(200);
						return ((await response.json()) as { id: number }).id;
					}),
				);
				ids.push(...answers);
				const executions = await waitForExecutions(answers.length);
				expect(executions.map((e) => e.status)).toEqual(answers.map(() => 'success'));
			}
			ids.sort((x, y) => x - y);
			await runSync();

			const stored = await rows();
			expect(ids.map((id) => stored.find((r) => r.id === id)?.status)).toEqual(
				ids.map(() => 'synced'),
			);
			expect(telegram.refusedForFlood).toBe(0);
			const announcedIn = (text: string) =>
				[...text.matchAll(/New lead #(\d+)/g)].map((match) => Number(match[1]));
			const ours = telegram.messages.filter((m) =>
				announcedIn(m.text).some((id) => ids.includes(id)),
			);
			expect(ours).toHaveLength(3);
			// In any order (PostgreSQL's claim returns the leads unordered).
			expect(ours.flatMap((m) => announcedIn(m.text)).sort((x, y) => x - y)).toEqual(ids);
		});

		it('syncs a lead while amoCRM answers 429 (rate limited)', async () => {
			const lead = newLead();
			const answer = await post(lead);
			amo.failNext(3, 429);
			await runSync();

			await expectSynced(answer.body.id as number, lead);
			expect(amo.requests.filter((r) => r.status === 429)).toHaveLength(3);
			expect(amo.leads).toHaveLength(1);
			expect(telegram.messages).toHaveLength(1);
		});

		it('answers a burst of posts at once and sends the leads in one batch', async () => {
			const leads = Array.from({ length: 6 }, () => newLead());
			const answers = await Promise.all(
				leads.map(
					async (lead) =>
						await n8n.webhook('lead', {
							method: 'POST',
							headers: { 'content-type': 'application/json' },
							body: JSON.stringify(lead),
						}),
				),
			);
			const bodies = await Promise.all(
				answers.map(async (a) => (await a.json()) as { id: number }),
			);
			expect(answers.map((a) => a.status)).toEqual(leads.map(() => 200));
			const executions = await waitForExecutions(leads.length);
			expect(executions.map((e) => e.status)).toEqual(leads.map(() => 'success'));
			expect(amo.requests).toHaveLength(0);

			await runSync();
			for (const [i, lead] of leads.entries()) await expectSynced(bodies[i].id, lead);
			expect(posts('/api/v4/leads/complex')).toHaveLength(1);
			expect(posts('/api/v4/leads/complex')[0].body).toHaveLength(6);
			expect(posts(NOTE_PATH)).toHaveLength(1);
			expect(amo.contacts).toHaveLength(6);
			expect(amo.leads).toHaveLength(6);
			// More than 3 leads in a run share a message (Telegram's limit for a group).
			expect(telegram.messages).toHaveLength(1);
		});

		it('still syncs the lead to amoCRM when Telegram is down', async () => {
			telegram.setMode('down');
			const lead = newLead();
			const answer = await post(lead);
			await runSync();

			const stored = await row(answer.body.id as number);
			expect(stored).toMatchObject({ status: 'synced', attempts: 1 });
			expect(dealNamed(lead.name)).toHaveLength(1);
			expect(amo.notes).toHaveLength(1);
			expect(telegram.messages).toHaveLength(0);
			expect(telegram.resetConnections).toBeGreaterThan(0);
		});

		it('never creates a deal twice when amoCRM’s answer to creating it is lost', async () => {
			const lead = newLead();
			const rowId = (await post(lead)).body.id as number;
			amo.dropResponseOfNext('POST', '/api/v4/leads/complex');
			await runSync();

			expect(amo.leads).toHaveLength(1); // created, but n8n never heard back
			const stored = await row(rowId);
			expect(stored).toMatchObject({ status: 'check', deal_id: null });
			expect(stored.error).toMatch(
				/^amoCRM's answer was lost: the deal may have been created\. It is not sent again automatically/,
			);
			expect(messagesAbout(rowId)).toHaveLength(1);
			expect(messagesAbout(rowId)[0].text).toContain(`Lead #${rowId} needs a manual check`);

			await runSync();
			expect(amo.leads).toHaveLength(1);
			expect(posts('/api/v4/leads/complex')).toHaveLength(1);
			expect((await row(rowId)).status).toBe('check');
		});

		it('flags a lead left "sending" by a run that stopped, instead of resending it', async () => {
			const rowId = await seedRow({ ...rowOf(newLead()), status: 'sending', attempts: 1 });

			await runSync();
			const stored = await row(rowId);
			expect(stored.status).toBe('check');
			expect(stored.error).toMatch(/n8n stopped while the deal was being sent to amoCRM/);
			expect(amo.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
			expect(messagesAbout(rowId)).toHaveLength(1);
			expect(messagesAbout(rowId)[0].text).toContain(`Lead #${rowId} needs a manual check`);
		});

		it('takes again a lead left "syncing" by a run that stopped before sending (its lease is over)', async () => {
			const lead = newLead();
			const rowId = await seedRow({
				...rowOf(lead),
				phone: normalised(lead.phone),
				status: 'syncing',
				attempts: 1,
			});

			await runSync();
			await expectSynced(rowId, lead, 2);
			expect(amo.leads).toHaveLength(1);
		});

		it('finishes a lead whose deal exists but whose note failed, without a second deal', async () => {
			const lead = newLead();
			const contact = amo.seedContact({
				name: lead.name,
				custom_fields_values: [
					{ field_code: 'PHONE', values: [{ value: normalised(lead.phone), enum_code: 'MOB' }] },
					{ field_code: 'EMAIL', values: [{ value: lead.email, enum_code: 'WORK' }] },
				],
			});
			const deal = amo.seedLead({
				name: `Website lead: ${lead.name}`,
				pipeline_id: 1001,
				status_id: 2002,
				custom_fields_values: [
					{ field_id: 4001, values: [{ value: lead.source }] },
					{ field_id: 4002, values: [{ value: lead.productId }] },
				],
				_embedded: { contacts: [{ id: contact.id, is_main: true }] },
			});
			const rowId = await seedRow({
				...rowOf(lead),
				phone: normalised(lead.phone),
				status: 'failed',
				attempts: 1,
				contact_id: contact.id,
				deal_id: deal.id,
				deal_url: `https://${LEAD_ACCOUNT.host}/leads/detail/${deal.id}`,
				error: 'amoCRM is having trouble (HTTP 500): try again later',
			});

			await runSync();
			await expectSynced(rowId, lead, 2);
			expect(posts('/api/v4/leads/complex')).toHaveLength(0);
			expect(posts('/api/v4/leads')).toHaveLength(0);
			expect(posts('/api/v4/contacts')).toHaveLength(0);
			expect(posts(NOTE_PATH)).toHaveLength(1);
			expect(amo.notes.map((note) => note.entity_id)).toEqual([deal.id]);
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

function rowOf(lead: Record<string, string>): Partial<LeadRow> {
	return {
		name: lead.name,
		phone: lead.phone,
		email: lead.email,
		source: lead.source,
		message: lead.message,
		product_id: lead.productId,
	};
}

// This file also exports the suite for the PostgreSQL variant: run it only when jest runs this file.
if (expect.getState().testPath === __filename) leadIntakeSuite('dataTable');

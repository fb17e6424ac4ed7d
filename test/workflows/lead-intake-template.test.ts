/**
 * The lead-intake templates as files: generated from workflows/build-templates.mjs, and their
 * Validate Code node reads phone numbers with the AmoCRM node's own rule (helpers/phone.ts,
 * compiled into dist/ by `npm run build`), not a copy of it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';

import { normalisePhone } from '../../nodes/AmoCrm/helpers/phone';

const root = join(__dirname, '..', '..');
const templates = ['lead-intake.json', 'lead-intake-postgres.json'];

function codeOf(file: string, name: string): string {
	const workflow = JSON.parse(readFileSync(join(root, 'workflows', file), 'utf8')) as {
		nodes: Array<{ name: string; parameters: { jsCode?: string } }>;
	};
	const code = workflow.nodes.find((node) => node.name === name)?.parameters.jsCode;
	if (!code) throw new Error(`${file} has no ${name} code`);
	return code;
}
const validateCode = (file: string) => codeOf(file, 'Validate');

/** Runs the Validate code as n8n's Code node would, for one posted body. */
function validate(
	code: string,
	body: Record<string, unknown>,
	defaultCountryCode = '998',
): { valid: boolean; lead?: { phone: string }; response?: unknown } {
	const nodes: Record<string, unknown> = {
		Settings: { defaultCountryCode },
		'Lead webhook': { headers: { 'content-type': 'application/json' }, body },
	};
	const $ = (name: string) => ({ first: () => ({ json: nodes[name] }) });
	const result = runInNewContext(`(function () {\n${code}\n})()`, { $ }) as Array<{
		json: { valid: boolean; lead?: { phone: string } };
	}>;
	return result[0].json;
}

it('the committed templates are what build-templates.mjs makes from the current node', () => {
	expect(() =>
		execFileSync(process.execPath, [join(root, 'workflows', 'build-templates.mjs'), '--check'], {
			stdio: 'pipe',
		}),
	).not.toThrow();
});

it.each(templates)('%s embeds the compiled phone rule of the node, unchanged', (file) => {
	const compiled = readFileSync(
		join(root, 'dist', 'nodes', 'AmoCrm', 'helpers', 'phone.js'),
		'utf8',
	)
		.replace(/\n\/\/# sourceMappingURL=.*\s*$/, '')
		.trim();
	const embedded = validateCode(file)
		.split('\n')
		.map((line) => line.replace(/^\t/, ''))
		.join('\n');
	expect(embedded).toContain(compiled);
	expect(validateCode(file)).not.toMatch(/function normalisePhone\(raw, cc\)/); // no second copy of the rule
});

it.each([
	['+998 90 123-45-67', '998'],
	['90 123 45 67', '998'],
	['998901234567', '998'],
	['00998901234567', '998'],
	['8 (916) 123-45-67', '7'],
	['+7 916 123 45 67', ''],
])('Validate reads %s (country code "%s") exactly as the node does', (typed, countryCode) => {
	for (const file of templates) {
		const answer = validate(validateCode(file), { name: 'Aziza', phone: typed }, countryCode);
		expect(answer).toEqual({
			valid: true,
			lead: expect.objectContaining({ phone: normalisePhone(typed, countryCode) }),
		});
	}
});

it('Validate refuses what the node cannot read as a phone number, naming the field', () => {
	const answer = validate(validateCode(templates[0]), { name: 'Aziza', phone: 'call me' });
	expect(answer).toEqual({
		valid: false,
		response: {
			ok: false,
			error: 'Invalid lead: phone',
			fields: { phone: 'is not a valid phone number' },
		},
	});
});

// ----- which contact each deal gets (decided before anything is created) --------------------

interface Lead {
	id: number;
	phone: string;
	email: string;
}
type Item = { json: Record<string, unknown>; pairedItem?: number | { item: number } };
/** What the sync run's earlier nodes output: per node, its outputs (0: success, 1: errors). */
type Outputs = Record<string, Item[][]>;

/** Runs one of the template's Code nodes as n8n would, with `$input` and the given node outputs. */
function runCode(
	name: string,
	input: Item[],
	outputs: Outputs,
	matchContactsBy?: string,
	settings: Record<string, unknown> = { findExistingContacts: true },
): Array<{ json: Record<string, unknown>; pairedItem: number }> {
	const results = templates.map((file) => {
		const $ = (node: string) => ({
			first: () => ({ json: node === 'Settings' ? settings : undefined }),
			isExecuted: node in outputs,
			all: (output = 0) => {
				if (!(node in outputs)) throw new Error(`Node '${node}' hasn't been executed`);
				const items = outputs[node][output];
				if (!items) throw new Error('no such output');
				return items;
			},
			params:
				node === 'Create deal'
					? { options: matchContactsBy ? { matchContactsBy } : {} }
					: undefined,
		});
		return runInNewContext(`(function () {\n${codeOf(file, name)}\n})()`, {
			$,
			$input: { all: () => input },
		}) as Array<{ json: Record<string, unknown>; pairedItem: number }>;
	});
	expect(results[1]).toEqual(results[0]); // both templates decide alike
	return JSON.parse(JSON.stringify(results[0])) as (typeof results)[0];
}

const lead = (id: number, phone: string, email = ''): Lead => ({ id, phone, email });
const items = (...leads: Lead[]): Item[] =>
	leads.map((json, index) => ({ json: { ...json }, pairedItem: index }));
/** A row of the leads table. */
const row = (
	id: number,
	phone: string,
	email: string,
	status: string,
	contactId: number | null,
) => ({
	json: { id, phone, email, status, contact_id: contactId },
});
/** A contact that amoCRM's search returned for the input item `index` of the search node. */
const contact = (id: number, index: number, emails: string[] = []) => ({
	json: { id, name: `Contact ${id}`, phones: [], emails, url: '' },
	pairedItem: { item: index },
});
const searchError = (index: number) => ({
	json: { error: 'Could not reach amoCRM' },
	pairedItem: { item: index },
});

it.each(templates)(
	'%s matches leads to existing contacts by phone only (a public form), in both deal nodes',
	(file) => {
		const workflow = JSON.parse(readFileSync(join(root, 'workflows', file), 'utf8')) as {
			nodes: Array<{ name: string; parameters: { options?: Record<string, unknown> } }>;
		};
		const matching = workflow.nodes
			.filter((node) => node.name.startsWith('Create deal'))
			.map((node) => [node.name, node.parameters.options?.matchContactsBy])
			.sort(([a], [b]) => String(a).localeCompare(String(b)));
		expect(matching).toEqual([
			['Create deal', 'phone'],
			['Create deal without custom fields', 'phone'],
		]);
	},
);

describe('the contact look-up of the sync (Code nodes of both templates)', () => {
	const a = lead(1, '+998901110001', 'a@example.uz');
	const b = lead(2, '+998901110002', 'b@example.uz');
	const c = lead(3, '+998901110003');

	it('takes the contact of a lead this template already synced with the same phone, and searches amoCRM for the others only', () => {
		const known = {
			'Find known contacts': [
				[
					row(10, a.phone, 'other@example.uz', 'synced', 501),
					row(11, a.phone, '', 'failed', null),
					row(12, b.phone, '', 'check', 777), // not synced: its contact is not trusted
				],
			],
		};
		expect(runCode('Leads to search', items(a, b, c), known)).toEqual([
			{ json: b, pairedItem: 1 },
			{ json: c, pairedItem: 2 },
		]);
		expect(runCode('Choose contacts', items(a, b, c), known)).toEqual([
			{ json: { ...a, contactId: 501, sameContactAsEarlierLead: false }, pairedItem: 0 },
			{ json: { ...b, contactId: null, sameContactAsEarlierLead: false }, pairedItem: 1 },
			{ json: { ...c, contactId: null, sameContactAsEarlierLead: false }, pairedItem: 2 },
		]);
	});

	it('takes the newest synced lead when several have the phone', () => {
		const known = {
			'Find known contacts': [
				[row(10, a.phone, '', 'synced', 501), row(14, a.phone, '', 'synced', 502)],
			],
		};
		expect(runCode('Choose contacts', items(a), known)[0].json.contactId).toBe(502);
	});

	it.each([
		['Phone or Email (the default)', undefined, 601],
		['Phone or Email', 'phoneOrEmail', 601],
		['Phone Only', 'phone', null],
		['Phone and Email Must Both Agree', 'phoneAndEmail', null],
	])(
		'a synced lead with the same email only, Match Existing Contacts By %s (%s): contact %s',
		(_label, matchContactsBy, expected) => {
			const known = {
				'Find known contacts': [[row(20, '+998909999999', 'A@Example.uz', 'synced', 601)]],
			};
			expect(runCode('Choose contacts', items(a), known, matchContactsBy)[0].json.contactId).toBe(
				expected,
			);
			expect(runCode('Leads to search', items(a), known, matchContactsBy)).toHaveLength(
				expected === null ? 1 : 0,
			);
		},
	);

	it('with Phone and Email Must Both Agree, takes a synced lead that has both', () => {
		const known = {
			'Find known contacts': [
				[
					row(20, a.phone, 'other@example.uz', 'synced', 601),
					row(21, a.phone, a.email, 'synced', 602),
				],
			],
		};
		expect(runCode('Choose contacts', items(a), known, 'phoneAndEmail')[0].json.contactId).toBe(
			602,
		);
	});

	it('maps the contacts amoCRM found back to their leads, phone before email, and leaves out a lead whose search failed', () => {
		const outputs: Outputs = {
			'Find known contacts': [[]],
			'Leads to search': [items(a, b, c)],
			// a: found by phone; b: nothing by phone; c: the search failed.
			'Find contact by phone': [[contact(701, 0), contact(702, 0)], [searchError(2)]],
			'Leads to search by email': [items(b)],
			'Find contact by email': [[contact(801, 0)], []],
		};
		expect(runCode('Leads to search by email', items(a, b, c), outputs)).toEqual([
			{ json: b, pairedItem: 1 },
		]);
		expect(runCode('Choose contacts', items(a, b, c), outputs)).toEqual([
			{ json: { ...a, contactId: 701, sameContactAsEarlierLead: false }, pairedItem: 0 },
			{ json: { ...b, contactId: 801, sameContactAsEarlierLead: false }, pairedItem: 1 },
		]);
	});

	it('searches no email with Phone Only, and with Phone and Email Must Both Agree keeps only a contact found by phone that has the email', () => {
		const outputs: Outputs = {
			'Leads to search': [items(a, b)],
			'Find contact by phone': [
				[contact(701, 0, ['x@example.uz']), contact(702, 1, ['B@example.uz'])],
				[],
			],
		};
		expect(runCode('Leads to search by email', items(a, b), outputs, 'phone')).toEqual([]);
		expect(runCode('Leads to search by email', items(a, b), outputs, 'phoneAndEmail')).toEqual([]);
		expect(
			runCode('Choose contacts', items(a, b), outputs, 'phoneAndEmail').map(
				(i) => i.json.contactId,
			),
		).toEqual([null, 702]);
	});

	it('gives a lead the new contact of an earlier lead of the run with the same phone or email, as the node keys them', () => {
		const sameEmail = lead(4, '+998901110004', 'A@example.uz');
		const samePhone = lead(5, a.phone);
		const outputs: Outputs = { 'Leads to search': [items(a, c, sameEmail, samePhone)] };
		const shared = (matchContactsBy?: string) =>
			runCode('Choose contacts', items(a, c, sameEmail, samePhone), outputs, matchContactsBy).map(
				(i) => i.json.sameContactAsEarlierLead,
			);
		expect(shared()).toEqual([false, false, true, true]);
		expect(shared('phone')).toEqual([false, false, false, true]);
		// Both must agree: a lead without an email never shares.
		expect(shared('phoneAndEmail')).toEqual([false, false, false, false]);
	});

	it('with Settings > findExistingContacts false, looks nothing up: every lead gets its own new contact', () => {
		const known = { 'Find known contacts': [[row(10, a.phone, '', 'synced', 501)]] };
		const off = { findExistingContacts: false };
		const leads = items(a, lead(6, a.phone));
		expect(runCode('Leads to search', leads, known, undefined, off)).toEqual([]);
		expect(runCode('Choose contacts', leads, known, undefined, off)).toEqual([
			{ json: { ...a, contactId: null, sameContactAsEarlierLead: false }, pairedItem: 0 },
			{
				json: { ...lead(6, a.phone), contactId: null, sameContactAsEarlierLead: false },
				pairedItem: 1,
			},
		]);
	});

	it('runs when no search ran at all (every contact known)', () => {
		const known = { 'Find known contacts': [[row(10, a.phone, '', 'synced', 501)]] };
		expect(runCode('Leads to search by email', [], known)).toEqual([]);
		expect(runCode('Choose contacts', items(a), known)).toEqual([
			{ json: { ...a, contactId: 501, sameContactAsEarlierLead: false }, pairedItem: 0 },
		]);
	});
});

describe('Settings > incomingLeads: leads land in Incoming leads (amoCRM "Unsorted") instead of a deal in a stage', () => {
	type TemplateNode = { name: string; type: string; parameters: Record<string, unknown> };
	type Template = {
		nodes: TemplateNode[];
		connections: Record<string, { main: Array<Array<{ node: string }>> }>;
	};
	const read = (file: string) =>
		JSON.parse(readFileSync(join(root, 'workflows', file), 'utf8')) as Template;
	const next = (template: Template, from: string, output: number) =>
		(template.connections[from]?.main[output] ?? []).map((link) => link.node);
	const settingOf = (template: Template, name: string) =>
		(
			template.nodes.find((node) => node.name === 'Settings')?.parameters as {
				assignments: { assignments: Array<{ name: string; value: unknown }> };
			}
		).assignments.assignments.find((assignment) => assignment.name === name)?.value;

	it.each(templates)(
		'%s: off by default; on, a claimed lead goes to Create incoming lead, whose deal is saved like a created one',
		(file) => {
			const template = read(file);
			expect(settingOf(template, 'incomingLeads')).toBe(false);
			expect(settingOf(template, 'formPage')).toBe('https://example.com/');
			expect(next(template, 'Still ours?', 0)).toEqual(['As incoming lead?']);
			expect(next(template, 'As incoming lead?', 0)).toEqual(['Create incoming lead']);
			expect(next(template, 'As incoming lead?', 1)).toEqual(['Create deal']);
			expect(next(template, 'Create incoming lead', 0)).toEqual(['Incoming lead as deal']);
			expect(next(template, 'Incoming lead as deal', 0)).toEqual(['Save deal ID']);
			// A lost answer may have created it: not sent again (check), as for a deal.
			expect(next(template, 'Create incoming lead', 1)).toEqual(['Deal may exist?']);
			const create = template.nodes.find((node) => node.name === 'Create incoming lead');
			expect(create?.parameters).toMatchObject({
				resource: 'incomingLead',
				operation: 'create',
				pipelineId: '',
				contactName: "={{ $('Lead to sync').item.json.name }}",
				contactPhone: "={{ $('Lead to sync').item.json.phone }}",
				contactEmail: "={{ $('Lead to sync').item.json.email }}",
				formPage: "={{ $('Settings').first().json.formPage }}",
				sourceUid: "=lead-{{ $('Lead to sync').item.json.id }}",
			});
		},
	);

	it('a lost answer to creating an incoming lead counts as "may exist"; a refusal does not', () => {
		const condition = read(templates[0]).nodes.find((node) => node.name === 'Deal may exist?')
			?.parameters as { conditions: { conditions: Array<{ leftValue: string }> } };
		const expression = condition.conditions.conditions[0].leftValue.replace(/^=\{\{|\}\}$/g, '');
		const mayExist = (error: string) =>
			runInNewContext(expression, { $json: { error }, String }) as boolean;
		expect(mayExist("amoCRM's answer was lost: the incoming lead may have been created")).toBe(
			true,
		);
		expect(mayExist('amoCRM did not return the new incoming lead')).toBe(true);
		expect(mayExist("amoCRM's answer was lost: the deal may have been created")).toBe(true);
		expect(
			mayExist('amoCRM refused the incoming lead: Visitor IP: This value should not be blank.'),
		).toBe(false);
	});
});

describe('Telegram text: every lead once, within what Telegram lets a bot send a group', () => {
	const synced = (id: number, message = 'Call me') => ({
		json: {
			id,
			name: `Lead ${id}`,
			phone: `+99890111${String(id).padStart(4, '0')}`,
			email: '',
			message,
			status: 'synced',
			attempts: 1,
			deal_url: `https://shop.amocrm.ru/leads/detail/${9000 + id}`,
			note_id: 700 + id,
		},
	});
	const texts = (leads: Array<ReturnType<typeof synced>>) =>
		runCode('Telegram text', leads, {}).map((message) => message.json);
	const announced = (text: unknown) =>
		[...String(text).matchAll(/New lead #(\d+)/g)].map((match) => Number(match[1]));

	it('up to 3 leads in a run: one message each, as before', () => {
		const messages = texts([synced(1), synced(2), synced(3)]);
		expect(messages.map((m) => [m.leadId, announced(m.text)])).toEqual([
			[1, [1]],
			[2, [2]],
			[3, [3]],
		]);
		expect(messages[0].text).toBe(
			[
				'✅ <b>New lead #1</b>',
				'<b>Name:</b> Lead 1',
				'<b>Phone:</b> +998901110001',
				'<b>Message:</b> Call me',
				'<a href="https://shop.amocrm.ru/leads/detail/9001">Open the deal in amoCRM</a>',
			].join('\n'),
		);
	});

	it('more leads in a run (a burst, a backlog): messages of up to 10 leads each, every lead in exactly one', () => {
		const leads = Array.from({ length: 25 }, (_, i) => synced(i + 1));
		const messages = texts(leads);
		expect(messages.map((m) => m.leadIds)).toEqual([
			[1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
			[11, 12, 13, 14, 15, 16, 17, 18, 19, 20],
			[21, 22, 23, 24, 25],
		]);
		expect(messages.flatMap((m) => announced(m.text))).toEqual(leads.map((l) => l.json.id));
		// Each lead's own message, in order, separated by a line.
		expect(messages[2].text).toBe(
			runCode('Telegram text', leads.slice(20, 23), {})
				.map((m) => m.json.text)
				.concat(runCode('Telegram text', leads.slice(23), {}).map((m) => m.json.text))
				.join('\n\n— — —\n\n'),
		);
	});

	it('long messages: fewer leads per message, none over 4000 characters', () => {
		const leads = Array.from({ length: 6 }, (_, i) => synced(i + 1, 'я'.repeat(1400)));
		const messages = texts(leads);
		expect(messages.map((m) => m.leadIds)).toEqual([
			[1, 2],
			[3, 4],
			[5, 6],
		]);
		for (const m of messages) expect([...String(m.text)].length).toBeLessThanOrEqual(4000);
	});
});

/**
 * The README and the Russian and Uzbek guides describe the same screens: each links to the
 * others, shows the same screenshots, and uses n8n 2.x's words (Publish, Connect, one
 * Credential list), not those of screens n8n 2.x no longer has.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

import { AmoCrmApi } from '../../credentials/AmoCrmApi.credentials';
import { AmoCrmOAuth2Api } from '../../credentials/AmoCrmOAuth2Api.credentials';
import {
	testFormPage,
	type Language,
} from '../../nodes/AmoCrm/actions/siteForm/testForm.operation';

const root = resolve(__dirname, '..', '..');
const documents = {
	english: 'README.md',
	russian: 'docs/ru/README.md',
	uzbek: 'docs/uz/README.md',
};
const read = (file: string) => readFileSync(join(root, file), 'utf8');

/** Relative link targets of a Markdown file, resolved from the repository root. */
function links(file: string): string[] {
	const targets = [...read(file).matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]);
	return targets
		.filter((target) => !/^[a-z]+:/i.test(target) && !target.startsWith('#'))
		.map((target) => join(dirname(file), target.split('#')[0]));
}

/** What a user follows step by step: the whole guide; in the README its install, connect and template sections. */
function userSteps(file: string): string {
	const text = read(file);
	if (file !== documents.english) return text;
	const section = (from: string, to: string) => text.slice(text.indexOf(from), text.indexOf(to));
	return (
		section('## Install', '## Operations') +
		section('## Lead-intake template', '## Limits and retries')
	);
}

const screenshots = (file: string) =>
	links(file)
		.filter((target) => target.startsWith('docs/images/'))
		.sort();

describe('user guides', () => {
	it('the English README links to the Russian and Uzbek guides, and each guide back to the others', () => {
		expect(links(documents.english)).toEqual(
			expect.arrayContaining([documents.russian, documents.uzbek]),
		);
		expect(links(documents.russian)).toEqual(
			expect.arrayContaining([documents.english, documents.uzbek]),
		);
		expect(links(documents.uzbek)).toEqual(
			expect.arrayContaining([documents.english, documents.russian]),
		);
	});

	it('every guide shows the same screenshots as the README', () => {
		const expected = [
			'docs/images/create-deal-field-choices.png',
			'docs/images/create-deal-pipeline-stage.png',
			'docs/images/create-deal-responsible-user-kept.png',
			'docs/images/credential-long-lived.png',
			'docs/images/credential-oauth2.png',
			'docs/images/executions.png',
			'docs/images/lead-intake-save-lead.png',
			'docs/images/node-panel-search.png',
			'docs/images/publish.png',
			'docs/images/template-imported.png',
			'docs/images/test-form-answer.png',
			'docs/images/test-form.png',
		];
		expect(screenshots(documents.english)).toEqual(expected);
		expect(screenshots(documents.russian)).toEqual(expected);
		expect(screenshots(documents.uzbek)).toEqual(expected);
	});

	it('links that are not screenshots point at files of the repository', () => {
		for (const file of Object.values(documents)) {
			const missing = links(file).filter(
				(target) => !target.startsWith('docs/images/') && !existsSync(join(root, target)),
			);
			expect({ file, missing }).toEqual({ file, missing: [] });
		}
	});

	it.each(Object.entries(documents))(
		'the %s guide uses the words of n8n 2.x’s editor',
		(_language, file) => {
			const text = userSteps(file);
			expect(text).not.toMatch(/Connect my account/);
			expect(text).not.toMatch(/\bActivate\b|activate the workflow/i);
			expect(text).not.toMatch(
				/Authentication: Long-Lived|Authentication\*? to \*?Long-Lived|switch \*\*Authentication\*\*/,
			);
			expect(text).not.toMatch(/Import from File/);
			expect(text).toContain('**Publish**');
			expect(text).toContain('**Connect**');
			expect(text).toContain('**Credential**');
			expect(text).toContain(`**${new AmoCrmOAuth2Api().displayName}**`);
			expect(text).toContain(`**${new AmoCrmApi().displayName}**`);
			expect(text).toContain('Settings → Community nodes');
		},
	);

	it.each([documents.russian, documents.uzbek])(
		'%s covers install, both ways to connect, the template, lead statuses and troubleshooting',
		(file) => {
			const text = read(file);
			for (const status of ['pending', 'syncing', 'synced', 'failed', 'check'])
				expect(text).toContain(`| \`${status}\` |`);
			expect(text).toContain('npm install n8n-nodes-amocrm');
			expect(text).toContain('**«Создать интеграцию»** → **«Внешняя интеграция»**');
			expect(text).toContain('«Ключи и доступы»');
			expect(text).toContain('workflows/lead-intake.json');
			expect(text).toContain('*The amoCRM credential is not connected*');
		},
	);
});

/** Labels every guide gives as they are on screen: Telegram's, n8n's and the n8n start-up setting. */
const sharedLabels = [
	'@BotFather',
	'`/newbot`',
	'/getUpdates',
	'**Access Token**',
	'N8N_WEBHOOK_URL=https://n8n.example.com/',
	'**Production URL**',
	'**Test URL**',
	'*Allowed HTTP Request Domains*',
	'*Version name*',
];

/** Each phrase, reported by name when missing. */
function expectAll(text: string, phrases: string[]) {
	for (const phrase of phrases)
		expect({ phrase, found: text.includes(phrase) }).toEqual({ phrase, found: true });
}

/**
 * What each guide must say, in its own language, where the issue found the guides wrong: the
 * field's name, amoCRM's current path to a new integration, which lead fields are required, and
 * how a lead is sent again once its retries are used up.
 */
const wording: Record<
	string,
	{ file: string; language: Language; required: string[]; resend: string[]; gone: RegExp[] }
> = {
	english: {
		file: documents.english,
		language: 'en',
		required: ['`name` and `phone` are required', 'Field names are matched whatever their case'],
		resend: ['set its status to `pending`', 'at most 10 times (`MAX_ATTEMPTS`)'],
		gone: [/until (it|they) goes? through/, /a version name is optional/i],
	},
	russian: {
		file: documents.russian,
		language: 'ru',
		required: ['`name` и `phone` обязательны', 'без учёта регистра'],
		resend: ['поставьте в строке заявки статус `pending`', 'не больше 10 раз (`MAX_ATTEMPTS`)'],
		gone: [/пока не пройдут/, /название версии можно не указывать/, /(^|[^а-яё])частн/i],
	},
	uzbek: {
		file: documents.uzbek,
		language: 'uz',
		required: ['`name` va `phone` majburiy', 'katta-kichik harfidan qat’i nazar'],
		resend: ['holatini `pending` ga o‘zgartiring', '10 martadan ko‘p emas (`MAX_ATTEMPTS`)'],
		gone: [/o‘tguncha/, /versiya nomini yozmasa ham/, /Saralanmagan»/],
	},
};

describe.each(Object.entries(wording))('the %s guide', (_language, expected) => {
	const text = read(expected.file);

	it('names the deal field Pipeline and Stage, as the node shows it', () => {
		expect(text).toContain('**Pipeline and Stage**');
		expect(text).not.toMatch(/\*\*Stage\*\*/);
		expect(text).not.toMatch(/(the|в списке) Stage\b|(?<!and )Stage ro‘yxatida/);
	});

	it('creates the amoCRM integration through amoМаркет, with the labels on screen', () => {
		expect(text).not.toContain('Настройки → Интеграции');
		expectAll(text, [
			'**amoМаркет**',
			'https://SUBDOMAIN.amocrm.ru/settings/widgets/',
			'**«⋯»**',
			'**«Создать интеграцию»**',
			'**«Внешняя интеграция»**',
			'«Ссылка для перенаправления»',
			'«Предоставить доступ»',
			'«Доступ к данным аккаунта»',
			'**«Разрешить»**',
			'«Ключи и доступы»',
			'«Сгенерировать токен»',
			'отказ',
			// Kommo's English labels for the same steps.
			'**Keys and scopes**',
			'**Generate long-lived token**',
			'**Allow**',
		]);
	});

	it('says which lead fields are required and that their names are matched whatever their case', () => {
		expectAll(text, expected.required);
	});

	it('says retries stop after MAX_ATTEMPTS and how to send a lead again', () => {
		expectAll(text, expected.resend);
		for (const pattern of expected.gone)
			expect({ pattern, found: text.match(pattern)?.[0] }).toEqual({ pattern, found: undefined });
	});

	it('explains the Telegram bot, its Chat ID, the Production URL and the n8n fields users ask about', () => {
		expectAll(text, sharedLabels);
	});

	it('sends the test lead from the test form with the labels its page shows, and says how to turn it off', () => {
		const page = testFormPage(expected.language, true);
		const label = (name: string) =>
			new RegExp(`<label>([^<]+)<input name="${name}"`).exec(page)![1];
		const button = /<button type="submit">([^<]+)<\/button>/.exec(page)![1];
		const off = /<p>([^<]+)<\/p>/.exec(testFormPage(expected.language, false))![1];
		expectAll(text, [
			`**${label('name')}**`,
			`**${label('phone')}**`,
			`**${button}**`,
			off,
			'**Show the Form**',
			'Invoke-RestMethod',
			'Overview → Data tables → amocrm_leads',
		]);
	});
});

it('the Uzbek guide gives each amoCRM term with its Russian label and its English name', () => {
	const glossary = read(documents.uzbek).split('## Lug‘at')[1] ?? '';
	expectAll(glossary, [
		'| bitim | Сделка | Lead (Kommo), Deal (n8n tuguni) |',
		'| voronka | Воронка | Pipeline |',
		'| bosqich | Этап | Stage |',
		'| saralanmagan arizalar | Неразобранное | Incoming leads |',
		'| kalitlar va kirish huquqlari | Ключи и доступы | Keys and scopes |',
		'| ruxsat berish (oyna) | Разрешить | Allow |',
	]);
});

/** A node of a generated template, by its name. */
function templateNode(
	file: string,
	name: string,
): { name: string; parameters: Record<string, unknown> } {
	const { nodes } = JSON.parse(read(file)) as {
		nodes: Array<{ name: string; parameters: Record<string, unknown> }>;
	};
	const node = nodes.find((candidate) => candidate.name === name);
	expect({ file, name, found: node !== undefined }).toEqual({ file, name, found: true });
	return node!;
}

/**
 * The recipes quote the templates: a user copies these expressions and looks for these numbers
 * and nodes, so each guide must have them exactly as `workflows/build-templates.mjs` writes them.
 */
describe('the template recipes', () => {
	const dataTable = 'workflows/lead-intake.json';
	const postgres = 'workflows/lead-intake-postgres.json';
	const expressions = [
		...String(templateNode(dataTable, 'Note: amoCRM').parameters.content).matchAll(
			/`(\{\{[^`]+\}\})`/g,
		),
	].map((match) => match[1]);
	const constants = [
		...String(templateNode(dataTable, 'Pick due leads').parameters.jsCode).matchAll(
			/^const ([A-Z_]+ = \d+);/gm,
		),
	].map((match) => match[1]);
	const settings = /^WITH settings AS \([^)]*\)/
		.exec(String(templateNode(postgres, 'Claim').parameters.query))![0]
		.replace(/\s+/g, ' ');
	/** Nodes the set-up and the recipes send a user to, in both templates unless noted. */
	const nodes = [
		'Test form',
		'Read form',
		'Find or create contact',
		'Create deal',
		'Telegram',
		'Tell the team?',
		'Sync every 5 minutes',
		'Mark sending',
		'Save deal',
		'Mark failed',
		'Claim',
	];
	/**
	 * Nodes and Settings values of the template before it was rebuilt from the node's operations,
	 * PostgreSQL's nodes before its claim became one statement, and the retry count Tell the team?
	 * no longer repeats.
	 */
	const removed =
		/\*{1,2}(Find contact by phone|Find contact by email|Create deal without custom fields|Add note|Choose contacts|Telegram text|Validate|Create incoming lead|As incoming lead\?|Sync every 30 seconds|Flag stuck leads|Claimed\?)\*{1,2}|`(incomingLeads|findExistingContacts|retryAfterMinutes|leaseMinutes)`|\$json\.attempts >= \d/;

	it('quotes two expressions from the template, four numbers from its Code node and one settings line', () => {
		expect(expressions).toEqual([
			"{{ JSON.parse($('Claim').item.json.fields).city }}",
			"{{ $('Claim').item.json.source === 'instagram' ? '1002:2101' : '1001:2002' }}",
		]);
		expect(constants).toEqual([
			'RETRY_AFTER_MINUTES = 5',
			'MAX_ATTEMPTS = 10',
			'LEASE_MINUTES = 10',
			'BATCH_SIZE = 50',
		]);
		expect(settings).toBe(
			'WITH settings AS (SELECT 5 AS retry_after_minutes, 10 AS max_attempts, 10 AS lease_minutes, 50 AS batch_size)',
		);
		for (const name of nodes) {
			templateNode(dataTable, name);
			templateNode(postgres, name);
		}
		templateNode(dataTable, 'Pick due leads');
		for (const name of ['Claimed to sync?', 'Answer with the test form'])
			for (const file of [dataTable, postgres]) templateNode(file, name);
		templateNode(postgres, 'Still ours?');
		const tellTheTeam = (file: string) =>
			String(
				(
					templateNode(file, 'Tell the team?').parameters.conditions as {
						conditions: Array<{ leftValue: string }>;
					}
				).conditions[0].leftValue,
			);
		expect(tellTheTeam(dataTable)).not.toMatch(/attempts >=/);
		expect(tellTheTeam(postgres)).not.toMatch(/attempts >=/);
	});

	/**
	 * What Claim appends to the error of a lead that failed MAX_ATTEMPTS times, as a string
	 * literal in its error expression (Data table) or its query parameters (PostgreSQL).
	 */
	const gaveUp = (file: string) => {
		const { columns, options } = templateNode(file, 'Claim').parameters as {
			columns?: { value: { error: string } };
			options?: { queryReplacement?: string };
		};
		const expression = columns?.value.error ?? options?.queryReplacement ?? '';
		const quoted = /"(It is no longer sent automatically(?:[^"\\]|\\.)*)"/.exec(expression);
		return quoted ? (JSON.parse(`"${quoted[1]}"`) as string) : undefined;
	};

	it('Claim of both templates gives a lead that used its attempts the same advice', () => {
		expect(gaveUp(dataTable)).toBe(
			'It is no longer sent automatically: fix what the error says, then set the status of the lead\'s row to "pending".',
		);
		expect(gaveUp(postgres)).toBe(gaveUp(dataTable));
	});

	it.each(Object.entries(documents))(
		'the %s guide gives them as the templates have them, and names no node the template no longer has',
		(_language, file) => {
			const text = read(file);
			expectAll(text, [
				...expressions,
				...constants,
				settings,
				...nodes,
				'Pick due leads',
				'Claimed to sync?',
				'Still ours?',
				'Incoming Lead → Create From a Form',
				'7 ÷',
				gaveUp(dataTable)!,
			]);
			expect({ file, removed: removed.exec(text)?.[0] }).toEqual({ file, removed: undefined });
		},
	);
});

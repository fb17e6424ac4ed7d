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

function validateCode(file: string): string {
	const workflow = JSON.parse(readFileSync(join(root, 'workflows', file), 'utf8')) as {
		nodes: Array<{ name: string; parameters: { jsCode?: string } }>;
	};
	const code = workflow.nodes.find((node) => node.name === 'Validate')?.parameters.jsCode;
	if (!code) throw new Error(`${file} has no Validate code`);
	return code;
}

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

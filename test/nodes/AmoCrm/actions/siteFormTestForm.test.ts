/**
 * Site Form > Get Test Form: the page a browser gets at the webhook's address, to send a test
 * lead without a terminal. It posts to the address it was opened at, asks amoCRM nothing, and
 * can be turned off for production.
 */
import {
	pageLanguage,
	testFormPage,
} from '../../../../nodes/AmoCrm/actions/siteForm/testForm.operation';
import { AmoCrmScript } from '../../../support/executeContext';
import { resetTransportState, runNode } from '../../../support/runNode';

beforeEach(() => resetTransportState());

const testForm = (extra: Record<string, unknown> = {}) => ({
	resource: 'siteForm',
	operation: 'testForm',
	...extra,
});

describe('Site Form > Get Test Form', () => {
	it("answers in the browser's language, with a form posting every known field to the same address", async () => {
		const script = new AmoCrmScript();
		const output = await runNode({
			script,
			items: [testForm({ language: 'auto', acceptLanguage: 'uz-UZ,uz;q=0.9,ru;q=0.8,en;q=0.5' })],
		});
		expect(script.sent).toEqual([]);
		expect(output).toEqual([
			{
				json: { html: testFormPage('uz', true), statusCode: 200, language: 'uz' },
				pairedItem: { item: 0 },
			},
		]);
		const html = output[0].json.html as string;
		expect(html).toContain('<html lang="uz">');
		expect(html).toContain('<form method="post">');
		expect(html).not.toMatch(/action=/);
		expect(
			[...html.matchAll(/<(?:input|textarea) name="([^"]+)"/g)].map((match) => match[1]),
		).toEqual(['name', 'phone', 'email', 'message', 'productId', 'source']);
		expect(html).toContain('<button type="submit">Yuborish</button>');
		expect(html).not.toMatch(/<script/);
	});

	it('a language chosen on the node wins over the browser', async () => {
		const output = await runNode({
			script: new AmoCrmScript(),
			items: [testForm({ language: 'ru', acceptLanguage: 'en-US' })],
		});
		expect(output[0].json).toMatchObject({ language: 'ru', statusCode: 200 });
		expect(output[0].json.html).toContain('<button type="submit">Отправить</button>');
	});

	it('turned off, the page has no form and the status is 404', async () => {
		const output = await runNode({
			script: new AmoCrmScript(),
			items: [testForm({ showForm: false, language: 'en' })],
		});
		expect(output[0].json).toEqual({
			html: testFormPage('en', false),
			statusCode: 404,
			language: 'en',
		});
		expect(output[0].json.html).toContain('<p>The test form of this workflow is turned off.</p>');
		expect(output[0].json.html).not.toContain('<form');
	});
});

describe('pageLanguage', () => {
	it.each([
		['ru-RU,ru;q=0.9,en-US;q=0.8', 'ru'],
		['en-US,en;q=0.9,ru;q=0.8', 'en'],
		['de-DE,de;q=0.9,ru;q=0.8,uz;q=0.7', 'ru'],
		['uz;q=0.5,ru;q=0.4', 'uz'],
		['ru;q=0.4, uz;q=0.5', 'uz'],
		['ru;q=0, en;q=0.1', 'en'],
		['fr-FR', 'en'],
		['', 'en'],
	])('%j -> %s', (header, language) => {
		expect(pageLanguage(header)).toBe(language);
	});
});

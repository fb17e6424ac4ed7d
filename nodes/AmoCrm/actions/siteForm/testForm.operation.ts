import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { OperationResult } from '../operation';

const displayOptions = { show: { resource: ['siteForm'], operation: ['testForm'] } };

export const LANGUAGES = ['en', 'ru', 'uz'] as const;
export type Language = (typeof LANGUAGES)[number];

export const description: INodeProperties[] = [
	{
		displayName: 'Show the Form',
		name: 'showForm',
		type: 'boolean',
		default: true,
		description:
			'Whether the page shows the test form. Turn it off once the site sends real leads: the page then only says the form is off (HTTP 404).',
		displayOptions,
	},
	{
		displayName: 'Language',
		name: 'language',
		type: 'options',
		options: [
			{ name: "Auto (the Browser's Language)", value: 'auto' },
			{ name: 'English', value: 'en' },
			{ name: 'Russian', value: 'ru' },
			{ name: 'Uzbek', value: 'uz' },
		],
		default: 'auto',
		description:
			"The page's language. The browser's: Russian or Uzbek when the browser asks for it, else English.",
		displayOptions,
	},
	{
		displayName: 'Browser Languages',
		name: 'acceptLanguage',
		type: 'string',
		default: '={{ $json.headers?.["accept-language"] ?? "" }}',
		description: "The request's Accept-Language header, from the Webhook node",
		displayOptions: { show: { ...displayOptions.show, language: ['auto'] } },
	},
];

interface Texts {
	title: string;
	intro: string;
	name: string;
	phone: string;
	email: string;
	message: string;
	productId: string;
	send: string;
	after: string;
	off: string;
}

const TEXTS: Record<Language, Texts> = {
	en: {
		title: 'Test lead',
		intro: 'Send a test lead to this workflow, as your site will.',
		name: 'Name',
		phone: 'Phone',
		email: 'Email',
		message: 'Message',
		productId: 'Product ID',
		send: 'Send',
		after:
			'The answer appears next: {"ok":true,"id":…} means the lead is stored and is on its way to amoCRM and Telegram; {"ok":false,…} names the fields to fix.',
		off: 'The test form of this workflow is turned off.',
	},
	ru: {
		title: 'Тестовая заявка',
		intro: 'Отправьте в этот процесс тестовую заявку — так же, как её будет отправлять ваш сайт.',
		name: 'Имя',
		phone: 'Телефон',
		email: 'Email',
		message: 'Сообщение',
		productId: 'ID товара',
		send: 'Отправить',
		after:
			'Затем откроется ответ: {"ok":true,"id":…} — заявка сохранена и уходит в amoCRM и Telegram; {"ok":false,…} — ответ называет поля, которые нужно исправить.',
		off: 'Тестовая форма этого процесса выключена.',
	},
	uz: {
		title: 'Sinov arizasi',
		intro: 'Bu jarayonga sinov arizasini yuboring — saytingiz qanday yuborsa, xuddi shunday.',
		name: 'Ism',
		phone: 'Telefon',
		email: 'Email',
		message: 'Xabar',
		productId: 'Mahsulot ID',
		send: 'Yuborish',
		after:
			'Keyin javob ochiladi: {"ok":true,"id":…} — ariza saqlandi va amoCRM hamda Telegramga yuborilmoqda; {"ok":false,…} — tuzatish kerak bo‘lgan maydonlarni aytadi.',
		off: 'Bu jarayonning sinov formasi o‘chirilgan.',
	},
};

/** The first of the browser's languages (by its q weights) that the page has; English otherwise. */
export function pageLanguage(acceptLanguage: string): Language {
	const asked = acceptLanguage
		.split(',')
		.map((part, order) => {
			const [tag, ...parameters] = part.trim().toLowerCase().split(';');
			const weight = parameters.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
			return { language: tag.split('-')[0], q: weight === undefined ? 1 : Number(weight), order };
		})
		.filter((entry) => entry.language !== '' && entry.q > 0)
		.sort((a, b) => b.q - a.q || a.order - b.order);
	const found = asked.find((entry) => (LANGUAGES as readonly string[]).includes(entry.language));
	return (found?.language as Language | undefined) ?? 'en';
}

/**
 * The page: a plain HTML form posting URL-encoded fields to the address it was opened at (the
 * webhook's own), so it needs no script and no address typed in. No request data is put into it.
 */
export function testFormPage(language: Language, showForm: boolean): string {
	const t = TEXTS[language];
	const input = (name: string, label: string, type = 'text', required = false) =>
		`<label>${label}<input name="${name}" type="${type}"${required ? ' required' : ''}></label>`;
	const body = showForm
		? `<h1>${t.title}</h1>
<p>${t.intro}</p>
<form method="post">
${input('name', t.name, 'text', true)}
${input('phone', t.phone, 'tel', true)}
${input('email', t.email, 'email')}
<label>${t.message}<textarea name="message" rows="3"></textarea></label>
${input('productId', t.productId)}
<input name="source" type="hidden" value="test form">
<button type="submit">${t.send}</button>
</form>
<p>${t.after}</p>`
		: `<p>${t.off}</p>`;
	return `<!doctype html>
<html lang="${language}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${t.title}</title>
<style>body{font-family:sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}label{display:block;margin:.75rem 0}input,textarea{display:block;width:100%;padding:.4rem;box-sizing:border-box}button{padding:.5rem 1.5rem}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult[]> {
	const showForm = this.getNodeParameter('showForm', itemIndex, true) as boolean;
	const chosen = this.getNodeParameter('language', itemIndex, 'auto') as Language | 'auto';
	const language =
		chosen === 'auto'
			? pageLanguage(String(this.getNodeParameter('acceptLanguage', itemIndex, '') ?? ''))
			: chosen;
	return [{ html: testFormPage(language, showForm), statusCode: showForm ? 200 : 404, language }];
}

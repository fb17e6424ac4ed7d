/**
 * The lead-intake template's test form in Debian's Chromium, as a user without a terminal tests a
 * published template: open the webhook's address, fill in name and phone, Send. The browser asks
 * in Uzbek; the page answers in Uzbek, the form posts to the same address, the browser shows the
 * answer, and the lead reaches the fake amoCRM. Screenshots: test-form.png, test-form-answer.png.
 */
import type { Browser, Page } from 'puppeteer-core';

import { FakeAmoCrm } from '../fakes/amocrm';
import { FakeTelegram } from '../fakes/telegram';
import {
	LEAD_ACCOUNT,
	startLeadIntake,
	TOKEN,
	userPicks,
	waitForLeadRows,
	type LeadIntakeRun,
} from '../e2e/harness/lead-intake';
import { launchBrowser, newPage, screenshot, type DomNode } from './browser';

describe("The lead-intake template's test form in Chromium", () => {
	let run: LeadIntakeRun;
	let browser: Browser;
	let page: Page;
	const amo = new FakeAmoCrm({ subdomain: LEAD_ACCOUNT.subdomain, accessTokens: [TOKEN] });
	const telegram = new FakeTelegram();

	beforeAll(async () => {
		run = await startLeadIntake('dataTable', amo, telegram);
		await run.n8n.updateWorkflow(run.workflowId, userPicks(run.template, { webhookSyncs: true }));
		await run.n8n.activate(run.workflowId);
		browser = await launchBrowser();
		page = await newPage(browser);
		await page.setExtraHTTPHeaders({ 'Accept-Language': 'uz-UZ,uz;q=0.9,ru;q=0.8' });
	}, 10 * 60_000);

	afterAll(async () => {
		await browser?.close();
		await run?.stop();
	});

	it('opening the address shows the form in Uzbek; Send shows {"ok":true,…} and the lead is in amoCRM', async () => {
		const opened = await page.goto(run.n8n.webhookUrl('lead'), { waitUntil: 'load' });
		expect(opened?.status()).toBe(200);
		// n8n serves a webhook's HTML answer in a sandboxed frame of its own page, or as the page.
		const form = async () => {
			for (const frame of page.frames()) if (await frame.$('form')) return frame;
			throw new Error('no form on the page');
		};
		const frame = await form();
		expect(await frame.$eval('html', (html) => html.getAttribute('lang'))).toBe('uz');
		expect(await frame.$eval('button', (button) => button.textContent)).toBe('Yuborish');
		await frame.type('input[name="name"]', 'Sinov Mijoz');
		await frame.type('input[name="phone"]', '+998 90 555-66-77');
		await screenshot(page, 'test-form.png');

		await Promise.all([
			frame.waitForNavigation({ waitUntil: 'load' }).catch(() => undefined),
			frame.click('button[type="submit"]'),
		]);
		const answered = async () => {
			for (const candidate of page.frames()) {
				const text = await candidate
					.$eval('body', (body) => (body as unknown as DomNode).innerText)
					.catch(() => '');
				if (text.includes('"ok"')) return text;
			}
			return '';
		};
		let text = '';
		const deadline = Date.now() + 10_000;
		while (text === '' && Date.now() < deadline) {
			text = await answered();
			if (text === '') await new Promise((resolve) => setTimeout(resolve, 200));
		}
		expect(JSON.parse(text)).toEqual({ ok: true, id: expect.any(Number) });
		await screenshot(page, 'test-form-answer.png');

		const { id } = JSON.parse(text) as { id: number };
		const rows = await waitForLeadRows(run.n8n, 'dataTable', (row) => row.status === 'synced', {
			timeoutMs: 15_000,
			everyMs: 250,
		});
		expect(rows.find((row) => row.id === id)).toMatchObject({
			name: 'Sinov Mijoz',
			phone: '+998905556677',
			source: 'test form',
			status: 'synced',
		});
		expect(amo.leads.map((deal) => deal.name)).toEqual(['Website lead: Sinov Mijoz']);
	});
});

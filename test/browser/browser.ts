import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';

import { repoRoot } from '../e2e/harness';

/**
 * Debian's Chromium driven through puppeteer-core (which never downloads a browser), at the
 * size and theme of the documentation's screenshots: 1440x900, light.
 */

export const VIEWPORT = { width: 1440, height: 900 } as const;

/** Debian's chromium; scripts/test.sh installs it with apt-get when missing. */
export function chromiumPath(): string {
	for (const candidate of [
		process.env.CHROMIUM_PATH,
		'/usr/bin/chromium',
		'/usr/bin/chromium-browser',
	]) {
		if (candidate && existsSync(candidate)) return candidate;
	}
	try {
		return execFileSync('bash', ['-c', 'command -v chromium || command -v chromium-browser'], {
			encoding: 'utf8',
		}).trim();
	} catch {
		throw new Error(
			'Chromium is not installed: apt-get install chromium (scripts/test.sh does it)',
		);
	}
}

export async function launchBrowser(): Promise<Browser> {
	return await puppeteer.launch({
		executablePath: chromiumPath(),
		headless: true,
		// Root (as in CI) cannot use Chromium's sandbox; /dev/shm is small in containers.
		args: [
			'--no-sandbox',
			'--disable-dev-shm-usage',
			'--disable-gpu',
			'--lang=en-US',
			'--force-color-profile=srgb',
		],
		defaultViewport: VIEWPORT,
	});
}

export async function newPage(browser: Browser): Promise<Page> {
	const page = await browser.newPage();
	await page.setViewport(VIEWPORT);
	await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
	page.setDefaultTimeout(30_000);
	// Leaving a workflow with unsaved changes asks "leave the page?": the tests move on.
	page.on('dialog', (dialog) => void dialog.accept());
	return page;
}

/** Screenshots the documentation uses live in docs/images/. */
export async function screenshot(page: Page, name: string): Promise<string> {
	const file = join(repoRoot, 'docs', 'images', name);
	mkdirSync(dirname(file), { recursive: true });
	// Lists and dialogs fade in: a picture taken mid-way shows them half transparent.
	await new Promise((resolve) => setTimeout(resolve, 600));
	await page.screenshot({ path: file as `${string}.png` });
	return file;
}

/** The little of the DOM these helpers touch (the tests compile without the DOM library). */
export interface DomNode {
	innerText: string;
	textContent: string | null;
	getBoundingClientRect(): { width: number; height: number };
}

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `check` returns a truthy value (polled in Node, so it may call the page). */
export async function waitUntil<T>(
	check: () => Promise<T | undefined | null | false>,
	what: string,
	timeoutMs = 20_000,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let last: unknown;
	for (;;) {
		try {
			const value = await check();
			if (value) return value;
		} catch (error) {
			last = error;
		}
		if (Date.now() > deadline)
			throw new Error(`Timed out waiting for ${what}${last ? ` (${String(last)})` : ''}`);
		await sleep(200);
	}
}

/** The visible element matching `selector` whose text contains `text` (innermost first). */
export async function findByText(
	page: Page,
	selector: string,
	text: string | RegExp,
): Promise<ElementHandle | null> {
	const handles = await page.$$(selector);
	const matching: Array<ElementHandle> = [];
	for (const handle of handles) {
		const ok = await handle.evaluate(
			(element, source, flags) => {
				const box = (element as unknown as DomNode).getBoundingClientRect();
				if (box.width === 0 && box.height === 0) return false;
				const content = (element as unknown as DomNode).innerText ?? element.textContent ?? '';
				return flags === null ? content.includes(source) : new RegExp(source, flags).test(content);
			},
			typeof text === 'string' ? text : text.source,
			typeof text === 'string' ? null : text.flags,
		);
		if (ok) matching.push(handle);
	}
	// The last match is the innermost in document order for nested matches.
	return matching.length > 0 ? matching[matching.length - 1] : null;
}

import type { Page } from 'puppeteer-core';

import { findByText, waitUntil } from './browser';

/**
 * What a user does in n8n 2.x's editor, by the labels and data-test-id attributes the editor
 * itself uses. Typing goes key by key with a short delay: n8n's inputs drop keys typed faster
 * than they re-render.
 */

/** The page's document, as far as these helpers use it (the tests compile without the DOM library). */
declare const document: {
	querySelectorAll(selector: string): ArrayLike<unknown>;
	querySelector(selector: string): unknown;
	body: unknown;
	location: { pathname: string };
};
declare const window: { amocrmNavigated?: boolean };

/** n8n's Vue app on its mount element, as far as these helpers use it. */
interface EditorApp {
	__vue_app__?: {
		config: {
			globalProperties: {
				$router: { push(to: string): Promise<unknown> };
				/** Pinia: n8n's stores by id; `workflows` holds the workflow the editor shows. */
				$pinia: {
					_s: {
						get(id: 'workflows'): { workflowId?: string } | undefined;
					};
				};
			};
		};
	};
}

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

export async function typeInto(
	page: Page,
	selector: string,
	text: string,
	options: { clear?: boolean } = {},
): Promise<void> {
	const input = await page.waitForSelector(selector, { visible: true });
	if (!input) throw new Error(`no input ${selector}`);
	if (options.clear) {
		await input.focus();
		await page.keyboard.down('Control');
		await page.keyboard.press('a');
		await page.keyboard.up('Control');
		await page.keyboard.press('Backspace');
	}
	await input.type(text, { delay: 40 });
	await waitUntil(
		async () =>
			(await input.evaluate((element) => (element as unknown as { value: string }).value)) === text,
		`"${text}" in ${selector}`,
	);
	// n8n takes a typed value into the workflow or credential after a short debounce: a Save
	// clicked at once would store what was typed before the last keys.
	await sleep(1000);
}

/** Clicks the visible element matching `selector` whose text contains `text`, by DOM click (no coordinates: lists re-render under the mouse). */
export async function clickItem(page: Page, selector: string, text: string): Promise<void> {
	await waitUntil(
		async () =>
			await page.evaluate(
				(sel, wanted) => {
					const found = Array.from(document.querySelectorAll(sel)).find(
						(element) =>
							(element as unknown as { offsetParent: unknown }).offsetParent !== null &&
							(element as unknown as { innerText: string }).innerText.includes(wanted),
					);
					if (found) (found as unknown as { click(): void }).click();
					return found !== undefined;
				},
				selector,
				text,
			),
		`${selector} "${text}"`,
	);
}

/** The visible texts of the elements matching `selector`. */
export async function visibleTexts(page: Page, selector: string): Promise<string[]> {
	return await page.evaluate(
		(sel) =>
			Array.from(document.querySelectorAll(sel))
				.filter(
					(element) => (element as unknown as { offsetParent: unknown }).offsetParent !== null,
				)
				.map((element) => (element as unknown as { innerText: string }).innerText.trim()),
		selector,
	);
}

export async function signUpOwner(
	page: Page,
	baseUrl: string,
	owner: { email: string; password: string; firstName: string; lastName: string },
): Promise<void> {
	await page.goto(`${baseUrl}/`, { waitUntil: 'networkidle2' });
	await waitUntil(async () => page.url().endsWith('/setup'), 'the owner set-up page');
	await typeInto(page, '[data-test-id="email"] input', owner.email);
	await typeInto(page, '[data-test-id="firstName"] input', owner.firstName);
	await typeInto(page, '[data-test-id="lastName"] input', owner.lastName);
	await typeInto(page, '[data-test-id="password"] input', owner.password);
	await page.click('[data-test-id="form-submit-button"]');
	await waitUntil(async () => !page.url().endsWith('/setup'), 'leaving the set-up page', 30_000);
}

/**
 * Goes to one of the editor's pages (`path`, such as `/workflow/<id>`) as a click inside the
 * editor does: n8n's router changes the page in place, through the workflow list, so the page
 * shown is mounted afresh and the list refetches the credentials. A page not showing the editor
 * yet, or with a dialog open, loads it. Loading the editor costs about 10 CPU seconds here (some
 * 580 files, each revalidated with n8n); moving inside it, about 2. Leaving a workflow with
 * unsaved changes, n8n asks first: the tests leave without saving, as on a page load.
 */
export async function goTo(page: Page, baseUrl: string, path: string): Promise<void> {
	const inEditor =
		page.url().startsWith(`${baseUrl}/`) &&
		(await page.evaluate(() =>
			Boolean((document.querySelector('#app') as EditorApp)?.__vue_app__),
		));
	// A dialog left open (Escape closes a list in it, not the dialog) would stay over the next page.
	const dialogOpen =
		inEditor &&
		(await page.evaluate(() =>
			Array.from(document.querySelectorAll('.el-overlay-dialog')).some(
				(element) => (element as { offsetParent: unknown }).offsetParent !== null,
			),
		));
	if (!inEditor || dialogOpen) {
		await page.goto(`${baseUrl}${path}`, { waitUntil: 'networkidle2' });
		return;
	}
	for (const to of path === '/home/workflows' ? [path] : ['/home/workflows', path]) {
		// A navigation of the editor's own (such as the one after sign-up) may cancel this one: it is
		// started again until the page is there. A new workflow gets an address of its own.
		const arrived = (pathname: string) =>
			to === '/workflow/new' ? pathname.startsWith('/workflow/') : pathname === to;
		let navigating = false;
		await waitUntil(async () => {
			const state = await page.evaluate(() => ({
				done: window.amocrmNavigated,
				pathname: document.location.pathname,
			}));
			if (navigating && state.done) {
				if (arrived(state.pathname)) return true;
				navigating = false;
			}
			if (!navigating) {
				await page.evaluate((target) => {
					window.amocrmNavigated = false;
					const app = (document.querySelector('#app') as EditorApp).__vue_app__;
					const done = () => (window.amocrmNavigated = true);
					void app?.config.globalProperties.$router.push(target).then(done, done);
				}, to);
				navigating = true;
				return false;
			}
			const leave = await findByText(page, 'button', 'Leave without saving');
			await leave?.click();
			return false;
		}, `n8n's editor to show ${to}`);
	}
	await page.waitForNetworkIdle({ idleTime: 500, concurrency: 2 });
}

/** A new workflow's menu, open at Import. */
async function openImportMenu(page: Page, baseUrl: string): Promise<void> {
	await goTo(page, baseUrl, '/workflow/new');
	// The editor can still be drawing its header when the network goes quiet.
	await page.waitForSelector('[data-test-id="workflow-menu"]', { visible: true });
	await page.click('[data-test-id="workflow-menu"]');
	await page.waitForSelector('[data-test-id="workflow-menu-item-import"]', { visible: true });
	await page.hover('[data-test-id="workflow-menu-item-import"]');
}

/** Workflow menu > Import > From file, in a new workflow; resolves to the saved workflow's id. */
export async function importWorkflowFile(
	page: Page,
	baseUrl: string,
	file: string,
): Promise<string> {
	await openImportMenu(page, baseUrl);
	await page.waitForSelector('[data-test-id="workflow-menu-item-import-from-file"]', {
		visible: true,
	});
	const [chooser] = await Promise.all([
		page.waitForFileChooser(),
		page.click('[data-test-id="workflow-menu-item-import-from-file"]'),
	]);
	await chooser.accept([file]);
	const id = await waitUntil(
		async () => /\/workflow\/([A-Za-z0-9]+)$/.exec(page.url())?.[1],
		'the imported workflow to be saved',
		30_000,
	);
	return id;
}

/**
 * Workflow menu > Import > From URL..., in a new workflow: the address typed into n8n's dialog,
 * then Import; resolves to the saved workflow's id.
 */
export async function importWorkflowUrl(page: Page, baseUrl: string, url: string): Promise<string> {
	await openImportMenu(page, baseUrl);
	await page.waitForSelector('[data-test-id="workflow-menu-item-import-from-url"]', {
		visible: true,
	});
	await page.click('[data-test-id="workflow-menu-item-import-from-url"]');
	await typeInto(
		page,
		'[data-test-id="workflow-url-import-input"] input, input[data-test-id="workflow-url-import-input"]',
		url,
	);
	await page.click('[data-test-id="confirm-workflow-import-url-button"]');
	return await waitUntil(
		async () => /\/workflow\/([A-Za-z0-9]+)$/.exec(page.url())?.[1],
		'the imported workflow to be saved',
		30_000,
	);
}

/**
 * Opens a workflow in the editor (`goTo`), and waits until the editor holds that workflow and its
 * canvas was drawn afresh (none of the nodes drawn before is left). Should it not, the page loads
 * the workflow instead.
 */
export async function openWorkflow(page: Page, baseUrl: string, id: string): Promise<void> {
	const before = await page.$$('[data-test-id="canvas-node"]');
	await goTo(page, baseUrl, `/workflow/${id}`);
	const drawn = async () => {
		for (const node of before) {
			// A node of a page since reloaded is gone too.
			const left = await node.evaluate((element) => element.isConnected).catch(() => false);
			if (left) return false;
		}
		return await page.evaluate((wanted) => {
			const app = (document.querySelector('#app') as EditorApp).__vue_app__;
			const workflows = app?.config.globalProperties.$pinia._s.get('workflows');
			return (
				workflows?.workflowId === wanted &&
				document.querySelectorAll('[data-test-id="canvas-node"]').length > 0
			);
		}, id);
	};
	try {
		await waitUntil(drawn, `workflow ${id} on the canvas`, 15_000);
	} catch {
		await page.goto(`${baseUrl}/workflow/${id}`, { waitUntil: 'networkidle2' });
	}
	await page.waitForSelector('[data-test-id="canvas-node"]', { visible: true });
}

/** Opens a node's settings (double click on the canvas). */
export async function openNode(page: Page, name: string): Promise<void> {
	const node = await page.waitForSelector(
		`[data-test-id="canvas-node"][data-node-name="${name}"]`,
		{ visible: true },
	);
	await node?.click({ count: 2 });
	await page.waitForSelector('[data-test-id="node-parameters"]', { visible: true });
	await sleep(500);
}

export async function closeNode(page: Page): Promise<void> {
	await page.click('[data-test-id="ndv-close-button"]');
	await sleep(500);
}

export async function chooseCredential(page: Page, name: string): Promise<void> {
	await page.click('[data-test-id="node-credentials-select"]');
	await clickItem(page, '.el-select-dropdown__item', name);
	await waitUntil(
		async () =>
			(await page.$eval(
				'[data-test-id="node-credentials-select"] input',
				(element) => (element as unknown as { value: string }).value,
			)) === name,
		`credential "${name}" chosen`,
	);
	await sleep(1000);
}

/** Opens a resource locator's list (choosing "From list" when an older value has no mode) and returns its items. */
export async function openList(page: Page, parameter: string, index = 0): Promise<string[]> {
	const roots = await page.$$(`[data-test-id="resource-locator-${parameter}"]`);
	const root = roots[index];
	if (!root) throw new Error(`no resource locator ${parameter} #${index}`);
	const mode = await root.$eval(
		'[data-test-id="rlc-mode-selector"] input',
		(element) => (element as unknown as { value: string }).value,
	);
	if (mode === '') {
		await (await root.$('[data-test-id="rlc-mode-selector"]'))?.click();
		await clickItem(page, '.el-select-dropdown__item', 'From list');
	}
	await (await root.$('[data-test-id="rlc-input"]'))?.click();
	return await waitUntil(async () => {
		const items = await visibleTexts(page, '[data-test-id="rlc-item"]');
		return items.length > 0 ? items : undefined;
	}, `the ${parameter} list`);
}

export async function chooseFromList(
	page: Page,
	parameter: string,
	item: string,
	index = 0,
): Promise<string[]> {
	const items = await openList(page, parameter, index);
	await clickItem(page, '[data-test-id="rlc-item"]', item);
	await waitUntil(
		async () => (await locatorTexts(page, parameter))[index] === item,
		`"${item}" shown in ${parameter}`,
	);
	return items;
}

/** What each resource locator of that parameter shows. */
export async function locatorTexts(page: Page, parameter: string): Promise<string[]> {
	return await page.$$eval(
		`[data-test-id="resource-locator-${parameter}"] [data-test-id="rlc-input"]`,
		(inputs) => inputs.map((input) => (input as unknown as { value: string }).value),
	);
}

/**
 * Opens an options (or multi-options) input of that parameter and returns its choices. A
 * click that lands while another list is still closing opens nothing: it clicks again.
 */
export async function openOptions(
	page: Page,
	parameter: string,
	index = 0,
	expectSome = true,
): Promise<string[]> {
	const open = async () => {
		const input = (await page.$$(`[data-test-id="parameter-input-${parameter}"]`))[index];
		if (!input) throw new Error(`no input ${parameter} #${index}`);
		await input.scrollIntoView();
		await input.click();
		await sleep(1500);
		return await visibleTexts(page, '.el-select-dropdown__item');
	};
	if (!expectSome) return await open();
	return await waitUntil(async () => {
		const items = await open();
		if (items.length > 0) return items;
		await page.keyboard.press('Escape');
		return undefined;
	}, `the ${parameter} options`);
}

/** What each input of that parameter shows. */
export async function inputTexts(page: Page, parameter: string): Promise<string[]> {
	return await page.$$eval(`[data-test-id="parameter-input-${parameter}"] input`, (inputs) =>
		inputs.map((input) => (input as unknown as { value: string }).value),
	);
}

/** A collection's "Add Field" list (the node's first collection, e.g. Additional Fields), then the field by its label. */
export async function addCollectionField(page: Page, field: string): Promise<void> {
	const add = await page.waitForSelector('[data-test-id="collection-parameter-add"]');
	if (!add) throw new Error('no Add Field');
	await add.scrollIntoView();
	await add.click();
	await clickItem(page, '[data-test-id="collection-parameter-option"]', field);
	await sleep(500);
}

/** The node panel ("+"): searches and returns the node names it lists, in order. */
export async function searchNodePanel(page: Page, search: string): Promise<string[]> {
	const input =
		'[data-test-id="node-creator-search-bar"] input, input[data-test-id="node-creator-search-bar"]';
	if ((await page.$(input)) === null) await page.click('[data-test-id="node-creator-plus-button"]');
	await page.waitForSelector(input, { visible: true });
	await page.focus(input);
	await page.keyboard.down('Control');
	await page.keyboard.press('a');
	await page.keyboard.up('Control');
	await page.keyboard.press('Backspace');
	await page.keyboard.type(search, { delay: 40 });
	await sleep(1000);
	return await visibleTexts(page, '[data-test-id="node-creator-item-name"]');
}

export async function saveWorkflow(page: Page): Promise<void> {
	await page.keyboard.down('Control');
	await page.keyboard.press('s');
	await page.keyboard.up('Control');
	await sleep(1500);
}

export async function pageText(page: Page): Promise<string> {
	return await page.evaluate(() => (document.body as unknown as { innerText: string }).innerText);
}

/** Add credential: search the type list and pick `displayName`; resolves to the options the search showed. */
export async function searchCredentialTypes(
	page: Page,
	baseUrl: string,
	search: string,
): Promise<string[]> {
	await goTo(page, baseUrl, '/home/credentials/create');
	await page.waitForSelector('[data-test-id="new-credential-type-select"]', { visible: true });
	await page.click('[data-test-id="new-credential-type-select"]');
	await page.type('[data-test-id="new-credential-type-select"] input', search);
	await sleep(800);
	return await visibleTexts(page, '[data-test-id="new-credential-type-select-option"]');
}

export async function createCredential(
	page: Page,
	baseUrl: string,
	search: string,
	displayName: string,
): Promise<void> {
	const options = await searchCredentialTypes(page, baseUrl, search);
	if (options.length !== 1 || options[0] !== displayName)
		throw new Error(`"${search}" should offer only "${displayName}", not: ${options.join(', ')}`);
	// The one option left is highlighted: Enter chooses it (a click may land on a list item being re-rendered).
	await page.keyboard.press('Enter');
	await sleep(300);
	await page.click('[data-test-id="new-credential-type-button"]');
	await page.waitForSelector('[data-test-id="editCredential-modal"]', { visible: true });
}

/** Publish, then the Publish button of n8n's publish dialog. */
export async function publishWorkflow(page: Page): Promise<void> {
	await page.click('[data-test-id="workflow-open-publish-modal-button"]');
	await sleep(1000);
	await waitUntil(
		async () =>
			await page.evaluate(() => {
				const buttons = Array.from(document.querySelectorAll('button')).filter(
					(button) =>
						(button as unknown as { offsetParent: unknown }).offsetParent !== null &&
						(button as unknown as { innerText: string }).innerText.trim() === 'Publish',
				);
				const last = buttons[buttons.length - 1] as unknown as { click(): void } | undefined;
				// The dialog's own button comes after the header's in the document.
				if (buttons.length < 2 || !last) return false;
				last.click();
				return true;
			}),
		'the publish dialog',
	);
}

export { findByText };

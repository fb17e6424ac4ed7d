/**
 * The guides as GitHub shows them: rendered by a CommonMark parser, every numbered step
 * ("3. …" at the start of a line) must be a list item of its own, showing the number written.
 * A step glued to the line before it (an image or a paragraph directly above "3.") would
 * otherwise render as part of that paragraph, with its number as plain text.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { Parser, type Node } from 'commonmark';

const root = resolve(__dirname, '..', '..');
const documents = ['README.md', 'docs/ru/README.md', 'docs/uz/README.md'];

/** Line numbers (1-based) of the numbered steps written in the source, outside code blocks. */
function writtenSteps(markdown: string): Array<{ line: number; number: number }> {
	const steps: Array<{ line: number; number: number }> = [];
	let inCode = false;
	markdown.split('\n').forEach((text, index) => {
		if (/^\s*(```|~~~)/.test(text)) inCode = !inCode;
		const step = /^(\d+)\.\s/.exec(text);
		if (!inCode && step) steps.push({ line: index + 1, number: Number(step[1]) });
	});
	return steps;
}

/** Start line of each rendered ordered-list item, with the number the renderer shows for it. */
function renderedSteps(markdown: string): Map<number, number> {
	const items = new Map<number, number>();
	const walker = new Parser().parse(markdown).walker();
	for (let event = walker.next(); event; event = walker.next()) {
		const { node, entering } = event;
		if (!entering || node.type !== 'list' || node.listType !== 'ordered') continue;
		let shown = node.listStart ?? 1;
		for (let item: Node | null = node.firstChild; item; item = item.next) {
			items.set(item.sourcepos[0][0], shown++);
		}
	}
	return items;
}

describe('the guides render as GitHub shows them', () => {
	it.each(documents)('%s: each numbered step is its own list item, with its number', (file) => {
		const markdown = readFileSync(join(root, file), 'utf8');
		const rendered = renderedSteps(markdown);
		const steps = writtenSteps(markdown);
		expect(steps.length).toBeGreaterThan(10);
		const wrong = steps
			.filter(({ line, number }) => rendered.get(line) !== number)
			.map(({ line, number }) => ({
				line,
				step: number,
				rendered: rendered.get(line) ?? 'not a list item',
			}));
		expect(wrong).toEqual([]);
	});
});

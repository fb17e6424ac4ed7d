/** The part of commonmark.js (the CommonMark reference parser) the guide tests read. */
declare module 'commonmark' {
	type SourcePos = [[number, number], [number, number]];

	export interface Node {
		type: string;
		sourcepos: SourcePos;
		listType: 'bullet' | 'ordered' | null;
		listStart: number | null;
		parent: Node | null;
		firstChild: Node | null;
		next: Node | null;
		literal: string | null;
		walker(): { next(): { entering: boolean; node: Node } | null };
	}

	export class Parser {
		parse(markdown: string): Node;
	}
}

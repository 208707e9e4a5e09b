import fc from 'fast-check';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { applyTextValue, diffText, transformPosition, type TextSplice } from '../../../src/lib/ui/text-diff';

function applySplice(text: string, splice: TextSplice | null): string {
	if (!splice) return text;
	return text.slice(0, splice.index) + splice.insert + text.slice(splice.index + splice.deleteCount);
}

function sync(a: Y.Doc, b: Y.Doc): void {
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
	Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

describe('diffText', () => {
	it('finds nothing to do for equal text', () => {
		expect(diffText('same', 'same')).toBeNull();
	});

	it('turns typing, deleting and replacing into one small splice', () => {
		expect(diffText('Met owner', 'Met the owner')).toEqual({ index: 4, deleteCount: 0, insert: 'the ' });
		expect(diffText('Met the owner', 'Met owner')).toEqual({ index: 4, deleteCount: 4, insert: '' });
		expect(diffText('Order 12 cases', 'Order 20 cases')).toEqual({ index: 6, deleteCount: 2, insert: '20' });
		expect(diffText('', 'hello')).toEqual({ index: 0, deleteCount: 0, insert: 'hello' });
		expect(diffText('hello', '')).toEqual({ index: 0, deleteCount: 5, insert: '' });
	});

	it('keeps the splice minimal when the change is a repeated letter', () => {
		expect(diffText('aaa', 'aaaa')).toEqual({ index: 3, deleteCount: 0, insert: 'a' });
	});

	it('never cuts an emoji in half', () => {
		// 😀 and 😃 share their high surrogate.
		const splice = diffText('a😀b', 'a😃b');
		expect(splice).toEqual({ index: 1, deleteCount: 2, insert: '😃' });
	});

	it('always reproduces the new text', () => {
		fc.assert(
			fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (before, after) => {
				expect(applySplice(before, diffText(before, after))).toBe(after);
			})
		);
	});
});

describe('applyTextValue', () => {
	it('edits a Y.Text in one transaction and reports whether it changed anything', () => {
		const doc = new Y.Doc();
		const text = doc.getText('report');
		text.insert(0, 'Met owner');
		let updates = 0;
		doc.on('update', () => updates++);
		expect(applyTextValue(text, 'Met the owner')).toBe(true);
		expect(applyTextValue(text, 'Met the owner')).toBe(false);
		expect(text.toString()).toBe('Met the owner');
		expect(updates).toBe(1);
	});

	it('tags the transaction with the given origin', () => {
		const doc = new Y.Doc();
		const text = doc.getText('report');
		const origins: unknown[] = [];
		doc.on('update', (_update: Uint8Array, origin: unknown) => origins.push(origin));
		const me = {};
		applyTextValue(text, 'hi', me);
		expect(origins).toEqual([me]);
	});

	it('lets two reps editing different parts of the same text both keep their words', () => {
		const a = new Y.Doc();
		applyTextValue(a.getText('notes'), 'Closed Mondays. Ask for Anna.');
		const b = new Y.Doc();
		sync(a, b);
		// A whole-text rewrite on either side would duplicate or drop the other's edit.
		applyTextValue(a.getText('notes'), 'Closed Mondays and Tuesdays. Ask for Anna.');
		applyTextValue(b.getText('notes'), 'Closed Mondays. Ask for Anna (manager).');
		sync(a, b);
		expect(a.getText('notes').toString()).toBe('Closed Mondays and Tuesdays. Ask for Anna (manager).');
		expect(b.getText('notes').toString()).toBe(a.getText('notes').toString());
	});
});

describe('transformPosition', () => {
	it('moves the caret right by text inserted before it', () => {
		expect(transformPosition(5, [{ retain: 2 }, { insert: 'abc' }])).toBe(8);
	});

	it('leaves the caret alone for text inserted after it', () => {
		expect(transformPosition(5, [{ retain: 7 }, { insert: 'abc' }])).toBe(5);
	});

	it('puts text inserted exactly at the caret before it', () => {
		expect(transformPosition(5, [{ retain: 5 }, { insert: 'xy' }])).toBe(7);
	});

	it('moves the caret left by text deleted before it', () => {
		expect(transformPosition(5, [{ retain: 1 }, { delete: 2 }])).toBe(3);
	});

	it('pulls the caret to the start of a deletion that spans it', () => {
		expect(transformPosition(5, [{ retain: 3 }, { delete: 6 }])).toBe(3);
	});

	it('matches the position of the same character in the changed Y.Text', () => {
		fc.assert(
			fc.property(
				fc.string({ minLength: 1, maxLength: 30 }),
				fc.string({ maxLength: 30 }),
				fc.nat(),
				(before, after, caretSeed) => {
					const doc = new Y.Doc();
					const text = doc.getText('t');
					text.insert(0, before);
					// Mark a character at the caret and check it is still at the transformed caret.
					const caret = caretSeed % before.length;
					let delta: { retain?: number; insert?: unknown; delete?: number }[] = [];
					text.observe((event) => {
						delta = event.delta;
					});
					const splice = diffText(before, after);
					if (!splice || (caret >= splice.index && caret < splice.index + splice.deleteCount)) return;
					applyTextValue(text, after);
					const moved = transformPosition(caret, delta);
					expect(text.toString()[moved]).toBe(before[caret]);
				}
			)
		);
	});
});

import { describe, expect, it } from 'vitest';
import {
	DOC_KINDS,
	InvalidDocNameError,
	asDocName,
	docName,
	parseDocName,
	tryParseDocName
} from '../../../src/lib/model';

describe('document names', () => {
	it('parses every kind with a URL-safe id', () => {
		for (const kind of DOC_KINDS) {
			expect(parseDocName(`${kind}:abc-DEF_123`)).toEqual({ kind, id: 'abc-DEF_123' });
		}
	});

	it('accepts an id of exactly 128 characters and refuses 129', () => {
		expect(parseDocName(`account:${'a'.repeat(128)}`).id).toHaveLength(128);
		expect(tryParseDocName(`account:${'a'.repeat(129)}`)).toBeUndefined();
	});

	it.each([
		['', 'no colon'],
		['account', 'no colon'],
		['account:', 'empty id'],
		[':abc', 'empty kind'],
		['customer:abc', 'unknown kind'],
		['Account:abc', 'kind is case-sensitive'],
		['account:a b', 'space in id'],
		['account:a/b', 'slash in id'],
		['account:a:b', 'second colon'],
		['account:é', 'non-ASCII id'],
		['account:../etc', 'path traversal']
	])('refuses %j (%s)', (name) => {
		expect(tryParseDocName(name)).toBeUndefined();
		expect(() => parseDocName(name)).toThrow(InvalidDocNameError);
	});

	it('carries the offending name on the error', () => {
		try {
			parseDocName('shop:1');
			expect.unreachable();
		} catch (error) {
			expect(error).toBeInstanceOf(InvalidDocNameError);
			expect((error as InvalidDocNameError).docName).toBe('shop:1');
			expect((error as InvalidDocNameError).message).toContain('unknown kind');
		}
	});

	it('builds names and refuses to build a bad one', () => {
		const name: string = docName('visit', 'v-1');
		expect(name).toBe('visit:v-1');
		expect(() => docName('visit', 'v 1')).toThrow(InvalidDocNameError);
		expect(asDocName('order:o1')).toBe('order:o1');
		expect(() => asDocName('order')).toThrow(InvalidDocNameError);
	});
});

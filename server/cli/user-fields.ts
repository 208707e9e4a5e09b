import { randomBytes } from 'node:crypto';
import * as Y from 'yjs';
import { createInbox, docName, summarizeDocument } from '../../src/lib/model';
import type { DocumentStore, Role } from '../store/document-store';
import { CliError, UsageError } from './cli-error';

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const TERRITORY = /^[A-Za-z0-9_-]+$/;
const ROLES: readonly Role[] = ['rep', 'manager', 'admin'];

export function parseUsername(value: string): string {
	if (!USERNAME.test(value)) throw new UsageError(`"${value}" is not a username: 1 to 64 letters, digits, '.', '_' or '-'`);
	return value;
}

export function parseRole(value: string | undefined): Role {
	if (value === undefined) throw new UsageError('--role is required (rep, manager or admin)');
	if (!ROLES.includes(value as Role)) throw new UsageError(`--role must be rep, manager or admin, not "${value}"`);
	return value as Role;
}

/** `north, south` → ['north', 'south']; a rep or manager without one would see nothing. */
export function parseTerritories(value: string | undefined, role: Role): string[] {
	const territories = [...new Set((value ?? '').split(',').map((t) => t.trim()).filter((t) => t !== ''))];
	const bad = territories.find((t) => !TERRITORY.test(t));
	if (bad !== undefined) throw new UsageError(`"${bad}" is not a territory id: letters, digits, '_' or '-'`);
	if (role !== 'admin' && territories.length === 0) throw new UsageError(`a ${role} needs --territories (comma-separated territory ids)`);
	return territories;
}

export async function requireUser(store: DocumentStore, username: string) {
	const user = await store.getUserByName(username);
	if (!user) throw new CliError(`no user named ${username} (see: users list)`);
	return user;
}

/** `u-<username>` as the seed names its users, unless a renamed user already holds that id. */
export async function freeUserId(store: DocumentStore, username: string): Promise<string> {
	const base = `u-${username.replace(/[^A-Za-z0-9_-]/g, '-')}`;
	if (!(await store.getUserById(base))) return base;
	return `${base}-${randomBytes(3).toString('hex')}`;
}

/** An empty inbox, as the seed gives every user, so the user's devices sync it from the first sign-in. */
export async function createInboxFor(store: DocumentStore, userId: string): Promise<void> {
	const name = docName('inbox', userId);
	const doc = new Y.Doc();
	createInbox(doc);
	await store.write({
		updates: [{ docName: name, update: Y.encodeStateAsUpdate(doc) }],
		summaries: [{ name, ...summarizeDocument(name, doc, () => undefined), updatedAt: new Date().toISOString() }]
	});
	doc.destroy();
}

/**
 * The office's side of the rep's day: a manager changes other accounts of the
 * rep's territory straight on the relay (not through the slow link), with the
 * stock y-websocket provider, and afterwards reads what the device sent.
 */
import { setAccountFields } from '../../src/lib/model/index';
import { connectStockClient, type StockClient } from '../../tests/helpers/stock-client';

export interface Office {
	baseUrl: string;
	username: string;
	password: string;
}

async function login(office: Office): Promise<string> {
	const res = await fetch(`${office.baseUrl}/api/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ username: office.username, password: office.password })
	});
	if (res.status !== 200) throw new Error(`login of ${office.username} failed: ${res.status}`);
	return ((await res.json()) as { token: string }).token;
}

function whenSynced(client: StockClient, timeoutMs: number): Promise<void> {
	if (client.provider.synced) return Promise.resolve();
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`${client.provider.roomname} did not sync within ${timeoutMs} ms`)), timeoutMs);
		client.provider.once('sync', () => {
			clearTimeout(timer);
			resolve();
		});
	});
}

/** Opens each account a few at a time (every provider holds a process 'exit' listener while it lives). */
async function withAccounts(office: Office, names: string[], timeoutMs: number, each: (client: StockClient, index: number) => void): Promise<void> {
	const token = await login(office);
	const wsBase = office.baseUrl.replace(/^http/, 'ws');
	for (let first = 0; first < names.length; first += 5) {
		const clients: StockClient[] = [];
		try {
			for (const [k, name] of names.slice(first, first + 5).entries()) {
				const client = connectStockClient(wsBase, name, token);
				clients.push(client);
				await whenSynced(client, timeoutMs);
				each(client, first + k);
			}
			// The stock client has no durable acknowledgement: give the relay's group commit (50 ms) ample time.
			await new Promise((r) => setTimeout(r, 500));
		} finally {
			for (const c of clients) c.destroy();
		}
	}
}

export async function editOnServer(office: Office, names: string[], phone: (i: number) => string, timeoutMs: number): Promise<void> {
	await withAccounts(office, names, timeoutMs, (client, i) => setAccountFields(client.doc, { phone: phone(i) }));
}

export async function phonesOnServer(office: Office, names: string[], timeoutMs: number): Promise<Record<string, string>> {
	const phones: Record<string, string> = {};
	await withAccounts(office, names, timeoutMs, (client, i) => {
		phones[names[i] as string] = String(client.doc.getMap('fields').get('phone') ?? '');
	});
	return phones;
}

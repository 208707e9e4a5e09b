import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';

export class HttpError extends Error {
	constructor(
		readonly status: number,
		message: string
	) {
		super(message);
		this.name = 'HttpError';
	}
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
	const text = JSON.stringify(body);
	res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
	res.end(text);
}

export function sendText(res: ServerResponse, status: number, body: string, contentType = 'text/plain; charset=utf-8'): void {
	res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
	res.end(body);
}

/** Reads a JSON body of at most `limit` bytes; HttpError 413/400 otherwise. */
export async function readJsonBody(req: IncomingMessage, limit = 64 * 1024): Promise<unknown> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		size += (chunk as Buffer).byteLength;
		if (size > limit) throw new HttpError(413, `request body over ${limit} bytes`);
		chunks.push(chunk as Buffer);
	}
	try {
		return JSON.parse(Buffer.concat(chunks).toString('utf8'));
	} catch {
		throw new HttpError(400, 'request body is not JSON');
	}
}

export function bearerToken(req: IncomingMessage): string | undefined {
	const header = req.headers.authorization;
	return header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
}

/**
 * JSON with an ETag (an unchanged body costs a 304 and no bytes) and gzip when
 * the client takes it: a device asks for its manifest on every reconnect.
 */
export function sendCacheableJson(req: IncomingMessage, res: ServerResponse, body: unknown): void {
	const text = JSON.stringify(body);
	const etag = `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`;
	const headers: Record<string, string | number> = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache', etag, vary: 'accept-encoding' };
	if (req.headers['if-none-match'] === etag) {
		res.writeHead(304, headers);
		res.end();
		return;
	}
	const gzip = text.length > 1024 && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
	const payload = gzip ? gzipSync(text, { level: 6 }) : Buffer.from(text);
	if (gzip) headers['content-encoding'] = 'gzip';
	headers['content-length'] = payload.byteLength;
	res.writeHead(200, headers);
	res.end(payload);
}

/** The morning's saved documents in one file, for the memory probe's fresh process: `u32 name length, name, u32 size, bytes`, repeated. */
import { readFileSync, writeFileSync } from 'node:fs';

export function writeMorning(file: string, docs: Array<{ name: string; bytes: Uint8Array }>): void {
	const parts: Buffer[] = [];
	for (const { name, bytes } of docs) {
		const nameBytes = Buffer.from(name, 'utf8');
		const head = Buffer.alloc(4);
		head.writeUInt32LE(nameBytes.length);
		const size = Buffer.alloc(4);
		size.writeUInt32LE(bytes.length);
		parts.push(head, nameBytes, size, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
	}
	writeFileSync(file, Buffer.concat(parts));
}

export function readMorning(file: string): Array<{ name: string; bytes: Uint8Array }> {
	const data = readFileSync(file);
	const docs: Array<{ name: string; bytes: Uint8Array }> = [];
	let at = 0;
	while (at < data.length) {
		const nameLength = data.readUInt32LE(at);
		const name = data.toString('utf8', at + 4, at + 4 + nameLength);
		at += 4 + nameLength;
		const size = data.readUInt32LE(at);
		// A copy, so every document's bytes stand alone as they would coming from a store.
		docs.push({ name, bytes: new Uint8Array(data.subarray(at + 4, at + 4 + size)) });
		at += 4 + size;
	}
	return docs;
}

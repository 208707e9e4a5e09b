import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

/** A TCP pass-through to a server (Redis, say) whose link a test can cut and restore. */
export interface TcpProxy {
	/** The port clients connect to instead of the server's. */
	readonly port: number;
	/** Drops every open connection and refuses new ones until `restore`. */
	cut(): void;
	restore(): void;
	close(): Promise<void>;
}

export async function startTcpProxy(upstream: { host: string; port: number }): Promise<TcpProxy> {
	const open = new Set<Socket>();
	let refusing = false;
	const server = createServer((client) => {
		if (refusing) {
			client.destroy();
			return;
		}
		const remote = connect(upstream.port, upstream.host);
		for (const [a, b] of [
			[client, remote],
			[remote, client]
		] as const) {
			open.add(a);
			a.pipe(b);
			a.on('error', () => b.destroy());
			a.on('close', () => {
				open.delete(a);
				b.destroy();
			});
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const cut = () => {
		refusing = true;
		for (const socket of open) socket.destroy();
	};
	return {
		port: (server.address() as AddressInfo).port,
		cut,
		restore() {
			refusing = false;
		},
		close() {
			cut();
			return new Promise((resolve) => server.close(() => resolve()));
		}
	};
}

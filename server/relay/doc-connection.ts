import type { WebSocket } from 'ws';
import type { UserRecord } from '../store/document-store';
import { CloseCode } from './close-codes';
import type { ConnectionContext } from './connection-context';
import { DocChannel } from './doc-channel';
import { SocketConnection } from './socket-connection';

/**
 * `WS /doc/<name>`: the plain y-websocket protocol for one document, so the
 * stock `y-websocket` provider works unchanged. `?acks=1` opts in to durable
 * acknowledgements.
 */
export class DocConnection {
	private readonly socket: SocketConnection;
	private readonly channel: DocChannel;

	constructor(ws: WebSocket, docName: string, user: UserRecord, speaksExtensions: boolean, context: ConnectionContext) {
		// The relay's logger already names the connection and its user.
		const log = context.log.child({ doc: docName });
		this.channel = new DocChannel({
			docName,
			user,
			speaksExtensions,
			registry: context.registry,
			resolveAccess: context.resolveAccess,
			send: (payload) => this.socket.send(payload),
			fail: (error) => this.socket.fail(error),
			onRevoked: (reason) => this.socket.close(CloseCode.Forbidden, reason)
		});
		this.socket = new SocketConnection({
			socket: ws,
			endpoint: 'doc',
			log,
			metrics: context.metrics,
			rate: context.rate,
			pingIntervalMs: context.pingIntervalMs,
			onMessage: (data) => this.channel.push(data),
			onClose: () => this.channel.close()
		});
		void this.channel.open().then((state) => {
			if (state === 'denied') {
				log.info({ reason: this.channel.access.reason }, 'document refused');
				this.socket.close(CloseCode.Forbidden, this.channel.access.reason);
			}
		});
	}

	close(): void {
		this.socket.close(CloseCode.GoingAway);
	}
}

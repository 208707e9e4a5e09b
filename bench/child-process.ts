import type { ChildProcess } from 'node:child_process';

/** Our own exit must not leave a benchmark's server running. */
export function killWithParent(child: ChildProcess): () => void {
	const kill = () => {
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
	};
	process.once('exit', kill);
	child.once('exit', () => process.off('exit', kill));
	return kill;
}

/** Waits for the child's `{type: 'ready'}` IPC message; an `{type: 'error'}`, an exit or 60 s fail it. */
export function waitForReady<M extends { type: string }>(child: ChildProcess, what: string, kill: () => void): Promise<Extract<M, { type: 'ready' }>> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			kill();
			reject(new Error(`${what} did not start within 60 s`));
		}, 60_000);
		const onMessage = (m: M) => {
			if (m.type === 'ready') {
				clearTimeout(timer);
				child.off('message', onMessage);
				resolve(m as Extract<M, { type: 'ready' }>);
			} else if (m.type === 'error') {
				clearTimeout(timer);
				reject(new Error((m as unknown as { message: string }).message));
			}
		};
		child.on('message', onMessage);
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`${what} exited before it was ready (code ${code})`));
		});
	});
}

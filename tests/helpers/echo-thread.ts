/** A worker thread for the WorkerClient tests: echoes, throws, answers with what cannot be copied, or dies. */
import { answerCalls } from '../../server/threads/worker-host';

class TaggedError extends Error {
	constructor(
		message: string,
		readonly tag: string
	) {
		super(message);
		this.name = 'TaggedError';
	}
}

answerCalls(
	async (body) => {
		const call = body as { kind: 'echo' | 'throw' | 'uncopyable' | 'die' | 'slow'; value?: unknown };
		switch (call.kind) {
			case 'echo':
				return call.value;
			case 'slow':
				await new Promise((resolve) => setTimeout(resolve, 50));
				return call.value;
			case 'throw':
				throw new TaggedError(String(call.value), 'from the thread');
			case 'uncopyable':
				return () => call.value;
			case 'die':
				process.exit(3);
		}
	},
	() => undefined
);

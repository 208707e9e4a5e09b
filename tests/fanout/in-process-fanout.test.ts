import { describe, expect, it } from 'vitest';
import { InProcessFanout, InProcessFanoutHub } from '../../server/fanout/in-process-fanout';
import { describeFanoutConformance } from './conformance';

describeFanoutConformance('in-process', {
	newGroup() {
		const hub = new InProcessFanoutHub();
		return {
			async join() {
				const fanout = new InProcessFanout(hub);
				await fanout.open();
				return fanout;
			}
		};
	}
});

describe('InProcessFanout alone', () => {
	it('has no peers until another instance joins its hub, and none again once it left', async () => {
		const hub = new InProcessFanoutHub();
		const alone = new InProcessFanout(hub);
		expect(alone.hasPeers).toBe(false);
		const other = new InProcessFanout(hub);
		expect(alone.hasPeers).toBe(true);
		await other.close();
		expect(alone.hasPeers).toBe(false);
		await alone.close();
	});
});

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

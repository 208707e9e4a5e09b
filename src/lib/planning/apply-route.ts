import { setVisitFields } from '../model/visit';
import type { VisitRouteWrite } from '../routes/route-plan';
import type { SyncEngineApi } from '../sync/engine-types';

/**
 * Writes a route into the visit documents: each visit's new `sequence` and planned
 * arrival. Every write is an ordinary field edit, so it is saved on the device at
 * once and syncs (and merges) like any other change. Returns how many visits changed.
 */
export async function applyRouteWrites(engine: Pick<SyncEngineApi, 'open' | 'release'>, writes: readonly VisitRouteWrite[]): Promise<number> {
	let changed = 0;
	for (const { name, fields } of writes) {
		const doc = await engine.open(name);
		try {
			if (setVisitFields(doc, fields).length > 0) changed++;
		} finally {
			engine.release(name);
		}
	}
	return changed;
}

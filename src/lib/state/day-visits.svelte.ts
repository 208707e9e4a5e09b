import { readAccountFields, type AccountFields } from '../model/account';
import { readVisitFields, type VisitFields } from '../model/visit';
import type { SyncEngineApi } from '../sync/engine-types';
import { accountNamesOf, buildDayVisits, visitNamesOn, type DayVisit } from '../ui/day-route';
import { accountsById } from '../ui/today';
import { DeviceIndexState } from './device-index.svelte';
import { followDocuments } from './document-set.svelte';

export interface DayVisitsView {
	/** The day's visits of the rep (or of everyone for a null rep), in route order. */
	readonly visits: DayVisit[];
	/** True until every visit of the day on this device has been read. */
	readonly loading: boolean;
	/** Every loaded visit document of the day, whoever it belongs to. */
	readonly allFields: ReadonlyMap<string, VisitFields>;
	readonly accounts: ReadonlyMap<string, AccountFields>;
}

/**
 * A day of visits read from their documents (the index alone knows neither the rep
 * nor the route fields), with their accounts. Call during component setup.
 */
export function followDayVisits(
	engine: Pick<SyncEngineApi, 'open' | 'release' | 'list' | 'onIndexChange'>,
	day: () => string,
	repId: () => string | null
): DayVisitsView {
	const visitIndex = new DeviceIndexState(engine, 'visit');
	const accountIndex = new DeviceIndexState(engine, 'account');
	$effect(() => () => {
		visitIndex.destroy();
		accountIndex.destroy();
	});
	const names = $derived(visitNamesOn(visitIndex.entries, day()));
	const visitDocs = followDocuments(engine, () => names, readVisitFields);
	const accountDocs = followDocuments(engine, () => accountNamesOf(visitDocs.values.values()), readAccountFields);
	const accountsByIdIndex = $derived(accountsById(accountIndex.entries));
	const visits = $derived(buildDayVisits(day(), visitDocs.values, accountDocs.values, repId(), accountsByIdIndex));
	return {
		get visits() {
			return visits;
		},
		get loading() {
			return names.some((name) => !visitDocs.values.has(name));
		},
		get allFields() {
			return visitDocs.values;
		},
		get accounts() {
			return accountDocs.values;
		}
	};
}

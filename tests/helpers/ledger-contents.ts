import type { LedgerWarehouseSnapshot, StockLedger } from '../../server/inventory/stock-ledger';

/** Everything a ledger holds, warehouse by warehouse, in a form two ledgers can be compared by. */
export async function ledgerContents(ledger: StockLedger): Promise<LedgerWarehouseSnapshot[]> {
	const snapshots: LedgerWarehouseSnapshot[] = [];
	for (const warehouse of await ledger.warehouses()) snapshots.push(await ledger.exportWarehouse(warehouse));
	return snapshots;
}

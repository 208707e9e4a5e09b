import { readAccountFields } from '../model/account';
import { docName } from '../model/names';
import { createOrder } from '../model/order';
import type { SyncEngineApi } from '../sync/engine-types';

export class AccountNotOnDeviceError extends Error {
	constructor(readonly accountId: string) {
		super(`The account ${accountId} is not on this device yet; sync and try again.`);
		this.name = 'AccountNotOnDeviceError';
	}
}

/**
 * Creates a draft order for an account, taking its price list and warehouse from
 * the account as it stands on the device. Returns the new order's id.
 */
export async function startOrder(
	engine: Pick<SyncEngineApi, 'open' | 'release' | 'create'>,
	accountId: string,
	repId: string,
	now: Date = new Date()
): Promise<string> {
	const accountName = docName('account', accountId);
	const account = await engine.open(accountName);
	let fields;
	try {
		fields = readAccountFields(account);
	} finally {
		engine.release(accountName);
	}
	if (fields.priceList === '' || fields.warehouse === '') throw new AccountNotOnDeviceError(accountId);
	const name = await engine.create('order', (doc) =>
		createOrder(doc, {
			accountId,
			repId,
			createdAt: now.toISOString(),
			status: 'draft',
			warehouse: fields.warehouse,
			priceList: fields.priceList
		})
	);
	return name.slice(name.indexOf(':') + 1);
}

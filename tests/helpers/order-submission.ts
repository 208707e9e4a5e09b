import type * as Y from 'yjs';
import { createOrder, newId, type OrderLineInit } from '../../src/lib/model';
import { submitOrder } from '../../src/lib/orders/submit-order';
import type { TestDevice } from './sync-client';
import { waitFor } from './wait';

/** The warehouse's stock document on the device, once the relay has sent it. */
export async function deviceStock(device: TestDevice, warehouse: string): Promise<Y.Doc> {
	const [doc] = device.open(`stock:${warehouse}`);
	await waitFor(`stock:${warehouse} on the device`, () => doc!.share.size > 0);
	return doc!;
}

/** A rep's device submits a new order the way the app does (submitOrder), with the stock document it holds. */
export async function submitFromDevice(
	device: TestDevice,
	order: { userId: string; accountId: string; warehouse: string; lines: OrderLineInit[]; deviceId?: string }
): Promise<{ orderId: string; doc: Y.Doc }> {
	const stock = await deviceStock(device, order.warehouse);
	const orderId = newId();
	const [doc] = device.open(`order:${orderId}`);
	createOrder(doc!, {
		accountId: order.accountId,
		repId: order.userId,
		createdAt: new Date().toISOString(),
		warehouse: order.warehouse,
		priceList: 'standard',
		lines: order.lines
	});
	submitOrder(doc!, stock, { userId: order.userId, deviceId: order.deviceId ?? 'tablet' });
	return { orderId, doc: doc! };
}

/** Requests from the sync benchmark to its device process, and the answers. */

export type DeviceRequest =
	| { id: number; type: 'sign-in'; baseUrl: string; username: string; password: string; timeoutMs: number }
	| { id: number; type: 'edit-offline'; accounts: number; phone: string; timeoutMs: number }
	| { id: number; type: 'reconnect'; timeoutMs: number }
	| { id: number; type: 'read-phones'; names: string[] };

export interface SignedIn {
	/** From calling signIn until the device reported every manifest document synced, ms. */
	ms: number;
	documents: number;
	/** The accounts the device lists, by document name. */
	accounts: string[];
}

export interface EditedOffline {
	/** The accounts changed on the device while offline. */
	names: string[];
}

export interface Reconnected {
	/** From the network coming back until the device reported synced with nothing waiting, ms. */
	ms: number;
}

export type DeviceReply =
	| { id: number; type: 'signed-in'; result: SignedIn }
	| { id: number; type: 'edited'; result: EditedOffline }
	| { id: number; type: 'reconnected'; result: Reconnected }
	| { id: number; type: 'phones'; result: Record<string, string> }
	| { id: number; type: 'error'; message: string };

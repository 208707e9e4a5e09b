import { redirect } from '@sveltejs/kit';
import { resolve } from '$app/paths';
import { getSyncEngine } from '$lib/sync/engine';
import type { LayoutLoad } from './$types';

// The app renders on the device: it must open with no network, so no server rendering.
export const ssr = false;
export const prerender = false;

/** Every screen but sign-in needs a session; the engine knows it only once the device data is loaded. */
export const load: LayoutLoad = async ({ url }) => {
	const engine = getSyncEngine();
	await engine.ready;
	const onLogin = url.pathname === resolve('/login');
	if (engine.session === null && !onLogin) redirect(307, resolve('/login'));
	// An expired session keeps its data on the device; the rep signs in again on the same form.
	if (engine.session !== null && onLogin && !engine.status.needsSignIn) redirect(307, resolve('/'));
};

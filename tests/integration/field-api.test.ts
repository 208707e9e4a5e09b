import { afterEach, describe, expect, it } from 'vitest';
import { configWith, loadConfig } from '../../server/config';
import { startTestRelay, type TestRelay } from '../helpers/relay-harness';

describe('what the server tells devices about maps, check-ins and teams', () => {
	let relay: TestRelay | undefined;
	afterEach(async () => {
		await relay?.stop();
		relay = undefined;
	});

	it('serves the offline defaults with no configuration, to anyone', async () => {
		relay = await startTestRelay();
		const res = await fetch(`${relay.server.url}/api/config`);
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({ mapStyleUrl: null, geofenceRadiusM: 200 });
	});

	it('serves a configured tile style and geofence radius', async () => {
		relay = await startTestRelay({ field: { mapStyleUrl: 'https://tiles.example.com/styles/basic/style.json', geofenceRadiusM: 350 } });
		expect(await (await fetch(`${relay.server.url}/api/config`)).json()).toEqual({
			mapStyleUrl: 'https://tiles.example.com/styles/basic/style.json',
			geofenceRadiusM: 350
		});
	});

	it('reads MAP_STYLE_URL and GEOFENCE_RADIUS_M from the environment, refusing nonsense', () => {
		expect(loadConfig({ MAP_STYLE_URL: 'https://tiles.example.com/style.json', GEOFENCE_RADIUS_M: '150' }).field).toEqual({
			mapStyleUrl: 'https://tiles.example.com/style.json',
			geofenceRadiusM: 150
		});
		expect(loadConfig({ MAP_STYLE_URL: '/styles/local.json' }).field.mapStyleUrl).toBe('/styles/local.json');
		expect(configWith({}).field).toEqual({ mapStyleUrl: undefined, geofenceRadiusM: 200 });
		expect(() => loadConfig({ MAP_STYLE_URL: 'ftp://tiles' })).toThrow(/MAP_STYLE_URL/);
		expect(() => loadConfig({ GEOFENCE_RADIUS_M: '5' })).toThrow(/GEOFENCE_RADIUS_M/);
	});

	it("lists a manager's reps, only a rep itself to a rep, and refuses without a token", async () => {
		relay = await startTestRelay();
		const team = async (user: 'manager' | 'repNorth') => {
			const res = await fetch(`${relay!.server.url}/api/team`, { headers: { authorization: `Bearer ${await relay!.login(user)}` } });
			return ((await res.json()) as { users: { username: string }[] }).users.map((u) => u.username);
		};
		expect(await team('manager')).toEqual(['rep-north', 'rep-south']);
		expect(await team('repNorth')).toEqual(['rep-north']);
		expect((await fetch(`${relay.server.url}/api/team`)).status).toBe(401);
	});
});

import { DEFAULT_GEOFENCE_RADIUS_M, geofenceRadius } from '../routes/geofence';
import type { SessionUser } from './login';

/** What the server tells every device about maps and check-ins (GET /api/config). */
export interface FieldConfig {
	/** A MapLibre style URL for deployments with a tile server; null for the shipped offline style. */
	mapStyleUrl: string | null;
	geofenceRadiusM: number;
}

export const DEFAULT_FIELD_CONFIG: FieldConfig = { mapStyleUrl: null, geofenceRadiusM: DEFAULT_GEOFENCE_RADIUS_M };

/** Whatever arrived (or was stored) as a config, with defaults for anything missing or malformed. */
export function parseFieldConfig(value: unknown): FieldConfig {
	if (typeof value !== 'object' || value === null) return DEFAULT_FIELD_CONFIG;
	const raw = value as Record<string, unknown>;
	const url = typeof raw.mapStyleUrl === 'string' && raw.mapStyleUrl.trim() !== '' ? raw.mapStyleUrl.trim() : null;
	return { mapStyleUrl: url, geofenceRadiusM: geofenceRadius(raw.geofenceRadiusM) };
}

export async function fetchFieldConfig(baseUrl: string, fetcher: typeof fetch = fetch): Promise<FieldConfig> {
	const res = await fetcher(`${baseUrl}/api/config`);
	if (!res.ok) throw new Error(`config request failed (${res.status})`);
	return parseFieldConfig(await res.json());
}

/** The reps the signed-in user plans for (a manager's team; a rep gets only themself). */
export async function fetchTeam(baseUrl: string, token: string, fetcher: typeof fetch = fetch): Promise<SessionUser[]> {
	const res = await fetcher(`${baseUrl}/api/team`, { headers: { authorization: `Bearer ${token}` } });
	if (!res.ok) throw new Error(`team request failed (${res.status})`);
	const body = (await res.json()) as { users?: unknown };
	return Array.isArray(body.users) ? body.users.filter(isSessionUser) : [];
}

function isSessionUser(value: unknown): value is SessionUser {
	if (typeof value !== 'object' || value === null) return false;
	const user = value as Record<string, unknown>;
	return typeof user.id === 'string' && typeof user.username === 'string' && typeof user.displayName === 'string' && Array.isArray(user.territories);
}

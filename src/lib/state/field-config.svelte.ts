import { DEFAULT_FIELD_CONFIG, fetchFieldConfig, fetchTeam, parseFieldConfig, type FieldConfig } from '../session/field-config';
import type { SessionUser } from '../session/login';

/** Where the device keeps what it last heard, so maps and check-ins work the same offline. */
export interface KeyValueStorage {
	getItem(key: string): string | null;
	setItem(key: string, value: string): void;
}

const CONFIG_KEY = 'outrider.fieldConfig';
const TEAM_KEY = 'outrider.team';

function read(storage: KeyValueStorage | null, key: string): unknown {
	try {
		const raw = storage?.getItem(key);
		return raw ? (JSON.parse(raw) as unknown) : undefined;
	} catch {
		return undefined;
	}
}

function write(storage: KeyValueStorage | null, key: string, value: unknown): void {
	try {
		storage?.setItem(key, JSON.stringify(value));
	} catch {
		// Storage full or blocked: the next load asks the server again.
	}
}

/** The server's field config: the stored copy at once, then the server's when it answers. */
export class FieldConfigState {
	#current: FieldConfig = $state.raw(DEFAULT_FIELD_CONFIG);
	#loaded: Promise<FieldConfig>;

	constructor(deps: { fetch: typeof fetch; storage: KeyValueStorage | null; baseUrl?: string }) {
		const stored = read(deps.storage, CONFIG_KEY);
		if (stored !== undefined) this.#current = parseFieldConfig(stored);
		this.#loaded = fetchFieldConfig(deps.baseUrl ?? '', deps.fetch).then(
			(config) => {
				this.#current = config;
				write(deps.storage, CONFIG_KEY, config);
				return config;
			},
			() => this.#current
		);
	}

	get current(): FieldConfig {
		return this.#current;
	}

	/** Resolves with the server's config, or the stored one when the server cannot be reached. */
	get loaded(): Promise<FieldConfig> {
		return this.#loaded;
	}
}

/** The reps a manager plans for, remembered per user for offline use. */
export class TeamState {
	#users: SessionUser[] = $state.raw([]);
	#error: string | null = $state.raw(null);

	constructor(deps: { fetch: typeof fetch; storage: KeyValueStorage | null; baseUrl?: string; userId: string; token: string }) {
		const key = `${TEAM_KEY}.${deps.userId}`;
		const stored = read(deps.storage, key);
		if (Array.isArray(stored)) this.#users = stored as SessionUser[];
		fetchTeam(deps.baseUrl ?? '', deps.token, deps.fetch).then(
			(users) => {
				this.#users = users;
				this.#error = null;
				write(deps.storage, key, users);
			},
			(error: unknown) => {
				if (this.#users.length === 0) this.#error = error instanceof Error ? error.message : 'could not load the team';
			}
		);
	}

	get users(): SessionUser[] {
		return this.#users;
	}

	get error(): string | null {
		return this.#error;
	}
}

function browserStorage(): KeyValueStorage | null {
	try {
		return globalThis.localStorage ?? null;
	} catch {
		return null;
	}
}

let shared: FieldConfigState | null = null;

/** The one field config of this tab, asked of the server once per page load. */
export function getFieldConfig(): FieldConfigState {
	shared ??= new FieldConfigState({ fetch: (input, init) => fetch(input, init), storage: browserStorage() });
	return shared;
}

export function teamFor(user: { id: string }, token: string): TeamState {
	return new TeamState({ fetch: (input, init) => fetch(input, init), storage: browserStorage(), userId: user.id, token });
}

export { browserStorage };

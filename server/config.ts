import { z } from 'zod';

/** Every setting the relay reads from the environment, validated once at start-up. */
const ConfigSchema = z.object({
	PORT: z.coerce.number().int().min(0).max(65535).default(3000),
	HOST: z.string().default('0.0.0.0'),
	DATA_DIR: z.string().default('./data'),
	DATABASE_URL: z.string().optional(),
	REDIS_URL: z.string().optional(),
	REDIS_KEY_PREFIX: z.string().default('outrider:'),
	AUTH_SECRET: z.string().min(32).optional(),
	TOKEN_TTL_SECONDS: z.coerce.number().int().positive().default(7 * 24 * 3600),
	SEED_ACCOUNTS: z.coerce.number().int().min(1).max(100_000).default(150),
	LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
	MAX_MESSAGE_BYTES: z.coerce.number().int().positive().default(8 * 1024 * 1024),
	MAX_DOCUMENT_BYTES: z.coerce.number().int().positive().default(16 * 1024 * 1024),
	RATE_LIMIT_MESSAGES_PER_SECOND: z.coerce.number().positive().default(200),
	RATE_LIMIT_BURST: z.coerce.number().positive().default(2000),
	PERSIST_DELAY_MS: z.coerce.number().int().min(0).max(1000).default(50),
	DOC_IDLE_MS: z.coerce.number().int().positive().default(30_000),
	COMPACT_AFTER_ROWS: z.coerce.number().int().min(2).default(200),
	PING_INTERVAL_MS: z.coerce.number().int().positive().default(30_000),
	// A style for deployments with a tile server; without it the app ships its own offline style.
	MAP_STYLE_URL: z
		.string()
		.refine((value) => value.startsWith('/') || /^https?:\/\//.test(value), 'must be an http(s) URL or a path on this server')
		.optional(),
	GEOFENCE_RADIUS_M: z.coerce.number().int().min(25).max(5000).default(200),
	STALE_DEVICE_HOURS: z.coerce.number().positive().max(24 * 365).default(24),
	RECONCILE_POLICY: z.enum(['first-synced', 'created-at']).default('first-synced'),
	RECONCILE_WINDOW_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
	LOW_STOCK_THRESHOLD: z.coerce.number().int().min(0).default(10),
	LOW_STOCK_MIN_ORDERS: z.coerce.number().int().min(1).default(2)
});

export type EnvConfig = z.infer<typeof ConfigSchema>;

export interface RelayConfig {
	port: number;
	host: string;
	dataDir: string;
	databaseUrl?: string;
	redisUrl?: string;
	/** Starts every Redis channel name, so deployments sharing one Redis stay apart. */
	redisKeyPrefix: string;
	authSecret?: string;
	tokenTtlSeconds: number;
	seedAccounts: number;
	logLevel: EnvConfig['LOG_LEVEL'];
	limits: RelayLimits;
	persistDelayMs: number;
	docIdleMs: number;
	compactAfterRows: number;
	pingIntervalMs: number;
	/** What the app needs to know for maps and check-ins (GET /api/config). */
	field: FieldConfig;
	/** Sync Activity marks a device stale when it has not synced for this long. */
	staleDeviceHours: number;
	inventory: InventoryConfig;
}

export interface InventoryConfig {
	/** Which order goes first when stock is short (see server/inventory/inventory-service.ts). */
	policy: 'first-synced' | 'created-at';
	/** For `created-at`: how long an order waits for earlier-created ones still on their way. */
	windowMs: number;
	/** Free units at or below which reps who sell a product often are told. */
	lowStockThreshold: number;
	lowStockMinOrders: number;
}

export interface FieldConfig {
	/** A MapLibre style URL; undefined means the offline style shipped in static/. */
	mapStyleUrl?: string;
	/** How close to a store (metres) a check-in needs no explanation. */
	geofenceRadiusM: number;
}

export interface RelayLimits {
	maxMessageBytes: number;
	maxDocumentBytes: number;
	/** Token bucket per connection: sustained inbound messages per second, and burst size. */
	messagesPerSecond: number;
	burst: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): RelayConfig {
	const parsed = ConfigSchema.safeParse(env);
	if (!parsed.success) {
		const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
		throw new Error(`Invalid configuration: ${problems}`);
	}
	const e = parsed.data;
	return {
		port: e.PORT,
		host: e.HOST,
		dataDir: e.DATA_DIR,
		databaseUrl: e.DATABASE_URL,
		redisUrl: e.REDIS_URL,
		redisKeyPrefix: e.REDIS_KEY_PREFIX,
		authSecret: e.AUTH_SECRET,
		tokenTtlSeconds: e.TOKEN_TTL_SECONDS,
		seedAccounts: e.SEED_ACCOUNTS,
		logLevel: e.LOG_LEVEL,
		limits: {
			maxMessageBytes: e.MAX_MESSAGE_BYTES,
			maxDocumentBytes: e.MAX_DOCUMENT_BYTES,
			messagesPerSecond: e.RATE_LIMIT_MESSAGES_PER_SECOND,
			burst: e.RATE_LIMIT_BURST
		},
		persistDelayMs: e.PERSIST_DELAY_MS,
		docIdleMs: e.DOC_IDLE_MS,
		compactAfterRows: e.COMPACT_AFTER_ROWS,
		pingIntervalMs: e.PING_INTERVAL_MS,
		field: { mapStyleUrl: e.MAP_STYLE_URL, geofenceRadiusM: e.GEOFENCE_RADIUS_M },
		staleDeviceHours: e.STALE_DEVICE_HOURS,
		inventory: {
			policy: e.RECONCILE_POLICY,
			windowMs: e.RECONCILE_WINDOW_MS,
			lowStockThreshold: e.LOW_STOCK_THRESHOLD,
			lowStockMinOrders: e.LOW_STOCK_MIN_ORDERS
		}
	};
}

export type ConfigOverrides = Partial<Omit<RelayConfig, 'limits' | 'field' | 'inventory'>> & {
	limits?: Partial<RelayLimits>;
	field?: Partial<FieldConfig>;
	inventory?: Partial<InventoryConfig>;
};

/** Defaults with overrides, for tests and benchmarks that start a relay in-process. */
export function configWith(overrides: ConfigOverrides): RelayConfig {
	const base = loadConfig({});
	return {
		...base,
		...overrides,
		limits: { ...base.limits, ...overrides.limits },
		field: { ...base.field, ...overrides.field },
		inventory: { ...base.inventory, ...overrides.inventory }
	};
}

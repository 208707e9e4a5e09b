import { randomBytes } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import type { DocumentStore, UserRecord } from '../store/document-store';
import { noteRequestUser } from '../http/request-context';
import { AuthError } from './errors';

const ISSUER = 'outrider';
/**
 * How long after expiry a token may still be traded for a new one: a rep who was
 * offline for days reconnects without typing the password again.
 */
export const RENEWAL_GRACE_SECONDS = 30 * 24 * 3600;
/** Where the generated signing secret is kept (a backup carries it, so tokens survive a restore). */
export const SECRET_META_KEY = 'auth.tokenSecret';

/** Issues and verifies signed, expiring session tokens (JWT, HS256). */
export class TokenService {
	private constructor(
		private readonly secret: Uint8Array,
		private readonly ttlSeconds: number
	) {}

	/**
	 * Uses AUTH_SECRET when given; otherwise a random secret kept in the store, so
	 * tokens survive a restart of a single-machine relay.
	 */
	static async create(store: DocumentStore, options: { secret?: string; ttlSeconds: number }): Promise<TokenService> {
		let secret = options.secret;
		if (!secret) {
			secret = await store.getMeta(SECRET_META_KEY);
			if (!secret) {
				secret = randomBytes(32).toString('base64url');
				await store.putMeta(SECRET_META_KEY, secret);
			}
		}
		return new TokenService(new TextEncoder().encode(secret), options.ttlSeconds);
	}

	async issue(user: UserRecord, ttlSeconds = this.ttlSeconds): Promise<{ token: string; expiresAt: string }> {
		const expires = Math.floor(Date.now() / 1000) + ttlSeconds;
		const token = await new SignJWT({ role: user.role })
			.setProtectedHeader({ alg: 'HS256' })
			.setIssuer(ISSUER)
			.setSubject(user.id)
			.setIssuedAt()
			.setExpirationTime(expires)
			.sign(this.secret);
		return { token, expiresAt: new Date(expires * 1000).toISOString() };
	}

	/** The user id a token was issued to; AuthError when missing, forged or expired. */
	verify(token: string | null | undefined): Promise<string> {
		return this.verifyWithin(token, 0);
	}

	/** As verify, but accepts a token expired less than RENEWAL_GRACE_SECONDS ago. */
	verifyForRenewal(token: string | null | undefined): Promise<string> {
		return this.verifyWithin(token, RENEWAL_GRACE_SECONDS);
	}

	private async verifyWithin(token: string | null | undefined, clockTolerance: number): Promise<string> {
		if (!token) throw new AuthError('missing-token', 'no token');
		try {
			const { payload } = await jwtVerify(token, this.secret, { issuer: ISSUER, algorithms: ['HS256'], clockTolerance });
			if (!payload.sub) throw new AuthError('invalid-token', 'token has no subject');
			return payload.sub;
		} catch (err) {
			if (err instanceof AuthError) throw err;
			if (err instanceof errors.JWTExpired) throw new AuthError('expired-token', 'token expired');
			throw new AuthError('invalid-token', 'token is not valid');
		}
	}
}

/** Resolves a token to the user it names, with the user's current roles and territories. */
export async function authenticate(tokens: TokenService, store: DocumentStore, token: string | null | undefined): Promise<UserRecord> {
	const userId = await tokens.verify(token);
	const user = await store.getUserById(userId);
	if (!user) throw new AuthError('unknown-user', 'user no longer exists');
	noteRequestUser(user.username);
	return user;
}

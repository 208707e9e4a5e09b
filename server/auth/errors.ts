export type AuthFailure = 'missing-token' | 'invalid-token' | 'expired-token' | 'unknown-user';

/** Why a request could not be tied to a user; the text is safe to show the client. */
export class AuthError extends Error {
	constructor(
		readonly failure: AuthFailure,
		message: string
	) {
		super(message);
		this.name = 'AuthError';
	}
}

/**
 * Websocket close codes the relay uses, each with the reason text sent along.
 * 4000–4999 are application codes; a client can tell "fix your input" (44xx)
 * from "come back later" (1001, 1013).
 */
export const CloseCode = {
	GoingAway: { code: 1001, reason: 'server shutting down' },
	MessageTooBig: { code: 1009, reason: 'message too big' },
	TryAgainLater: { code: 1013, reason: 'server not ready' },
	MalformedMessage: { code: 4400, reason: 'malformed message' },
	Unauthorized: { code: 4401, reason: 'unauthorized' },
	Forbidden: { code: 4403, reason: 'forbidden' },
	NotFound: { code: 4404, reason: 'unknown path' },
	DocumentTooLarge: { code: 4413, reason: 'document too large' },
	RateLimited: { code: 4429, reason: 'rate limit exceeded' },
	Unresponsive: { code: 4408, reason: 'no pong' }
} as const;

export type CloseReason = (typeof CloseCode)[keyof typeof CloseCode];

/** Close reasons must fit in 123 bytes; details are logged, the client gets the gist. */
export function closeReasonText(base: CloseReason, detail?: string): string {
	const text = detail ? `${base.reason}: ${detail}` : base.reason;
	return Buffer.byteLength(text) <= 123 ? text : base.reason;
}

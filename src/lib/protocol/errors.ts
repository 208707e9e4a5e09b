/** A frame that does not decode: the connection that sent it is closed, nothing else. */
export class MalformedMessageError extends Error {
	constructor(message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = 'MalformedMessageError';
	}
}

import pino from 'pino';
import { currentRequest } from './http/request-context';

export type Logger = pino.Logger;

/** JSON lines on stdout (or `destination`); lines written while serving a request carry its id and user. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
	return pino({ level, base: { service: 'outrider-relay' }, mixin: () => ({ ...currentRequest() }) }, destination);
}

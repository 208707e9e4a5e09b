import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './cli-error';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * node:util parseArgs, strict, with its complaints (unknown option, missing value)
 * and a wrong number of positional arguments turned into usage errors.
 */
export function parseCommandArgs<O extends Options>(args: string[], usage: string, options: O, positionals: number) {
	let parsed;
	try {
		parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
	} catch (err) {
		throw new UsageError(`${err instanceof Error ? err.message : String(err)} (usage: ${usage})`);
	}
	if (parsed.positionals.length !== positionals) {
		throw new UsageError(`expected ${positionals === 1 ? 'one argument' : `${positionals} arguments`}, got ${parsed.positionals.length} (usage: ${usage})`);
	}
	return parsed;
}

/** A failure the operator can act on: its message is printed as it is, without a stack. */
export class CliError extends Error {
	constructor(
		message: string,
		readonly exitCode = 1
	) {
		super(message);
		this.name = 'CliError';
	}
}

/** A command line that does not say what to do: printed with the usage, exit code 2. */
export class UsageError extends CliError {
	constructor(message: string) {
		super(message, 2);
		this.name = 'UsageError';
	}
}

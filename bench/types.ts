/** What every benchmark under bench/ offers to `npm run bench`. */
export interface Benchmark {
	/** Short name, used by `--only=<name>` and for the results file. */
	name: string;
	description: string;
	/** Runs only when asked for by `--only=<name>` (too long for the default run). */
	onlyWhenNamed?: boolean;
	run(options: BenchOptions): Promise<BenchReport>;
}

export interface BenchOptions {
	/** A short smoke run: small load, a few seconds. */
	quick: boolean;
	/** Command-line arguments after the script name; each benchmark reads its own flags. */
	args: string[];
	/** Progress lines; kept off stdout so the tables stay clean. */
	log(line: string): void;
}

export interface BenchReport {
	/** Markdown printed to stdout: the table plus any notes. */
	markdown: string;
	/** Whether the benchmark met its stated target (undefined when it has none). */
	passed?: boolean;
}

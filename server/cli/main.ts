/** `npm run relay -- <command>`: the operator's tools, on the store the environment names. */
import { runCli } from './run-cli';

process.exitCode = await runCli(process.argv.slice(2), { io: { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }, env: process.env });

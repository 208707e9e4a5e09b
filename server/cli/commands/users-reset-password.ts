import { hashPassword } from '../../auth/passwords';
import type { Command } from '../cli-context';
import { parseCommandArgs } from '../command-args';
import { readNewPassword } from '../read-password';
import { parseUsername, requireUser } from '../user-fields';

const usage = 'users reset-password <username>';

export const usersResetPassword: Command = {
	usage,
	summary: 'set a new password; it comes from OUTRIDER_PASSWORD or standard input',
	async run(args, context) {
		const { positionals } = parseCommandArgs(args, usage, {}, 1);
		const store = await context.store();
		const user = await requireUser(store, parseUsername(positionals[0]!));
		const passwordHash = await hashPassword(await readNewPassword(context));
		await store.putUser({ ...user, passwordHash });
		// Tokens are signed, not looked up, so devices already signed in are not signed out.
		context.io.stdout.write(`changed the password of ${user.username}; devices already signed in stay signed in until their session expires\n`);
	}
};

import { hashPassword } from '../../auth/passwords';
import type { Command } from '../cli-context';
import { CliError } from '../cli-error';
import { parseCommandArgs } from '../command-args';
import { readNewPassword } from '../read-password';
import { createInboxFor, freeUserId, parseRole, parseTerritories, parseUsername } from '../user-fields';

const usage = 'users create <username> --role rep|manager|admin --territories a,b --name "Full Name"';

export const usersCreate: Command = {
	usage,
	summary: 'add a user; the password comes from OUTRIDER_PASSWORD or standard input',
	async run(args, context) {
		const { positionals, values } = parseCommandArgs(args, usage, { role: { type: 'string' }, territories: { type: 'string' }, name: { type: 'string' } }, 1);
		const username = parseUsername(positionals[0]!);
		const role = parseRole(values.role);
		const territories = parseTerritories(values.territories, role);
		const displayName = values.name?.trim() || username;
		const store = await context.store();
		if (await store.getUserByName(username)) throw new CliError(`user ${username} already exists (to change its password: users reset-password ${username})`);
		const passwordHash = await hashPassword(await readNewPassword(context));
		const id = await freeUserId(store, username);
		await store.putUser({ id, username, displayName, role, territories, passwordHash });
		await createInboxFor(store, id);
		context.io.stdout.write(`created ${role} ${username} (id ${id})${territories.length > 0 ? ` for ${territories.join(', ')}` : ''}\n`);
	}
};

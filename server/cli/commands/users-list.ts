import type { Command } from '../cli-context';
import { parseCommandArgs } from '../command-args';

export const usersList: Command = {
	usage: 'users list',
	summary: 'list users with their role, territories and name',
	async run(args, { store: openStore, io }) {
		parseCommandArgs(args, 'users list', {}, 0);
		const users = await (await openStore()).listUsers();
		const rows = [['USERNAME', 'ROLE', 'TERRITORIES', 'NAME', 'ID'], ...users.map((u) => [u.username, u.role, u.territories.join(',') || '-', u.displayName, u.id])];
		const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
		for (const row of rows) io.stdout.write(`${row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()}\n`);
	}
};

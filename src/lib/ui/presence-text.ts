import type { DocKind } from '../model/names';
import type { PresentPerson } from '../state/presence-state.svelte';
import { fieldLabel } from './field-labels';

/** "Manager (manager) is editing Phone", "Rep North (rep) is viewing". */
export function presenceText(person: Pick<PresentPerson, 'user' | 'field'>, kind: DocKind): string {
	const who = person.user.role ? `${person.user.name} (${person.user.role})` : person.user.name;
	return person.field ? `${who} is editing ${fieldLabel(kind, person.field)}` : `${who} is viewing`;
}

/** One line per person and activity: the same person in two tabs doing the same thing reads once. */
export function presenceLines(people: readonly Pick<PresentPerson, 'user' | 'field'>[], kind: DocKind): string[] {
	return [...new Set(people.map((person) => presenceText(person, kind)))];
}

import type { Awareness } from 'y-protocols/awareness';
import { asNullableString, asString, isPlainObject } from '../model/values';

/** Who this device says is here, as every other device reads it from awareness. */
export interface PresenceUser {
	id: string;
	name: string;
	role: string;
}

/** Another person with the document open: `field` is what they are editing, null when just viewing. */
export interface PresentPerson {
	clientId: number;
	user: PresenceUser;
	field: string | null;
}

export type PresenceAwareness = Pick<Awareness, 'clientID' | 'getStates' | 'setLocalState' | 'on' | 'off'>;

interface AwarenessChange {
	added: number[];
	updated: number[];
	removed: number[];
}

function toPerson(clientId: number, state: unknown): PresentPerson | null {
	if (!isPlainObject(state) || !isPlainObject(state.user)) return null;
	const id = asString(state.user.id);
	if (id === '') return null;
	return {
		clientId,
		user: { id, name: asString(state.user.name, id), role: asString(state.user.role) },
		field: asNullableString(state.field)
	};
}

/**
 * Presence on one open document: announces this person (and the field they are in)
 * and lists everyone else, as Svelte state. `destroy()` withdraws the announcement,
 * so others stop seeing us as soon as the page closes.
 */
export class PresenceState {
	#others: PresentPerson[] = $state.raw([]);
	readonly #awareness: PresenceAwareness;
	readonly #user: PresenceUser;
	#field: string | null = null;
	#destroyed = false;

	readonly #onChange = ({ added }: AwarenessChange, origin: unknown): void => {
		this.#others = this.#readOthers();
		// Awareness only sends what changes, so someone arriving after us never hears our
		// earlier announcement until it is renewed (15 s). Answering a newcomer once is
		// enough: they see us as already known when we repeat, so no echo follows.
		if (origin !== 'local' && !this.#destroyed && added.some((id) => id !== this.#awareness.clientID)) this.#announce();
	};

	constructor(awareness: PresenceAwareness, user: PresenceUser) {
		this.#awareness = awareness;
		this.#user = { id: user.id, name: user.name, role: user.role };
		awareness.on('change', this.#onChange);
		this.#announce();
		this.#others = this.#readOthers();
	}

	/** Everyone else with this document open, one entry per device, in a stable order. */
	get others(): PresentPerson[] {
		return this.#others;
	}

	/** The field this person is in now (null once they leave it). */
	get field(): string | null {
		return this.#field;
	}

	editing(field: string | null): void {
		if (this.#destroyed || field === this.#field) return;
		this.#field = field;
		this.#announce();
	}

	#announce(): void {
		this.#awareness.setLocalState({ user: { ...this.#user }, field: this.#field });
	}

	#readOthers(): PresentPerson[] {
		const people: PresentPerson[] = [];
		for (const [clientId, state] of this.#awareness.getStates()) {
			if (clientId === this.#awareness.clientID) continue;
			const person = toPerson(clientId, state);
			if (person) people.push(person);
		}
		return people.sort((a, b) => a.user.name.localeCompare(b.user.name) || a.clientId - b.clientId);
	}

	destroy(): void {
		if (this.#destroyed) return;
		this.#destroyed = true;
		this.#awareness.off('change', this.#onChange);
		this.#awareness.setLocalState(null);
	}
}

import type * as Y from 'yjs';
import { readAccountFields } from '../model/account';
import { parseDocName } from '../model/names';
import { readOrderFields } from '../model/order';
import { summarizeDocument, type LookupAccount } from '../model/summarize';
import { readVisitFields } from '../model/visit';
import type { DeviceDocEntry } from './engine-types';

/** What lists and search need of a document, computed on the device from its content. */
export function describeDocument(name: string, doc: Y.Doc, lookupAccount: LookupAccount, updatedAt: string): DeviceDocEntry {
	const { kind } = parseDocName(name);
	const summary = summarizeDocument(name, doc, lookupAccount);
	const entry: DeviceDocEntry = {
		name,
		kind,
		title: summary.title,
		subtitle: null,
		territory: summary.territory,
		accountId: summary.accountId,
		day: summary.day,
		status: null,
		sequence: null,
		searchText: summary.title.toLowerCase(),
		updatedAt
	};
	if (kind === 'account') {
		const f = readAccountFields(doc);
		entry.status = f.status;
		entry.subtitle = f.city || null;
		entry.searchText = [f.name, f.city, f.address, f.postalCode, f.phone, f.email].join(' ').toLowerCase();
	} else if (kind === 'visit') {
		const f = readVisitFields(doc);
		entry.status = f.status;
		entry.sequence = f.sequence;
	} else if (kind === 'order') {
		entry.status = readOrderFields(doc).status;
	}
	return entry;
}

/** A placeholder for a document the manifest names but the device has not received yet. */
export function placeholderEntry(name: string, updatedAt: string): DeviceDocEntry {
	const { kind } = parseDocName(name);
	return { name, kind, title: name, subtitle: null, territory: null, accountId: null, day: null, status: null, sequence: null, searchText: '', updatedAt };
}

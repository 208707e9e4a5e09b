/**
 * The document contract (v1): typed, pure read/write helpers over Y.Doc, shared by the
 * app and the server. Every write runs in one transaction; wrap a call in
 * `doc.transact(fn, origin)` to tag it, since nested transactions take the outer origin.
 */
export * from './names';
export * from './meta';
export * from './values';
export * from './records';
export * from './account';
export * from './visit';
export * from './order';
export * from './catalog';
export * from './stock';
export * from './stock-counters';
export * from './inbox';
export * from './conflicts';
export * from './attention';
export * from './summarize';

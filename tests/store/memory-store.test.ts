import { MemoryStore } from '../../server/store/memory-store';
import { runStoreConformance } from './conformance';

runStoreConformance('MemoryStore', async () => ({ store: new MemoryStore(), cleanup: async () => {} }), { durable: false });

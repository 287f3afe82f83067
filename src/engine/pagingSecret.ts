/**
 * A random secret kept in the key space, shared by every process serving the same store,
 * for signing paging tokens (PartiQL's NextToken): a token minted by one worker is
 * accepted by another, and survives a restart.
 */
import { randomBytes } from 'node:crypto';
import type { KVStore } from '../storage/kv.js';
import type { EngineCore } from './engineCore.js';
import { counterKey } from './keyspace.js';
import { transact } from './transact.js';

const SECRET_KEY = counterKey('secret:paging-token');
const secrets = new WeakMap<KVStore, Buffer>();

export async function pagingSecret(db: EngineCore): Promise<Buffer> {
  const store = db.store;
  const cached = secrets.get(store);
  if (cached !== undefined) return cached;
  const stored = await db.read((ops) => ops.get(SECRET_KEY));
  if (stored !== undefined) {
    secrets.set(store, Buffer.from(stored));
    return secrets.get(store)!;
  }
  // Two processes may race to create it: the transaction keeps whichever came first.
  const secret = await transact(store, (txn) => {
    const existing = txn.get(SECRET_KEY);
    if (existing !== undefined) return existing;
    const fresh = randomBytes(32);
    txn.put(SECRET_KEY, fresh);
    return fresh;
  });
  secrets.set(store, Buffer.from(secret));
  return secrets.get(store)!;
}

/** Engine-level test fixtures: a logger that keeps errors, a frozen clock, table specs, two databases over one store. */
import { Clock } from '../../src/engine/clock.js';
import { Database, type DatabaseOptions } from '../../src/engine/database.js';
import type { TableSpec } from '../../src/engine/table.js';
import type { Logger } from '../../src/logger.js';
import type { KVStore } from '../../src/storage/kv.js';

/** A logger that drops everything but errors, which it keeps: messages and details apart. */
export function capturingLogger(): Logger & { errors: string[]; details: unknown[] } {
  const errors: string[] = [];
  const details: unknown[] = [];
  const ignore = () => undefined;
  return {
    errors, details, debug: ignore, info: ignore, warn: ignore,
    error: (message, detail) => {
      errors.push(message);
      details.push(detail);
    },
  };
}

/** A clock stopped at 2026-01-01T00:00:00Z; it moves only when told. */
export function frozenClock(): Clock {
  const clock = new Clock();
  clock.set(Date.UTC(2026, 0, 1), true);
  return clock;
}

/** An on-demand table keyed by the string `id`, with more attribute definitions if given. */
export function hashKeyedSpec(name: string, moreAttributes: TableSpec['attributeDefinitions'] = []): TableSpec {
  return {
    name,
    keySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    attributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, ...moreAttributes],
    billingMode: 'PAY_PER_REQUEST',
    provisioned: { read: 0, write: 0, decreasesToday: 0 },
    tableClass: 'STANDARD',
    deletionProtection: false,
    tags: [],
  };
}

/** Two databases sharing one store, as two processes over one data directory would. */
export async function twoDatabases(store: KVStore, options: Omit<DatabaseOptions, 'region' | 'accountId' | 'shared'>): Promise<[Database, Database]> {
  const shared = { region: 'us-east-1', accountId: '000000000000', shared: true, ...options };
  return [await Database.open(store, shared), await Database.open(store, shared)];
}

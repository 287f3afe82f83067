/**
 * `server.changes('Table')`: the table's stream as an async iterable of stream records
 * (Lambda's shape), read in lineage order from LATEST (or TRIM_HORIZON). The position is
 * kept in memory; iteration ends when the server closes or the loop breaks.
 */
import type { Database } from '../engine/database.js';
import { newConsumerState, nextBatch, type StartingPosition } from '../engine/changelog/consumer.js';
import { lambdaRecords } from './records.js';

const POLL_MS = 25;

export async function* changes(db: Database, tableName: string, startingPosition: StartingPosition, isClosed: () => boolean): AsyncGenerator<Record<string, unknown>> {
  const state = newConsumerState();
  while (!isClosed()) {
    const batch = await nextBatch(db, tableName, state, startingPosition, 100);
    if (batch === undefined) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      continue;
    }
    state.positions[batch.shard.no] = batch.next;
    const table = db.findTable(tableName);
    if (table === undefined) return;
    yield* lambdaRecords(batch, table.meta.arn, db.options.region);
  }
}

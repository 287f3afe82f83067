/**
 * A consumer's walk over a table's change log: shard by shard, a child only once its
 * parent has been read to its end, so every record comes exactly once and the records of
 * one key come in order. The position (`ConsumerState`) is plain data: triggers keep it
 * in the key space, in-process readers in memory.
 */
import { mapMaybe, type MaybePromise } from '../maybePromise.js';
import type { EngineCore } from '../engineCore.js';
import type { ReadOps } from '../../storage/kv.js';
import type { WriteOps } from '../../storage/kv.js';
import type { StreamMeta } from '../tableMeta.js';
import { checkpointKey } from './keys.js';
import { readShardRecords, shardEnd, streamShards } from './reader.js';
import type { ChangeRecord } from './record.js';
import type { ShardMeta } from './shards.js';

export type StartingPosition = 'TRIM_HORIZON' | 'LATEST';

export interface ConsumerState {
  /** The stream (by label) the positions belong to; another stream starts afresh. */
  label?: string;
  /** Shard number -> counter of the next record to hand out. */
  positions: Record<string, number>;
  /** Shards read to their end. */
  done: number[];
  /** When the consumer first looked (LATEST skips what existed then). */
  startedAt?: number;
}

export interface ConsumerBatch {
  stream: StreamMeta;
  tableId: number;
  shard: ShardMeta;
  records: ChangeRecord[];
  /** The position after the batch. */
  next: number;
}

export function newConsumerState(): ConsumerState {
  return { positions: {}, done: [] };
}

/** The next batch of up to `limit` records (at most `maxBytes`), or undefined if there is nothing new. */
export function nextBatch(db: EngineCore, tableName: string, state: ConsumerState, start: StartingPosition, limit: number, maxBytes = 6 * 1024 * 1024): MaybePromise<ConsumerBatch | undefined> {
  const table = db.findTable(tableName);
  const stream = table?.meta.streams?.at(-1);
  if (table === undefined || stream === undefined) return undefined;
  const tableId = table.meta.id;
  const now = db.clock.now();
  // The read may run more than once (storage/kv.ts): it works on a copy, kept once it is done.
  const read = db.read((ops) => {
    const draft = structuredClone(state);
    return { draft, batch: nextBatchIn(ops, tableId, stream, draft, start, now, limit, maxBytes) };
  });
  return mapMaybe(read, ({ draft, batch }) => {
    Object.assign(state, draft);
    return batch;
  });
}

function nextBatchIn(
  ops: ReadOps,
  tableId: number,
  stream: StreamMeta,
  state: ConsumerState,
  start: StartingPosition,
  now: number,
  limit: number,
  maxBytes: number,
): ConsumerBatch | undefined {
  if (state.label !== stream.label) {
    state.label = stream.label;
    state.positions = {};
    state.done = [];
    state.startedAt ??= now;
  }
  const shards = streamShards(ops, tableId, stream.label);
  const byId = new Map(shards.map((s) => [s.id, s]));
  const done = new Set(state.done);
  for (const shard of shards) {
    if (done.has(shard.no)) continue;
    const parent = shard.parentId === undefined ? undefined : byId.get(shard.parentId);
    if (parent !== undefined && !done.has(parent.no)) continue;
    const end = shardEnd(ops, tableId, shard);
    let from = state.positions[shard.no];
    if (from === undefined) {
      from = start === 'LATEST' && shard.createdAt < state.startedAt! ? end : 1;
      state.positions[shard.no] = from;
    }
    if (from < end) {
      const page = readShardRecords(ops, tableId, shard.no, from, limit, maxBytes);
      if (page.records.length > 0) return { stream, tableId, shard, records: page.records, next: page.next };
    }
    if (shard.closedAt !== undefined) {
      state.done.push(shard.no);
      done.add(shard.no);
      delete state.positions[shard.no];
    }
  }
  // Forget shards trimmed away.
  state.done = state.done.filter((no) => shards.some((s) => s.no === no));
  return undefined;
}

export function readCheckpoint(ops: ReadOps, tableId: number, consumer: string): ConsumerState | undefined {
  const value = ops.get(checkpointKey(tableId, consumer));
  return value === undefined ? undefined : JSON.parse(value.toString('utf8')) as ConsumerState;
}

export function writeCheckpoint(txn: WriteOps, tableId: number, consumer: string, state: ConsumerState): void {
  txn.put(checkpointKey(tableId, consumer), Buffer.from(JSON.stringify(state), 'utf8'));
}

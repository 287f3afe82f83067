/**
 * The streams view of the change log, for the Streams API: which streams exist (an
 * enabled one, and disabled ones for 24 hours), their shards and records.
 */
import { mapMaybe, type MaybePromise } from '../maybePromise.js';
import type { EngineCore } from '../engineCore.js';
import type { Namespace } from '../namespace.js';
import type { StreamMeta, TableMeta } from '../tableMeta.js';
import { readShardRecords, shardEnd, streamShards, type RecordPage } from './reader.js';
import { readShard, shardNoOfId, type ShardMeta } from './shards.js';

/** How long stream readers see records, and a disabled stream stays readable. */
export const STREAM_RETENTION_MS = 24 * 60 * 60 * 1000;

export interface StreamRef {
  table: TableMeta;
  stream: StreamMeta;
}

/** Every readable stream of a namespace (default: the shared one), or of one table (its name or ARN), by table name then age. */
export function readableStreams(db: EngineCore, tableName?: string, namespace = db.defaultNamespace): StreamRef[] {
  const now = db.clock.now();
  const refs: StreamRef[] = [];
  for (const name of tableName === undefined ? db.tableNames(namespace) : [tableName]) {
    const table = db.findTable(name, namespace)?.meta;
    if (table === undefined || table.status === 'DELETING') continue;
    for (const stream of table.streams ?? []) {
      if (stream.disabledAt === undefined || now - stream.disabledAt < STREAM_RETENTION_MS) refs.push({ table, stream });
    }
  }
  return refs;
}

export function findStream(db: EngineCore, tableName: string, label: string, namespace?: Namespace): StreamRef | undefined {
  return readableStreams(db, tableName, namespace).find((ref) => ref.stream.label === label);
}

export function shardsOf(db: EngineCore, ref: StreamRef): MaybePromise<ShardMeta[]> {
  return db.read((ops) => streamShards(ops, ref.table.id, ref.stream.label));
}

export function shardByNo(db: EngineCore, ref: StreamRef, shardNo: number): MaybePromise<ShardMeta | undefined> {
  return db.read((ops) => {
    const shard = readShard(ops, ref.table.id, shardNo);
    return shard?.label === ref.stream.label ? shard : undefined;
  });
}

export function shardById(db: EngineCore, ref: StreamRef, shardId: string): MaybePromise<ShardMeta | undefined> {
  const no = shardNoOfId(shardId);
  if (no === undefined) return undefined;
  return mapMaybe(shardByNo(db, ref, no), (shard) => (shard?.id === shardId ? shard : undefined));
}

export function endOfShard(db: EngineCore, ref: StreamRef, shard: ShardMeta): MaybePromise<number> {
  return db.read((ops) => shardEnd(ops, ref.table.id, shard));
}

export function readRecords(db: EngineCore, ref: StreamRef, shardNo: number, from: number, limit: number, maxBytes: number): MaybePromise<RecordPage> {
  return db.read((ops) => readShardRecords(ops, ref.table.id, shardNo, from, limit, maxBytes));
}

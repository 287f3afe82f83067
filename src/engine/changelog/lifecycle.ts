/**
 * Opens and closes a table's log shards as its consumers come and go (in the catalog
 * change's transaction). The log records while a stream is enabled (its shards carry the
 * stream's label) or while point-in-time recovery is on (shards with the empty label,
 * which no stream lists). Switching from one to the other closes the open shards and
 * opens new ones, so the log stays one unbroken sequence per hash range.
 */
import type { WriteOps } from '../../storage/kv.js';
import { enabledStream, type TableMeta } from '../tableMeta.js';
import { closeOpenShards, openStreamShards } from './shards.js';

/** The label of shards recorded for point-in-time recovery alone (never a stream label). */
export const RECOVERY_LOG_LABEL = '';

/** The label the table's open shards carry, or undefined while nothing needs the log. */
export function logLabel(meta: Pick<TableMeta, 'streams' | 'pitr'>): string | undefined {
  return enabledStream(meta)?.label ?? (meta.pitr !== undefined ? RECOVERY_LOG_LABEL : undefined);
}

export function applyLogChange(txn: WriteOps, before: TableMeta | undefined, after: TableMeta, now: number): void {
  const was = before === undefined ? undefined : logLabel(before);
  const is = logLabel(after);
  if (was === is) return;
  const stream = enabledStream(after);
  if (was !== undefined) {
    const closedAt = after.streams?.find((s) => s.label === was)?.disabledAt ?? stream?.createdAt ?? now;
    closeOpenShards(txn, after.id, closedAt, false);
  }
  if (is !== undefined) openStreamShards(txn, after.id, is, stream?.createdAt ?? now);
}

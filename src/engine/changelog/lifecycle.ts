/** Opens and closes a table's log shards as its stream is enabled and disabled (in the catalog change's transaction). */
import type { WriteOps } from '../../storage/kv.js';
import { enabledStream, type TableMeta } from '../tableMeta.js';
import { closeOpenShards, openStreamShards } from './shards.js';

export function applyStreamChange(txn: WriteOps, before: TableMeta | undefined, after: TableMeta): void {
  const was = before === undefined ? undefined : enabledStream(before);
  const is = enabledStream(after);
  if (was?.label === is?.label) return;
  if (was !== undefined) {
    const closedAt = after.streams?.find((s) => s.label === was.label)?.disabledAt ?? is?.createdAt ?? was.createdAt;
    closeOpenShards(txn, after.id, closedAt, false);
  }
  if (is !== undefined) openStreamShards(txn, after.id, is.label, is.createdAt);
}

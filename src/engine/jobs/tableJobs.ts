/**
 * The job kinds the catalog starts: building and dropping a secondary index, removing a
 * table whose DELETING status was held (delayed status change), and purging a dropped
 * table's keys. Each is keyed by table id and index number, so starting one twice is
 * harmless, and each checks that its table (and index) is still the one it was for.
 */
import type { WriteOps } from '../../storage/kv.js';
import { indexBookkeepingRanges, indexStatsKey, tableRange } from '../keyspace.js';
import { logRange } from '../changelog/keys.js';
import type { TableMeta } from '../tableMeta.js';
import { catalogNameOf } from '../namespace.js';
import type { IndexInfo } from '../indexes/indexInfo.js';
import { backfillBatch, INDEX_BATCH, purgeIndexBatch } from '../indexes/backfill.js';
import { usedDefinitions } from '../indexes/catalog.js';
import type { JobBatch, JobRunner, NewJob } from './runner.js';

/** Keys deleted per transaction when a table is purged. */
const PURGE_BATCH = 2000;

export const JOB_KINDS = {
  indexBackfill: 'index-backfill',
  indexDrop: 'index-drop',
  tableDelete: 'table-delete',
  tablePurge: 'table-purge',
} as const;

/** What these jobs need of the Database. */
export interface TableJobHost {
  /** The index of the live table `name` (still `tableId`) if it still needs its backfill; read inside `txn`. */
  backfillTarget(txn: WriteOps, name: string, tableId: number, indexNo: number): IndexInfo | undefined;
  /** Whether `name` is still the live (not DELETING) table `tableId`. */
  isLive(name: string, tableId: number): boolean;
  /** The index's catalog entry, if the live table still has it. */
  indexMeta(name: string, tableId: number, indexNo: number): NonNullable<TableMeta['indexes']>[number] | undefined;
  updateTable(name: string, mutate: (meta: TableMeta) => TableMeta): Promise<TableMeta>;
  transact<T>(fn: (txn: WriteOps) => T): Promise<T>;
  /** Removes a DELETING table from the catalog and starts the purge of its keys. */
  finishDelete(name: string, tableId: number): Promise<void>;
}

interface IndexJob {
  name: string;
  tableId: number;
  indexNo: number;
}

/** The jobs a catalog entry calls for: builds and drops of its indexes. */
export function indexJobs(meta: TableMeta): NewJob[] {
  const jobs: NewJob[] = [];
  for (const index of meta.indexes ?? []) {
    const kind = index.status === 'DELETING' ? JOB_KINDS.indexDrop : index.backfilling ? JOB_KINDS.indexBackfill : undefined;
    if (kind === undefined) continue;
    const params: IndexJob = { name: catalogNameOf(meta), tableId: meta.id, indexNo: index.no };
    jobs.push({ id: `${kind}:${meta.id}:${index.no}`, kind, tableId: meta.id, params });
  }
  return jobs;
}

export function tableDeleteJob(meta: TableMeta, runAt: number): NewJob {
  return { id: `${JOB_KINDS.tableDelete}:${meta.id}`, kind: JOB_KINDS.tableDelete, tableId: meta.id, params: { name: catalogNameOf(meta), tableId: meta.id }, runAt };
}

export function tablePurgeJob(tableId: number): NewJob {
  return { id: `${JOB_KINDS.tablePurge}:${tableId}`, kind: JOB_KINDS.tablePurge, tableId, params: { tableId } };
}

export function registerTableJobs(runner: JobRunner, host: TableJobHost): void {
  runner.register(JOB_KINDS.indexBackfill, {
    // The cursor is the hex of the next base-table key to read.
    batch(txn, { name, tableId, indexNo }: IndexJob, cursor: string | undefined): JobBatch<string> {
      const index = host.backfillTarget(txn, name, tableId, indexNo);
      if (index === undefined) return { state: undefined, processed: 0, done: true };
      const { seen, next } = backfillBatch(txn, tableId, index, cursor === undefined ? undefined : Buffer.from(cursor, 'hex'));
      return { state: next?.toString('hex'), processed: seen, done: next === undefined };
    },
    async finish({ name, tableId, indexNo }: IndexJob) {
      const index = host.indexMeta(name, tableId, indexNo);
      if (index === undefined || index.status === 'DELETING' || !index.backfilling) return;
      await host.updateTable(name, (meta) => {
        const current = meta.indexes?.find((i) => i.no === indexNo);
        if (current !== undefined && current.status !== 'DELETING') {
          current.status = 'ACTIVE';
          delete current.backfilling;
        }
        return meta;
      });
    },
  });

  runner.register(JOB_KINDS.indexDrop, {
    batch(txn, { name, tableId, indexNo }: IndexJob): JobBatch<never> {
      // A dropped table's purge takes the entries with it.
      if (!host.isLive(name, tableId)) return { state: undefined, processed: 0, done: true };
      const deleted = purgeIndexBatch(txn, tableId, indexNo);
      return { state: undefined, processed: deleted, done: deleted < INDEX_BATCH };
    },
    async finish({ name, tableId, indexNo }: IndexJob) {
      if (host.indexMeta(name, tableId, indexNo) === undefined) return;
      await host.transact((txn) => txn.delete(indexStatsKey(tableId, indexNo)));
      await host.updateTable(name, (meta) => {
        meta.indexes = meta.indexes?.filter((i) => i.no !== indexNo);
        meta.attributeDefinitions = usedDefinitions(meta);
        return meta;
      });
    },
  });

  runner.register(JOB_KINDS.tableDelete, {
    finish: ({ name, tableId }: { name: string; tableId: number }) => host.finishDelete(name, tableId),
  });

  runner.register(JOB_KINDS.tablePurge, {
    // The cursor is the number of the range being emptied: the table's keys, then its bookkeeping.
    batch(txn, { tableId }: { tableId: number }, rangeNo: number | undefined): JobBatch<number> {
      const ranges = [tableRange(tableId), ...indexBookkeepingRanges(tableId), logRange(tableId)];
      const at = rangeNo ?? 0;
      let deleted = 0;
      for (const { key } of txn.range({ ...ranges[at]!, limit: PURGE_BATCH })) {
        txn.delete(key);
        deleted++;
      }
      const next = deleted < PURGE_BATCH ? at + 1 : at;
      return { state: next, processed: deleted, done: next >= ranges.length };
    },
  });
}

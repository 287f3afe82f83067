/**
 * A background job as it is kept in the key space (keyspace.ts `jobKey`): what to do,
 * how far it got, who runs it (a lease) and what went wrong last. Every runner over
 * the store reads the same records, which is what makes one owner per job possible.
 */
import type { ReadOps, WriteOps } from '../../storage/kv.js';
import { JOBS_RANGE, jobKey } from '../keyspace.js';

export interface JobLease {
  /** The runner holding it (JobRunner.owner). */
  owner: string;
  /** The holder's process (leaseHolder.ts); absent in records written before it was kept. */
  pid?: number;
  /** Clock time (ms) after which another runner may take the job over. */
  expiresAt: number;
}

export interface JobRecord {
  /** Unique and deterministic (e.g. "index-backfill:12:1"), so enqueueing twice is harmless. */
  id: string;
  kind: string;
  /** The table the job works for, if any: lets DescribeTable and the console list a table's jobs. */
  tableId?: number;
  params: unknown;
  /** Where the batches got to (the handler's cursor), saved with each batch. */
  state?: unknown;
  /** Every batch is done; what is left is the handler's `finish`. */
  batchesDone?: boolean;
  /** Clock time (ms) before which the job does not run. */
  runAt: number;
  createdAt: number;
  /** Keys or items handled so far, as the handler counts them. */
  processed: number;
  /** Failed runs so far. */
  attempts: number;
  lastError?: string;
  lease?: JobLease;
}

export type JobStatus = 'PENDING' | 'RUNNING' | 'RETRYING';

/** What DescribeTable, the console and tests see of a job. */
export interface JobView {
  id: string;
  kind: string;
  tableId?: number;
  status: JobStatus;
  processed: number;
  attempts: number;
  lastError?: string;
  runAt: number;
  createdAt: number;
}

export function readJob(ops: ReadOps, id: string): JobRecord | undefined {
  const raw = ops.get(jobKey(id));
  return raw === undefined ? undefined : (JSON.parse(raw.toString('utf8')) as JobRecord);
}

export function writeJob(txn: WriteOps, record: JobRecord): void {
  txn.put(jobKey(record.id), Buffer.from(JSON.stringify(record), 'utf8'));
}

export function deleteJob(txn: WriteOps, id: string): void {
  txn.delete(jobKey(id));
}

export function readAllJobs(ops: ReadOps): JobRecord[] {
  const jobs: JobRecord[] = [];
  for (const { value } of ops.range(JOBS_RANGE)) jobs.push(JSON.parse(value.toString('utf8')) as JobRecord);
  return jobs;
}

export function jobView(record: JobRecord, now: number): JobView {
  const running = record.lease !== undefined && record.lease.expiresAt > now;
  return {
    id: record.id,
    kind: record.kind,
    ...(record.tableId === undefined ? {} : { tableId: record.tableId }),
    status: running ? 'RUNNING' : record.attempts > 0 ? 'RETRYING' : 'PENDING',
    processed: record.processed,
    attempts: record.attempts,
    ...(record.lastError === undefined ? {} : { lastError: record.lastError }),
    runAt: record.runAt,
    createdAt: record.createdAt,
  };
}

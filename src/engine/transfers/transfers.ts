/**
 * Exports to and imports from a directory laid out as DynamoDB's S3 buckets
 * (`<s3-root>/<bucket>/<prefix>/...`). Both run as background jobs: an export reads
 * the table as it was at its ExportTime from the point-in-time-recovery base and
 * history (one storage snapshot); an import fills a new table held CREATING.
 */
import { randomBytes } from 'node:crypto';
import { dynamoError } from '../../errors.js';
import type { EngineCore } from '../engineCore.js';
import type { TableSpec } from '../table.js';
import type { TableMeta } from '../tableMeta.js';
import { catalogName, type Namespace } from '../namespace.js';
import { transact } from '../transact.js';
import { applyItemWrites, blindMutation } from '../itemWrite.js';
import { readBackup } from '../backups/backupRecord.js';
import { validateItem } from '../../values/validate.js';
import { extractKey, validateItemKey } from '../../values/keys.js';
import { itemSize } from '../../values/size.js';
import type { Item } from '../../values/types.js';
import { changesBetween, itemsAt } from './tableAtTime.js';
import { writeExportFiles } from './exportFiles.js';
import { ionItemLine } from './ionText.js';
import { listExportRecords, listImportRecords, readExport, readImport, writeExport, writeImport, type ExportRecord, type ImportRecord } from './transferRecord.js';

const KINDS = { export: 'table-export', import: 'table-import' } as const;
/** Items written per transaction by an import. */
const IMPORT_BATCH = 100;

export class Transfers {
  constructor(private readonly db: EngineCore, private readonly s3Root: () => string) {
    db.jobs.register(KINDS.export, { finish: ({ arn }: { arn: string }) => this.runExport(arn) });
    db.jobs.register(KINDS.import, { finish: ({ arn }: { arn: string }) => this.runImport(arn) });
  }

  async startExport(fields: Omit<ExportRecord, 'arn' | 'id' | 'status' | 'startTime' | 'tableNo' | 'baseNo' | 'tableArn' | 'tableId'>, table: TableMeta): Promise<ExportRecord> {
    const now = this.db.clock.now();
    const id = `${String(now).padStart(14, '0')}-${randomBytes(4).toString('hex')}`;
    const record: ExportRecord = {
      ...fields,
      ...(table.namespace === undefined ? {} : { namespace: table.namespace }),
      arn: `${table.arn}/export/${id}`,
      id,
      status: 'IN_PROGRESS',
      startTime: now,
      tableArn: table.arn,
      tableId: table.tableId,
      tableNo: table.id,
      baseNo: table.pitr!.baseNo,
    };
    await transact(this.db.store, (txn) => {
      writeExport(txn, record);
      this.db.jobs.enqueue(txn, { id: `${KINDS.export}:${id}`, kind: KINDS.export, tableId: table.id, params: { arn: record.arn } });
    });
    this.db.jobs.wake();
    return record;
  }

  async findExport(arn: string, namespace?: Namespace): Promise<ExportRecord> {
    const record = await this.db.read((ops) => readExport(ops, arn));
    if (record === undefined || !visibleFrom(namespace, record)) throw dynamoError('ExportNotFoundException', `Export not found: ${arn}`);
    return record;
  }

  async listExports(namespace?: Namespace): Promise<ExportRecord[]> {
    return (await this.db.read(listExportRecords)).filter((r) => visibleFrom(namespace, r, true));
  }

  private async runExport(arn: string): Promise<void> {
    const record = await this.db.read((ops) => readExport(ops, arn));
    if (record === undefined || record.status !== 'IN_PROGRESS') return;
    const { lines, billed } = await this.db.store.snapshot((snap) => {
      const base = readBackup(snap, record.baseNo);
      // The base snapshot is still being copied: the job fails and runs again shortly.
      if (base?.status !== 'AVAILABLE') throw new Error('The table\'s point-in-time recovery base is not complete yet');
      return record.incremental === undefined ? fullLines(snap, record) : incrementalLines(snap, record);
    });
    const endTime = this.db.clock.now();
    const manifestKey = writeExportFiles(this.s3Root(), record, lines, billed, endTime);
    await transact(this.db.store, (txn) => {
      writeExport(txn, { ...record, status: 'COMPLETED', endTime, manifestKey, itemCount: lines.length, billedSizeBytes: billed });
    });
  }

  /** Creates the table (CREATING) and records the import that fills it. */
  async startImport(fields: Omit<ImportRecord, 'arn' | 'namespace' | 'status' | 'tableArn' | 'tableId' | 'tableNo' | 'startTime' | 'processedItemCount' | 'processedSizeBytes' | 'importedItemCount' | 'errorCount'>, spec: TableSpec, namespace = this.db.defaultNamespace): Promise<ImportRecord> {
    const now = this.db.clock.now();
    const id = `${String(now).padStart(14, '0')}-${randomBytes(4).toString('hex')}`;
    const arn = `${this.db.arnFor(spec.name, namespace)}/import/${id}`;
    const meta = await this.db.createTable(spec, {
      namespace,
      holdCreating: true,
      jobs: (created) => [{ id: `${KINDS.import}:${id}`, kind: KINDS.import, tableId: created.id, params: { arn }, runAt: now }],
    });
    const record: ImportRecord = {
      ...fields,
      ...(namespace.key === '' ? {} : { namespace: namespace.key }),
      arn,
      status: 'IN_PROGRESS',
      tableArn: meta.arn,
      tableId: meta.tableId,
      tableNo: meta.id,
      startTime: now,
      processedItemCount: 0,
      processedSizeBytes: 0,
      importedItemCount: 0,
      errorCount: 0,
    };
    await transact(this.db.store, (txn) => writeImport(txn, record));
    this.db.jobs.wake();
    return record;
  }

  async findImport(arn: string, namespace?: Namespace): Promise<ImportRecord> {
    const record = await this.db.read((ops) => readImport(ops, arn));
    if (record === undefined || !visibleFrom(namespace, record)) throw dynamoError('ImportNotFoundException', `Import not found: ${arn}`);
    return record;
  }

  async listImports(namespace?: Namespace): Promise<ImportRecord[]> {
    return (await this.db.read(listImportRecords)).filter((r) => visibleFrom(namespace, r, true));
  }

  private async runImport(arn: string): Promise<void> {
    const record = await this.db.read((ops) => readImport(ops, arn));
    if (record === undefined) throw new Error('The import record is not written yet'); // retried
    if (record.status !== 'IN_PROGRESS') return;
    const table = this.db.findTable(catalogName(record.namespace ?? '', record.tableName));
    if (table?.meta.id !== record.tableNo) return;
    const keyTypes = new Map(table.meta.attributeDefinitions.map((d) => [d.AttributeName, d.AttributeType as string]));
    const counts = { processedItemCount: 0, processedSizeBytes: 0, importedItemCount: 0, errorCount: 0 };
    let failure: string | undefined;
    // Loaded on the first import: its CSV, Ion and zstd readers weigh on every start otherwise.
    const { decompressFile, importSourceFiles, itemsOfText } = await import('./importFiles.js');
    for (const path of importSourceFiles(this.s3Root(), record.bucket, record.prefix)) {
      let candidates: (Record<string, unknown> | Error)[];
      try {
        candidates = itemsOfText(decompressFile(path, record.compression), record, keyTypes);
      } catch (err) {
        counts.errorCount++;
        failure = `Unable to read ${path.slice(this.s3Root().length)}: ${(err as Error).message}`;
        continue;
      }
      const items: Item[] = [];
      for (const candidate of candidates) {
        counts.processedItemCount++;
        try {
          if (candidate instanceof Error) throw candidate;
          const item = validateItem(candidate);
          validateItemKey(item, table.schema);
          counts.processedSizeBytes += itemSize(item);
          items.push(item);
        } catch {
          counts.errorCount++;
        }
      }
      for (let i = 0; i < items.length; i += IMPORT_BATCH) {
        const batch = items.slice(i, i + IMPORT_BATCH);
        await transact(this.db.store, (txn) => applyItemWrites(txn, batch.map((item) => ({ table, key: extractKey(item, table.schema), mutate: blindMutation(() => item) }))));
      }
      counts.importedItemCount += items.length;
    }
    const endTime = this.db.clock.now();
    await transact(this.db.store, (txn) => writeImport(txn, { ...record, ...counts, status: 'COMPLETED', endTime, ...(failure ? { failureMessage: failure } : {}) }));
    await this.db.updateTable(catalogName(record.namespace ?? '', record.tableName), (meta) => ({ ...meta, status: 'ACTIVE', settlesAt: 0 }));
  }
}

function fullLines(snap: Parameters<typeof itemsAt>[0], record: ExportRecord): { lines: string[]; billed: number } {
  const lines: string[] = [];
  let billed = 0;
  for (const stored of itemsAt(snap, record.tableNo, record.baseNo, record.exportTime).values()) {
    billed += stored.readUInt32BE(0);
    lines.push(itemLine(record, stored));
  }
  return { lines, billed };
}

function itemLine(record: ExportRecord, stored: Buffer): string {
  const json = stored.toString('utf8', 4);
  return record.format === 'ION' ? ionItemLine(JSON.parse(json) as Item) : `{"Item":${json}}`;
}

/** INCREMENTAL: one line per item changed in (from, to], with its keys and new (and old) image. */
function incrementalLines(snap: Parameters<typeof itemsAt>[0], record: ExportRecord): { lines: string[]; billed: number } {
  const { from, to, viewType } = record.incremental!;
  const changes = changesBetween(snap, record.tableNo, record.baseNo, from, to);
  const before = viewType === 'NEW_AND_OLD_IMAGES' ? itemsAt(snap, record.tableNo, record.baseNo, from) : undefined;
  const lines: string[] = [];
  let billed = 0;
  for (const [suffix, { time, stored: next, keys: changedKeys }] of changes) {
    const old = before?.get(suffix);
    const keys = Object.fromEntries(record.keyNames.filter((k) => changedKeys[k] !== undefined).map((k) => [k, changedKeys[k]]));
    billed += (next?.readUInt32BE(0) ?? 0) + (old?.readUInt32BE(0) ?? 0);
    const entry: Record<string, unknown> = { Metadata: { WriteTimeMicros: String(time * 1000) }, Keys: keys };
    if (next !== undefined) entry.NewImage = JSON.parse(next.toString('utf8', 4));
    if (old !== undefined) entry.OldImage = JSON.parse(old.toString('utf8', 4));
    lines.push(JSON.stringify(entry));
  }
  return { lines, billed };
}

/**
 * Whether a namespace sees a transfer: its own; by ARN, also another account's under
 * authentication (authorization decides). Lists show only the namespace's own.
 */
function visibleFrom(namespace: Namespace | undefined, record: { namespace?: string }, listing = false): boolean {
  if (namespace === undefined) return true;
  return (record.namespace ?? '') === namespace.key || (!listing && namespace.crossAccount === true);
}

/**
 * The engine's entry point: the table catalog (persisted in the key space, cached by
 * catalogCache.ts) and item reads and writes, each write one storage transaction.
 */
import { randomUUID } from 'node:crypto';
import { Clock } from './clock.js';
import { type KVStore, type ReadOps, type WriteOps } from '../storage/kv.js';
import { createLogger, type Logger } from '../logger.js';
import { resourceInUse, resourceNotFound } from '../errors.js';
import type { Item } from '../values/types.js';
import { catalogKey, counterKey, itemKey, LAYOUT_MAX_KEY_BYTES } from './keyspace.js';
import { adjustStats, readStats } from './stats.js';
import { keySchemaInfo, type TableMeta } from './tableMeta.js';
import { decodeStoredItem, storedItemSize } from './storedItem.js';
import { indexInfos, type IndexInfo } from './indexes/indexInfo.js';
import { ITEM_COLLECTION_LIMIT_BYTES, type IndexedTable } from './indexes/maintain.js';
import { readCatalogEntry, writeCatalogEntry } from './catalogEntries.js';
import { bumpCatalogVersion } from './catalogVersion.js';
import { CatalogCache, readStoredCatalog } from './catalogCache.js';
import { transact } from './transact.js';
import { JobRunner } from './jobs/runner.js';
import type { JobView } from './jobs/jobRecord.js';
import { indexJobs, registerTableJobs, tableDeleteJob, tablePurgeJob } from './jobs/tableJobs.js';
import { upkeepJobs } from './jobs/upkeepJobs.js';
import { ReadFacade } from './readFacade.js';
import { catalogNameOfArn, isArn } from './tableArn.js';
import { accountRegionKey, catalogName, catalogNameOf, type Namespace } from './namespace.js';
import { applyItemWrite, applyItemWrites, StatsDeltas, type ItemTransaction, type ItemWrite, type Mutation, type WriteResult } from './itemWrite.js';
import { changeLogObserver } from './changelog/observer.js';
import type { MaybePromise } from './maybePromise.js';
import { applyLogChange, logLabel } from './changelog/lifecycle.js';
import { Backups } from './backups/backups.js';
import { PointInTimeRecovery } from './backups/pitr.js';
import { S3Directory } from './transfers/s3Directory.js';
import { Transfers } from './transfers/transfers.js';
import type { NewJob } from './jobs/runner.js';
import type { DescribedStats, Table, TableSpec, WriteObserver } from './table.js';
import type { EngineCore } from './engineCore.js';

export interface DatabaseOptions {
  region: string;
  accountId: string;
  /** Hold CREATING / UPDATING / DELETING for a while, as DynamoDB does. */
  delayTransientStatuses: boolean;
  /** The item-collection size limit of tables with LSIs (DynamoDB: 10 GB); lowered by tests. */
  itemCollectionLimitBytes?: number;
  /**
   * Other processes (a `--workers` cluster) serve the same store: catalog reads and
   * item writes first check the catalog version and reload a catalog another
   * process changed. Off for a single process, which skips the check entirely.
   */
  shared?: boolean;
  /**
   * Look for background jobs a restart cut short as soon as the database opens (default
   * true); otherwise the job runner first looks after one poll interval. In a cluster,
   * the first worker and restarted ones do.
   */
  resumeJobs?: boolean;
  /** Where background-job failures are logged (default: warnings and errors to stderr). */
  logger?: Logger;
  /** The job runner's lease and poll timing (tests shorten them). */
  jobTiming?: { leaseMs?: number; pollMs?: number };
  /** The source of time for everything time-based (default: the system clock). */
  clock?: Clock;
  /** The directory standing for S3 in exports and imports (default: a temporary directory, made when first needed). */
  s3Root?: string;
}

/** How long transient statuses last with delayTransientStatuses (DynamoDB takes seconds). */
const TRANSIENT_MS = 500;

/** Table names remembered per namespace with their catalog names (catalogNameIn). */
const MAX_REMEMBERED_NAMES = 1000;

export class Database extends ReadFacade implements EngineCore {
  /** Every namespace's tables, by catalog name (namespace.ts). */
  private readonly tables: CatalogCache;
  private readonly catalogNames = new WeakMap<Namespace, Map<string, string>>();
  /** The shared namespace: requests that name none, and background jobs (which use catalog names). */
  readonly defaultNamespace: Namespace;

  /** Time as this database sees it: test controls set or advance it. */
  readonly clock: Clock;
  /** Runs every background task: index builds and drops, table purges, delayed deletions, upkeep (TTL, streams); other kinds register here. */
  readonly jobs: JobRunner;
  private readonly logChange: WriteObserver;
  /** On-demand backups and restores from them. */
  readonly backups: Backups;
  /** Point-in-time recovery: history, windows and restores. */
  readonly pitr: PointInTimeRecovery;
  /** Exports to and imports from the S3-like directory. */
  readonly transfers: Transfers;
  private readonly s3: S3Directory;

  /** Any KVStore; reads go through the read facade (readFacade.ts). */
  private constructor(store: KVStore, readonly options: DatabaseOptions) {
    super(store);
    this.defaultNamespace = { key: '', region: options.region, accountId: options.accountId };
    this.tables = new CatalogCache({
      store,
      local: this.local,
      shared: options.shared === true,
      delayTransientStatuses: options.delayTransientStatuses,
      tableOf: (meta) => this.tableOf(meta),
    });
    this.clock = options.clock ?? new Clock();
    this.jobs = new JobRunner({ store, clock: this.clock, logger: options.logger ?? createLogger('warn'), ...options.jobTiming });
    this.logChange = changeLogObserver(() => this.clock.now());
    registerTableJobs(this.jobs, {
      backfillTarget: (txn, name, tableId, indexNo) => this.backfillTarget(txn, name, tableId, indexNo),
      isLive: (name, tableId) => this.liveTable(name, tableId) !== undefined,
      indexMeta: (name, tableId, indexNo) => this.liveTable(name, tableId)?.meta.indexes?.find((i) => i.no === indexNo),
      updateTable: (name, mutate) => this.updateTable(name, mutate),
      transact: (fn) => transact(this.store, fn),
      finishDelete: (name, tableId) => this.finishDelete(name, tableId),
    });
    this.backups = new Backups(this);
    this.pitr = new PointInTimeRecovery(this, this.backups);
    this.s3 = new S3Directory(options.s3Root);
    this.transfers = new Transfers(this, () => this.s3.path());
  }

  static async open(store: KVStore, options: DatabaseOptions): Promise<Database> {
    if (store.maxKeyBytes < LAYOUT_MAX_KEY_BYTES) {
      throw new Error(`The storage engine accepts keys of up to ${store.maxKeyBytes} bytes; OpenDDB needs ${LAYOUT_MAX_KEY_BYTES}`);
    }
    const db = new Database(store, options);
    const catalog = await readStoredCatalog(store);
    db.tables.load(catalog);
    const interrupted = catalog.metas.filter((meta) => meta.status === 'DELETING');
    const resume = options.resumeJobs !== false;
    if (resume) {
      // A deletion cut short by a restart is finished now (its keys are purged in the background).
      for (const meta of interrupted) await db.finishDelete(catalogNameOf(meta), meta.id);
      // Index builds and drops cut short, and upkeep: their jobs exist, unless the data predates them.
      await transact(store, (txn) => {
        for (const { meta } of db.tables.values()) db.enqueueTableJobs(txn, meta);
      });
    }
    db.jobs.start(resume);
    return db;
  }

  /**
   * After the store's whole contents were swapped (a test reset or snapshot restore):
   * the catalog is read again from what the store now holds, and due jobs are looked for.
   */
  async reloadCatalog(): Promise<void> {
    this.tables.load(await readStoredCatalog(this.store));
    this.jobs.wake();
  }

  /** The background jobs in the store (every process's), or those of one table: status, progress, last error. */
  listJobs(tableName?: string, namespace?: Namespace): Promise<JobView[]> {
    if (tableName === undefined) return this.jobs.list();
    const table = this.findTable(tableName, namespace);
    return table === undefined ? Promise.resolve([]) : this.jobs.list(table.meta.id);
  }

  /** Stops the background jobs (running ones reach a batch boundary first); call before closing the store. */
  async close(): Promise<void> {
    await this.jobs.stop();
    this.s3.removeTemporary();
  }

  /** The ARN of table `name` in a namespace (default: the shared one). */
  arnFor(name: string, namespace: Namespace = this.defaultNamespace): string {
    return `arn:aws:dynamodb:${namespace.region}:${namespace.accountId}:table/${name}`;
  }

  /**
   * The table a TableName member names (its name or its ARN) in a namespace, or
   * ResourceNotFoundException with DynamoDB's item-operation message. Background jobs
   * pass catalog names and no namespace.
   */
  table(reference: string, namespace?: Namespace): Table {
    const table = this.findTable(reference, namespace);
    if (!table) throw resourceNotFound();
    return table;
  }

  /**
   * The table a name or ARN refers to in a namespace, or undefined (a malformed or foreign
   * ARN throws). Without a namespace, `reference` is a catalog name (background jobs).
   */
  findTable(reference: string, namespace?: Namespace): Table | undefined {
    this.tables.syncIfShared();
    // Most requests name the table: the ARN parse (and its closure) only for an ARN.
    const table = isArn(reference) ? this.tableOfArn(reference, namespace ?? this.defaultNamespace)
      : namespace === undefined ? this.tables.get(reference)
      // A table name never contains '/': one that does must not reach into another namespace.
      : reference.includes('/') ? undefined : this.tables.get(this.catalogNameIn(namespace, reference));
    if (table) this.settle(table.meta);
    return table;
  }

  /**
   * The table a catalog name names as `ops` sees the catalog. A background job may run
   * between a commit that creates its table and this process caching that table (a job
   * runner already polling sees the commit first), so jobs that fill a new table ask the
   * transaction they run in, not only the cache.
   */
  tableInCatalog(ops: ReadOps, name: string): Table | undefined {
    const meta = readCatalogEntry(ops, name);
    if (meta === undefined) return undefined;
    const cached = this.findTable(name);
    return cached?.meta.id === meta.id ? cached : this.tableOf(meta);
  }

  /**
   * `catalogName` remembered per namespace: concatenating (and hashing) the name anew on
   * every lookup cost ten times the lookup. Bounded: names come from requests.
   */
  private catalogNameIn(namespace: Namespace, name: string): string {
    if (namespace.key === '') return name;
    let names = this.catalogNames.get(namespace);
    if (names === undefined) this.catalogNames.set(namespace, (names = new Map()));
    let full = names.get(name);
    if (full === undefined) {
      if (names.size >= MAX_REMEMBERED_NAMES) names.clear();
      full = catalogName(namespace.key, name);
      names.set(name, full);
    }
    return full;
  }

  private tableOfArn(arn: string, namespace: Namespace): Table | undefined {
    const found = this.tables.get(catalogNameOfArn(arn, namespace, (account, region) => accountRegionKey(account, region, this.defaultNamespace)));
    if (found !== undefined || !namespace.crossAccount) return found;
    // A table created under authentication before namespaces existed: in the default namespace, with its creator's ARN.
    const legacy = this.tables.get(arn.slice(arn.indexOf(':table/') + 7));
    return legacy?.meta.arn === arn && legacy.meta.namespace === undefined ? legacy : undefined;
  }

  /** The names of a namespace's tables, sorted; without a namespace, every table's catalog name. */
  tableNames(namespace?: Namespace): string[] {
    this.tables.syncIfShared();
    if (namespace === undefined) return [...this.tables.names()].sort();
    const names: string[] = [];
    for (const { meta } of this.tables.values()) if ((meta.namespace ?? '') === namespace.key) names.push(meta.name);
    return names.sort();
  }

  /**
   * Over a networked store shared with other nodes: brings the cached catalog up to date
   * before a request (catalogCache.ts). Nothing to do otherwise.
   */
  refreshCatalog(): MaybePromise<void> {
    return this.tables.refresh();
  }

  /**
   * Over a networked store shared with other nodes: a read can check the catalog itself
   * (getStoredItem's `checkCatalog`), so a request that retries on CatalogStale may skip
   * `refreshCatalog` before it.
   */
  get catalogCheckedInReads(): boolean {
    return this.tables.sharedOverNetwork;
  }

  protected override assertCatalogCurrent(ops: ReadOps): void {
    this.tables.assertCurrentIn(ops);
  }

  private tableOf(meta: TableMeta): Table {
    const schema = keySchemaInfo(meta);
    const indexes: IndexInfo[] = indexInfos(meta, schema);
    const indexing: IndexedTable = {
      tableId: meta.id,
      indexes,
      hasLsi: indexes.some((i) => i.meta.kind === 'LSI'),
      collectionLimitBytes: this.options.itemCollectionLimitBytes ?? ITEM_COLLECTION_LIMIT_BYTES,
    };
    const observers: WriteObserver[] = logLabel(meta) !== undefined ? [this.logChange] : [];
    const saveForBackups = Backups.observerFor(meta);
    if (saveForBackups !== undefined) observers.push(saveForBackups);
    return { meta, schema, indexing, observers };
  }

  /** Records the jobs the table calls for — index builds and drops, upkeep — in `txn`, with the change that calls for them. */
  private enqueueTableJobs(txn: WriteOps, meta: TableMeta): void {
    for (const job of [...indexJobs(meta), ...upkeepJobs(meta)]) this.jobs.enqueue(txn, job);
  }

  /** A transient status (CREATING, UPDATING) whose time is up becomes ACTIVE. */
  private settle(meta: TableMeta): void {
    if (meta.settlesAt !== 0 && meta.status !== 'DELETING' && this.clock.now() >= meta.settlesAt) {
      meta.status = 'ACTIVE';
      meta.settlesAt = 0;
    }
  }

  /** The live table if it is still the one with this id. */
  private liveTable(name: string, tableId: number): Table | undefined {
    this.tables.syncIfShared();
    const table = this.tables.get(name);
    return table?.meta.id === tableId && table.meta.status !== 'DELETING' ? table : undefined;
  }

  /**
   * Inside a backfill batch's transaction: the index to fill, if the table is still the
   * live one and the index still needs it (another process may have dropped either).
   */
  private backfillTarget(txn: ReadOps, name: string, tableId: number, indexNo: number): IndexInfo | undefined {
    if (this.options.shared) this.tables.sync(txn);
    const table = this.tables.get(name);
    const live = table?.meta.id === tableId && table.meta.status !== 'DELETING';
    const index = live ? table.indexing.indexes.find((i) => i.no === indexNo) : undefined;
    return index?.meta.backfilling === true ? index : undefined;
  }

  /**
   * Creates a table in a namespace (default: the shared one). `holdCreating` keeps it
   * CREATING until a job recorded with it (`jobs`, in the same transaction) makes it
   * ACTIVE: a restore.
   */
  async createTable(
    spec: TableSpec,
    options: { namespace?: Namespace; holdCreating?: boolean; jobs?: (meta: TableMeta) => NewJob[] } = {},
  ): Promise<TableMeta> {
    const namespace = options.namespace ?? this.defaultNamespace;
    const arn = this.arnFor(spec.name, namespace);
    const now = this.clock.now();
    const delay = this.options.delayTransientStatuses;
    const meta = await transact(this.store, (txn) => {
      const name = catalogName(namespace.key, spec.name);
      if (txn.get(catalogKey(name)) !== undefined) throw resourceInUse(`Table already exists: ${spec.name}`);
      const counter = counterKey('table-id');
      const id = (txn.get(counter)?.readUInt32BE(0) ?? 0) + 1;
      const idBuf = Buffer.allocUnsafe(4);
      idBuf.writeUInt32BE(id, 0);
      txn.put(counter, idBuf);
      const created: TableMeta = {
        ...spec,
        ...(namespace.key === '' ? {} : { namespace: namespace.key }),
        id,
        tableId: randomUUID(),
        arn,
        createdAt: now,
        status: delay || options.holdCreating ? 'CREATING' : 'ACTIVE',
        settlesAt: delay && !options.holdCreating ? now + TRANSIENT_MS : 0,
      };
      writeCatalogEntry(txn, name, created);
      for (const job of options.jobs?.(created) ?? []) this.jobs.enqueue(txn, job);
      applyLogChange(txn, undefined, created, now);
      bumpCatalogVersion(txn);
      this.enqueueTableJobs(txn, created);
      return created;
    });
    this.tables.set(catalogNameOf(meta), this.tables.installed(meta));
    this.jobs.wake();
    return meta;
  }

  /** Rewrites a table's catalog entry; `mutate` returns the new entry (validation may throw). */
  async updateTable(name: string, mutate: (meta: TableMeta) => TableMeta, transient = false): Promise<TableMeta> {
    if (this.options.shared) return this.updateSharedTable(name, mutate, transient);
    const current = this.table(name).meta;
    const next = this.nextMeta(current, mutate, transient);
    // The in-memory catalog changes as the write is queued, so writes queued after it
    // already maintain a new index, and concurrent catalog changes build on each other.
    const committed = transact(this.store, (txn) => {
      writeCatalogEntry(txn, name, next);
      applyLogChange(txn, current, next, this.clock.now());
      bumpCatalogVersion(txn);
      this.enqueueTableJobs(txn, next);
    });
    this.tables.set(name, this.tableOf(next));
    await committed;
    this.jobs.wake();
    return next;
  }

  /** The catalog entry `mutate` makes of a copy of `current`, held UPDATING for a while if asked. */
  private nextMeta(current: TableMeta, mutate: (meta: TableMeta) => TableMeta, transient: boolean): TableMeta {
    const next = mutate(structuredClone(current));
    if (transient && this.options.delayTransientStatuses) {
      next.status = 'UPDATING';
      next.settlesAt = this.clock.now() + TRANSIENT_MS;
    }
    return next;
  }

  /** updateTable when other processes may change the catalog too: read, change and write in one transaction. */
  private async updateSharedTable(name: string, mutate: (meta: TableMeta) => TableMeta, transient: boolean): Promise<TableMeta> {
    this.table(name);
    const next = await transact(this.store, (txn) => {
      this.tables.sync(txn);
      const current = this.tables.get(name);
      if (current === undefined) throw resourceNotFound();
      this.settle(current.meta);
      const next = this.nextMeta(current.meta, mutate, transient);
      writeCatalogEntry(txn, name, next);
      applyLogChange(txn, current.meta, next, this.clock.now());
      bumpCatalogVersion(txn);
      this.enqueueTableJobs(txn, next);
      return next;
    });
    if (this.tables.get(name)?.meta.id === next.id) this.tables.set(name, this.tables.installed(next));
    this.jobs.wake();
    return next;
  }

  /**
   * Marks the table DELETING and removes it from the catalog (at once, or after a delay
   * if asked, as a job); its keys are purged in the background. Returns the DELETING entry.
   */
  async deleteTable(name: string): Promise<TableMeta> {
    const current = this.table(name).meta;
    // The copy walk of a backup being taken reads the table's items.
    if (current.snapshotCopies?.length) throw resourceInUse(`Table is being backed up: ${current.arn}`);
    const meta = { ...current, status: 'DELETING' as const, settlesAt: 0 };
    const delay = this.options.delayTransientStatuses;
    const removeAt = this.clock.now() + TRANSIENT_MS;
    await transact(this.store, (txn) => {
      writeCatalogEntry(txn, name, meta);
      bumpCatalogVersion(txn);
      this.pitr.dropWithTable(txn, meta);
      if (delay) this.jobs.enqueue(txn, tableDeleteJob(meta, removeAt));
    });
    if (delay) {
      this.tables.set(name, this.tableOf(meta));
      this.jobs.wake();
    } else {
      this.tables.delete(name);
      await this.finishDelete(name, meta.id);
    }
    return meta;
  }

  /** Removes a DELETING table from the catalog and records the purge of its keys. */
  private async finishDelete(name: string, tableId: number): Promise<void> {
    await transact(this.store, (txn) => {
      // Another process may have finished this deletion and a new table taken the name.
      if (readCatalogEntry(txn, name)?.id !== tableId) return;
      txn.delete(catalogKey(name));
      bumpCatalogVersion(txn);
      const stats = readStats(txn, tableId);
      adjustStats(txn, tableId, -stats.itemCount, -stats.sizeBytes);
      this.jobs.enqueue(txn, tablePurgeJob(tableId));
    });
    if (this.tables.get(name)?.meta.id === tableId) this.tables.delete(name);
    this.jobs.wake();
  }

  /**
   * Reads the item at `key`, lets `mutate` decide its next state (an item to store,
   * or undefined to delete; it may throw to abort), and commits — one transaction.
   */
  writeItem(table: Table, key: Item, mutate: Mutation): Promise<WriteResult> {
    return this.writeItems([{ table, key, mutate }]).then(onlyResult);
  }

  /** Several item writes (possibly across tables) as one all-or-nothing transaction. */
  writeItems(writes: ItemWrite[]): Promise<WriteResult[]> {
    if (!this.options.shared) return transact(this.store, (txn) => applyItemWrites(txn, writes));
    return transact(this.store, (txn) => {
      this.tables.assertCurrent(txn, writes.map((w) => w.table));
      return applyItemWrites(txn, writes);
    });
  }

  /**
   * One storage transaction with item-level reads and writes, for operations that must
   * read several items before deciding any write (TransactWriteItems). `fn` is synchronous;
   * throwing aborts everything.
   */
  transactItems<T>(fn: (txn: ItemTransaction) => T): Promise<T> {
    return transact(this.store, (kv) => this.withItems(kv, fn));
  }

  /** Item-level reads and writes inside a storage transaction someone else runs (a background job's batch). */
  withItems<T>(kv: WriteOps, fn: (txn: ItemTransaction) => T): T {
    const shared = this.options.shared === true;
    if (shared) this.tables.sync(kv);
    const stats = new StatsDeltas();
    const result = fn({
      kv,
      read: (table, key) => {
        const stored = kv.get(itemKey(table.meta.id, table.schema, key));
        return stored === undefined ? undefined : { item: decodeStoredItem(stored), size: storedItemSize(stored) };
      },
      write: (write) => {
        if (shared) this.tables.assertCurrent(kv, [write.table]);
        return applyItemWrite(kv, write, stats);
      },
    });
    stats.flush(kv);
    return result;
  }
}

function onlyResult(results: WriteResult[]): WriteResult {
  return results[0]!;
}


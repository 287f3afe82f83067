/**
 * `--workers N`: a primary process holds the data directory's lock and runs N
 * worker processes (node:cluster) that share the listening port and open the same
 * LMDB store, which is safe for several processes. Over PostgreSQL there is no lock:
 * every worker is a node of its own over the shared database. The primary serves nothing: it
 * starts workers, restarts one that dies, and stops them all on SIGINT / SIGTERM.
 */
import cluster, { type Worker } from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { DataDirLock } from '../storage/dataDirLock.js';
import { DEFAULT_SHUTDOWN_TIMEOUT_MS } from '../server/drain.js';
import { createLogger } from '../logger.js';
import type { CliConfig } from './args.js';
import { WORKER_ENV, type WorkerMessage } from './worker.js';
import { forwardHangupToWorkers } from './hangup.js';
import { startupBanner } from './banner.js';

/**
 * Beyond their own drain deadline (--shutdown-timeout), how long workers get to close
 * their stores and exit before they are killed. Their drain is bounded, so this is a
 * last resort.
 */
const STOP_MARGIN_MS = 10_000;
/** A worker dying sooner than this after its start is restarted only after this long. */
const RESTART_BACKOFF_MS = 1_000;

export async function runPrimary(config: CliConfig): Promise<void> {
  const logger = createLogger(config.logLevel ?? 'info');
  const dataDir = config.dataDir;
  const lockToken = randomBytes(16).toString('hex');
  // Over PostgreSQL there is no directory to lock: each worker is a node with its own pool.
  let lock: { release(): void } = { release() {} };
  try {
    if (dataDir !== undefined) {
      mkdirSync(dataDir, { recursive: true });
      lock = DataDirLock.acquire(dataDir, lockToken);
    }
  } catch (err) {
    process.stderr.write(`openddb: ${(err as Error).message}\n`);
    process.exit(1);
  }

  const startedAt = new Map<Worker, number>();
  let stopping = false;

  /** Forks a worker and resolves with its URL once it listens (rejects if it dies first). */
  const fork = (resumeJobs: boolean): Promise<{ url: string; pid: number | undefined }> => {
    const worker = cluster.fork({ [WORKER_ENV.lockToken]: lockToken, [WORKER_ENV.resumeJobs]: resumeJobs ? '1' : '0' });
    startedAt.set(worker, Date.now());
    return new Promise((resolve, reject) => {
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'listening') resolve({ url: message.url, pid: worker.process.pid });
        else if (message.type === 'failed') reject(new Error(message.error));
      });
      worker.once('exit', (code, signal) => {
        reject(new Error(`worker exited during start (${signal ?? `code ${code}`})`));
        onExit(worker, code, signal);
      });
    });
  };

  const onExit = (worker: Worker, code: number | null, signal: string | null) => {
    const started = startedAt.get(worker) ?? 0;
    startedAt.delete(worker);
    if (stopping) return;
    logger.error(`worker pid ${worker.process.pid} died (${signal ?? `exit code ${code}`}); starting a new one`);
    // The dead worker may have been running an index build or table purge: the new one resumes it.
    const restart = () => {
      if (stopping) return;
      fork(true).then(
        ({ pid }) => logger.info(`new worker pid ${pid} is serving`),
        (err: Error) => logger.error(`restarting a worker failed: ${err.message}`),
      );
    };
    if (Date.now() - started < RESTART_BACKOFF_MS) setTimeout(restart, RESTART_BACKOFF_MS).unref();
    else restart();
  };

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`OpenDDB stopping (${signal})\n`);
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
    const exited = workers.map((w) => new Promise<void>((resolve) => (w.isDead() ? resolve() : w.once('exit', () => resolve()))));
    let forced = false;
    const kill = setTimeout(() => {
      forced = true;
      logger.error('workers did not stop in time; killing them');
      for (const w of workers) w.process.kill('SIGKILL');
    }, (config.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS) + STOP_MARGIN_MS);
    for (const w of workers) if (w.isConnected()) w.send({ type: 'stop' } satisfies WorkerMessage);
    await Promise.all(exited);
    clearTimeout(kill);
    lock.release();
    process.exit(forced ? 1 : 0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  forwardHangupToWorkers();

  try {
    // The first worker creates the store and finishes jobs a restart cut short before the others open it.
    const { url } = await fork(true);
    await Promise.all(Array.from({ length: config.workers - 1 }, () => fork(false)));
    process.stdout.write(startupBanner(config, { url }));
  } catch (err) {
    if (stopping) return; // a signal came during the start: `stop` finishes the job
    process.stderr.write(`openddb: ${(err as Error).message}\n`);
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGKILL');
    lock.release();
    process.exit(1);
  }
}

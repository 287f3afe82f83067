/**
 * One worker process of a `--workers` cluster (see cluster.ts): serves on the
 * shared port and stops when the primary says so — or when the primary is gone,
 * since without it nothing holds the data directory's lock.
 */
import type { CliConfig } from './args.js';
import { reloadAuthOnHangup } from './hangup.js';
import { loadServerModule } from './serverModule.js';

/** Environment variables through which the primary briefs its workers. */
export const WORKER_ENV = {
  lockToken: 'OPENDDB_WORKER_LOCK_TOKEN',
  resumeJobs: 'OPENDDB_WORKER_RESUME_JOBS',
} as const;

export type WorkerMessage =
  | { type: 'listening'; url: string }
  | { type: 'failed'; error: string }
  | { type: 'stop' };

export async function runWorker(config: CliConfig): Promise<void> {
  // Terminal and service-manager signals reach the whole process group: the primary coordinates the stop.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => undefined);
  const send = (message: WorkerMessage) => process.send?.(message);
  // Listen before starting: a stop may arrive while the store is still opening.
  let stopRequested = false;
  let stop = () => void (stopRequested = true);
  process.on('message', (message: WorkerMessage) => {
    if (message.type === 'stop') stop();
  });
  process.on('disconnect', () => stop());
  let server;
  try {
    // Loaded here, not at the top: the primary imports this module for WORKER_ENV only.
    const { startServer } = await loadServerModule();
    server = await startServer({
      ...config,
      worker: { lockToken: process.env[WORKER_ENV.lockToken] ?? '', resumeJobs: process.env[WORKER_ENV.resumeJobs] === '1' },
    });
  } catch (err) {
    send({ type: 'failed', error: (err as Error).message });
    process.exit(1);
  }
  const running = server;
  reloadAuthOnHangup(running);
  let stopping = false;
  stop = () => {
    if (stopping) return;
    stopping = true;
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  if (stopRequested) return stop();
  send({ type: 'listening', url: server.url });
}

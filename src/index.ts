/**
 * OpenDDB as a library: `startServer()` for test suites and embedding, `startInProcess()`
 * for a database without a socket.
 *   const { url, close } = await startServer();           // in-memory, random port
 *   const { url } = await startServer({ port: 8000, dataDir: './data' });
 */
export { startServer, ACCOUNT_ID, DEFAULT_SHUTDOWN_TIMEOUT_MS, type ServerOptions, type RunningServer, type WorkerRole } from './startServer.js';
export { startInProcess, type InProcessDatabase } from './inProcess.js';
export type { TriggerConfig } from './triggers/config.js';
export type { InProcessHandler } from './server/sdkHandler.js';
export type { FaultRule, FaultInjector } from './server/faults.js';
export { Clock } from './engine/clock.js';
export type { Durability } from './storage/lmdb.js';
export type { JobView } from './engine/jobs/jobRecord.js';
export { requiredReadCapacity, requiredWriteCapacity, type ReadWorkload, type WriteWorkload } from './engine/capacity/planning.js';

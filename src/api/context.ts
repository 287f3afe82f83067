/** What every operation handler receives. */
import type { Database } from '../engine/database.js';
import type { Metrics } from '../engine/metrics.js';
import type { ThrottleGate } from '../engine/capacity/throttleGate.js';
import type { Caller } from './authorization/caller.js';
import type { Namespace } from '../engine/namespace.js';

export interface ApiContext {
  db: Database;
  /** host:port clients reach this server at (DescribeEndpoints). */
  endpointAddress: string;
  metrics: Metrics;
  /** Opt-in throttling; admits requests and takes what they consumed. */
  throttle: ThrottleGate;
  /** Under authentication: who sent this request. */
  caller?: Caller;
  /** The request's namespace of tables (the server's shared default one unless the request names another). */
  namespace: Namespace;
}

/**
 * An operation: takes the shape-validated request body (and, when served over HTTP, its
 * text as sent); returns its typed result (results.ts), which render.ts turns into JSON.
 */
export type Operation<R extends object = object> = (ctx: ApiContext, input: Record<string, any>, text?: Buffer) => Promise<R> | R;

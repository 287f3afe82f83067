/**
 * What each test control does, transport aside: JSON in, JSON out, under /openddb/.
 *   POST   /openddb/reset                       -> {}
 *   POST   /openddb/snapshot                    -> {"id": "..."}
 *   POST   /openddb/restore  {"id": "..."}      -> {}
 *   GET    /openddb/faults                      -> {"faults": [...]}
 *   POST   /openddb/faults   {rule} | {"faults": [rule...]} -> {"faults": [...]}
 *   DELETE /openddb/faults                      -> {"faults": []}
 *   GET    /openddb/clock                       -> {"now": ms, "iso": "..."}
 *   POST   /openddb/clock    {"set": ms|ISO, "freeze"?: bool} | {"advance": ms} | {"reset": true} -> {"now": ms, "iso": "..."}
 *   POST   /openddb/ttl/sweep        {"table": "T"} -> {"deleted": n}
 *   POST   /openddb/streams/rollover {"table": "T"} -> {"rolled": true|false}
 * Each route names the IAM action (`openddb:<Action>`) a caller needs under `--auth`.
 */
import { DynamoError } from '../errors.js';
import type { Clock } from '../engine/clock.js';
import { CopiesUnavailableError, UnknownSnapshotError } from '../engine/databaseCopies.js';
import { FaultRuleError, type FaultInjector } from './faults.js';

export const CONTROLS_PREFIX = '/openddb/';

/** What the controls act on: the running database, its clock and the fault rules. */
export interface Controls {
  clock: Clock;
  faults: FaultInjector;
  reset(): Promise<void>;
  snapshot(): Promise<string>;
  restore(id: string): Promise<void>;
  sweepTtl(table: string): Promise<number>;
  rollStreamShards(table: string): Promise<boolean>;
}

export interface ControlAnswer {
  status: number;
  json: unknown;
}

interface Route {
  /** The IAM action, without its `openddb:` prefix. */
  action: string;
  run(controls: Controls, body: Record<string, unknown>): Promise<unknown> | unknown;
}

/** A control request that cannot be carried out: its status and message. */
export class ControlError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

const ROUTES: Record<string, Route> = {
  'POST reset': { action: 'Reset', run: async (c) => (await c.reset(), {}) },
  'POST snapshot': { action: 'Snapshot', run: async (c) => ({ id: await c.snapshot() }) },
  'POST restore': {
    action: 'Restore',
    run: async (c, body) => {
      if (typeof body.id !== 'string' || body.id === '') throw new ControlError(400, 'expected {"id": "<the id a snapshot returned>"}');
      await c.restore(body.id);
      return {};
    },
  },
  'GET faults': { action: 'GetFaults', run: (c) => ({ faults: c.faults.list() }) },
  'POST faults': {
    action: 'PutFaults',
    run: (c, body) => {
      for (const rule of Array.isArray(body.faults) ? body.faults : [body]) c.faults.add(rule);
      return { faults: c.faults.list() };
    },
  },
  'DELETE faults': { action: 'DeleteFaults', run: (c) => (c.faults.clear(), { faults: [] }) },
  'GET clock': { action: 'GetClock', run: (c) => clockView(c.clock) },
  'POST clock': { action: 'SetClock', run: (c, body) => (setClock(c.clock, body), clockView(c.clock)) },
  'POST ttl/sweep': { action: 'SweepTtl', run: async (c, body) => ({ deleted: await c.sweepTtl(tableOf(body)) }) },
  'POST streams/rollover': { action: 'RollStreamShards', run: async (c, body) => ({ rolled: await c.rollStreamShards(tableOf(body)) }) },
};

/** The route for a method and path (without the query string), or the 404/405 to answer. */
export function routeOf(method: string, path: string): Route | ControlError {
  const name = path.slice(CONTROLS_PREFIX.length).replace(/\/$/, '');
  const route = ROUTES[`${method} ${name}`];
  if (route !== undefined) return route;
  const known = Object.keys(ROUTES).some((key) => key.endsWith(` ${name}`));
  return known ? new ControlError(405, `${method} is not allowed on ${path}`) : new ControlError(404, `no test control ${method} ${path}`);
}

/** Runs a route on a request body (JSON text; empty means {}). */
export async function runRoute(controls: Controls, route: Route, bodyText: string): Promise<ControlAnswer> {
  try {
    return { status: 200, json: await route.run(controls, parseBody(bodyText)) };
  } catch (err) {
    if (err instanceof ControlError) return problem(err.status, err.message);
    if (err instanceof FaultRuleError) return problem(400, err.message);
    if (err instanceof UnknownSnapshotError) return problem(404, err.message);
    if (err instanceof CopiesUnavailableError) return problem(501, err.message);
    if (err instanceof DynamoError && err.status < 500) return problem(err.status, err.message, err.code);
    throw err;
  }
}

export function problem(status: number, message: string, code?: string): ControlAnswer {
  return { status, json: code === undefined ? { error: message } : { error: message, code } };
}

function parseBody(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ControlError(400, 'the body is not JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ControlError(400, 'the body must be a JSON object');
  return value as Record<string, unknown>;
}

function clockView(clock: Clock): { now: number; iso: string } {
  const now = clock.now();
  return { now, iso: new Date(now).toISOString() };
}

function setClock(clock: Clock, body: Record<string, unknown>): void {
  if (body.set !== undefined) clock.set(epochMs(body.set), body.freeze === true);
  else if (body.advance !== undefined) {
    if (typeof body.advance !== 'number' || !Number.isFinite(body.advance)) throw new ControlError(400, '"advance" must be a number of milliseconds');
    clock.advance(body.advance);
  } else if (body.reset === true) clock.reset();
  else throw new ControlError(400, 'expected {"set": ms or ISO 8601 date, "freeze"?: true}, {"advance": ms} or {"reset": true}');
}

function epochMs(value: unknown): number {
  const ms = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) throw new ControlError(400, '"set" must be epoch milliseconds or an ISO 8601 date');
  return ms;
}

function tableOf(body: Record<string, unknown>): string {
  if (typeof body.table !== 'string' || body.table === '') throw new ControlError(400, 'expected {"table": "<table name>"}');
  return body.table;
}

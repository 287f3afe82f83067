/**
 * Test controls outside DynamoDB's API, as JSON endpoints under /openddb/:
 *   POST /openddb/ttl/sweep        {"table": "T"}                 -> {"deleted": n}
 *   POST /openddb/streams/rollover {"table": "T"}                 -> {"rolled": true|false}
 *   GET  /openddb/clock                                           -> {"now": ms}
 *   POST /openddb/clock            {"set": ms, "freeze"?: bool} | {"advance": ms} | {"reset": true} -> {"now": ms}
 * Errors answer 400 (bad request) or 404 (unknown control) with {"error": "..."}.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../engine/clock.js';
import { readBody } from './body.js';

export interface Controls {
  clock: Clock;
  sweepTtl(table: string): Promise<number>;
  rollStreamShards(table: string): Promise<boolean>;
}

class ControlError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export function isControlRequest(req: IncomingMessage): boolean {
  return req.url?.startsWith('/openddb/') === true;
}

export async function handleControl(controls: Controls, req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
  let status = 200;
  let body: unknown;
  try {
    body = await runControl(controls, req);
  } catch (err) {
    if (!(err instanceof ControlError)) throw err;
    status = err.status;
    body = { error: err.message };
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'x-amzn-RequestId': requestId });
  res.end(text);
}

async function runControl(controls: Controls, req: IncomingMessage): Promise<unknown> {
  const path = req.url!.split('?')[0];
  if (req.method === 'GET' && path === '/openddb/clock') return { now: controls.clock.now() };
  if (req.method !== 'POST') throw new ControlError(404, `no control ${req.method} ${path}`);
  const input = await jsonBody(req);
  switch (path) {
    case '/openddb/ttl/sweep':
      return { deleted: await controls.sweepTtl(tableOf(input)) };
    case '/openddb/streams/rollover':
      return { rolled: await controls.rollStreamShards(tableOf(input)) };
    case '/openddb/clock':
      setClock(controls.clock, input);
      return { now: controls.clock.now() };
    default:
      throw new ControlError(404, `no control POST ${path}`);
  }
}

function setClock(clock: Clock, input: Record<string, unknown>): void {
  if (typeof input.set === 'number' && Number.isFinite(input.set)) clock.set(input.set, input.freeze === true);
  else if (typeof input.advance === 'number' && Number.isFinite(input.advance)) clock.advance(input.advance);
  else if (input.reset === true) clock.reset();
  else throw new ControlError(400, 'expected {"set": ms}, {"advance": ms} or {"reset": true}');
}

function tableOf(input: Record<string, unknown>): string {
  if (typeof input.table !== 'string' || input.table === '') throw new ControlError(400, 'expected {"table": "<table name>"}');
  return input.table;
}

async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = (await readBody(req)).toString('utf8');
  let value: unknown;
  try {
    value = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new ControlError(400, 'the body is not JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ControlError(400, 'the body must be a JSON object');
  return value as Record<string, unknown>;
}

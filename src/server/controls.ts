/**
 * The test controls over HTTP (routes in controlRoutes.ts), on the DynamoDB port or
 * alone on `--admin-port`. Under `--auth` a control answers only a SigV4-signed request
 * (service `dynamodb`) from a user whose policies allow `openddb:<Action>`, e.g.
 * `openddb:Reset` or `openddb:*`; a user without policies may do everything, as for
 * DynamoDB's own operations.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { DynamoError } from '../errors.js';
import { authorizeAction } from '../api/authorization/authorize.js';
import type { Logger } from '../logger.js';
import { BodyTooLargeError, readBody } from './body.js';
import { authenticate, type Authenticator } from './auth/authenticate.js';
import { ControlError, CONTROLS_PREFIX, problem, routeOf, runRoute, type ControlAnswer, type Controls } from './controlRoutes.js';
import { newRequestId } from './respond.js';

export type { Controls } from './controlRoutes.js';

export interface ControlOptions {
  controls: Controls;
  logger: Logger;
  /** `--auth`: callers must be authenticated and allowed the control's action. */
  auth?: Authenticator;
}

export function isControlRequest(req: IncomingMessage): boolean {
  return req.url?.startsWith(CONTROLS_PREFIX) === true;
}

export async function handleControl(options: ControlOptions, req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
  let answer: ControlAnswer;
  try {
    answer = await answerControl(options, req);
  } catch (err) {
    options.logger.error('test control failed', err);
    answer = problem(500, 'internal error');
  }
  const text = JSON.stringify(answer.json);
  res.writeHead(answer.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'x-amzn-RequestId': requestId });
  res.end(text);
}

async function answerControl(options: ControlOptions, req: IncomingMessage): Promise<ControlAnswer> {
  let raw: Buffer | undefined;
  let body: Buffer;
  try {
    body = await readBody(req, options.auth && ((bytes) => (raw = bytes)));
  } catch (err) {
    return err instanceof BodyTooLargeError ? problem(413, 'the body is too large') : problem(400, 'the body could not be read');
  }
  const route = routeOf(req.method ?? 'GET', (req.url ?? '/').split('?', 1)[0]!);
  if (options.auth !== undefined) {
    const caller = authenticate(options.auth, req, raw ?? body);
    if (caller instanceof DynamoError) return problem(403, caller.message, caller.code);
    if (route instanceof ControlError) return problem(route.status, route.message);
    try {
      authorizeAction(caller, `openddb:${route.action}`, options.auth.now());
    } catch (err) {
      if (err instanceof DynamoError) return problem(403, err.message, err.code);
      throw err;
    }
  }
  if (route instanceof ControlError) return problem(route.status, route.message);
  return runRoute(options.controls, route, body.toString('utf8'));
}

/** `--admin-port`: a server for the test controls alone, so they stay off the DynamoDB port. */
export function createControlsServer(options: ControlOptions): Server {
  return createServer((req, res) => {
    if (isControlRequest(req)) {
      void handleControl(options, req, res, newRequestId());
      return;
    }
    req.resume();
    const text = JSON.stringify({ error: 'this port serves the test controls under /openddb/ only' });
    res.writeHead(404, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  });
}

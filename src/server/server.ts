/**
 * The HTTP front: routes `POST /` by X-Amz-Target, frames JSON 1.0 / 1.1 requests and
 * responses, and turns every failure into DynamoDB's error envelope. Knows nothing
 * about tables or items: it hands (operation, body) to an `OperationHandler`. Also
 * the health check, /metrics, CORS, and the bounded drain that stops it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { DynamoError, internalError, serializationError, serviceError } from '../errors.js';
import { checkAuthorization } from './auth.js';
import { BodyEncodingError, BodyTooLargeError, readBody } from './body.js';
import { applyCors, applyPreflight, corsPolicy, type CorsPolicy } from './cors.js';
import { ConnectionDrain } from './drain.js';
import { responseStyle } from './negotiate.js';
import { parseRequestJson } from './requestJson.js';
import { countRequest } from './requestMetrics.js';
import { handleControl, isControlRequest, type Controls } from './controls.js';
import { DEFAULT_STYLE, errorBody, newRequestId, sendJson, sendJsonAtTurnEnd, type ResponseStyle } from './respond.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../engine/metrics.js';
import type { StaticRoute } from '../console/serve.js';

/**
 * Runs one operation on the parsed request body (`text`: the body as sent, after any
 * decompression); returns the response body as JSON text, or as its UTF-8 bytes.
 */
export type OperationHandler = (operation: string, body: Record<string, unknown>, text: Buffer) => Promise<string | Buffer> | string | Buffer;

export interface HttpOptions {
  handler: OperationHandler;
  knownOperations: ReadonlySet<string>;
  logger: Logger;
  /** `--cors`: undefined or `*` for every origin, a comma-separated allow-list, or `none`. */
  cors: string | undefined;
  metrics?: Metrics;
  /** Test controls under /openddb/ (see controls.ts). */
  controls?: Controls;
  /** The web console's files (GET /console...); absent when the console is off. */
  console?: StaticRoute;
}

export interface HttpFront {
  server: Server;
  /** Stops in bounded time: see ConnectionDrain. */
  drain: ConnectionDrain;
}

const TARGET_PREFIX = 'DynamoDB_20120810.';
const STREAMS_TARGET_PREFIX = 'DynamoDBStreams_20120810.';

/** DynamoDB's operations by name; the Streams API's by their full target (`DynamoDBStreams_20120810.GetRecords`). */
function operationOf(target: string | string[] | undefined): string | undefined {
  if (typeof target !== 'string') return undefined;
  if (target.startsWith(STREAMS_TARGET_PREFIX)) return target;
  return target.startsWith(TARGET_PREFIX) && !target.includes('.', TARGET_PREFIX.length) ? target.slice(TARGET_PREFIX.length) : undefined;
}

export function createHttpServer(options: HttpOptions): HttpFront {
  const cors = corsPolicy(options.cors);
  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    if (!drain.admit(req, res)) return;
    drain.handlerStarted();
    handleRequest(options, cors, req, res)
      .catch((err) => {
        options.logger.error('unhandled request failure', err);
        if (!res.headersSent) sendJson(res, 500, errorBody(internalError()), newRequestId());
      })
      .finally(() => drain.handlerEnded());
  });
  server.on('clientError', answerClientError);
  const drain = new ConnectionDrain(server);
  return { server, drain };
}

async function handleRequest(options: HttpOptions, cors: CorsPolicy | undefined, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = newRequestId();
  const corsAllowed = cors !== undefined && applyCors(cors, req, res);
  if (options.controls !== undefined && isControlRequest(req)) return handleControl(options.controls, req, res, requestId);
  if (req.method !== 'POST') return answerNonPost(options, corsAllowed, req, res, requestId);

  const style = responseStyle(req.headers);
  if (style === undefined) {
    req.resume();
    return unknownOperation(res, requestId);
  }
  let body: Buffer;
  try {
    body = await readBody(req);
  } catch (err) {
    if (err instanceof BodyTooLargeError) {
      return fail(res, requestId, new DynamoError('com.amazon.coral.service#RequestEntityTooLargeException',
        'Request must be smaller than 16777216 bytes for the DynamoDB API', 413), style);
    }
    if (err instanceof BodyEncodingError) return fail(res, requestId, serializationError(err.message), style);
    return fail(res, requestId, serializationError('Request body could not be read'), style);
  }

  const operation = operationOf(req.headers['x-amz-target']);
  if (operation === undefined || !options.knownOperations.has(operation)) {
    return fail(res, requestId, serviceError('UnknownOperationException', 'Unknown operation'), style);
  }
  const authProblem = checkAuthorization(req.headers);
  if (authProblem) return fail(res, requestId, authProblem, style);

  let input: Record<string, unknown>;
  try {
    input = parseRequestJson(body);
  } catch (err) {
    if (err instanceof DynamoError) return fail(res, requestId, err, style);
    throw err;
  }

  const started = performance.now();
  const table = typeof input.TableName === 'string' ? input.TableName : undefined;
  let status = 200;
  let errorCode: string | undefined;
  try {
    const pending = options.handler(operation, input, body);
    // Reads answer synchronously (awaiting a plain value would still cost a microtask
    // turn), and their answers leave together at the end of the turn.
    if (pending instanceof Promise) sendJson(res, 200, await pending, requestId, style);
    else sendJsonAtTurnEnd(res, 200, pending, requestId, style);
  } catch (err) {
    let failure: DynamoError;
    if (err instanceof DynamoError) {
      if (err.status >= 500) options.logger.error(`${operation} failed`, err);
      failure = err;
    } else {
      options.logger.error(`${operation} failed with an internal error`, err);
      failure = internalError();
    }
    status = failure.status;
    errorCode = failure.code;
    fail(res, requestId, failure, style);
  }
  if (options.metrics) countRequest(options.metrics, operation, table, status, errorCode, performance.now() - started);
}

function fail(res: ServerResponse, requestId: string, err: DynamoError, style: ResponseStyle = DEFAULT_STYLE): void {
  sendJson(res, err.status, errorBody(err), requestId, style);
}

/** GET / (the health check), GET /metrics, CORS preflight; any other method or path is unknown. */
async function answerNonPost(options: HttpOptions, corsAllowed: boolean, req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
  req.resume();
  if (req.method === 'OPTIONS' && corsAllowed) {
    applyPreflight(req, res);
    res.writeHead(200, { 'x-amzn-RequestId': requestId, 'Content-Length': 0 });
    res.end();
    return;
  }
  const path = req.url === undefined ? '' : req.url.split('?', 1)[0];
  if (req.method === 'GET' && path === '/metrics' && options.metrics) {
    const text = await options.metrics.text();
    res.writeHead(200, { 'Content-Type': options.metrics.contentType, 'x-amzn-RequestId': requestId });
    res.end(text);
    return;
  }
  if (options.console?.(req, res)) return;
  if (req.method === 'GET' && path === '/') {
    // DynamoDB names the host the client addressed, e.g. `healthy: dynamodb.us-east-1.amazonaws.com`.
    const text = `healthy: ${req.headers.host ?? 'localhost'}`;
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(text), 'x-amzn-RequestId': requestId });
    res.end(text);
    return;
  }
  unknownOperation(res, requestId);
}

/**
 * A request outside the JSON protocol (another method, path, or content type):
 * DynamoDB's front answers these 404 with a bare XML UnknownOperationException.
 */
function unknownOperation(res: ServerResponse, requestId: string): void {
  const body = '<UnknownOperationException/>\n';
  res.writeHead(404, { 'Content-Type': 'text/xml', 'Content-Length': body.length, 'x-amzn-RequestId': requestId });
  res.end(body);
}

/**
 * A request the HTTP parser refused (request line or headers too large, malformed
 * HTTP): 400 Bad Request where Node would say 431, then the connection closes. A
 * request not received in time (Node's requestTimeout) stays 408.
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * The HTTP front: reads requests off node:http, negotiates JSON 1.0 / 1.1 framing
 * and compression, and writes answers back. What a DynamoDB request means is decided
 * by the transport-free pipeline (pipeline.ts), which the in-process SDK handler
 * shares. Also the health check, /metrics, CORS, and the bounded drain that stops it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { Socket } from 'node:net';
import { internalError } from '../errors.js';
import { readBody } from './body.js';
import { applyCors, applyPreflight, corsPolicy, type CorsPolicy } from './cors.js';
import { ConnectionDrain } from './drain.js';
import { responseStyle } from './negotiate.js';
import { handleControl, isControlRequest, type ControlOptions } from './controls.js';
import { answerRequest, unreadableBody, type DynamoAnswer, type PipelineOptions } from './pipeline.js';
import { errorBody, newRequestId, sendJson, sendJsonAtTurnEnd, type ResponseStyle } from './respond.js';
import type { StaticRoute } from '../console/serve.js';

export type { OperationHandler } from './pipeline.js';

export interface HttpOptions extends PipelineOptions {
  /** `--cors`: undefined or `*` for every origin, a comma-separated allow-list, or `none`. */
  cors: string | undefined;
  /** Test controls under /openddb/ (see controls.ts); absent when they are served on `--admin-port` instead. */
  controls?: ControlOptions;
  /** The web console's files (GET /console...); absent when the console is off. */
  console?: StaticRoute;
}

export interface HttpFront {
  server: Server;
  /** Stops in bounded time: see ConnectionDrain. */
  drain: ConnectionDrain;
}

/** PEM certificate chain and private key: serve HTTPS. */
export interface TlsOptions {
  cert: Buffer;
  key: Buffer;
}

/** A client that has not sent its headers within this time is dropped, so slow clients cannot hold connections. */
const HEADERS_TIMEOUT_MS = 20_000;

export function createHttpServer(options: HttpOptions, tls?: TlsOptions): HttpFront {
  const cors = corsPolicy(options.cors);
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    if (!drain.admit(req, res)) return;
    drain.handlerStarted();
    handleRequest(options, cors, req, res)
      .catch((err) => {
        options.logger.error('unhandled request failure', err);
        if (!res.headersSent) sendJson(res, 500, errorBody(internalError()), newRequestId());
      })
      .finally(() => drain.handlerEnded());
  };
  const settings = { keepAliveTimeout: 65_000, headersTimeout: HEADERS_TIMEOUT_MS };
  const server: Server = tls ? createTlsServer({ ...settings, cert: tls.cert, key: tls.key }, listener) : createServer(settings, listener);
  server.on('clientError', answerClientError);
  const drain = new ConnectionDrain(server);
  return { server, drain };
}

async function handleRequest(options: HttpOptions, cors: CorsPolicy | undefined, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = newRequestId();
  const corsAllowed = cors !== undefined && applyCors(cors, req, res);
  if (isControlRequest(req)) return options.controls ? handleControl(options.controls, req, res, requestId) : controlsElsewhere(req, res, requestId);
  if (req.method !== 'POST') return answerNonPost(options, corsAllowed, req, res, requestId);

  const style = responseStyle(req.headers);
  if (style === undefined) {
    req.resume();
    return unknownOperation(res, requestId);
  }
  let body: Buffer;
  let rawBody: Buffer | undefined;
  try {
    body = await readBody(req, options.auth && ((raw) => (rawBody = raw)));
  } catch (err) {
    return send(res, requestId, unreadableBody(err), style);
  }
  const answer = answerRequest(options, req, body, rawBody, requestId);
  // Reads answer synchronously (awaiting a plain value would still cost a microtask
  // turn), and their answers leave together at the end of the turn.
  if (answer instanceof Promise) send(res, requestId, await answer, style);
  else if (answer.status === 200) sendJsonAtTurnEnd(res, 200, answer.body, requestId, style);
  else send(res, requestId, answer, style);
}

function send(res: ServerResponse, requestId: string, answer: DynamoAnswer, style: ResponseStyle): void {
  sendJson(res, answer.status, answer.body, requestId, style);
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

/** With `--admin-port`, the DynamoDB port refuses the test controls. */
function controlsElsewhere(req: IncomingMessage, res: ServerResponse, requestId: string): void {
  req.resume();
  const text = JSON.stringify({ error: 'the test controls are served on the admin port' });
  res.writeHead(404, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'x-amzn-RequestId': requestId });
  res.end(text);
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

/**
 * The HTTP front: routes `POST /` by X-Amz-Target, frames JSON 1.0 requests and
 * responses, and turns every failure into DynamoDB's error envelope. Knows nothing
 * about tables or items: it hands (operation, body) to an `OperationHandler`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { DynamoError, internalError, serializationError, serviceError } from '../errors.js';
import { checkAuthorization } from './auth.js';
import { authenticate, type Authenticator } from './auth/authenticate.js';
import { presignedTarget } from './auth/sigv4.js';
import { accessKeyOf, type AuditLog, type AuditedRequest } from './audit/auditLog.js';
import type { Caller } from '../api/authorization/authorize.js';
import { BodyTooLargeError, readBody } from './body.js';
import { errorBody, newRequestId, sendJson, sendJsonAtTurnEnd } from './respond.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../engine/metrics.js';
import { countRequest } from './requestMetrics.js';

/**
 * Runs one operation on the parsed request body (`text`: the body as sent, after any
 * gzip); returns the response body as JSON text, or as its UTF-8 bytes.
 */
export type OperationHandler = (operation: string, body: Record<string, unknown>, text: Buffer, caller?: Caller) => Promise<string | Buffer> | string | Buffer;

export interface HttpOptions {
  handler: OperationHandler;
  knownOperations: ReadonlySet<string>;
  logger: Logger;
  cors: string | undefined;
  metrics?: Metrics;
  /** `--auth`: verify signatures against these users and authorize each operation. */
  auth?: Authenticator;
  /** `--audit-log`: one record per request. */
  audit?: AuditLog;
  /** The region reported for requests that name none (audit records). */
  region?: string;
}

const TARGET_PREFIX = 'DynamoDB_20120810.';

/** PEM certificate chain and private key: serve HTTPS. */
export interface TlsOptions {
  cert: Buffer;
  key: Buffer;
}

/** A client that has not sent its headers within this time is dropped, so slow clients cannot hold connections. */
const HEADERS_TIMEOUT_MS = 20_000;

export function createHttpServer(options: HttpOptions, tls?: TlsOptions): Server {
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handleRequest(options, req, res).catch((err) => {
      options.logger.error('unhandled request failure', err);
      if (!res.headersSent) sendJson(res, 500, errorBody(internalError()), newRequestId());
    });
  };
  const settings = { keepAliveTimeout: 65_000, headersTimeout: HEADERS_TIMEOUT_MS };
  return tls ? createTlsServer({ ...settings, cert: tls.cert, key: tls.key }, listener) : createServer(settings, listener);
}

async function handleRequest(options: HttpOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = newRequestId();
  if (options.cors !== undefined) setCorsHeaders(options.cors, req, res);
  if (req.method === 'OPTIONS' && options.cors !== undefined) {
    res.writeHead(200, { 'x-amzn-RequestId': requestId, 'Content-Length': 0 });
    res.end();
    return;
  }
  if (req.method === 'GET' && req.url === '/metrics' && options.metrics) {
    const text = await options.metrics.text();
    res.writeHead(200, { 'Content-Type': options.metrics.contentType, 'x-amzn-RequestId': requestId });
    res.end(text);
    return;
  }
  if (req.method === 'GET' && (req.url === '/' || req.url?.startsWith('/?'))) {
    res.writeHead(200, { 'Content-Type': 'text/plain', 'x-amzn-RequestId': requestId });
    res.end('healthy: dynamodb.local');
    return;
  }
  if (req.method !== 'POST') {
    req.resume();
    return fail(res, requestId, serviceError('UnknownOperationException', 'Unknown operation'));
  }

  let body: Buffer;
  let rawBody: Buffer | undefined;
  try {
    body = await readBody(req, options.auth && ((raw) => (rawBody = raw)));
  } catch (err) {
    if (err instanceof BodyTooLargeError) {
      res.setHeader('Connection', 'close');
      return fail(res, requestId, new DynamoError('com.amazon.coral.service#RequestEntityTooLargeException',
        'Request must be smaller than 16777216 bytes for the DynamoDB API', 413));
    }
    return fail(res, requestId, serializationError('Request body could not be read'));
  }

  // A presigned request may carry its X-Amz-Target in the query string, as the SDKs hoist it.
  const target = req.headers['x-amz-target'] ?? (options.auth && presignedTarget(req.url));
  const operation = typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
  if (operation === undefined || !options.knownOperations.has(operation)) {
    return fail(res, requestId, serviceError('UnknownOperationException', 'Unknown operation'));
  }
  let caller: Caller | undefined;
  const audit = options.audit?.wants(operation) ? auditRecorder(options, req, operation, requestId) : undefined;
  if (options.auth) {
    const outcome = authenticate(options.auth, req, rawBody ?? body);
    if (outcome instanceof DynamoError) {
      audit?.({ input: undefined, caller: undefined, response: undefined, errorCode: outcome.code, errorMessage: outcome.message });
      return fail(res, requestId, outcome);
    }
    caller = outcome;
  } else {
    const authProblem = checkAuthorization(req.headers);
    if (authProblem) return fail(res, requestId, authProblem);
  }

  let input: unknown;
  try {
    input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch {
    return fail(res, requestId, serializationError('Start of structure or map found where not expected.'));
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return fail(res, requestId, serializationError('Start of structure or map found where not expected.'));
  }

  const started = performance.now();
  const table = typeof (input as { TableName?: unknown }).TableName === 'string' ? (input as { TableName: string }).TableName : undefined;
  let status = 200;
  let errorCode: string | undefined;
  let errorMessage: string | undefined;
  let answer: string | Buffer | undefined;
  try {
    const pending = options.handler(operation, input as Record<string, unknown>, body, caller);
    // Reads answer synchronously (awaiting a plain value would still cost a microtask
    // turn), and their answers leave together at the end of the turn.
    if (pending instanceof Promise) sendJson(res, 200, (answer = await pending), requestId);
    else sendJsonAtTurnEnd(res, 200, (answer = pending), requestId);
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
    errorMessage = failure.message;
    answer = undefined;
    fail(res, requestId, failure);
  }
  audit?.({ input: input as Record<string, unknown>, caller, response: answer, errorCode, errorMessage });
  if (options.metrics) countRequest(options.metrics, operation, table, status, errorCode, performance.now() - started);
}

/** Records one request in the audit log, given how it ended. */
function auditRecorder(options: HttpOptions, req: IncomingMessage, operation: string, requestId: string) {
  return (outcome: Pick<AuditedRequest, 'input' | 'caller' | 'response' | 'errorCode' | 'errorMessage'>) => options.audit!.record({
    ...outcome,
    operation,
    requestId,
    accessKeyId: accessKeyOf(req),
    sourceIp: req.socket.remoteAddress ?? '',
    userAgent: req.headers['user-agent'],
    region: options.region ?? 'us-east-1',
  });
}

function fail(res: ServerResponse, requestId: string, err: DynamoError): void {
  sendJson(res, err.status, errorBody(err), requestId);
}

function setCorsHeaders(allowed: string, req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers['origin'];
  res.setHeader('Access-Control-Allow-Origin', allowed === '*' ? '*' : allowedOrigin(allowed, origin));
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
  res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] ?? '*');
  res.setHeader('Access-Control-Expose-Headers', 'x-amzn-RequestId, x-amz-crc32');
  res.setHeader('Access-Control-Max-Age', '172800');
}

/** `-cors` takes a comma-separated allow-list of origins, or `*`. */
function allowedOrigin(allowed: string, origin: string | undefined): string {
  if (origin && allowed.split(',').map((s) => s.trim()).includes(origin)) return origin;
  return 'null';
}

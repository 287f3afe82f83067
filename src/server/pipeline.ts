/**
 * One DynamoDB request, from its target, headers and body to the answer, with no
 * transport: operation routing, authentication and authorization, JSON framing, the
 * operation, audit, metrics, and every failure turned into DynamoDB's error envelope.
 * The HTTP front and the in-process SDK handler both answer through here.
 */
import type { DynamoRequest } from './dynamoRequest.js';
import { DynamoError, internalError, serializationError, serviceError } from '../errors.js';
import { checkAuthorization } from './auth.js';
import { BodyEncodingError, BodyTooLargeError } from './body.js';
import { parseRequestJson } from './requestJson.js';
import { countRequest } from './requestMetrics.js';
import { errorBody } from './respond.js';
import { authenticate, type Authenticator } from './auth/authenticate.js';
import { presignedTarget } from './auth/sigv4.js';
import { accessKeyOf, type AuditLog, type AuditedRequest } from './audit/auditLog.js';
import type { Caller } from '../api/authorization/caller.js';
import type { Namespace } from '../engine/namespace.js';
import type { NamespaceSelector } from './namespaceSelection.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../engine/metrics.js';
import type { Fault, FaultInjector } from './faults.js';

/**
 * Runs one operation on the parsed request body (`text`: the body as sent, after any
 * decompression); returns the response body as JSON text, or as its UTF-8 bytes.
 */
export type OperationHandler = (operation: string, body: Record<string, unknown>, text: Buffer, caller?: Caller, namespace?: Namespace) => Promise<string | Buffer> | string | Buffer;

export interface PipelineOptions {
  handler: OperationHandler;
  knownOperations: ReadonlySet<string>;
  logger: Logger;
  metrics?: Metrics;
  /** `--auth`: verify signatures against these users and authorize each operation. */
  auth?: Authenticator;
  /** The request's namespace of tables (none: the shared default namespace). */
  namespaces?: NamespaceSelector;
  /** `--audit-log`: one record per request. */
  audit?: AuditLog;
  /** The region reported for requests that name none (audit records). */
  region?: string;
  /** Test faults (POST /openddb/faults), met by authorized, well-formed requests. */
  faults?: FaultInjector;
}

export interface DynamoAnswer {
  status: number;
  /** JSON text, or its UTF-8 bytes. */
  body: string | Buffer;
}

const TARGET_PREFIX = 'DynamoDB_20120810.';
const STREAMS_TARGET_PREFIX = 'DynamoDBStreams_20120810.';

/** DynamoDB's operations by name; the Streams API's by their full target (`DynamoDBStreams_20120810.GetRecords`). */
function operationOf(target: string | string[] | undefined): string | undefined {
  if (typeof target !== 'string') return undefined;
  if (target.startsWith(STREAMS_TARGET_PREFIX)) return target;
  return target.startsWith(TARGET_PREFIX) && !target.includes('.', TARGET_PREFIX.length) ? target.slice(TARGET_PREFIX.length) : undefined;
}

/**
 * The answer to a POST whose body was read (`body` decoded, `rawBody` as sent when
 * signatures are checked): at once when the operation answers in this turn (reads),
 * else a promise. `req` gives the method, URL, headers and peer the signature and
 * audit need. Never rejects.
 */
export function answerRequest(options: PipelineOptions, req: DynamoRequest, body: Buffer, rawBody: Buffer | undefined, requestId: string): DynamoAnswer | Promise<DynamoAnswer> {
  // A presigned request may carry its X-Amz-Target in the query string, as the SDKs hoist it.
  const operation = operationOf(req.headers['x-amz-target'] ?? (options.auth && presignedTarget(req.url)));
  if (operation === undefined || !options.knownOperations.has(operation)) {
    return failure(serviceError('UnknownOperationException', 'Unknown operation'));
  }
  let caller: Caller | undefined;
  const audit = options.audit?.wants(operation) ? auditRecorder(options, req, operation, requestId) : undefined;
  if (options.auth) {
    const outcome = authenticate(options.auth, req, rawBody ?? body);
    if (outcome instanceof DynamoError) {
      audit?.({ input: undefined, caller: undefined, response: undefined, errorCode: outcome.code, errorMessage: outcome.message });
      return failure(outcome);
    }
    caller = outcome;
  } else {
    const authProblem = checkAuthorization(req.headers);
    if (authProblem) return failure(authProblem);
  }

  let input: Record<string, unknown>;
  try {
    input = parseRequestJson(body) as Record<string, unknown>;
  } catch (err) {
    return failure(asDynamoError(options.logger, operation, err));
  }

  const started = performance.now();
  const table = typeof input.TableName === 'string' ? input.TableName : undefined;
  const finish = (answer: DynamoAnswer, error?: DynamoError): DynamoAnswer => {
    audit?.({ input, caller, response: error ? undefined : answer.body, errorCode: error?.code, errorMessage: error?.message });
    if (options.metrics) countRequest(options.metrics, operation, table, answer.status, error?.code, performance.now() - started);
    return answer;
  };
  const failed = (err: unknown): DynamoAnswer => {
    const error = asDynamoError(options.logger, operation, err);
    return finish(failure(error), error);
  };
  const run = (): DynamoAnswer | Promise<DynamoAnswer> => {
    try {
      const pending = options.handler(operation, input, body, caller, options.namespaces?.(req, caller));
      if (!(pending instanceof Promise)) return finish({ status: 200, body: pending });
      return pending.then((result) => finish({ status: 200, body: result }), failed);
    } catch (err) {
      return failed(err);
    }
  };
  const fault = options.faults?.faultFor(operation, input);
  return fault === undefined ? run() : injected(fault).then(run, failed);
}

/** Waits out a fault's latency, then rejects with its error if it has one. */
async function injected(fault: Fault): Promise<void> {
  if (fault.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
  if (fault.error !== undefined) throw fault.error;
}

/** The answer to a body that could not be read or decompressed. */
export function unreadableBody(err: unknown): DynamoAnswer {
  if (err instanceof BodyTooLargeError) {
    return failure(new DynamoError('com.amazon.coral.service#RequestEntityTooLargeException',
      'Request must be smaller than 16777216 bytes for the DynamoDB API', 413));
  }
  if (err instanceof BodyEncodingError) return failure(serializationError(err.message));
  return failure(serializationError('Request body could not be read'));
}

export function failure(err: DynamoError): DynamoAnswer {
  return { status: err.status, body: errorBody(err) };
}

/** DynamoDB errors pass through (logged if they are the server's fault); anything else is an internal error. */
function asDynamoError(logger: Logger, operation: string, err: unknown): DynamoError {
  if (err instanceof DynamoError) {
    if (err.status >= 500) logger.error(`${operation} failed`, err);
    return err;
  }
  logger.error(`${operation} failed with an internal error`, err);
  return internalError();
}

/** Records one request in the audit log, given how it ended. */
function auditRecorder(options: PipelineOptions, req: DynamoRequest, operation: string, requestId: string) {
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

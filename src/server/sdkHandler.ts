/**
 * The in-process front: an AWS SDK v3 request handler (smithy's HttpHandler shape,
 * `handle(request) -> { response }`) that answers through the same pipeline as the
 * HTTP front — target routing, signatures when `--auth` is on, shape validation,
 * errors, audit and metrics — without a socket:
 *   new DynamoDBClient({ requestHandler: handler, region, credentials })
 * The shapes are declared here structurally, so the SDK stays an optional peer.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { crc32 } from 'node:zlib';
import { serviceError } from '../errors.js';
import { BodyTooLargeError, decode, MAX_BODY_BYTES } from './body.js';
import { responseStyle } from './negotiate.js';
import { answerRequest, failure, unreadableBody, type DynamoAnswer, type PipelineOptions } from './pipeline.js';
import { DEFAULT_STYLE, newRequestId } from './respond.js';
import type { DynamoRequest } from './dynamoRequest.js';

/** The members of smithy's HttpRequest this handler reads. */
export interface SdkHttpRequest {
  method: string;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

/** Smithy's HttpResponse: lower-case header names, the body as bytes. */
export interface SdkHttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** The host the in-process front's clients name (and DescribeEndpoints reports); nothing listens there. */
export const IN_PROCESS_HOST = 'openddb.in-process';

/** The peer of every in-process request: none, no network is involved. */
const NO_PEER: DynamoRequest['socket'] = Object.freeze({ remoteAddress: undefined, encrypted: false });

export class InProcessHandler {
  readonly metadata = { handlerProtocol: 'http/1.1' };

  constructor(private readonly pipeline: PipelineOptions) {}

  /**
   * Not `async`: a request whose body is already bytes or text (what the SDK sends) and
   * whose operation answers in this turn (reads) costs no extra promise turns.
   */
  handle(request: SdkHttpRequest, options?: { abortSignal?: { aborted: boolean } }): Promise<{ response: SdkHttpResponse }> {
    if (options?.abortSignal?.aborted) return Promise.reject(abortError());
    const requestId = newRequestId();
    const req = requestOf(request);
    const style = responseStyle(req.headers);
    const respond = (answer: DynamoAnswer) => ({ response: asResponse(answer, requestId, (style ?? DEFAULT_STYLE).contentType) });
    if (request.method !== 'POST' || style === undefined) return Promise.resolve(respond(failure(serviceError('UnknownOperationException', 'Unknown operation'))));
    const answerTo = (raw: Buffer) => {
      let body: Buffer;
      try {
        if (raw.length > MAX_BODY_BYTES) throw new BodyTooLargeError();
        body = decode(raw, req.headers['content-encoding']);
      } catch (err) {
        return respond(unreadableBody(err));
      }
      const answer = answerRequest(this.pipeline, req, body, raw, requestId);
      return answer instanceof Promise ? answer.then(respond) : respond(answer);
    };
    const raw = bodyBytesAtOnce(request.body);
    return raw === undefined ? bodyBytes(request.body).then(answerTo) : Promise.resolve(answerTo(raw));
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {}
}

/** The SDK's request as the pipeline reads it. */
function requestOf(request: SdkHttpRequest): DynamoRequest {
  const headers: IncomingHttpHeaders = {};
  const rawHeaders: string[] = [];
  for (const name in request.headers) {
    const value = request.headers[name]!;
    headers[name.toLowerCase()] = value;
    rawHeaders.push(name, value);
  }
  return new SdkRequest(request.method, request.path + queryString(request.query), headers, rawHeaders);
}

class SdkRequest implements DynamoRequest {
  readonly socket = NO_PEER;

  constructor(readonly method: string, readonly url: string, readonly headers: IncomingHttpHeaders, readonly rawHeaders: string[]) {}

  /** Only read when two header names differ in case alone (SigV4 then joins their values itself). */
  get headersDistinct(): NodeJS.Dict<string[]> {
    const distinct: NodeJS.Dict<string[]> = {};
    for (let i = 0; i < this.rawHeaders.length; i += 2) (distinct[this.rawHeaders[i]!.toLowerCase()] ??= []).push(this.rawHeaders[i + 1]!);
    return distinct;
  }
}

function asResponse(answer: DynamoAnswer, requestId: string, contentType: string): SdkHttpResponse {
  const body = typeof answer.body === 'string' ? Buffer.from(answer.body, 'utf8') : answer.body;
  return {
    statusCode: answer.status,
    headers: {
      'content-type': contentType,
      'content-length': String(body.length),
      'x-amzn-requestid': requestId,
      'x-amz-crc32': String(crc32(body)),
    },
    body,
  };
}

function queryString(query: SdkHttpRequest['query']): string {
  if (query === undefined) return '';
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    for (const one of Array.isArray(value) ? value : [value]) {
      pairs.push(one === null ? encodeURIComponent(key) : `${encodeURIComponent(key)}=${encodeURIComponent(one)}`);
    }
  }
  return pairs.length === 0 ? '' : `?${pairs.join('&')}`;
}

/** The body when it is already at hand (the SDK sends JSON text), else undefined. */
function bodyBytesAtOnce(body: unknown): Buffer | undefined {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return undefined;
}

/** Other callers may send a stream. */
async function bodyBytes(body: unknown): Promise<Buffer> {
  if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    const chunks: Buffer[] = [];
    for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
    return Buffer.concat(chunks);
  }
  throw new TypeError('unsupported request body');
}

function abortError(): Error {
  const err = new Error('Request aborted');
  err.name = 'AbortError';
  return err;
}

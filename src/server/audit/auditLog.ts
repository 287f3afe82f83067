/**
 * `--audit-log <file|->`: one JSON line per request in CloudTrail's record shape.
 * Control-plane calls always; data-plane calls when asked. Request parameters keep
 * names and settings, never item contents. The file is rotated by size
 * (`<file>.1` ... `<file>.5`).
 */
import { createWriteStream, existsSync, fstatSync, openSync, renameSync, type WriteStream } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { DynamoRequest } from '../dynamoRequest.js';
import type { Caller } from '../../api/authorization/caller.js';

export interface AuditOptions {
  /** A file path, or `-` for standard output. */
  target: string;
  /** Also record item reads and writes (GetItem, PutItem, Query, ...). */
  dataPlane: boolean;
  /** Rotate the file when it grows past this many bytes (default 100 MiB). */
  maxBytes?: number;
}

/** What the HTTP front knows about one finished request. */
export interface AuditedRequest {
  operation: string;
  input: Record<string, unknown> | undefined;
  caller: Caller | undefined;
  /** The access key the request was signed with, when it could be read. */
  accessKeyId: string | undefined;
  sourceIp: string;
  userAgent: string | undefined;
  region: string;
  requestId: string;
  /** The response body of a successful control-plane call. */
  response: string | Buffer | undefined;
  errorCode: string | undefined;
  errorMessage: string | undefined;
}

const DATA_PLANE = new Set(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'BatchGetItem', 'BatchWriteItem',
  'TransactGetItems', 'TransactWriteItems', 'ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction', 'GetRecords', 'GetShardIterator']);
const READ_ONLY = /^(Get|Describe|List|Query|Scan|BatchGet|TransactGet)/;
/** Members that carry item contents or values: left out of requestParameters. */
const CONTENT_MEMBERS = new Set(['Item', 'Key', 'Keys', 'ExpressionAttributeValues', 'ExclusiveStartKey', 'Expected', 'AttributeUpdates',
  'KeyConditions', 'QueryFilter', 'ScanFilter', 'Parameters', 'Policy']);
const KEEP_ROTATED = 5;
const DEFAULT_MAX_BYTES = 100 * 1024 * 1024;

export class AuditLog {
  private stream: WriteStream | NodeJS.WriteStream;
  private bytes = 0;
  /** Streams of rotated files still flushing. */
  private flushing: Promise<void>[] = [];
  private readonly maxBytes: number;

  constructor(private readonly options: AuditOptions) {
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.stream = this.open();
  }

  wants(operation: string): boolean {
    return this.options.dataPlane || !DATA_PLANE.has(operation);
  }

  record(request: AuditedRequest): void {
    const line = JSON.stringify(cloudTrailRecord(request)) + '\n';
    this.stream.write(line);
    this.bytes += Buffer.byteLength(line);
    if (this.options.target !== '-' && this.bytes >= this.maxBytes) this.rotate();
  }

  close(): Promise<void> {
    if (this.options.target === '-') return Promise.resolve();
    return Promise.all([...this.flushing, endOf(this.stream as WriteStream)]).then(() => undefined);
  }

  private open(): WriteStream | NodeJS.WriteStream {
    if (this.options.target === '-') return process.stdout;
    // Opened here, not lazily by the stream: a rotation may rename the file at once, and
    // writes still queued on the old stream follow its descriptor into the renamed file.
    const fd = openSync(this.options.target, 'a');
    this.bytes = fstatSync(fd).size;
    return createWriteStream('', { fd });
  }

  private rotate(): void {
    const file = this.options.target;
    try {
      for (let i = KEEP_ROTATED - 1; i >= 1; i--) if (existsSync(`${file}.${i}`)) renameSync(`${file}.${i}`, `${file}.${i + 1}`);
      renameSync(file, `${file}.1`);
    } catch {
      // Cannot rotate (permissions, a vanished file): keep appending where we are.
      this.bytes = 0;
      return;
    }
    const ended = endOf(this.stream as WriteStream);
    this.flushing.push(ended);
    void ended.then(() => this.flushing.splice(this.flushing.indexOf(ended), 1));
    this.stream = this.open();
  }
}

/** The access key named by a request's Authorization header or presigned query string. */
export function accessKeyOf(req: DynamoRequest): string | undefined {
  const auth = req.headers['authorization'];
  const fromHeader = typeof auth === 'string' ? /Credential=\s*([^/,\s]+)/.exec(auth)?.[1] : undefined;
  return fromHeader ?? /[?&]X-Amz-Credential=([^%/&]+)/.exec(req.url ?? '')?.[1];
}

function endOf(stream: WriteStream): Promise<void> {
  return new Promise((resolve) => stream.end(() => resolve()));
}

function cloudTrailRecord(r: AuditedRequest): Record<string, unknown> {
  const caller = r.caller;
  return {
    eventVersion: '1.08',
    userIdentity: caller
      ? { type: 'IAMUser', principalId: caller.userId, arn: caller.arn, accountId: caller.account, accessKeyId: r.accessKeyId, userName: caller.name }
      : { type: 'Unknown', accessKeyId: r.accessKeyId },
    eventTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: 'dynamodb.amazonaws.com',
    eventName: r.operation,
    awsRegion: caller?.region ?? r.region,
    sourceIPAddress: r.sourceIp,
    userAgent: r.userAgent,
    ...(r.errorCode !== undefined ? { errorCode: r.errorCode, errorMessage: r.errorMessage } : {}),
    requestParameters: r.input === undefined ? null : requestParameters(r.input),
    responseElements: r.response === undefined || DATA_PLANE.has(r.operation) ? null : parse(r.response),
    requestID: r.requestId,
    eventID: randomUUID(),
    readOnly: READ_ONLY.test(r.operation),
    eventType: 'AwsApiCall',
    apiVersion: '2012-08-10',
    managementEvent: !DATA_PLANE.has(r.operation),
    recipientAccountId: caller?.account,
    eventCategory: DATA_PLANE.has(r.operation) ? 'Data' : 'Management',
  };
}

/** CloudTrail's camelCase parameters, without item contents; batch requests keep their table names and counts. */
function requestParameters(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input)) {
    if (CONTENT_MEMBERS.has(name)) continue;
    const key = name[0]!.toLowerCase() + name.slice(1);
    if (name === 'RequestItems' && value !== null && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value).map(([table, v]) => [table, { count: Array.isArray(v) ? v.length : (v as { Keys?: unknown[] }).Keys?.length ?? 0 }]));
    } else if (name === 'TransactItems' && Array.isArray(value)) {
      out[key] = value.map((entry) => Object.fromEntries(Object.entries(entry as object).map(([kind, v]) => [kind, { tableName: (v as { TableName?: unknown }).TableName }])));
    } else if (name === 'Statement' || name === 'Statements' || name === 'TransactStatements') {
      out[key] = '(statement text omitted)';
    } else {
      out[key] = value;
    }
  }
  return out;
}

function parse(body: string | Buffer): unknown {
  try {
    return JSON.parse(body.toString());
  } catch {
    return null;
  }
}

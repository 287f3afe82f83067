/**
 * The console's only way to the data: DynamoDB's JSON API (and the Streams API) on
 * the page's own origin, signed with SigV4. Every call asks for its consumed
 * capacity where the operation can return it, and is recorded for the Capacity view.
 */
import { signRequest, type Credentials } from './sigv4.js';

export interface ConsoleSettings extends Credentials {
  region: string;
}

const SETTINGS_KEY = 'openddb.console.settings';
const DEFAULT_SETTINGS: ConsoleSettings = { region: 'us-east-1', accessKeyId: 'console', secretAccessKey: 'console' };

export function loadSettings(): ConsoleSettings {
  try {
    return { ...DEFAULT_SETTINGS, ...JSON.parse(localStorage.getItem(SETTINGS_KEY) ?? '{}') };
  } catch {
    return DEFAULT_SETTINGS;
  }
}

export function saveSettings(settings: ConsoleSettings): void {
  localStorage.setItem(SETTINGS_KEY, JSON.stringify(settings));
}

export class ApiError extends Error {
  constructor(readonly type: string, message: string, readonly status: number) {
    super(message);
  }
}

/** The operation is not served here (yet): the answer a server without Streams or PartiQL gives. */
export function isUnsupported(err: unknown): boolean {
  return err instanceof ApiError && err.type === 'UnknownOperationException';
}

export interface ConsumedCapacity {
  TableName?: string;
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

export interface CallRecord {
  at: Date;
  operation: string;
  table?: string;
  ms: number;
  consumed: ConsumedCapacity[];
  error?: string;
}

const CAPACITY_OPERATIONS = new Set([
  'GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'BatchGetItem', 'BatchWriteItem',
  'TransactGetItems', 'TransactWriteItems', 'ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction',
]);

const MAX_RECORDS = 200;
const RECORDS_KEY = 'openddb.console.requests';
/** Kept for the browser tab's session, so a reload does not lose them. */
const records: CallRecord[] = loadRecords();

function loadRecords(): CallRecord[] {
  try {
    const saved = JSON.parse(sessionStorage.getItem(RECORDS_KEY) ?? '[]') as CallRecord[];
    return saved.map((r) => ({ ...r, at: new Date(r.at) }));
  } catch {
    return [];
  }
}
const listeners = new Set<() => void>();

export function callRecords(): readonly CallRecord[] {
  return records;
}

export function onCall(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

type Service = 'dynamodb' | 'streams';
const TARGET_PREFIX: Record<Service, string> = { dynamodb: 'DynamoDB_20120810', streams: 'DynamoDBStreams_20120810' };

export async function call<T = any>(operation: string, input: object, service: Service = 'dynamodb'): Promise<T> {
  const body = CAPACITY_OPERATIONS.has(operation) && !('ReturnConsumedCapacity' in input)
    ? { ...input, ReturnConsumedCapacity: 'TOTAL' }
    : input;
  const text = JSON.stringify(body);
  const url = new URL('/', location.href);
  const settings = loadSettings();
  const headers = await sign(url, text, settings, {
    'Content-Type': 'application/x-amz-json-1.0',
    'X-Amz-Target': `${TARGET_PREFIX[service]}.${operation}`,
  });
  const started = performance.now();
  const record: CallRecord = { at: new Date(), operation, table: (input as { TableName?: string }).TableName, ms: 0, consumed: [] };
  try {
    const response = await fetch(url, { method: 'POST', headers, body: text });
    const answer = await response.json().catch(() => ({}));
    record.ms = performance.now() - started;
    if (!response.ok) {
      const type = String(answer.__type ?? 'Error').split('#').pop()!;
      throw new ApiError(type, answer.message ?? answer.Message ?? `HTTP ${response.status}`, response.status);
    }
    const consumed = answer.ConsumedCapacity;
    record.consumed = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
    return answer as T;
  } catch (err) {
    record.ms = performance.now() - started;
    record.error = err instanceof ApiError ? `${err.type}: ${err.message}` : String(err);
    throw err;
  } finally {
    records.unshift(record);
    records.length = Math.min(records.length, MAX_RECORDS);
    try {
      sessionStorage.setItem(RECORDS_KEY, JSON.stringify(records));
    } catch {
      // Storage full or off: the records stay in memory.
    }
    for (const listener of listeners) listener();
  }
}

/**
 * WebCrypto exists only in secure contexts (https, localhost). Elsewhere, while the
 * server does not check signatures, a well-formed header without a signature serves.
 */
async function sign(url: URL, body: string, settings: ConsoleSettings, headers: Record<string, string>): Promise<Record<string, string>> {
  if (globalThis.crypto?.subtle) {
    return signRequest({ method: 'POST', url, headers, body, region: settings.region, service: 'dynamodb', credentials: settings });
  }
  const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  return {
    ...headers,
    'X-Amz-Date': amzDate,
    Authorization: `AWS4-HMAC-SHA256 Credential=${settings.accessKeyId}/${amzDate.slice(0, 8)}/${settings.region}/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=unsigned`,
  };
}

/** The server's own JSON endpoints outside DynamoDB's API (under /openddb/); signed, as `--auth` requires. */
export async function control<T = unknown>(path: string, input: object): Promise<T> {
  const url = new URL(`/openddb/${path}`, location.href);
  const text = JSON.stringify(input);
  const headers = await sign(url, text, loadSettings(), { 'Content-Type': 'application/json' });
  const response = await fetch(url, { method: 'POST', headers, body: text });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new ApiError(String(answer.code ?? answer.__type ?? 'Error').split('#').pop()!, answer.error ?? answer.message ?? `HTTP ${response.status}`, response.status);
  }
  return answer as T;
}

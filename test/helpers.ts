/** Test helpers: an in-process server and SDK clients pointed at it. */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startServer, type RunningServer, type ServerOptions } from '../src/index.js';
import { storeUnderTest } from './storageUnderTest.js';

/**
 * Which front the API tests go through: `http` (default) or `inprocess`, the SDK
 * request handler with no socket. `npm test` runs a set of API test files both ways
 * (see runInProcessSuite.test.ts).
 */
export const TEST_FRONT = process.env.OPENDDB_TEST_FRONT === 'inprocess' ? 'inprocess' : 'http';

export interface TestContext {
  server: RunningServer;
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  /** Sends a raw DynamoDB JSON request (fake signature) through the front under test. */
  raw(operation: string, body: string): Promise<{ status: number; text: string; json: any }>;
  close(): Promise<void>;
}

export function sdkClient(url: string, requestHandler?: RunningServer['requestHandler']): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    requestHandler,
  });
}

export async function startTestServer(options: ServerOptions = {}): Promise<TestContext> {
  // OPENDDB_TEST_STORAGE=postgres: servers that would keep their data in memory use PostgreSQL.
  const store = options.store ?? (options.dataDir === undefined ? await storeUnderTest() : undefined);
  const inProcess = TEST_FRONT === 'inprocess';
  const server = await startServer({ logLevel: 'silent', ...options, store, inProcess });
  const client = sdkClient(server.url, inProcess ? server.requestHandler : undefined);
  const doc = DynamoDBDocumentClient.from(client);
  return {
    server,
    client,
    doc,
    raw: (operation, body) => (inProcess ? rawInProcess(server, operation, body) : rawRequest(server.url, operation, body)),
    async close() {
      client.destroy();
      await server.close();
    },
  };
}

/**
 * The single-table design that entity libraries (ElectroDB, DynamoDB-Toolbox) expect:
 * string keys `pk` / `sk` and one global index `gsi1` on `gsi1pk` / `gsi1sk`, all projected.
 */
export async function createSingleTable(client: DynamoDBClient, name: string): Promise<void> {
  await client.send(new CreateTableCommand({
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    AttributeDefinitions: ['pk', 'sk', 'gsi1pk', 'gsi1sk'].map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const })),
    GlobalSecondaryIndexes: [{
      IndexName: 'gsi1',
      KeySchema: [{ AttributeName: 'gsi1pk', KeyType: 'HASH' }, { AttributeName: 'gsi1sk', KeyType: 'RANGE' }],
      Projection: { ProjectionType: 'ALL' },
    }],
  }));
}

export type KeyType = 'S' | 'N' | 'B';

/** Creates an on-demand table with this hash key and optional range key. */
export async function createTable(client: DynamoDBClient, name: string, hash: [string, KeyType], range?: [string, KeyType]): Promise<void> {
  await client.send(new CreateTableCommand({
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: hash[0], KeyType: 'HASH' }, ...(range ? [{ AttributeName: range[0], KeyType: 'RANGE' as const }] : [])],
    AttributeDefinitions: [{ AttributeName: hash[0], AttributeType: hash[1] }, ...(range ? [{ AttributeName: range[0], AttributeType: range[1] }] : [])],
  }));
}

const FAKE_SIGNATURE: Record<string, string> = {
  'Content-Type': 'application/x-amz-json-1.0',
  Authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=abc',
  'X-Amz-Date': '20260101T000000Z',
};

/** `text` parsed as JSON, or undefined when it is not JSON. */
export function jsonOrUndefined(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Sends a raw DynamoDB JSON request, for protocol-level tests. */
export async function rawRequest(
  url: string,
  target: string | undefined,
  body: string | Uint8Array,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; text: string; json: any }> {
  const allHeaders: Record<string, string> = { ...FAKE_SIGNATURE, ...headers };
  if (target !== undefined) allHeaders['X-Amz-Target'] = `DynamoDB_20120810.${target}`;
  const res = await fetch(url, { method: "POST", headers: allHeaders, body: body as BodyInit });
  const text = await res.text();
  const json = jsonOrUndefined(text);
  return { status: res.status, headers: res.headers, text, json };
}

async function rawInProcess(server: RunningServer, operation: string, body: string): Promise<{ status: number; text: string; json: any }> {
  const headers = { ...FAKE_SIGNATURE, 'x-amz-target': `DynamoDB_20120810.${operation}` };
  const { response } = await server.requestHandler.handle({ method: 'POST', path: '/', headers, body });
  const text = Buffer.from(response.body).toString('utf8');
  const json = jsonOrUndefined(text);
  return { status: response.statusCode, text, json };
}

/** Expects `promise` to reject with an error named `name` (and `message`, if given); returns the error. */
export async function expectError(promise: Promise<unknown>, name: string, message?: string | RegExp): Promise<any> {
  try {
    await promise;
  } catch (err) {
    const e = err as Error;
    if (e.name !== name) throw new Error(`expected ${name} but got ${e.name}: ${e.message}`);
    if (typeof message === 'string' && e.message !== message) throw new Error(`expected message\n  ${message}\nbut got\n  ${e.message}`);
    if (message instanceof RegExp && !message.test(e.message)) throw new Error(`expected message matching ${message} but got ${e.message}`);
    return err;
  }
  throw new Error(`expected ${name} but the call succeeded`);
}

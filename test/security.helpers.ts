/** Test helpers for `--auth`: a users file, signed SDK clients, and hand-signed raw requests. */
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SignatureV4 } from '@smithy/signature-v4';
import { jsonOrUndefined } from './helpers.js';

export interface TestUser {
  accessKeyId: string;
  secretAccessKey: string;
  account: string;
  name: string;
  sessionToken?: string;
  policies?: unknown[];
}

export function writeUsersFile(users: TestUser[], dir = mkdtempSync(join(tmpdir(), 'openddb-auth-'))): string {
  const file = join(dir, 'users.json');
  writeFileSync(file, JSON.stringify({ users }));
  return file;
}

export function signedClient(url: string, user: Pick<TestUser, 'accessKeyId' | 'secretAccessKey' | 'sessionToken'>,
  extra: { region?: string; systemClockOffset?: number } = {}): DynamoDBClient {
  const client = new DynamoDBClient({
    endpoint: url,
    region: extra.region ?? 'us-east-1',
    credentials: { accessKeyId: user.accessKeyId, secretAccessKey: user.secretAccessKey, sessionToken: user.sessionToken },
    maxAttempts: 1,
  });
  if (extra.systemClockOffset !== undefined) client.config.systemClockOffset = extra.systemClockOffset;
  return client;
}

/** node:crypto behind the SDK's Checksum interface. */
class Sha256 {
  private readonly hash;
  constructor(secret?: string | Uint8Array | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', typeof secret === 'string' ? secret : Buffer.from(secret as ArrayBuffer));
  }
  update(data: Uint8Array | string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(typeof data === 'string' ? data : Buffer.from(data as ArrayBuffer));
  }
  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
  reset(): void {}
}

export function signer(user: Pick<TestUser, 'accessKeyId' | 'secretAccessKey' | 'sessionToken'>, region = 'us-east-1'): SignatureV4 {
  return new SignatureV4({ credentials: { accessKeyId: user.accessKeyId, secretAccessKey: user.secretAccessKey, sessionToken: user.sessionToken }, region, service: 'dynamodb', sha256: Sha256 });
}

export interface RawRequest {
  method: string;
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: any;
}

/** An unsigned DynamoDB request for `operation`, addressed to the server at `url`. */
export function dynamoRequest(url: string, operation: string, body: object): RawRequest {
  const { hostname, port } = new URL(url);
  return {
    method: 'POST',
    protocol: 'http:',
    hostname,
    port: Number(port),
    path: '/',
    headers: { host: `${hostname}:${port}`, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${operation}` },
    body: JSON.stringify(body),
  };
}

/** An unsigned request to a test control (`/openddb/...`) of the server at `base`. */
export function controlRequest(base: string, path: string, body: object = {}): RawRequest {
  const { hostname, port } = new URL(base);
  return { method: 'POST', protocol: 'http:', hostname, port: Number(port), path, headers: { host: `${hostname}:${port}`, 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** Sends exactly these headers and body (node:http, so Host is what was signed). */
export function send(req: RawRequest): Promise<{ status: number; json: any }> {
  const query = req.query ? '?' + Object.entries(req.query).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&') : '';
  return new Promise((resolve, reject) => {
    const out = request({ host: req.hostname, port: req.port, method: req.method, path: req.path + query, headers: req.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const json = jsonOrUndefined(text);
        resolve({ status: res.statusCode ?? 0, json });
      });
    });
    out.on('error', reject);
    out.end(req.body);
  });
}

/** The short error name of a response body's __type. */
export const errorName = (json: any): string | undefined => (json?.__type as string | undefined)?.split('#')[1];

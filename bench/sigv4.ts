/**
 * A small AWS Signature Version 4 signer for DynamoDB JSON requests (node:crypto only).
 * The benchmark signs every pre-built request once, so each one carries a real,
 * well-formed Authorization header exactly as an SDK would send it.
 */
import { createHash, createHmac } from 'node:crypto';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

export const BENCH_CREDENTIALS: Credentials = { accessKeyId: 'AKIDBENCHMARK', secretAccessKey: 'benchmark-secret', region: 'us-east-1' };

const SERVICE = 'dynamodb';
const SIGNED_HEADERS = 'content-type;host;x-amz-date;x-amz-target';

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** `20240102T030405Z` for now. */
export function amzDate(now = new Date()): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

const signingKeys = new Map<string, Buffer>();

function signingKey(creds: Credentials, day: string): Buffer {
  const cacheKey = `${creds.secretAccessKey}/${day}/${creds.region}`;
  let key = signingKeys.get(cacheKey);
  if (key === undefined) {
    key = hmac(hmac(hmac(hmac(`AWS4${creds.secretAccessKey}`, day), creds.region), SERVICE), 'aws4_request');
    signingKeys.set(cacheKey, key);
  }
  return key;
}

/** The headers a signed `POST /` DynamoDB request needs (Host is the caller's to send). */
export function signedHeaders(host: string, target: string, body: Buffer, creds = BENCH_CREDENTIALS, date = amzDate()): Record<string, string> {
  const day = date.slice(0, 8);
  const contentType = 'application/x-amz-json-1.0';
  const canonicalRequest = [
    'POST', '/', '',
    `content-type:${contentType}`, `host:${host}`, `x-amz-date:${date}`, `x-amz-target:${target}`, '',
    SIGNED_HEADERS, sha256Hex(body),
  ].join('\n');
  const scope = `${day}/${creds.region}/${SERVICE}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', date, scope, sha256Hex(canonicalRequest)].join('\n');
  const signature = createHmac('sha256', signingKey(creds, day)).update(stringToSign).digest('hex');
  return {
    'Content-Type': contentType,
    'X-Amz-Date': date,
    'X-Amz-Target': target,
    Authorization: `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope}, SignedHeaders=${SIGNED_HEADERS}, Signature=${signature}`,
  };
}

/** A complete HTTP/1.1 keep-alive request, ready to write to a socket. */
export function rawSignedRequest(host: string, operation: string, body: Buffer): Buffer {
  const headers = signedHeaders(host, `DynamoDB_20120810.${operation}`, body);
  let head = `POST / HTTP/1.1\r\nHost: ${host}\r\nConnection: keep-alive\r\nContent-Length: ${body.length}\r\n`;
  for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
  return Buffer.concat([Buffer.from(`${head}\r\n`, 'latin1'), body]);
}

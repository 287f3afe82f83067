/**
 * Raw HTTP exchanges for protocol tests that must see the bytes as sent: fetch
 * decompresses bodies and sets its own Host and Accept-Encoding headers.
 */
import { request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body exactly as received (still compressed if it was). */
  raw: Buffer;
}

export const SIGNED_HEADERS: Record<string, string> = {
  'Content-Type': 'application/x-amz-json-1.0',
  Authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=abc',
  'X-Amz-Date': '20260101T000000Z',
};

/** One request; `headers` are sent as given (a null value drops a default one). */
export function exchange(
  url: string,
  options: { method?: string; path?: string; target?: string; body?: string | Buffer; headers?: Record<string, string | null> },
): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  const headers: Record<string, string> = {};
  const merged: Record<string, string | null> = { ...SIGNED_HEADERS, ...options.headers };
  if (options.target !== undefined) merged['X-Amz-Target'] = `DynamoDB_20120810.${options.target}`;
  for (const [name, value] of Object.entries(merged)) if (value !== null) headers[name] = value;
  const body = options.body ?? '';
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, method: options.method ?? 'POST', path: options.path ?? '/', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, raw: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

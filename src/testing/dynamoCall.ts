/**
 * DynamoDB's API called with plain JSON, without the AWS SDK: over HTTP to a running
 * server, or through a server's in-process request handler. The test-runner presets,
 * the import/export commands and the MCP server use it, so none of them needs the SDK.
 */
import type { InProcessHandler } from '../server/sdkHandler.js';

export type DynamoCall = (operation: string, input: Record<string, unknown>) => Promise<any>;

/** DynamoDB's error as the SDKs name it: `name` is the short `__type`. */
export class DynamoCallError extends Error {
  constructor(readonly type: string, message: string, readonly status: number) {
    super(message);
    this.name = type.slice(type.indexOf('#') + 1);
  }
}

/** A local server takes any credentials, but the Authorization header must still look like SigV4. */
function headersFor(operation: string): Record<string, string> {
  return {
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': `DynamoDB_20120810.${operation}`,
    authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=0',
    'x-amz-date': '20260101T000000Z',
  };
}

export function httpCall(endpoint: string): DynamoCall {
  return async (operation, input) => {
    let res: Response;
    try {
      res = await fetch(endpoint, { method: 'POST', headers: headersFor(operation), body: JSON.stringify(input) });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new Error(`could not reach ${endpoint}: ${cause?.code ?? cause?.message ?? (err as Error).message}`, { cause: err });
    }
    return answered(res.status, await res.text());
  };
}

export function handlerCall(handler: InProcessHandler): DynamoCall {
  return async (operation, input) => {
    const { response } = await handler.handle({ method: 'POST', path: '/', headers: headersFor(operation), body: JSON.stringify(input) });
    return answered(response.statusCode, Buffer.from(response.body).toString('utf8'));
  };
}

function answered(status: number, text: string): any {
  let body: Record<string, unknown>;
  try {
    body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    throw new DynamoCallError('UnknownError', `HTTP ${status}: ${text.slice(0, 200)}`, status);
  }
  if (status !== 200) throw new DynamoCallError(String(body.__type ?? 'UnknownError'), String(body.message ?? body.Message ?? text), status);
  return body;
}

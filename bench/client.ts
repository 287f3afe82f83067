/** A minimal signed DynamoDB JSON client for setup work (tables, preload, probes). */
import { Agent, request } from 'node:http';
import { signedHeaders } from './sigv4.js';

export interface CallResult {
  status: number;
  body: any;
}

export class ServiceError extends Error {
  constructor(readonly status: number, readonly type: string, message: string) {
    super(`${type}: ${message}`);
  }
}

export class BenchClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });

  constructor(readonly host: string, readonly port: number) {}

  /** Sends one request; resolves with the status and the parsed body, whatever the status. */
  send(operation: string, input: unknown): Promise<CallResult> {
    const body = Buffer.from(JSON.stringify(input));
    const hostHeader = `${this.host}:${this.port}`;
    const headers = { ...signedHeaders(hostHeader, `DynamoDB_20120810.${operation}`, body), 'Content-Length': String(body.length) };
    return new Promise((resolve, reject) => {
      const req = request({ host: this.host, port: this.port, method: 'POST', path: '/', headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = text.length === 0 ? {} : JSON.parse(text);
          } catch {
            parsed = { __type: 'UnparsableResponse', message: text.slice(0, 200) };
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Sends one request and throws a ServiceError on a non-2xx answer. */
  async call(operation: string, input: unknown): Promise<any> {
    const { status, body } = await this.send(operation, input);
    if (status < 200 || status >= 300) throw new ServiceError(status, errorType(body), String(body?.message ?? body?.Message ?? ''));
    return body;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** `com.amazonaws.dynamodb.v20120810#ResourceNotFoundException` -> `ResourceNotFoundException`. */
export function errorType(body: any): string {
  const type = String(body?.__type ?? 'UnknownError');
  return type.slice(type.lastIndexOf('#') + 1);
}

/** Whether an error answer means "this server does not implement that operation". */
export function isUnsupported(status: number, body: any): boolean {
  return status >= 400 && /UnknownOperation/.test(errorType(body));
}

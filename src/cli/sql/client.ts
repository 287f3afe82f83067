/**
 * A minimal DynamoDB JSON-protocol client for the PartiQL shell: plain fetch, so the
 * command needs no AWS SDK. The server checks the Authorization header's shape, not its
 * signature, so a fixed SigV4-shaped header is sent.
 */

export class RequestError extends Error {
  constructor(readonly type: string, message: string) {
    super(message);
  }
}

export type AttributeValue = Record<string, unknown>;
export type WireItem = Record<string, AttributeValue>;

export class DynamoClient {
  constructor(private readonly endpoint: string, private readonly region = 'us-east-1') {}

  async call(operation: string, body: Record<string, unknown>): Promise<Record<string, any>> {
    const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.0',
        'X-Amz-Target': `DynamoDB_20120810.${operation}`,
        'X-Amz-Date': amzDate,
        Authorization: `AWS4-HMAC-SHA256 Credential=openddb/${amzDate.slice(0, 8)}/${this.region}/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=0`,
      },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    let json: Record<string, any>;
    try {
      json = JSON.parse(text) as Record<string, any>;
    } catch {
      throw new RequestError('InvalidResponse', `HTTP ${response.status}: ${text.slice(0, 200)}`);
    }
    if (!response.ok) {
      const type = String(json.__type ?? 'Error');
      throw new RequestError(type.slice(type.indexOf('#') + 1), String(json.message ?? json.Message ?? ''));
    }
    return json;
  }

  /** Runs one statement, following NextToken to the end; returns every item. */
  async execute(statement: string): Promise<WireItem[]> {
    const items: WireItem[] = [];
    let NextToken: string | undefined;
    do {
      const out = await this.call('ExecuteStatement', NextToken === undefined ? { Statement: statement } : { Statement: statement, NextToken });
      items.push(...((out.Items ?? []) as WireItem[]));
      NextToken = out.NextToken as string | undefined;
    } while (NextToken !== undefined);
    return items;
  }
}

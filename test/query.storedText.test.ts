/**
 * The in-memory store hands Query and Scan its values as latin1 text, which the renderer
 * copies into the response unpacked (KVEntry.text): items with non-ASCII text must come
 * back exact whether spliced raw, filtered, projected or named in LastEvaluatedKey.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { startServer, type RunningServer } from '../src/index.js';
import { createTable } from './helpers.js';

const TEXTS = ['plain', 'café', 'naïve ✓', 'emoji 😀 and 漢字', 'quote " and \\ backslash', '\u0000 and \u007f and \u0080'];

describe('Query and Scan over the in-memory store: stored items copied as text', () => {
  let server: RunningServer;
  let client: DynamoDBClient;
  let doc: DynamoDBDocumentClient;

  before(async () => {
    server = await startServer({ inMemory: true, port: 0, logLevel: 'silent' });
    client = new DynamoDBClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    doc = DynamoDBDocumentClient.from(client);
    await createTable(client, 'texts', ['pk', 'S'], ['sk', 'S']);
    for (const [i, text] of TEXTS.entries()) {
      await doc.send(new PutCommand({ TableName: 'texts', Item: { pk: 'p', sk: `${i}-${text}`, text, n: i, list: [text, { deep: text }] } }));
    }
  });
  after(async () => {
    client.destroy();
    await server.close();
  });

  const expected = TEXTS.map((text, i) => ({ pk: 'p', sk: `${i}-${text}`, text, n: i, list: [text, { deep: text }] }));

  it('returns every item exactly, raw, filtered and projected', async () => {
    const raw = await doc.send(new QueryCommand({ TableName: 'texts', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'p' } }));
    assert.deepEqual(raw.Items, expected);
    const filtered = await doc.send(new QueryCommand({ TableName: 'texts', KeyConditionExpression: 'pk = :p', FilterExpression: 'contains(#t, :c)',
      ExpressionAttributeNames: { '#t': 'text' }, ExpressionAttributeValues: { ':p': 'p', ':c': '✓' } }));
    assert.deepEqual(filtered.Items, [expected[2]]);
    const projected = await doc.send(new QueryCommand({ TableName: 'texts', KeyConditionExpression: 'pk = :p', ProjectionExpression: '#l[1].deep', ExpressionAttributeNames: { '#l': 'list' },
      ExpressionAttributeValues: { ':p': 'p' }, ScanIndexForward: false }));
    assert.deepEqual(projected.Items, [...TEXTS].reverse().map((text) => ({ list: [{ deep: text }] })));
    const scanned = await doc.send(new ScanCommand({ TableName: 'texts' }));
    assert.deepEqual(scanned.Items, expected);
  });

  it('pages with non-ASCII keys in LastEvaluatedKey', async () => {
    const seen: unknown[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(new QueryCommand({ TableName: 'texts', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'p' }, Limit: 1, ExclusiveStartKey: start }));
      seen.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
      if (start !== undefined) assert.deepEqual(start, { pk: 'p', sk: (page.Items![0] as { sk: string }).sk });
    } while (start !== undefined);
    assert.deepEqual(seen, expected);
  });
});

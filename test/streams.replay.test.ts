/**
 * Replaying a stream from TRIM_HORIZON reproduces the table: under concurrent writers
 * (single writes, batches, transactions) while shards roll over, and after kill -9.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchWriteItemCommand, DeleteItemCommand, PutItemCommand, ScanCommand,
  TransactWriteItemsCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import { startTestServer } from './helpers.js';
import { writeUntilKilled } from './cliProcess.js';
import { seededRandom } from './seededRandom.js';
import { createStreamTable, readStream, streamsClient } from './streams.helpers.js';

/** The replayed table: keys pk (S) and sk (N), a stream of both images. */
async function createReplayedTable(client: DynamoDBClient, name: string): Promise<string> {
  return (await createStreamTable(client, name, 'NEW_AND_OLD_IMAGES', true))!;
}

type Image = Record<string, AttributeValue>;
const keyOf = (keys: Image) => `${keys.pk!.S}#${keys.sk!.N}`;

/** The table a stream's records describe, checking each record's old image against the replayed state. */
function replay(records: _Record[]): Map<string, Image> {
  const table = new Map<string, Image>();
  for (const r of records) {
    const key = keyOf(r.dynamodb!.Keys as Image);
    assert.deepEqual(r.dynamodb!.OldImage, table.get(key), `old image of ${key} matches the replayed state`);
    if (r.eventName === 'REMOVE') table.delete(key);
    else table.set(key, r.dynamodb!.NewImage as Image);
  }
  return table;
}

async function scanAll(client: DynamoDBClient, table: string): Promise<Map<string, Image>> {
  const items = new Map<string, Image>();
  let start: Image | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    for (const item of page.Items!) items.set(keyOf(item as Image), item as Image);
    start = page.LastEvaluatedKey as Image | undefined;
  } while (start !== undefined);
  return items;
}

describe('stream replay', () => {
  it('reproduces the table under concurrent writers while shards roll over', async () => {
    const t = await startTestServer();
    const streams = streamsClient(t.server.url);
    try {
      const arn = await createReplayedTable(t.client, 'replay');
      const random = seededRandom(15);
      const key = () => ({ pk: { S: `p${Math.floor(random() * 25)}` }, sk: { N: String(Math.floor(random() * 3)) } });
      const ops: (() => Promise<unknown>)[] = [
        () => t.client.send(new PutItemCommand({ TableName: 'replay', Item: { ...key(), v: { N: String(Math.floor(random() * 5)) } } })),
        () => t.client.send(new UpdateItemCommand({ TableName: 'replay', Key: key(), UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } })),
        () => t.client.send(new DeleteItemCommand({ TableName: 'replay', Key: key() })),
        () => {
          const [a, b] = [key(), key()];
          if (keyOf(a) === keyOf(b)) return Promise.resolve();
          return t.client.send(new BatchWriteItemCommand({ RequestItems: { replay: [{ PutRequest: { Item: { ...a, b: { BOOL: true } } } }, { DeleteRequest: { Key: b } }] } }));
        },
        () => {
          const [a, b] = [key(), key()];
          if (keyOf(a) === keyOf(b)) return Promise.resolve();
          return t.client.send(new TransactWriteItemsCommand({ TransactItems: [
            { Put: { TableName: 'replay', Item: { ...a, tx: { S: 'yes' } } } },
            { Update: { TableName: 'replay', Key: b, UpdateExpression: 'ADD n :two', ExpressionAttributeValues: { ':two': { N: '2' } } } },
          ] }));
        },
      ];
      let rolling = true;
      let rollovers = 0;
      const roller = (async () => {
        while (rolling) {
          await t.server.rollStreamShards('replay');
          rollovers++;
          await new Promise((r) => setTimeout(r, 40));
        }
      })();
      const writers = Array.from({ length: 8 }, async () => {
        for (let i = 0; i < 60; i++) {
          try {
            await ops[Math.floor(random() * ops.length)]!();
          } catch (err) {
            if ((err as Error).name !== 'TransactionCanceledException') throw err;
          }
        }
      });
      await Promise.all(writers);
      rolling = false;
      await roller;
      assert.ok(rollovers >= 3, `shards rolled over ${rollovers} times`);
      const records = await readStream(streams, arn);
      assert.ok(records.length > 250);
      assert.deepEqual(replay(records), await scanAll(t.client, 'replay'));
    } finally {
      streams.destroy();
      await t.close();
    }
  });

  it('after kill -9 mid-stream: every change has its record and every record its change', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openddb-stream-kill-'));
    try {
      let arn = '';
      const acknowledged = await writeUntilKilled(dir, {
        target: 500,
        setup: async ({ client }) => {
          arn = await createReplayedTable(client, 'events');
        },
        write: ({ client }, id) => id % 3 === 2
          ? client.send(new UpdateItemCommand({ TableName: 'events', Key: { pk: { S: `e${id - 1}` }, sk: { N: '0' } }, UpdateExpression: 'SET touched = :t', ExpressionAttributeValues: { ':t': { BOOL: true } } }))
          : client.send(new PutItemCommand({ TableName: 'events', Item: { pk: { S: `e${id}` }, sk: { N: '0' }, payload: { S: 'x'.repeat(100) } } })),
      });
      const t = await startTestServer({ dataDir: dir });
      const streams = streamsClient(t.server.url);
      try {
        const table = await scanAll(t.client, 'events');
        for (const id of acknowledged) if (id % 3 !== 2) assert.ok(table.has(`e${id}#0`), `acknowledged e${id} survives`);
        assert.deepEqual(replay(await readStream(streams, arn)), table);
      } finally {
        streams.destroy();
        await t.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

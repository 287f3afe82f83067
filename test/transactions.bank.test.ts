/** A bank: 50 concurrent clients transferring money in transactions never create or lose any. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, ScanCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createTable, sdkClient, startTestServer } from './helpers.js';

const ACCOUNTS = 10;
const CLIENTS = 50;
const TRANSFERS_PER_CLIENT = 30;
const OPENING_BALANCE = 100;

describe('bank transfers', () => {
  it('keeps the total and every account consistent with the transfers that succeeded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openddb-bank-'));
    const t = await startTestServer({ dataDir: dir });
    const clients = Array.from({ length: CLIENTS }, () => DynamoDBDocumentClient.from(sdkClient(t.server.url)));
    try {
      await createTable(t.client, 'bank', ['account', 'S']);
      await t.doc.send(new BatchWriteCommand({
        RequestItems: { bank: Array.from({ length: ACCOUNTS }, (_, i) => ({ PutRequest: { Item: { account: `acct${i}`, balance: OPENING_BALANCE } } })) },
      }));

      const expected = new Array<number>(ACCOUNTS).fill(OPENING_BALANCE);
      let succeeded = 0;
      let cancelled = 0;
      const random = (n: number) => Math.floor(Math.random() * n);
      const started = performance.now();
      await Promise.all(clients.map(async (client) => {
        for (let i = 0; i < TRANSFERS_PER_CLIENT; i++) {
          const from = random(ACCOUNTS);
          const to = (from + 1 + random(ACCOUNTS - 1)) % ACCOUNTS;
          const amount = 1 + random(60);
          try {
            await client.send(new TransactWriteCommand({
              TransactItems: [
                { Update: { TableName: 'bank', Key: { account: `acct${from}` }, UpdateExpression: 'SET balance = balance - :a', ConditionExpression: 'balance >= :a', ExpressionAttributeValues: { ':a': amount } } },
                { Update: { TableName: 'bank', Key: { account: `acct${to}` }, UpdateExpression: 'SET balance = balance + :a', ExpressionAttributeValues: { ':a': amount } } },
              ],
            }));
            expected[from]! -= amount;
            expected[to]! += amount;
            succeeded++;
          } catch (err) {
            if (!(err instanceof TransactionCanceledException)) throw err;
            assert.equal(err.CancellationReasons![0]!.Code, 'ConditionalCheckFailed');
            cancelled++;
          }
        }
      }));
      const seconds = (performance.now() - started) / 1000;
      const total = CLIENTS * TRANSFERS_PER_CLIENT;
      console.log(`bank: ${total} transfers (${succeeded} committed, ${cancelled} cancelled) in ${seconds.toFixed(2)} s = ${Math.round(total / seconds)} transactions/s`);

      const { Items } = await t.doc.send(new ScanCommand({ TableName: 'bank', ConsistentRead: true }));
      const balances = new Map(Items!.map((item) => [item.account as string, item.balance as number]));
      let sum = 0;
      for (let i = 0; i < ACCOUNTS; i++) {
        const balance = balances.get(`acct${i}`)!;
        assert.ok(balance >= 0, `acct${i} overdrawn: ${balance}`);
        assert.equal(balance, expected[i], `acct${i} reflects exactly the committed transfers`);
        sum += balance;
      }
      assert.equal(sum, ACCOUNTS * OPENING_BALANCE);
      assert.equal(succeeded + cancelled, total);
      assert.ok(succeeded > total / 2, 'most transfers go through');
      assert.ok(cancelled > 0, 'some transfers hit an empty account');
    } finally {
      for (const client of clients) client.destroy();
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

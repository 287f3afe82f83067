/** ClientRequestToken records: fingerprints, 10-minute expiry and sweeping, survival across restarts. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { MemoryStore } from '../src/storage/memory.js';
import { readTokenRecord, requestFingerprint, TOKEN_LIFETIME_MS, writeTokenRecord } from '../src/engine/idempotency.js';
import { createTable, expectError, startTestServer } from './helpers.js';

describe('idempotency records', () => {
  it('fingerprints ignore member order but not list order', () => {
    assert.equal(requestFingerprint({ a: 1, b: { c: [1, 2], d: 'x' } }), requestFingerprint({ b: { d: 'x', c: [1, 2] }, a: 1 }));
    assert.notEqual(requestFingerprint({ a: [1, 2] }), requestFingerprint({ a: [2, 1] }));
    assert.notEqual(requestFingerprint({ a: '1' }), requestFingerprint({ a: 1 }));
  });

  it('expire after 10 minutes and are swept by later records', async () => {
    const store = new MemoryStore();
    const t0 = 1_000_000;
    await store.transact((txn) => {
      for (let i = 0; i < 3; i++) writeTokenRecord(txn, `old-${i}`, 'f', t0 + i);
    });
    assert.deepEqual(readTokenRecord(store, 'old-0', t0 + TOKEN_LIFETIME_MS - 1), { fingerprint: 'f', expiresAt: t0 + TOKEN_LIFETIME_MS });
    assert.equal(readTokenRecord(store, 'old-0', t0 + TOKEN_LIFETIME_MS), undefined, 'expired');
    const countKeys = () => [...store.range({ gte: Buffer.from([0x04]), lt: Buffer.from([0x05]) })].length;
    assert.equal(countKeys(), 6, 'a record and an expiry entry per token');
    await store.transact((txn) => writeTokenRecord(txn, 'new', 'g', t0 + TOKEN_LIFETIME_MS + 10));
    assert.equal(countKeys(), 2, 'the expired records were swept');
    // A token reused after expiry replaces its record cleanly.
    await store.transact((txn) => writeTokenRecord(txn, 'new', 'h', t0 + 3 * TOKEN_LIFETIME_MS));
    assert.equal(countKeys(), 2);
    assert.equal(readTokenRecord(store, 'new', t0 + 3 * TOKEN_LIFETIME_MS)!.fingerprint, 'h');
    await store.close();
  });

  it('survive a restart of the server', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openddb-token-'));
    const add = (by: number) => new TransactWriteCommand({
      ClientRequestToken: 'restart-token',
      TransactItems: [{ Update: { TableName: 'counters', Key: { id: 'c' }, UpdateExpression: 'ADD n :by', ExpressionAttributeValues: { ':by': by } } }],
    });
    try {
      let t = await startTestServer({ dataDir: dir });
      await createTable(t.client, 'counters', ['id', 'S']);
      await t.doc.send(add(1));
      await t.close();
      t = await startTestServer({ dataDir: dir });
      try {
        await t.doc.send(add(1));
        await expectError(t.doc.send(add(2)), 'IdempotentParameterMismatchException');
        const { Item } = await t.doc.send(new GetCommand({ TableName: 'counters', Key: { id: 'c' } }));
        assert.equal(Item!.n, 1);
      } finally {
        await t.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

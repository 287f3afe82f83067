/**
 * Failover over PostgreSQL: a primary with a synchronous standby, a node given both in a
 * multi-host URL (target_session_attrs=read-write). Under a write load the primary is
 * crashed (pg_ctl stop -m immediate) and the standby promoted: requests in between fail
 * with a retryable 500 rather than hang, the node finds the new primary by itself, and
 * every acknowledged write is there afterwards. Skipped without the PostgreSQL binaries.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTableCommand, DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import pg from 'pg';
import { startServer } from '../src/index.js';
import { parseHostList, isHostLost } from '../src/storage/postgresHosts.js';
import { sdkClient } from './helpers.js';
import { startPostgresCluster } from './postgresCluster.js';

const postgres = await startPostgresCluster({ synchronousStandby: true });
after(async () => postgres.cluster?.stop());

const TABLE = 'failover';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('failover to a promoted synchronous standby', { skip: postgres.skip }, () => {
  it('reconnects by itself and loses no acknowledged write', async () => {
    const primary = postgres.cluster!;
    const standby = await primary.startStandby();
    const replication = new pg.Client({ connectionString: primary.url });
    await replication.connect();
    let states: { sync_state: string }[] = [];
    // The standby connects shortly after it starts, and reports 'async' until it has caught up.
    for (let tries = 0; tries < 150 && states[0]?.sync_state !== 'sync'; tries++) {
      states = (await replication.query('SELECT sync_state FROM pg_stat_replication')).rows;
      if (states[0]?.sync_state !== 'sync') await sleep(100);
    }
    await replication.end();
    assert.deepEqual(states, [{ sync_state: 'sync' }], 'the standby is synchronous');
    const url = `postgresql://postgres@127.0.0.1:${primary.port},127.0.0.1:${standby.port}/postgres?target_session_attrs=read-write`;
    const server = await startServer({ port: 0, logLevel: 'silent', postgresUrl: url });
    // sdkClient makes one attempt per request: each failure is seen, a hanging request times the test out.
    const client = sdkClient(server.url);
    const doc = DynamoDBDocumentClient.from(client);
    try {
      await client.send(new CreateTableCommand({
        TableName: TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      }));
      const acknowledged: string[] = [];
      const failures = new Map<string, number>();
      let promotedAt = Infinity;
      let ackedAfterPromotion = 0;
      let stop = false;
      const writer = async (id: number) => {
        for (let i = 0; !stop; i++) {
          const pk = `w${id}-${i}`;
          const started = Date.now();
          try {
            await doc.send(new PutCommand({ TableName: TABLE, Item: { pk, n: i } }));
            acknowledged.push(pk);
            if (started > promotedAt) ackedAfterPromotion++;
          } catch (error) {
            const status = (error as DynamoDBServiceException).$metadata?.httpStatusCode;
            const name = (error as Error).name;
            assert.ok(status === 500 || status === 503, `a retryable error, not ${name} (${status})`);
            failures.set(name, (failures.get(name) ?? 0) + 1);
            await sleep(50);
          }
        }
      };
      const writers = [0, 1, 2, 3].map(writer);
      await sleep(1000);
      const beforeCrash = acknowledged.length;
      primary.crash();
      await sleep(500);
      standby.promote();
      promotedAt = Date.now();
      const deadline = Date.now() + 20_000;
      while (ackedAfterPromotion < 20 && Date.now() < deadline) await sleep(100);
      stop = true;
      await Promise.all(writers);

      assert.ok(beforeCrash > 0, 'writes were acknowledged before the crash');
      assert.ok(ackedAfterPromotion >= 20, `the node wrote to the promoted standby (${ackedAfterPromotion} writes)`);
      assert.ok(failures.get('InternalServerError')! > 0, 'requests during the outage failed with InternalServerError');
      // Every acknowledged write, read back from the new primary.
      for (let i = 0; i < acknowledged.length; i += 100) {
        const keys = acknowledged.slice(i, i + 100).map((pk) => ({ pk }));
        const found = await doc.send(new BatchGetCommand({ RequestItems: { [TABLE]: { Keys: keys, ConsistentRead: true } } }));
        assert.equal(Object.keys(found.UnprocessedKeys ?? {}).length, 0);
        assert.equal(found.Responses?.[TABLE]?.length, keys.length, 'every acknowledged write survived the failover');
      }
    } finally {
      client.destroy();
      await server.close();
    }
  });
});

describe('multi-host URLs', () => {
  it('splits hosts in order and takes target_session_attrs out', () => {
    const list = parseHostList('postgresql://u:p@h1:5433,h2/db?sslmode=disable&target_session_attrs=read-write');
    assert.deepEqual(list.urls, ['postgresql://u:p@h1:5433/db?sslmode=disable', 'postgresql://u:p@h2/db?sslmode=disable']);
    assert.deepEqual(list.names, ['h1:5433', 'h2:5432']);
    assert.equal(list.target, 'read-write');
    assert.equal(parseHostList('postgres://h/db').target, 'any');
    assert.equal(parseHostList('postgres://h/db?target_session_attrs=primary').target, 'read-write');
    assert.throws(() => parseHostList('postgres://h/db?target_session_attrs=standby'), /Unsupported target_session_attrs/);
  });
  it('drops a host on connection loss, shutdown or a read-only primary, not on SQL errors', () => {
    assert.equal(isHostLost(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })), true);
    assert.equal(isHostLost(new Error('Connection terminated unexpectedly')), true);
    for (const code of ['57P01', '25006', '08006']) assert.equal(isHostLost(Object.assign(new Error(code), { code })), true);
    for (const code of ['40001', '23505', '42P01']) assert.equal(isHostLost(Object.assign(new Error(code), { code })), false);
  });
});

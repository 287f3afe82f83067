/**
 * Burst credit: unused capacity is kept for up to 300 seconds per partition, so an idle
 * table absorbs a burst of about its idle seconds times its rate, while a partition never
 * serves more than 1,000 WCU / 3,000 RCU in a second. Time is a frozen, injected clock.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { Clock } from '../src/engine/clock.js';
import { startTestServer, type TestContext } from './helpers.js';
import { createTable } from './capacity.helpers.js';
import { encodeKeyValue, partitionHash } from '../src/values/keycodec.js';
import { partitionCount, partitionOf } from '../src/engine/capacity/throttle.js';

const kb = (n: number) => 'x'.repeat(n * 1024 - 50);
const provisioned = (read: number, write: number) => ({ BillingMode: 'PROVISIONED' as const, ProvisionedThroughput: { ReadCapacityUnits: read, WriteCapacityUnits: write } });

/** How many of `attempts` requests go through before the first throttle (all of them: `attempts`). */
async function admittedBeforeThrottle(attempts: number, send: (i: number) => Promise<unknown>): Promise<{ admitted: number; error?: ProvisionedThroughputExceededException }> {
  for (let i = 0; i < attempts; i++) {
    try {
      await send(i);
    } catch (err) {
      if (!(err instanceof ProvisionedThroughputExceededException)) throw err;
      return { admitted: i, error: err };
    }
  }
  return { admitted: attempts };
}

describe('throttling burst credit', () => {
  let t: TestContext;
  const clock = new Clock();
  before(async () => {
    clock.set(Date.parse('2026-06-01T00:00:00Z'), true);
    t = await startTestServer({ throttle: true, clock });
  });
  after(() => t.close());

  it('a 1-WCU table idle for a minute absorbs about sixty writes, and at most 300 seconds of them', async () => {
    await createTable(t, { TableName: 'idle', ...provisioned(1, 1) });
    const put = (i: number) => t.doc.send(new PutCommand({ TableName: 'idle', Item: { id: `k${i}` } }));
    // A new table holds one second of capacity.
    assert.equal((await admittedBeforeThrottle(5, put)).admitted, 1);

    clock.advance(60_000);
    const minute = await admittedBeforeThrottle(100, put);
    assert.equal(minute.admitted, 60);
    assert.equal(minute.error!.ThrottlingReasons?.[0]?.reason, 'TableWriteProvisionedThroughputExceeded');

    // Credit refills at the provisioned rate...
    clock.advance(10_000);
    assert.equal((await admittedBeforeThrottle(100, put)).admitted, 10);
    // ...and stops growing at 300 seconds' worth.
    clock.advance(3_600_000);
    assert.equal((await admittedBeforeThrottle(400, put)).admitted, 300);
  });

  it('reads keep their own burst credit; eventually consistent reads cost half', async () => {
    await createTable(t, { TableName: 'reads', ...provisioned(2, 1) });
    const get = () => t.doc.send(new GetCommand({ TableName: 'reads', Key: { id: 'a' } }));
    assert.equal((await admittedBeforeThrottle(10, get)).admitted, 4); // 2 RCU = four 0.5-RCU reads
    clock.advance(30_000);
    assert.equal((await admittedBeforeThrottle(200, get)).admitted, 120); // 60 RCU saved
  });

  it('burst credit never lifts a partition above 1,000 WCU in a second', async () => {
    await createTable(t, { TableName: 'ceiling', ...provisioned(1, 999) }); // one partition
    const put = (i: number) => t.doc.send(new PutCommand({ TableName: 'ceiling', Item: { id: 'hot', v: kb(100), i } }));
    assert.equal((await admittedBeforeThrottle(1, put)).admitted, 1);
    clock.advance(120_000); // 120,000 WCU of burst credit saved
    const burst = await admittedBeforeThrottle(50, put);
    // 100 WCU each: the partition's one-second ceiling (1,000 WCU) stops the eleventh.
    assert.equal(burst.admitted, 10);
    assert.equal(burst.error!.ThrottlingReasons?.[0]?.reason, 'TableWriteKeyRangeThroughputExceeded');
    clock.advance(1_000);
    assert.equal((await admittedBeforeThrottle(50, put)).admitted, 10);
  });

  it('each partition saves its own credit: a hot partition throttles while the table and the other partition still burst', async () => {
    // 1,001 WCU (+1 RCU) is two partitions of 500.5 WCU; 100 KB writes cost 100 WCU.
    await createTable(t, { TableName: 'split', ...provisioned(1, 1001) });
    const count = partitionCount({ read: 1, write: 1001 });
    assert.equal(count, 2);
    const partition = (id: string) => partitionOf(partitionHash(encodeKeyValue({ S: id })), count);
    let hot = 'hot0';
    for (let i = 1; partition(hot) === partition('warm'); i++) hot = `hot${i}`;
    let cold = 'cold0';
    for (let i = 1; partition(cold) !== partition('warm'); i++) cold = `cold${i}`;
    const put = (id: string) => () => t.doc.send(new PutCommand({ TableName: 'split', Item: { id, v: kb(100) } }));

    await t.doc.send(new PutCommand({ TableName: 'split', Item: { id: 'warm' } })); // the table's buckets start now
    clock.advance(500); // each partition: 500.5 + 250.25 WCU; the table: 1,000 + 500.5
    const busy = await admittedBeforeThrottle(20, put(hot));
    assert.equal(busy.admitted, 8);
    assert.equal(busy.error!.ThrottlingReasons?.[0]?.reason, 'TableWriteKeyRangeThroughputExceeded');
    // The other partition's credit is its own: it takes the same burst.
    assert.equal((await admittedBeforeThrottle(20, put(cold))).admitted, 8);
  });
});

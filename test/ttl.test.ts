/** Time to Live: UpdateTimeToLive / DescribeTimeToLive rules, the sweeper, and its stream records. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand, DescribeTimeToLiveCommand, GetItemCommand, PutItemCommand, QueryCommand, UpdateTimeToLiveCommand, DescribeTableCommand,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { createTable, expectError, startTestServer, type TestContext } from './helpers.js';
import { readStream, streamsClient } from './streams.helpers.js';

const HOUR = 60 * 60 * 1000;
let t: TestContext;
let streams: DynamoDBStreamsClient;

before(async () => {
  // Sweeps here are asked for through the control; the background sweeper (every 30 s by
  // default) would race with slow writes on a loaded machine.
  t = await startTestServer({ ttlIntervalMs: HOUR });
  streams = streamsClient(t.server.url);
});
after(async () => {
  streams.destroy();
  await t.close();
});

async function control(path: string, body: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(t.server.url + path, { method: 'POST', body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

describe('UpdateTimeToLive and DescribeTimeToLive', () => {
  it('enables, refuses repeats and quick changes, disables', async () => {
    await createTable(t.client, 'ttl-cfg', ['pk', 'S']);
    const describe = async () => (await t.client.send(new DescribeTimeToLiveCommand({ TableName: 'ttl-cfg' }))).TimeToLiveDescription;
    assert.deepEqual(await describe(), { TimeToLiveStatus: 'DISABLED' });
    const out = await t.client.send(new UpdateTimeToLiveCommand({ TableName: 'ttl-cfg', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } }));
    assert.deepEqual(out.TimeToLiveSpecification, { Enabled: true, AttributeName: 'expires' });
    assert.deepEqual(await describe(), { TimeToLiveStatus: 'ENABLED', AttributeName: 'expires' });
    await expectError(t.client.send(new UpdateTimeToLiveCommand({ TableName: 'ttl-cfg', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } })),
      'ValidationException', 'TimeToLive is already enabled');
    await expectError(t.client.send(new UpdateTimeToLiveCommand({ TableName: 'ttl-cfg', TimeToLiveSpecification: { Enabled: false, AttributeName: 'other' } })),
      'ValidationException', 'TimeToLive is active on a different AttributeName: current AttributeName is expires');
    await expectError(t.client.send(new UpdateTimeToLiveCommand({ TableName: 'ttl-cfg', TimeToLiveSpecification: { Enabled: false, AttributeName: 'expires' } })),
      'ValidationException', 'Time to live has been modified multiple times within a fixed interval');
    t.server.clock.advance(HOUR + 1000);
    try {
      await t.client.send(new UpdateTimeToLiveCommand({ TableName: 'ttl-cfg', TimeToLiveSpecification: { Enabled: false, AttributeName: 'expires' } }));
      assert.deepEqual(await describe(), { TimeToLiveStatus: 'DISABLED' });
      t.server.clock.advance(HOUR + 1000);
      await expectError(t.client.send(new UpdateTimeToLiveCommand({ TableName: 'ttl-cfg', TimeToLiveSpecification: { Enabled: false, AttributeName: 'expires' } })),
        'ValidationException', 'TimeToLive is already disabled');
    } finally {
      t.server.clock.reset();
    }
    await expectError(t.client.send(new DescribeTimeToLiveCommand({ TableName: 'nope' })), 'ResourceNotFoundException');
    await expectError(t.client.send(new UpdateTimeToLiveCommand({ TableName: 'ttl-cfg', TimeToLiveSpecification: { Enabled: true, AttributeName: '' } })), 'ValidationException');
  });
});

describe('the TTL sweeper', () => {
  it('deletes expired items only, keeps indexes and statistics, and streams REMOVE records with the service identity', async () => {
    const created = await t.client.send(new CreateTableCommand({
      TableName: 'sessions',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'user', AttributeType: 'S' }],
      GlobalSecondaryIndexes: [{ IndexName: 'by-user', KeySchema: [{ AttributeName: 'user', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'OLD_IMAGE' },
    }));
    const arn = created.TableDescription!.LatestStreamArn!;
    await t.client.send(new UpdateTimeToLiveCommand({ TableName: 'sessions', TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' } }));
    const now = Math.floor(Date.now() / 1000);
    const items: Record<string, any>[] = [
      { id: { S: 'past' }, user: { S: 'u' }, exp: { N: String(now - 60) } },
      { id: { S: 'future' }, user: { S: 'u' }, exp: { N: String(now + 3600) } },
      { id: { S: 'missing' }, user: { S: 'u' } },
      { id: { S: 'string' }, user: { S: 'u' }, exp: { S: String(now - 60) } },
      { id: { S: 'ancient' }, user: { S: 'u' }, exp: { N: String(now - 6 * 365 * 24 * 3600) } },
      { id: { S: 'fraction' }, user: { S: 'u' }, exp: { N: `${now - 10}.5` } },
    ];
    for (let i = 0; i < 1200; i++) items.push({ id: { S: `bulk${i}` }, exp: { N: String(now - 1) } });
    for (const item of items) await t.client.send(new PutItemCommand({ TableName: 'sessions', Item: item }));
    // Expired but not yet swept: still readable.
    assert.ok((await t.client.send(new GetItemCommand({ TableName: 'sessions', Key: { id: { S: 'past' } } }))).Item);

    const swept = await control('/openddb/ttl/sweep', { table: 'sessions' });
    assert.deepEqual(swept, { status: 200, json: { deleted: 1202 } });
    const left = await t.client.send(new QueryCommand({ TableName: 'sessions', IndexName: 'by-user', KeyConditionExpression: '#u = :u', ExpressionAttributeNames: { '#u': 'user' }, ExpressionAttributeValues: { ':u': { S: 'u' } } }));
    assert.deepEqual(left.Items!.map((i) => i.id!.S).sort(), ['ancient', 'future', 'missing', 'string']);
    const table = (await t.client.send(new DescribeTableCommand({ TableName: 'sessions' }))).Table!;
    assert.equal(table.ItemCount, 4);

    const removes = (await readStream(streams, arn)).filter((r) => r.eventName === 'REMOVE');
    assert.equal(removes.length, 1202);
    const past = removes.find((r) => r.dynamodb!.Keys!.id!.S === 'past')!;
    assert.deepEqual(past.userIdentity, { PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' });
    assert.deepEqual(past.dynamodb!.OldImage, items[0]);

    const metrics = await (await fetch(`${t.server.url}/metrics`)).text();
    assert.match(metrics, /TimeToLiveDeletedItemCount\{TableName="sessions"\} 1202/);
    assert.equal(await t.server.sweepTtl('sessions'), 0);
  });

  it('follows the server clock, set through the control endpoint', async () => {
    await createTable(t.client, 'later', ['id', 'S']);
    await t.client.send(new UpdateTimeToLiveCommand({ TableName: 'later', TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' } }));
    const inAnHour = Math.floor(Date.now() / 1000) + 3600;
    await t.client.send(new PutItemCommand({ TableName: 'later', Item: { id: { S: 'a' }, exp: { N: String(inAnHour) } } }));
    assert.equal(await t.server.sweepTtl('later'), 0);
    const moved = await control('/openddb/clock', { advance: 2 * HOUR });
    assert.equal(moved.status, 200);
    assert.ok(moved.json.now >= inAnHour * 1000);
    try {
      assert.deepEqual((await control('/openddb/ttl/sweep', { table: 'later' })).json, { deleted: 1 });
    } finally {
      await control('/openddb/clock', { reset: true });
    }
    assert.equal((await control('/openddb/ttl/sweep', {})).status, 400);
    assert.equal((await control('/openddb/nothing', {})).status, 404);
    assert.equal((await control('/openddb/clock', { advance: 'x' })).status, 400);
  });

  it('sweeps on its own every --ttl-interval', async () => {
    const fast = await startTestServer({ ttlIntervalMs: 50 });
    try {
      await createTable(fast.client, 'auto', ['id', 'S']);
      await fast.client.send(new UpdateTimeToLiveCommand({ TableName: 'auto', TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' } }));
      await fast.client.send(new PutItemCommand({ TableName: 'auto', Item: { id: { S: 'gone' }, exp: { N: '1700000000' } } }));
      for (let i = 0; i < 100; i++) {
        if ((await fast.client.send(new GetItemCommand({ TableName: 'auto', Key: { id: { S: 'gone' } } }))).Item === undefined) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.fail('the expired item was not swept');
    } finally {
      await fast.close();
    }
  });
});

/** GET /metrics, DescribeTable statistics, and the billing-mode rules of UpdateTable. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeTableCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DeleteCommand, GetCommand, PutCommand, QueryCommand, ScanCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { expectError, startTestServer, type TestContext } from './helpers.js';
import { createTable, sampleValue, scrape } from './capacity.helpers.js';
import { Metrics } from '../src/engine/metrics.js';

const withIndex = (name: string, billing: Record<string, unknown>, gsiThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number }) => ({
  TableName: name,
  ...billing,
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' as const }, { AttributeName: 'g', AttributeType: 'S' as const }],
  GlobalSecondaryIndexes: [{
    IndexName: 'by_g', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' as const }], Projection: { ProjectionType: 'KEYS_ONLY' as const },
    ...(gsiThroughput ? { ProvisionedThroughput: gsiThroughput } : {}),
  }],
});

describe('metrics', () => {
  let t: TestContext;
  before(async () => {
    t = await startTestServer();
    await createTable(t, withIndex('mtr', { BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 7, WriteCapacityUnits: 3 } }, { ReadCapacityUnits: 2, WriteCapacityUnits: 1 }));
  });
  after(() => t.close());

  it('serves CloudWatch-named series by table, index and operation', async () => {
    await t.doc.send(new PutCommand({ TableName: 'mtr', Item: { id: 'a', g: 'x' } }));
    await t.doc.send(new PutCommand({ TableName: 'mtr', Item: { id: 'b', g: 'x' } }));
    await t.doc.send(new GetCommand({ TableName: 'mtr', Key: { id: 'a' }, ConsistentRead: true }));
    await t.doc.send(new QueryCommand({ TableName: 'mtr', IndexName: 'by_g', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': 'x' } }));
    await expectError(t.doc.send(new PutCommand({ TableName: 'mtr', Item: { id: 'a' }, ConditionExpression: 'attribute_not_exists(id)' })), 'ConditionalCheckFailedException');
    const { text, samples } = await scrape(t.server.url);
    assert.match(text, /# TYPE ConsumedReadCapacityUnits counter/);
    const v = (name: string, labels: Record<string, string>) => sampleValue(samples, name, labels);
    assert.equal(v('ConsumedWriteCapacityUnits', { TableName: 'mtr', GlobalSecondaryIndexName: '', Operation: 'PutItem' }), 3, 'two puts and one failed conditional put');
    assert.equal(v('ConsumedWriteCapacityUnits', { TableName: 'mtr', GlobalSecondaryIndexName: 'by_g', Operation: 'PutItem' }), 2);
    assert.equal(v('ConsumedReadCapacityUnits', { TableName: 'mtr', GlobalSecondaryIndexName: '', Operation: 'GetItem' }), 1);
    assert.equal(v('ConsumedReadCapacityUnits', { TableName: 'mtr', GlobalSecondaryIndexName: 'by_g', Operation: 'Query' }), 0.5);
    assert.equal(v('ProvisionedReadCapacityUnits', { TableName: 'mtr', GlobalSecondaryIndexName: '' }), 7);
    assert.equal(v('ProvisionedWriteCapacityUnits', { TableName: 'mtr', GlobalSecondaryIndexName: 'by_g' }), 1);
    assert.equal(v('ReturnedItemCount', { TableName: 'mtr', Operation: 'Query' }), 2);
    assert.ok(v('ReturnedBytes', { TableName: 'mtr', Operation: 'Query' }) > 0);
    assert.equal(v('ConditionalCheckFailedRequests', { TableName: 'mtr' }), 1);
    assert.equal(v('SuccessfulRequestLatency_count', { TableName: 'mtr', Operation: 'GetItem' }), 1);
    assert.equal(v('UserErrors', { Operation: 'PutItem' }), 1);
  });
});

describe('SuccessfulRequestLatency', () => {
  it('counts each request in the first bucket whose bound it does not exceed, cumulatively, with sum and count', async () => {
    const metrics = new Metrics(() => []);
    for (const ms of [0.25, 0.3, 7, 2000]) metrics.succeeded('GetItem', 'T', ms);
    metrics.succeeded('ListTables', undefined, 1);
    const text = await metrics.text();
    const line = (labels: string) => new RegExp(`^SuccessfulRequestLatency${labels} (\\S+)$`, 'm').exec(text)?.[1];
    assert.match(text, /# TYPE SuccessfulRequestLatency histogram/);
    assert.equal(line('_bucket\\{le="0.25",TableName="T",Operation="GetItem"\\}'), '1');
    assert.equal(line('_bucket\\{le="0.5",TableName="T",Operation="GetItem"\\}'), '2');
    assert.equal(line('_bucket\\{le="5",TableName="T",Operation="GetItem"\\}'), '2');
    assert.equal(line('_bucket\\{le="10",TableName="T",Operation="GetItem"\\}'), '3');
    assert.equal(line('_bucket\\{le="1000",TableName="T",Operation="GetItem"\\}'), '3');
    assert.equal(line('_bucket\\{le="\\+Inf",TableName="T",Operation="GetItem"\\}'), '4');
    assert.equal(line('_sum\\{TableName="T",Operation="GetItem"\\}'), '2007.55');
    assert.equal(line('_count\\{TableName="T",Operation="GetItem"\\}'), '4');
    assert.equal(line('_count\\{TableName="",Operation="ListTables"\\}'), '1');
  });
});

describe('DescribeTable statistics', () => {
  let t: TestContext;
  before(async () => {
    t = await startTestServer();
    await createTable(t, withIndex('sts', { BillingMode: 'PAY_PER_REQUEST' }));
  });
  after(() => t.close());

  /** Checks the stored counts against what a full read finds. */
  async function checkStats(): Promise<{ items: number; bytes: number; indexItems: number; indexBytes: number }> {
    const { Table } = await t.client.send(new DescribeTableCommand({ TableName: 'sts' }));
    const scan = await t.doc.send(new ScanCommand({ TableName: 'sts', ConsistentRead: true }));
    const indexScan = await t.doc.send(new ScanCommand({ TableName: 'sts', IndexName: 'by_g' }));
    const index = Table!.GlobalSecondaryIndexes![0]!;
    assert.equal(Table!.ItemCount, scan.Count);
    assert.equal(index.ItemCount, indexScan.Count);
    return { items: Table!.ItemCount!, bytes: Table!.TableSizeBytes!, indexItems: index.ItemCount!, indexBytes: index.IndexSizeBytes! };
  }

  it('keeps ItemCount, TableSizeBytes and IndexSizeBytes exact through every kind of write', async () => {
    await t.doc.send(new PutCommand({ TableName: 'sts', Item: { id: 'a', g: 'x', v: 'hello' } }));
    // id(2+1) + g(1+1) + v(1+5) = 11 bytes; the KEYS_ONLY entry holds id and g: 5 bytes.
    assert.deepEqual(await checkStats(), { items: 1, bytes: 11, indexItems: 1, indexBytes: 5 });
    await t.doc.send(new UpdateCommand({ TableName: 'sts', Key: { id: 'a' }, UpdateExpression: 'SET g = :g REMOVE v', ExpressionAttributeValues: { ':g': 'yy' } }));
    assert.deepEqual(await checkStats(), { items: 1, bytes: 6, indexItems: 1, indexBytes: 6 });
    await t.doc.send(new BatchWriteCommand({ RequestItems: { sts: [{ PutRequest: { Item: { id: 'b' } } }, { PutRequest: { Item: { id: 'c', g: 'z' } } }] } }));
    assert.deepEqual(await checkStats(), { items: 3, bytes: 6 + 3 + 5, indexItems: 2, indexBytes: 6 + 5 });
    await t.doc.send(new TransactWriteCommand({ TransactItems: [
      { Delete: { TableName: 'sts', Key: { id: 'c' } } },
      { Update: { TableName: 'sts', Key: { id: 'b' }, UpdateExpression: 'SET g = :g', ExpressionAttributeValues: { ':g': 'w' } } },
    ] }));
    assert.deepEqual(await checkStats(), { items: 2, bytes: 6 + 5, indexItems: 2, indexBytes: 6 + 5 });
    await t.doc.send(new UpdateCommand({ TableName: 'sts', Key: { id: 'b' }, UpdateExpression: 'REMOVE g' }));
    await t.doc.send(new DeleteCommand({ TableName: 'sts', Key: { id: 'a' } }));
    assert.deepEqual(await checkStats(), { items: 1, bytes: 3, indexItems: 0, indexBytes: 0 });
  });
});

describe('billing modes', () => {
  let t: TestContext;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());
  const update = (input: Record<string, unknown>) => t.client.send(new UpdateTableCommand({ TableName: 'bil', ...input }));

  it('switches between modes with DynamoDB rules', async () => {
    await createTable(t, withIndex('bil', { BillingMode: 'PAY_PER_REQUEST' }));
    await expectError(update({ BillingMode: 'PROVISIONED' }), 'ValidationException',
      'One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED');
    await expectError(update({ BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } }), 'ValidationException',
      'One or more parameter values were invalid: ProvisionedThroughput must be specified for index: by_g');
    const toProvisioned = {
      BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'by_g', ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 } } }],
    };
    const provisioned = await update(toProvisioned);
    assert.equal(provisioned.TableDescription!.BillingModeSummary!.BillingMode, 'PROVISIONED');
    assert.equal(provisioned.TableDescription!.GlobalSecondaryIndexes![0]!.ProvisionedThroughput!.WriteCapacityUnits, 2);
    for (let i = 0; i < 4; i++) {
      const onDemand = await update({ BillingMode: 'PAY_PER_REQUEST' });
      const summary = onDemand.TableDescription!.BillingModeSummary!;
      assert.equal(summary.BillingMode, 'PAY_PER_REQUEST');
      assert.ok(summary.LastUpdateToPayPerRequestDateTime instanceof Date);
      assert.equal(onDemand.TableDescription!.ProvisionedThroughput!.ReadCapacityUnits, 0);
      await update(toProvisioned);
    }
    await expectError(update({ BillingMode: 'PAY_PER_REQUEST' }), 'LimitExceededException', /Update to PayPerRequest mode are limited to 4 times/);
  });

  it('limits decreases to four per UTC day (then one per hour)', async () => {
    await createTable(t, { TableName: 'dec', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 100, WriteCapacityUnits: 100 } });
    let description;
    for (let n = 99; n > 95; n--) {
      description = (await t.client.send(new UpdateTableCommand({ TableName: 'dec', ProvisionedThroughput: { ReadCapacityUnits: n, WriteCapacityUnits: 100 } })))
        .TableDescription!;
    }
    assert.equal(description!.ProvisionedThroughput!.NumberOfDecreasesToday, 4);
    assert.ok(description!.ProvisionedThroughput!.LastDecreaseDateTime instanceof Date);
    await expectError(
      t.client.send(new UpdateTableCommand({ TableName: 'dec', ProvisionedThroughput: { ReadCapacityUnits: 50, WriteCapacityUnits: 100 } })),
      'LimitExceededException', /Provisioned throughput decreases are limited within a given UTC day/,
    );
    // Increases are not limited.
    await t.client.send(new UpdateTableCommand({ TableName: 'dec', ProvisionedThroughput: { ReadCapacityUnits: 500, WriteCapacityUnits: 100 } }));
  });

  it('keeps OnDemandThroughput maxima for tables and GSIs', async () => {
    await createTable(t, { TableName: 'odt' });
    const out = await t.client.send(new UpdateTableCommand({ TableName: 'odt', OnDemandThroughput: { MaxReadRequestUnits: 100 } }));
    assert.deepEqual(out.TableDescription!.OnDemandThroughput, { MaxReadRequestUnits: 100, MaxWriteRequestUnits: -1 });
  });
});

/**
 * The AWS SDK for JavaScript v2 (aws-sdk) works against OpenDDB unchanged, over HTTP:
 * table lifecycle and waiters, items, paged queries and scans, updates, batches,
 * transactions, errors (codes, status, messages, cancellation reasons), the
 * DocumentClient's sets, numbers and binary, and v2's x-amz-crc32 check on every answer,
 * including gzip-compressed ones, with no retries.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import type { AWSError, DynamoDB as DynamoDBType, Request, Response } from 'aws-sdk';
import { startServer, type RunningServer } from '../src/index.js';

// v2 prints an end-of-support notice on a timer set when it loads; this documented
// variable, set before the import, keeps test output clean.
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1';
const { default: AWS } = await import('aws-sdk');

type AttributeMap = DynamoDBType.AttributeMap;

/** Asserts that `promise` rejects with an AWSError of this code and status 400; returns it. */
async function awsError(promise: Promise<unknown>, code: string, message?: string): Promise<AWSError & Record<string, any>> {
  try {
    await promise;
  } catch (err) {
    const e = err as AWSError;
    assert.equal(e.code, code, `expected ${code}, got ${e.code}: ${e.message}`);
    assert.equal(e.statusCode, 400);
    if (message !== undefined) assert.equal(e.message, message);
    return e as AWSError & Record<string, any>;
  }
  assert.fail(`expected ${code} but the call succeeded`);
}

const sortedKeys = (items: AttributeMap[] | undefined, attr: string) => (items ?? []).map((i) => i[attr]!.S ?? i[attr]!.N).sort();

describe('AWS SDK v2 against OpenDDB', () => {
  let server: RunningServer;
  let ddb: DynamoDBType;
  let doc: DynamoDBType.DocumentClient;
  /** Every finished request: operation, retries, whether v2's CRC32 check had a header to check, content encoding. */
  const finished: { op: string; retries: number; crc: boolean; encoding: string | undefined }[] = [];

  before(async () => {
    server = await startServer({ logLevel: 'silent' });
    ddb = new AWS.DynamoDB({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      maxRetries: 1, // a CRC32 mismatch is retried: with one retry it shows in `finished`, not as a timeout
      httpOptions: { timeout: 3000, connectTimeout: 1000 },
    });
    // customizeRequests and Request.operation are in v2's JavaScript API but not its typings.
    (ddb as any).customizeRequests((req: Request<any, AWSError> & { operation: string }) => {
      req.on('complete', (resp: Response<any, AWSError>) => {
        const headers = resp.httpResponse.headers;
        finished.push({ op: req.operation, retries: resp.retryCount, crc: headers['x-amz-crc32'] !== undefined, encoding: headers['content-encoding'] });
      });
    });
    doc = new AWS.DynamoDB.DocumentClient({ service: ddb });
  });
  after(() => server.close());

  it('creates a table with .promise() and waits for it with waitFor("tableExists")', async () => {
    const created = await ddb.createTable({
      TableName: 'V2Items',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }, { AttributeName: 'color', AttributeType: 'S' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byColor', KeySchema: [{ AttributeName: 'color', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
    }).promise();
    assert.equal(created.TableDescription!.TableName, 'V2Items');
    assert.match(created.TableDescription!.TableArn!, /^arn:aws:dynamodb:us-east-1:\d{12}:table\/V2Items$/);
    assert.ok(created.TableDescription!.CreationDateTime instanceof Date, 'v2 parsed the epoch-seconds timestamp');

    const waited = await ddb.waitFor('tableExists', { TableName: 'V2Items', $waiter: { delay: 1, maxAttempts: 3 } }).promise();
    assert.equal(waited.Table!.TableStatus, 'ACTIVE');
    assert.equal(waited.Table!.GlobalSecondaryIndexes![0]!.IndexStatus, 'ACTIVE');

    await ddb.createTable({
      TableName: 'V2Accounts',
      ProvisionedThroughput: { ReadCapacityUnits: 50, WriteCapacityUnits: 50 },
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    }).promise();
    await ddb.waitFor('tableExists', { TableName: 'V2Accounts', $waiter: { delay: 1, maxAttempts: 3 } }).promise();
    await awsError(ddb.createTable({
      TableName: 'V2Accounts', BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    }).promise(), 'ResourceInUseException');
  });

  it('puts and gets items in low-level form', async () => {
    const put = await ddb.putItem({
      TableName: 'V2Items',
      Item: { pk: { S: 'p' }, sk: { N: '1' }, color: { S: 'red' }, n: { N: '3.14' }, b: { B: Buffer.from([0, 255]) }, ok: { BOOL: true }, nothing: { NULL: true } },
      ReturnValues: 'ALL_OLD',
      ReturnConsumedCapacity: 'TOTAL',
    }).promise();
    assert.equal(put.Attributes, undefined);
    assert.deepEqual(put.ConsumedCapacity, { TableName: 'V2Items', CapacityUnits: 2 }); // one write to the table, one to the GSI

    const { Item } = await ddb.getItem({ TableName: 'V2Items', Key: { pk: { S: 'p' }, sk: { N: '1' } }, ConsistentRead: true }).promise();
    assert.deepEqual(Item!.n, { N: '3.14' });
    assert.ok(Buffer.isBuffer(Item!.b!.B));
    assert.equal((Item!.b!.B as Buffer).toString('hex'), '00ff');
    assert.deepEqual(Item!.ok, { BOOL: true });
    assert.deepEqual(Item!.nothing, { NULL: true });
    const projected = await ddb.getItem({ TableName: 'V2Items', Key: { pk: { S: 'p' }, sk: { N: '1' } }, ProjectionExpression: '#c, n', ExpressionAttributeNames: { '#c': 'color' } }).promise();
    assert.deepEqual(projected.Item, { color: { S: 'red' }, n: { N: '3.14' } });
    const missing = await ddb.getItem({ TableName: 'V2Items', Key: { pk: { S: 'p' }, sk: { N: '999' } } }).promise();
    assert.deepEqual(missing, {});
  });

  it('pages a query and a scan through LastEvaluatedKey', async () => {
    const writes = [];
    for (let sk = 2; sk <= 30; sk++) {
      writes.push(ddb.putItem({ TableName: 'V2Items', Item: { pk: { S: sk % 2 ? 'p' : 'q' }, sk: { N: String(sk) }, color: { S: sk % 3 ? 'blue' : 'red' } } }).promise());
    }
    await Promise.all(writes);

    const queried: number[] = [];
    let start: AttributeMap | undefined;
    let pages = 0;
    do {
      const page = await ddb.query({
        TableName: 'V2Items', Limit: 4, ExclusiveStartKey: start,
        KeyConditionExpression: 'pk = :p AND sk BETWEEN :lo AND :hi',
        ExpressionAttributeValues: { ':p': { S: 'p' }, ':lo': { N: '1' }, ':hi': { N: '25' } },
      }).promise();
      queried.push(...page.Items!.map((i) => Number(i.sk!.N)));
      assert.ok(page.Count! <= 4);
      start = page.LastEvaluatedKey;
      if (start) assert.deepEqual(Object.keys(start).sort(), ['pk', 'sk']);
      pages++;
    } while (start && pages < 20);
    assert.deepEqual(queried, [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25]);
    assert.equal(pages, 4); // 4 + 4 + 4 + 1: the last page is short, so it has no LastEvaluatedKey

    const backwards = await ddb.query({
      TableName: 'V2Items', IndexName: 'byColor', ScanIndexForward: false, Limit: 3,
      KeyConditionExpression: 'color = :c', ExpressionAttributeValues: { ':c': { S: 'red' } },
    }).promise();
    assert.deepEqual(backwards.Items!.map((i) => i.sk!.N), ['30', '27', '24']);
    assert.deepEqual(Object.keys(backwards.LastEvaluatedKey!).sort(), ['color', 'pk', 'sk']);

    const scanned: string[] = [];
    let scannedCount = 0;
    start = undefined;
    pages = 0;
    do {
      const page = await ddb.scan({
        TableName: 'V2Items', Limit: 7, ExclusiveStartKey: start,
        FilterExpression: 'color = :c', ExpressionAttributeValues: { ':c': { S: 'blue' } },
      }).promise();
      scanned.push(...page.Items!.map((i) => `${i.pk!.S}${i.sk!.N}`));
      scannedCount += page.ScannedCount!;
      start = page.LastEvaluatedKey;
      pages++;
    } while (start && pages < 20);
    assert.equal(scannedCount, 30);
    assert.equal(scanned.length, 19); // sk 2..30 not divisible by 3 (sk 1 is red)
    assert.equal(new Set(scanned).size, 19);
    const counted = await ddb.scan({ TableName: 'V2Items', Select: 'COUNT' }).promise();
    assert.equal(counted.Count, 30);
    assert.equal(counted.Items, undefined);
  });

  it('updates with ReturnValues ALL_NEW and UPDATED_OLD', async () => {
    const updated = await ddb.updateItem({
      TableName: 'V2Items', Key: { pk: { S: 'p' }, sk: { N: '1' } },
      UpdateExpression: 'SET n = n + :d, tags = :t, m.deep = :i REMOVE nothing ADD hits :one',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(hits)',
      ExpressionAttributeValues: { ':d': { N: '0.86' }, ':t': { SS: ['x', 'y'] }, ':i': { L: [{ N: '1' }, { S: 'two' }] }, ':one': { N: '1' } },
      ReturnValues: 'ALL_NEW',
    }).promise().catch((e) => e);
    // m does not exist yet: SET m.inner is an invalid document path, as in DynamoDB.
    assert.equal(updated.code, 'ValidationException');
    assert.equal(updated.message, 'The document path provided in the update expression is invalid for update');

    const fixed = await ddb.updateItem({
      TableName: 'V2Items', Key: { pk: { S: 'p' }, sk: { N: '1' } },
      UpdateExpression: 'SET n = n + :d, tags = :t, m = :m REMOVE nothing ADD hits :one',
      ExpressionAttributeValues: { ':d': { N: '0.86' }, ':t': { SS: ['x', 'y'] }, ':m': { M: { deep: { L: [{ N: '1' }, { S: 'two' }] } } }, ':one': { N: '1' } },
      ReturnValues: 'ALL_NEW',
    }).promise();
    assert.deepEqual(fixed.Attributes, {
      pk: { S: 'p' }, sk: { N: '1' }, color: { S: 'red' }, n: { N: '4' }, b: { B: Buffer.from([0, 255]) }, ok: { BOOL: true },
      tags: { SS: ['x', 'y'] }, m: { M: { deep: { L: [{ N: '1' }, { S: 'two' }] } } }, hits: { N: '1' },
    });
    const old = await ddb.updateItem({
      TableName: 'V2Items', Key: { pk: { S: 'p' }, sk: { N: '1' } },
      UpdateExpression: 'ADD hits :one, tags :z', ExpressionAttributeValues: { ':one': { N: '1' }, ':z': { SS: ['z'] } },
      ReturnValues: 'UPDATED_OLD',
    }).promise();
    assert.deepEqual(old.Attributes, { hits: { N: '1' }, tags: { SS: ['x', 'y'] } });
  });

  it('fails a ConditionExpression with ConditionalCheckFailedException (400), not retried', async () => {
    const before = finished.length;
    const err = await awsError(ddb.putItem({
      TableName: 'V2Items', Item: { pk: { S: 'p' }, sk: { N: '1' } },
      ConditionExpression: 'attribute_not_exists(pk)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    }).promise(), 'ConditionalCheckFailedException', 'The conditional request failed');
    assert.equal(err.retryable, false);
    // DynamoDB returns the item in the error; v2 exposes the error body's extra members on the error.
    assert.deepEqual(err.Item.hits, { N: '2' });
    assert.deepEqual(finished.slice(before).map((f) => [f.op, f.retries]), [['putItem', 0]]);
    const still = await ddb.getItem({ TableName: 'V2Items', Key: { pk: { S: 'p' }, sk: { N: '1' } } }).promise();
    assert.deepEqual(still.Item!.color, { S: 'red' });
  });

  it('writes and reads batches', async () => {
    const written = await ddb.batchWriteItem({
      RequestItems: {
        V2Accounts: [1, 2, 3, 4].map((i) => ({ PutRequest: { Item: { id: { S: `a${i}` }, balance: { N: String(i * 100) } } } })),
        V2Items: [{ DeleteRequest: { Key: { pk: { S: 'q' }, sk: { N: '30' } } } }],
      },
    }).promise();
    assert.deepEqual(written.UnprocessedItems, {});

    const read = await ddb.batchGetItem({
      RequestItems: {
        V2Accounts: { Keys: [{ id: { S: 'a1' } }, { id: { S: 'a4' } }, { id: { S: 'nope' } }], ProjectionExpression: 'id, balance' },
        V2Items: { Keys: [{ pk: { S: 'q' }, sk: { N: '30' } }, { pk: { S: 'q' }, sk: { N: '28' } }], ConsistentRead: true },
      },
    }).promise();
    assert.deepEqual(read.Responses!.V2Accounts!.map((i) => [i.id!.S, i.balance!.N]).sort(), [['a1', '100'], ['a4', '400']]);
    assert.deepEqual(sortedKeys(read.Responses!.V2Items, 'sk'), ['28']);
    assert.deepEqual(read.UnprocessedKeys, {});
  });

  it('runs transactions and exposes a cancellation\'s reasons', async () => {
    await ddb.transactWriteItems({
      TransactItems: [
        { Update: { TableName: 'V2Accounts', Key: { id: { S: 'a1' } }, UpdateExpression: 'SET balance = balance - :x', ConditionExpression: 'balance >= :x', ExpressionAttributeValues: { ':x': { N: '60' } } } },
        { Update: { TableName: 'V2Accounts', Key: { id: { S: 'a2' } }, UpdateExpression: 'SET balance = balance + :x', ExpressionAttributeValues: { ':x': { N: '60' } } } },
      ],
      ClientRequestToken: 'transfer-1',
    }).promise();

    const err = await awsError(ddb.transactWriteItems({
      TransactItems: [
        { Put: { TableName: 'V2Accounts', Item: { id: { S: 'a9' }, balance: { N: '1' } } } },
        { Update: { TableName: 'V2Accounts', Key: { id: { S: 'a1' } }, UpdateExpression: 'SET balance = balance - :x', ConditionExpression: 'balance >= :x', ExpressionAttributeValues: { ':x': { N: '1000' } }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
        { ConditionCheck: { TableName: 'V2Accounts', Key: { id: { S: 'a3' } }, ConditionExpression: 'attribute_exists(id)' } },
      ],
    }).promise(), 'TransactionCanceledException',
    'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, None]');
    assert.deepEqual(err.CancellationReasons, [
      { Code: 'None' },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { id: { S: 'a1' }, balance: { N: '40' } } },
      { Code: 'None' },
    ]);

    const got = await ddb.transactGetItems({
      TransactItems: ['a1', 'a2', 'a9'].map((id) => ({ Get: { TableName: 'V2Accounts', Key: { id: { S: id } } } })),
    }).promise();
    assert.deepEqual(got.Responses!.map((r) => r.Item?.balance?.N), ['40', '260', undefined]);
  });

  it('round-trips DocumentClient sets, numbers, binary and nested maps', async () => {
    const item = {
      pk: 'doc', sk: 1,
      strings: doc.createSet(['b', 'a']), numbers: doc.createSet([1, 2.5, -3]), blobs: doc.createSet([Buffer.from('hi'), Buffer.from([0])]),
      count: 42, float: 0.1, negative: -7.25, big: 12345678901234,
      bin: Buffer.from([1, 2, 3]),
      nested: { level1: { level2: { arr: [1, 'two', { three: true }, null], empty: {} } } },
      flag: false, none: null,
    };
    await doc.put({ TableName: 'V2Items', Item: item }).promise();
    const { Item } = await doc.get({ TableName: 'V2Items', Key: { pk: 'doc', sk: 1 } }).promise();
    assert.equal(Item!.strings.type, 'String');
    assert.deepEqual([...Item!.strings.values].sort(), ['a', 'b']);
    assert.equal(Item!.numbers.type, 'Number');
    assert.deepEqual([...Item!.numbers.values].sort((a: number, b: number) => a - b), [-3, 1, 2.5]);
    assert.equal(Item!.blobs.type, 'Binary');
    assert.deepEqual(Item!.blobs.values.map((b: Buffer) => b.toString('hex')).sort(), ['00', '6869']);
    assert.equal(Item!.count, 42);
    assert.equal(Item!.float, 0.1);
    assert.equal(Item!.negative, -7.25);
    assert.equal(Item!.big, 12345678901234);
    assert.ok(Buffer.isBuffer(Item!.bin));
    assert.equal(Item!.bin.toString('hex'), '010203');
    assert.deepEqual(Item!.nested, { level1: { level2: { arr: [1, 'two', { three: true }, null], empty: {} } } });
    assert.equal(Item!.flag, false);
    assert.equal(Item!.none, null);

    const updated = await doc.update({
      TableName: 'V2Items', Key: { pk: 'doc', sk: 1 },
      UpdateExpression: 'ADD strings :s, #c :n DELETE numbers :gone SET nested.level1.level2.arr[1] = :v',
      ExpressionAttributeNames: { '#c': 'count' }, // COUNT is a reserved word
      ExpressionAttributeValues: { ':s': doc.createSet(['c']), ':n': -2, ':gone': doc.createSet([2.5]), ':v': 'TWO' },
      ReturnValues: 'UPDATED_NEW',
    }).promise();
    assert.deepEqual([...updated.Attributes!.strings.values].sort(), ['a', 'b', 'c']);
    assert.deepEqual([...updated.Attributes!.numbers.values].sort(), [-3, 1]);
    assert.equal(updated.Attributes!.count, 40);
    assert.deepEqual(updated.Attributes!.nested, { level1: { level2: { arr: ['TWO'] } } });

    // 38 significant digits survive the trip when the DocumentClient is told not to make JS numbers.
    const exact = new AWS.DynamoDB.DocumentClient({ service: ddb, wrapNumbers: true });
    await ddb.putItem({ TableName: 'V2Items', Item: { pk: { S: 'doc' }, sk: { N: '2' }, precise: { N: '1234567890.1234567890123456789012345678' } } }).promise();
    const precise = await exact.get({ TableName: 'V2Items', Key: { pk: 'doc', sk: 2 } }).promise();
    assert.equal(String(precise.Item!.precise), '1234567890.1234567890123456789012345678');

    const queried = await doc.query({
      TableName: 'V2Items', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'doc' },
      ProjectionExpression: 'sk, #c', ExpressionAttributeNames: { '#c': 'count' },
    }).promise();
    assert.deepEqual(queried.Items, [{ sk: 1, count: 40 }, { sk: 2 }]);
  });

  it('checks x-amz-crc32 on plain and gzip-compressed answers', async () => {
    // v2 never asks for compression and cannot decompress, so this request does both itself:
    // it asks for gzip and, after v2's CRC32 check (over the bytes received, as DynamoDB
    // computes it), gunzips the body before v2 parses the JSON.
    const big = 'x'.repeat(4000);
    await ddb.putItem({ TableName: 'V2Items', Item: { pk: { S: 'big' }, sk: { N: '1' }, text: { S: big } } }).promise();
    const req = ddb.getItem({ TableName: 'V2Items', Key: { pk: { S: 'big' }, sk: { N: '1' } } });
    req.on('build', () => {
      req.httpRequest.headers['Accept-Encoding'] = 'gzip';
    });
    const extractJson = (AWS.EventListeners as any).Json.EXTRACT_DATA;
    (req as any).removeListener('extractData', extractJson);
    req.on('extractData', (resp: Response<any, AWSError>) => {
      if (resp.httpResponse.headers['content-encoding'] === 'gzip') resp.httpResponse.body = gunzipSync(resp.httpResponse.body as Buffer);
    });
    req.on('extractData', extractJson);
    const before = finished.length;
    const { Item } = await req.promise();
    assert.equal(Item!.text!.S, big);
    const [answer] = finished.slice(before);
    assert.deepEqual(answer, { op: 'getItem', retries: 0, crc: true, encoding: 'gzip' });

    const plain = await ddb.getItem({ TableName: 'V2Items', Key: { pk: { S: 'big' }, sk: { N: '1' } } }).promise();
    assert.equal(plain.Item!.text!.S, big);
    assert.deepEqual(finished.at(-1), { op: 'getItem', retries: 0, crc: true, encoding: undefined });
  });

  it('answers a missing table with ResourceNotFoundException and DynamoDB\'s messages', async () => {
    const notFound = 'Requested resource not found';
    await awsError(ddb.getItem({ TableName: 'Nope', Key: { id: { S: 'x' } } }).promise(), 'ResourceNotFoundException', notFound);
    await awsError(ddb.putItem({ TableName: 'Nope', Item: { id: { S: 'x' } } }).promise(), 'ResourceNotFoundException', notFound);
    await awsError(ddb.query({ TableName: 'Nope', KeyConditionExpression: 'id = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } }).promise(), 'ResourceNotFoundException', notFound);
    await awsError(ddb.scan({ TableName: 'Nope' }).promise(), 'ResourceNotFoundException', notFound);
    await awsError(doc.get({ TableName: 'Nope', Key: { id: 'x' } }).promise(), 'ResourceNotFoundException', notFound);
    await awsError(ddb.describeTable({ TableName: 'Nope' }).promise(), 'ResourceNotFoundException', 'Requested resource not found: Table: Nope not found');
    await awsError(ddb.deleteTable({ TableName: 'Nope' }).promise(), 'ResourceNotFoundException', 'Requested resource not found: Table: Nope not found');
  });

  it('describes, lists and deletes tables', async () => {
    const { Table } = await ddb.describeTable({ TableName: 'V2Accounts' }).promise();
    assert.equal(Table!.TableStatus, 'ACTIVE');
    assert.deepEqual(Table!.KeySchema, [{ AttributeName: 'id', KeyType: 'HASH' }]);
    assert.equal(Table!.ProvisionedThroughput!.ReadCapacityUnits, 50);
    assert.equal(Table!.ItemCount !== undefined, true);

    await ddb.createTable({
      TableName: 'V2Temp', BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    }).promise();
    assert.deepEqual((await ddb.listTables({}).promise()).TableNames, ['V2Accounts', 'V2Items', 'V2Temp']);
    const first = await ddb.listTables({ Limit: 2 }).promise();
    assert.deepEqual(first, { TableNames: ['V2Accounts', 'V2Items'], LastEvaluatedTableName: 'V2Items' });
    const rest = await ddb.listTables({ Limit: 2, ExclusiveStartTableName: first.LastEvaluatedTableName }).promise();
    assert.deepEqual(rest, { TableNames: ['V2Temp'] });

    const deleted = await ddb.deleteTable({ TableName: 'V2Temp' }).promise();
    assert.equal(deleted.TableDescription!.TableName, 'V2Temp');
    assert.equal(deleted.TableDescription!.TableStatus, 'DELETING');
    await ddb.waitFor('tableNotExists', { TableName: 'V2Temp', $waiter: { delay: 1, maxAttempts: 5 } }).promise();
    assert.deepEqual((await ddb.listTables({}).promise()).TableNames, ['V2Accounts', 'V2Items']);
  });

  it('never needed a retry: every answer carried a CRC32 that v2 accepted', () => {
    assert.ok(finished.length > 40, `${finished.length} requests seen`);
    assert.deepEqual(finished.filter((f) => f.retries > 0), []);
    assert.deepEqual(finished.filter((f) => !f.crc), []);
  });
});

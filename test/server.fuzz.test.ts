/**
 * Bad input never crashes the server: seeded random mutations of valid requests for
 * every implemented operation must answer 200 or a 4xx DynamoDB error, never 500.
 *
 * Each mutation starts from a request that is valid at that moment: state a base request
 * depends on (the item its condition or update reads) is restored before every round, and
 * the base request itself is checked to succeed there, so mutations probe the request
 * parsing and validation rather than an error path an earlier round left behind.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rawRequest, startTestServer, type TestContext } from './helpers.js';
import { seededRandom } from './seededRandom.js';

const KEY = { pk: { S: 'a' }, sk: { N: '1' } };
const ITEM = { ...KEY, s: { S: 'x' }, n: { N: '2' }, l: { L: [{ S: 'y' }, { M: { z: { BOOL: true } } }] }, ss: { SS: ['p', 'q'] } };

const VALID: Record<string, Record<string, unknown>> = {
  PutItem: { TableName: 'fuzz', Item: ITEM, ConditionExpression: 'attribute_not_exists(#s) OR n < :v', ExpressionAttributeNames: { '#s': 's' }, ExpressionAttributeValues: { ':v': { N: '5' } }, ReturnValues: 'ALL_OLD' },
  GetItem: { TableName: 'fuzz', Key: KEY, ProjectionExpression: 'l[1].z, #s', ExpressionAttributeNames: { '#s': 's' }, ConsistentRead: true },
  DeleteItem: { TableName: 'fuzz', Key: KEY, ConditionExpression: 'contains(ss, :p)', ExpressionAttributeValues: { ':p': { S: 'p' } } },
  UpdateItem: { TableName: 'fuzz', Key: KEY, UpdateExpression: 'SET n = n + :one, l[5] = :s ADD ss :set REMOVE s', ExpressionAttributeValues: { ':one': { N: '1' }, ':s': { S: 's' }, ':set': { SS: ['r'] } }, ReturnValues: 'UPDATED_NEW' },
  Query: { TableName: 'fuzz', KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b', FilterExpression: 'size(l) > :z', ExpressionAttributeValues: { ':p': { S: 'a' }, ':a': { N: '0' }, ':b': { N: '9' }, ':z': { N: '0' } }, Limit: 5, ScanIndexForward: false },
  Scan: { TableName: 'fuzz', FilterExpression: 'begins_with(s, :x)', ExpressionAttributeValues: { ':x': { S: 'x' } }, Segment: 0, TotalSegments: 2, Limit: 3 },
  BatchWriteItem: { RequestItems: { fuzz: [{ PutRequest: { Item: ITEM } }, { DeleteRequest: { Key: { pk: { S: 'b' }, sk: { N: '1' } } } }] } },
  BatchGetItem: { RequestItems: { fuzz: { Keys: [KEY], ProjectionExpression: 'pk, n' } } },
  TransactWriteItems: { TransactItems: [{ Put: { TableName: 'fuzz', Item: ITEM } }, { Update: { TableName: 'fuzz', Key: { pk: { S: 'c' }, sk: { N: '1' } }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { N: '1' } } } }] },
  TransactGetItems: { TransactItems: [{ Get: { TableName: 'fuzz', Key: KEY } }] },
  CreateTable: { TableName: 'fuzz2', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' },
  UpdateTable: { TableName: 'fuzz', BillingMode: 'PAY_PER_REQUEST' },
  DescribeTable: { TableName: 'fuzz' },
  ListTables: { Limit: 10 },
};

/** Operations whose base request reads the item at KEY: it is put back before each round. */
const READS_ITEM = new Set(['PutItem', 'DeleteItem', 'UpdateItem']);

/**
 * The base request of one round. CreateTable names a new table each round, so it is valid
 * (its name unused) for its mutation; `role` keeps the name checked apart from the mutated one.
 */
function baseRequest(operation: string, round: number, role: 'checked' | 'mutated'): Record<string, unknown> {
  const valid = VALID[operation]!;
  return operation === 'CreateTable' ? { ...valid, TableName: `fuzz2_${role}_${round}` } : valid;
}

type Random = () => number;

const STRANGE: unknown[] = [null, true, false, 0, -1, 1e308, 1.5, '', 'x', '#', ':', ' ', 'status', '\u0000', 'é'.repeat(3), 'a'.repeat(70_000), [], [null], {}, { S: 'x' }, { N: 'NaN' }, { L: [] }, { SS: [] }, { '': '' }];

function nested(depth: number): unknown {
  let v: unknown = { S: 'leaf' };
  for (let i = 0; i < depth; i++) v = { L: [v] };
  return v;
}

function pick<T>(random: Random, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)]!;
}

/** Replaces, deletes or garbles one randomly chosen spot of a JSON value. */
function mutate(value: unknown, random: Random, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || depth > 8 || random() < 0.25) {
    const r = random();
    if (r < 0.6) return pick(random, STRANGE);
    if (r < 0.7) return nested(Math.floor(random() * 60));
    if (typeof value === 'string') return value.slice(0, Math.floor(random() * value.length)) + pick(random, ['(', ')', '[', '.', ' AND', '=', ',', '#x', ':x']);
    return pick(random, STRANGE);
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return [pick(random, STRANGE)];
    const copy = [...value];
    const i = Math.floor(random() * copy.length);
    if (random() < 0.2) copy.splice(i, 1);
    else copy[i] = mutate(copy[i], random, depth + 1);
    return copy;
  }
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  const keys = Object.keys(copy);
  if (keys.length === 0) return { x: pick(random, STRANGE) };
  const key = pick(random, keys);
  const r = random();
  if (r < 0.15) delete copy[key];
  else if (r < 0.25) copy[key + pick(random, ['', 'x', '#', ':'])] = pick(random, STRANGE);
  else copy[key] = mutate(copy[key], random, depth + 1);
  return copy;
}

describe('fuzzing the API with malformed requests', () => {
  let t: TestContext;
  before(async () => {
    t = await startTestServer();
    const create = await rawRequest(t.server.url, 'CreateTable', JSON.stringify({
      TableName: 'fuzz', BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }, { AttributeName: 'g', AttributeType: 'S' }],
      GlobalSecondaryIndexes: [{ IndexName: 'by_g', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    }));
    assert.equal(create.status, 200, create.text);
  });
  after(() => t.close());

  /** Puts back the item the base requests of READS_ITEM expect. */
  async function restoreItem(operation: string): Promise<void> {
    if (!READS_ITEM.has(operation)) return;
    const res = await rawRequest(t.server.url, 'PutItem', JSON.stringify({ TableName: 'fuzz', Item: ITEM }));
    assert.equal(res.status, 200, res.text);
  }

  for (const operation of Object.keys(VALID)) {
    it(`${operation}: every mutation answers 200 or 400`, async () => {
      const random = seededRandom(operation.length * 7919);
      for (let i = 0; i < (Number(process.env.FUZZ_ROUNDS) || 150); i++) {
        await restoreItem(operation);
        const checked = await rawRequest(t.server.url, operation, JSON.stringify(baseRequest(operation, i, 'checked')));
        assert.equal(checked.status, 200, `${operation} base request, round ${i}: ${checked.text}`);
        await restoreItem(operation);
        const body = JSON.stringify(mutate(baseRequest(operation, i, 'mutated'), random));
        const res = await rawRequest(t.server.url, operation, body);
        assert.ok(res.status === 200 || res.status === 400, `${operation} answered ${res.status} to ${body.slice(0, 500)}: ${res.text.slice(0, 300)}`);
        if (res.status === 400) assert.match(res.json?.__type ?? '', /#/, `an error envelope: ${res.text.slice(0, 200)}`);
      }
    });
  }

  it('still serves after all of that', async () => {
    const res = await rawRequest(t.server.url, 'DescribeTable', '{"TableName":"fuzz"}');
    assert.equal(res.status, 200);
  });
});

/**
 * PartiQL and the item API are two front ends over one engine: data written through one
 * reads back identically through the other, and the same change made both ways leaves
 * identical items. Also: the seed lecture's users table, driven entirely by PartiQL.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand,
  DescribeTableCommand,
  ExecuteStatementCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { ExecuteStatementCommand as DocStatement } from '@aws-sdk/lib-dynamodb';
import { createTable, expectError, startTestServer, type TestContext } from './helpers.js';
import { seededRandom } from './seededRandom.js';

type Item = Record<string, AttributeValue>;

const byKey = (a: Item, b: Item) => `${a.pk!.S}|${a.sk!.N!.padStart(4, '0')}`.localeCompare(`${b.pk!.S}|${b.sk!.N!.padStart(4, '0')}`);

function randomItem(random: () => number, pk: string, sk: number): Item {
  const item: Item = { pk: { S: pk }, sk: { N: String(sk) }, n: { N: String(Math.floor(random() * 100)) } };
  if (random() < 0.7) item.s = { S: ['alpha', 'beta', 'gamma', 'delta'][Math.floor(random() * 4)]! };
  if (random() < 0.5) item.tags = { SS: ['x', 'y', 'z'].filter(() => random() < 0.6).concat('w') };
  if (random() < 0.5) item.doc = { M: { depth: { N: String(Math.floor(random() * 5)) }, list: { L: [{ S: 'a' }, { BOOL: random() < 0.5 }, { NULL: true }] } } };
  if (random() < 0.3) item.bin = { B: new Uint8Array([Math.floor(random() * 256), 7]) };
  return item;
}

describe('PartiQL and the item API agree', () => {
  let t: TestContext;
  const statement = async (Statement: string, Parameters?: AttributeValue[]) => (await t.client.send(new ExecuteStatementCommand({ Statement, Parameters }))).Items!;
  const random = seededRandom(16);
  const written: Item[] = [];

  before(async () => {
    t = await startTestServer({ inMemory: true });
    await createTable(t.client, 'mixed', ['pk', 'S'], ['sk', 'N']);
    for (let p = 0; p < 6; p++) {
      for (let s = 0; s < 12; s++) {
        const item = randomItem(random, `p${p}`, s);
        written.push(item);
        // Half the items are written through each front end.
        if ((p + s) % 2 === 0) await t.client.send(new PutItemCommand({ TableName: 'mixed', Item: item }));
        else await statement('INSERT INTO mixed VALUE ?', [{ M: item }]);
      }
    }
  });
  after(() => t.close());

  it('a full read through either front end returns every item as written', async () => {
    const scanned = (await t.client.send(new ScanCommand({ TableName: 'mixed' }))).Items!;
    const selected = await statement('SELECT * FROM mixed');
    assert.equal(selected.length, written.length);
    assert.deepEqual([...selected].sort(byKey), [...scanned].sort(byKey));
    assert.deepEqual([...selected].sort(byKey), [...written].sort(byKey));
  });

  it('SELECT with key and filter conditions returns what the equivalent Query returns, in order', async () => {
    for (let round = 0; round < 25; round++) {
      const pk = `p${Math.floor(random() * 6)}`;
      const low = Math.floor(random() * 12);
      const limit = Math.floor(random() * 100);
      const word = ['alpha', 'beta', 'gamma'][Math.floor(random() * 3)]!;
      const queried = await t.client.send(new QueryCommand({
        TableName: 'mixed',
        KeyConditionExpression: 'pk = :p AND sk >= :low',
        FilterExpression: 'n < :limit OR s = :word OR contains(tags, :tag)',
        ExpressionAttributeValues: { ':p': { S: pk }, ':low': { N: String(low) }, ':limit': { N: String(limit) }, ':word': { S: word }, ':tag': { S: 'x' } },
        ScanIndexForward: round % 2 === 0,
      }));
      const selected = await statement(
        `SELECT * FROM mixed WHERE pk = ? AND sk >= ? AND (n < ? OR s = ? OR contains(tags, 'x')) ORDER BY sk ${round % 2 === 0 ? 'ASC' : 'DESC'}`,
        [{ S: pk }, { N: String(low) }, { N: String(limit) }, { S: word }],
      );
      assert.deepEqual(selected, queried.Items);
    }
  });

  it('the same update made through UpdateItem and through UPDATE leaves identical items', async () => {
    await createTable(t.client, 'twinA', ['pk', 'S'], ['sk', 'N']);
    await createTable(t.client, 'twinB', ['pk', 'S'], ['sk', 'N']);
    for (const item of written.slice(0, 20)) {
      await t.client.send(new PutItemCommand({ TableName: 'twinA', Item: item }));
      await statement('INSERT INTO twinB VALUE ?', [{ M: item }]);
      const key = { pk: item.pk!, sk: item.sk! };
      await t.client.send(new UpdateItemCommand({
        TableName: 'twinA',
        Key: key,
        UpdateExpression: 'SET n = n + :one, extra = list_append(if_not_exists(extra, :empty), :more) REMOVE s ADD tags :t',
        ExpressionAttributeValues: { ':one': { N: '1' }, ':empty': { L: [] }, ':more': { L: [{ S: 'm' }] }, ':t': { SS: ['new'] } },
      }));
      await statement(
        `UPDATE twinB SET n = n + 1 SET extra = list_append(if_not_exists(extra, []), ['m']) SET tags = set_add(tags, <<'new'>>) REMOVE s WHERE pk = ? AND sk = ?`,
        [item.pk!, item.sk!],
      );
    }
    const a = (await t.client.send(new ScanCommand({ TableName: 'twinA' }))).Items!.sort(byKey);
    const b = (await statement('SELECT * FROM twinB')).sort(byKey);
    assert.equal(b.length, 20);
    assert.deepEqual(b, a);
  });

  it('writes through PartiQL keep the table statistics the item API keeps', async () => {
    await createTable(t.client, 'counted', ['id', 'S']);
    for (let i = 0; i < 5; i++) await statement(`INSERT INTO counted VALUE {'id': '${i}', 'v': 'x'}`);
    await statement(`DELETE FROM counted WHERE id = '0'`);
    const described = await t.client.send(new DescribeTableCommand({ TableName: 'counted' }));
    assert.equal(described.Table!.ItemCount, 4);
  });
});

describe("the seed lecture's users table, driven by PartiQL", () => {
  let t: TestContext;
  before(async () => {
    t = await startTestServer({ inMemory: true });
    // As in the lecture: username (partition key), last_name (sort key), 5 RCU / 5 WCU.
    await t.client.send(new CreateTableCommand({
      TableName: 'users',
      KeySchema: [{ AttributeName: 'username', KeyType: 'HASH' }, { AttributeName: 'last_name', KeyType: 'RANGE' }],
      AttributeDefinitions: [{ AttributeName: 'username', AttributeType: 'S' }, { AttributeName: 'last_name', AttributeType: 'S' }],
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
    }));
  });
  after(() => t.close());

  const sql = async (Statement: string, Parameters?: unknown[]) => (await t.doc.send(new DocStatement({ Statement, Parameters }))).Items!;

  it('creates, reads, updates, conditionally updates and deletes janedoe', async () => {
    // put_item
    await sql(`INSERT INTO users VALUE {'username': 'janedoe', 'first_name': 'Jane', 'last_name': 'Doe', 'age': 25, 'account_type': 'standard_user'}`);
    // get_item
    assert.deepEqual(await sql(`SELECT * FROM users WHERE username = 'janedoe' AND last_name = 'Doe'`), [
      { username: 'janedoe', first_name: 'Jane', last_name: 'Doe', age: 25, account_type: 'standard_user' },
    ]);
    // update_item: SET age = 26
    await sql(`UPDATE users SET age = ? WHERE username = 'janedoe' AND last_name = 'Doe'`, [26]);
    assert.deepEqual(await sql(`SELECT age FROM users WHERE username = 'janedoe' AND last_name = 'Doe'`), [{ age: 26 }]);
    // A conditional write, as the lecture's AccountStatus example: only if the condition holds.
    await expectError(sql(`UPDATE users SET account_type = 'admin' WHERE username = 'janedoe' AND last_name = 'Doe' AND age > 30`), 'ConditionalCheckFailedException');
    await sql(`UPDATE users SET account_type = 'admin' WHERE username = 'janedoe' AND last_name = 'Doe' AND age > 20`);
    assert.deepEqual(await sql(`SELECT account_type FROM users WHERE username = 'janedoe'`), [{ account_type: 'admin' }]);
    // Items are analogous to rows: more users, then a query by partition key and a scan by attribute.
    await sql(`INSERT INTO users VALUE {'username': 'johndoe', 'first_name': 'John', 'last_name': 'Doe', 'age': 31, 'account_type': 'standard_user'}`);
    await sql(`INSERT INTO users VALUE {'username': 'janedoe', 'first_name': 'Jane', 'last_name': 'Roe', 'age': 40, 'account_type': 'standard_user'}`);
    assert.deepEqual((await sql(`SELECT last_name FROM users WHERE username = 'janedoe'`)).map((u) => u.last_name), ['Doe', 'Roe']);
    assert.deepEqual((await sql(`SELECT username FROM users WHERE account_type = 'standard_user' AND age > 30`)).map((u) => u.username).sort(), ['janedoe', 'johndoe']);
    // delete_item
    await sql(`DELETE FROM users WHERE username = 'janedoe' AND last_name = 'Doe'`);
    assert.deepEqual(await sql(`SELECT * FROM users WHERE username = 'janedoe' AND last_name = 'Doe'`), []);
    assert.equal((await sql('SELECT * FROM users')).length, 2);
  });
});

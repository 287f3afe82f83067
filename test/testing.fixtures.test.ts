/** The test-runner presets' parts: fixture files, seeding, plain JSON, the suite server and its variables. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startInProcess, startServer, type InProcessDatabase } from '../src/index.js';
import { DynamoCallError, handlerCall, httpCall } from '../src/testing/dynamoCall.js';
import { createFixtures, loadFixtures } from '../src/testing/fixtures.js';
import { fromItem, toItem } from '../src/testing/plainJson.js';
import { startSuiteServer } from '../src/testing/suiteServer.js';

const KEYED = {
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
};

describe('fixture files', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'openddb-fixtures-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const project = (files: Record<string, string>): string => {
    const root = mkdtempSync(join(dir, 'project-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
    return root;
  };

  it('reads openddb.tables.json, as an object or a bare array', async () => {
    const tables = [{ TableName: 'a', ...KEYED }];
    const root = project({ 'openddb.tables.json': JSON.stringify({ port: 9123, tables }) });
    assert.deepEqual(await loadFixtures(root, {}), { port: 9123, tables, source: join(root, 'openddb.tables.json') });
    const bare = project({ 'openddb.tables.json': JSON.stringify(tables) });
    assert.deepEqual(await loadFixtures(bare, {}), { port: 0, tables, source: join(bare, 'openddb.tables.json') });
  });

  it('reads a jest-dynamodb-config.js as @shelf/jest-dynamodb does: an object or an async function, port 8000 by default', async () => {
    const plain = project({ 'jest-dynamodb-config.js': `module.exports = { tables: [{ TableName: 'p', ...${JSON.stringify(KEYED)} }], options: ['-sharedDb'] };` });
    const loaded = await loadFixtures(plain, {});
    assert.equal(loaded.port, 8000);
    assert.deepEqual(loaded.tables.map((t) => t.TableName), ['p']);
    const fn = project({ 'jest-dynamodb-config.js': `module.exports = async () => ({ tables: [{ TableName: 'f' }], port: 8100, hostname: '127.0.0.1' });` });
    const fromFunction = await loadFixtures(fn, {});
    assert.deepEqual([fromFunction.port, fromFunction.hostname, fromFunction.tables[0]!.TableName], [8100, '127.0.0.1', 'f']);
  });

  it('prefers openddb.tables.json, follows OPENDDB_TABLES and JEST_DYNAMODB_CONFIG, and has no tables without a file', async () => {
    const both = project({ 'openddb.tables.json': '[{"TableName":"mine"}]', 'jest-dynamodb-config.js': 'module.exports = { tables: [{ TableName: "theirs" }] };' });
    assert.equal((await loadFixtures(both, {})).tables[0]!.TableName, 'mine');
    assert.equal((await loadFixtures(both, { JEST_DYNAMODB_CONFIG: 'jest-dynamodb-config.js', OPENDDB_TABLES: undefined })).tables[0]!.TableName, 'mine');
    const other = project({ 'other.json': '[{"TableName":"other"}]' });
    assert.equal((await loadFixtures(other, { OPENDDB_TABLES: 'other.json' })).tables[0]!.TableName, 'other');
    assert.deepEqual(await loadFixtures(project({}), {}), { port: 0, tables: [] });
  });

  it('refuses malformed files, naming them', async () => {
    const cases: [string, RegExp][] = [
      ['{"tables": ', /openddb\.tables\.json: .*JSON/],
      ['{"tables": {}}', /"tables" must be an array/],
      ['[{"KeySchema": []}]', /every table needs a TableName/],
      ['[{"TableName": "t", "seed": [1]}]', /"seed" of t must be an array of items/],
      ['{"port": "8000", "tables": []}', /"port" must be a port number/],
    ];
    for (const [text, message] of cases) {
      await assert.rejects(loadFixtures(project({ 'openddb.tables.json': text }), {}), message);
    }
  });
});

describe('creating fixtures', () => {
  let db: InProcessDatabase;
  before(async () => (db = await startInProcess({ logLevel: 'silent' })));
  after(() => db.close());

  it('creates on-demand tables and seeds plain and DynamoDB JSON items in batches', async () => {
    const call = handlerCall(db.requestHandler);
    const many = Array.from({ length: 30 }, (_, i) => ({ id: `u${i}`, n: i, nested: { list: [true, null, 'x'] } }));
    await createFixtures(call, [
      { TableName: 'people', ...KEYED, seed: many },
      { TableName: 'typed', ...KEYED, seedFormat: 'dynamodb', seed: [{ id: { S: 'a' }, colours: { SS: ['red'] } }] },
      { TableName: 'paid', ...KEYED, ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 } },
    ]);
    assert.equal((await call('Scan', { TableName: 'people', Select: 'COUNT' })).Count, 30);
    assert.deepEqual((await call('GetItem', { TableName: 'people', Key: { id: { S: 'u7' } } })).Item,
      { id: { S: 'u7' }, n: { N: '7' }, nested: { M: { list: { L: [{ BOOL: true }, { NULL: true }, { S: 'x' }] } } } });
    assert.deepEqual((await call('GetItem', { TableName: 'typed', Key: { id: { S: 'a' } } })).Item, { id: { S: 'a' }, colours: { SS: ['red'] } });
    assert.equal((await call('DescribeTable', { TableName: 'people' })).Table.BillingModeSummary.BillingMode, 'PAY_PER_REQUEST');
    assert.equal((await call('DescribeTable', { TableName: 'paid' })).Table.ProvisionedThroughput.WriteCapacityUnits, 3);
  });

  it('fails with DynamoDB error when a fixture is not a valid CreateTable input', async () => {
    const call = handlerCall(db.requestHandler);
    await assert.rejects(createFixtures(call, [{ TableName: 'x' }]), (err: unknown) => err instanceof DynamoCallError && err.name === 'ValidationException' && err.status === 400);
  });
});

describe('plain JSON', () => {
  it('converts both ways, keeping numbers JavaScript cannot hold exactly as strings', () => {
    const plain = { s: 'a', n: 1.5, big: 12, yes: false, none: null, list: [1, 'b'], map: { deep: { x: 0 } } };
    assert.deepEqual(fromItem(toItem(plain)), plain);
    assert.deepEqual(fromItem({ n: { N: '12345678901234567890' }, f: { N: '1.50' }, ns: { NS: ['1', '2'] }, ss: { SS: ['x'] }, b: { B: 'AAE=' } }),
      { n: '12345678901234567890', f: '1.50', ns: [1, 2], ss: ['x'], b: 'AAE=' });
    assert.throws(() => toItem({ bad: Number.NaN }), /not a number DynamoDB can store/);
  });
});

describe('the suite server', () => {
  it('serves the fixtures over HTTP, sets the SDK variables, and restores them when stopped', async () => {
    const root = mkdtempSync(join(tmpdir(), 'openddb-suite-'));
    writeFileSync(join(root, 'openddb.tables.json'), JSON.stringify([{ TableName: 'things', ...KEYED, seed: [{ id: 'one' }] }]));
    const before = process.env.AWS_ENDPOINT_URL_DYNAMODB;
    try {
      const suite = await startSuiteServer(root, { OPENDDB_PORT: '0' });
      try {
        assert.equal(process.env.AWS_ENDPOINT_URL_DYNAMODB, suite.server.url);
        assert.equal(process.env.MOCK_DYNAMODB_PORT, String(suite.server.port));
        assert.equal(process.env.AWS_ACCESS_KEY_ID, 'local');
        const item = await httpCall(suite.server.url)('GetItem', { TableName: 'things', Key: { id: { S: 'one' } } });
        assert.deepEqual(item.Item, { id: { S: 'one' } });
      } finally {
        await suite.stop();
      }
      assert.equal(process.env.AWS_ENDPOINT_URL_DYNAMODB, before);
      await assert.rejects(startSuiteServer(root, { OPENDDB_PORT: 'eighty' }), /OPENDDB_PORT must be a port number/);
      const holder = await startServer({ logLevel: 'silent' });
      try {
        await assert.rejects(startSuiteServer(root, { OPENDDB_PORT: String(holder.port) }), new RegExp(`could not listen on port ${holder.port}: it is in use \\(OPENDDB_PORT=0`));
      } finally {
        await holder.close();
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

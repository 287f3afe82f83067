/**
 * Stress: concurrency and crashes, with every acknowledged write checked.
 * - optimistic-locking increments and ADD counters lose no update;
 * - bank transfers in TransactWriteItems while TransactGetItems snapshots never see a
 *   torn state (the total is always the same);
 * - a sparse GSI agrees with its table under churn (items entering and leaving it);
 * - repeated kill -9 and a final SIGTERM under load, single process and --workers 2.
 *
 * Short by default (for CI); OPENDDB_STRESS=long runs the long version.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConditionalCheckFailedException, CreateTableCommand, GetItemCommand, ScanCommand, TransactionCanceledException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand as DocScanCommand, TransactGetCommand, TransactWriteCommand, UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { createTable, sdkClient, startTestServer, type TestContext } from './helpers.js';
import { writeUntilKilled } from './cliProcess.js';
import { childrenOf } from './support/killLoop.js';
import { seededRandom } from './seededRandom.js';

const LONG = process.env.OPENDDB_STRESS === 'long';
/** Scales the amount of work: the long mode does ten times as much. */
const scale = (n: number) => (LONG ? n * 10 : n);

const tempDirs: string[] = [];
function newDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'openddb-stress-'));
  tempDirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});


/** `count` document clients, each with its own connections. */
function docClients(url: string, count: number): DynamoDBDocumentClient[] {
  return Array.from({ length: count }, () => DynamoDBDocumentClient.from(sdkClient(url)));
}

function destroyAll(clients: DynamoDBDocumentClient[]): void {
  for (const c of clients) c.destroy();
}

describe('stress: concurrent updates', () => {
  let t: TestContext;
  let clients: DynamoDBDocumentClient[];
  before(async () => {
    // In memory: these check isolation, which the store gives alike on disk; the crash
    // tests below check durability.
    t = await startTestServer();
    clients = docClients(t.server.url, 10);
  });
  after(async () => {
    destroyAll(clients);
    await t.close();
  });

  it('optimistic locking: every successful conditional increment counts, none is lost', async (tc) => {
    await createTable(t.client, 'locked', ['id', 'S']);
    await t.doc.send(new PutCommand({ TableName: 'locked', Item: { id: 'counter', value: 0, version: 0 } }));
    const perClient = scale(8);
    const racers = clients.slice(0, 6);
    let conflicts = 0;
    await Promise.all(racers.map(async (client) => {
      for (let done = 0; done < perClient;) {
        const { Item } = await client.send(new GetCommand({ TableName: 'locked', Key: { id: 'counter' }, ConsistentRead: true }));
        try {
          await client.send(new UpdateCommand({
            TableName: 'locked', Key: { id: 'counter' },
            UpdateExpression: 'SET #v = :next, version = :newVersion',
            ConditionExpression: 'version = :seen',
            ExpressionAttributeNames: { '#v': 'value' },
            ExpressionAttributeValues: { ':next': Item!.value + 1, ':newVersion': Item!.version + 1, ':seen': Item!.version },
          }));
          done++;
        } catch (err) {
          if (!(err instanceof ConditionalCheckFailedException)) throw err;
          conflicts++;
        }
      }
    }));
    const { Item } = await t.doc.send(new GetCommand({ TableName: 'locked', Key: { id: 'counter' }, ConsistentRead: true }));
    assert.equal(Item!.value, racers.length * perClient);
    assert.equal(Item!.version, racers.length * perClient);
    tc.diagnostic(`${racers.length * perClient} increments, ${conflicts} lost races retried`);
    assert.ok(conflicts > 0, 'the clients never raced: the test proved nothing');
  });

  it('ADD counters: concurrent increments on a few hot items all land', async () => {
    await createTable(t.client, 'counters', ['id', 'S']);
    const perClient = scale(40);
    const random = seededRandom(7);
    const expected = [0, 0, 0];
    await Promise.all(clients.map(async (client) => {
      for (let i = 0; i < perClient; i++) {
        const which = Math.floor(random() * expected.length);
        const by = 1 + Math.floor(random() * 5);
        await client.send(new UpdateCommand({
          TableName: 'counters', Key: { id: `c${which}` }, UpdateExpression: 'ADD hits :by, calls :one',
          ExpressionAttributeValues: { ':by': by, ':one': 1 },
        }));
        expected[which]! += by;
      }
    }));
    let calls = 0;
    for (let which = 0; which < expected.length; which++) {
      const { Item } = await t.doc.send(new GetCommand({ TableName: 'counters', Key: { id: `c${which}` } }));
      assert.equal(Item?.hits ?? 0, expected[which], `counter c${which}`);
      calls += Item?.calls ?? 0;
    }
    assert.equal(calls, clients.length * perClient);
  });

  it('bank transfers: TransactGetItems snapshots never see money created or lost', async (tc) => {
    const accounts = 8;
    const opening = 1000;
    await createTable(t.client, 'bank', ['account', 'S']);
    for (let i = 0; i < accounts; i++) await t.doc.send(new PutCommand({ TableName: 'bank', Item: { account: `a${i}`, balance: opening } }));
    const keys = Array.from({ length: accounts }, (_, i) => ({ Get: { TableName: 'bank', Key: { account: `a${i}` } } }));
    let transfersRunning = true;
    let snapshots = 0;
    let committed = 0;
    const auditor = async (client: DynamoDBDocumentClient) => {
      while (transfersRunning) {
        const { Responses } = await client.send(new TransactGetCommand({ TransactItems: keys }));
        const total = Responses!.reduce((sum, r) => sum + (r.Item!.balance as number), 0);
        assert.equal(total, accounts * opening, `a snapshot saw ${total}`);
        for (const r of Responses!) assert.ok((r.Item!.balance as number) >= 0);
        snapshots++;
      }
    };
    const random = seededRandom(11);
    const transferer = async (client: DynamoDBDocumentClient) => {
      for (let i = 0; i < scale(25); i++) {
        const from = Math.floor(random() * accounts);
        const to = (from + 1 + Math.floor(random() * (accounts - 1))) % accounts;
        const amount = 1 + Math.floor(random() * 300);
        try {
          await client.send(new TransactWriteCommand({
            TransactItems: [
              { Update: { TableName: 'bank', Key: { account: `a${from}` }, UpdateExpression: 'SET balance = balance - :x', ConditionExpression: 'balance >= :x', ExpressionAttributeValues: { ':x': amount } } },
              { Update: { TableName: 'bank', Key: { account: `a${to}` }, UpdateExpression: 'SET balance = balance + :x', ExpressionAttributeValues: { ':x': amount } } },
            ],
          }));
          committed++;
        } catch (err) {
          if (!(err instanceof TransactionCanceledException)) throw err;
        }
      }
    };
    const auditors = clients.slice(0, 3).map(auditor);
    await Promise.all(clients.slice(3).map(transferer));
    transfersRunning = false;
    await Promise.all(auditors);
    assert.ok(snapshots > 0 && committed > 0, `${snapshots} snapshots, ${committed} transfers`);
    tc.diagnostic(`${committed} transfers committed while ${snapshots} snapshots were taken`);
    const { Items } = await t.doc.send(new DocScanCommand({ TableName: 'bank', ConsistentRead: true }));
    assert.equal(Items!.reduce((sum, item) => sum + (item.balance as number), 0), accounts * opening);
  });

  it('a sparse GSI agrees with its table under churn', async () => {
    await t.client.send(new CreateTableCommand({
      TableName: 'churn', BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'tag', AttributeType: 'S' }, { AttributeName: 'rank', AttributeType: 'N' }],
      GlobalSecondaryIndexes: [{
        IndexName: 'byTag', KeySchema: [{ AttributeName: 'tag', KeyType: 'HASH' }, { AttributeName: 'rank', KeyType: 'RANGE' }],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['note'] },
      }],
    }));
    const ids = 40;
    const random = seededRandom(23);
    const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
    const churner = async (client: DynamoDBDocumentClient) => {
      for (let i = 0; i < scale(30); i++) {
        const id = `item${Math.floor(random() * ids)}`;
        const action = pick(['put-indexed', 'put-plain', 'enter', 'leave', 'rerank', 'delete']);
        const rank = Math.floor(random() * 1000);
        if (action === 'put-indexed') await client.send(new PutCommand({ TableName: 'churn', Item: { id, tag: pick(['red', 'blue']), rank, note: `n${rank}` } }));
        else if (action === 'put-plain') await client.send(new PutCommand({ TableName: 'churn', Item: { id, note: 'plain' } }));
        else if (action === 'enter') await client.send(new UpdateCommand({ TableName: 'churn', Key: { id }, UpdateExpression: 'SET tag = :t, #r = :r', ExpressionAttributeNames: { '#r': 'rank' }, ExpressionAttributeValues: { ':t': pick(['red', 'blue']), ':r': rank } }));
        else if (action === 'leave') await client.send(new UpdateCommand({ TableName: 'churn', Key: { id }, UpdateExpression: 'REMOVE tag' }));
        else if (action === 'rerank') await client.send(new UpdateCommand({ TableName: 'churn', Key: { id }, UpdateExpression: 'SET #r = :r, note = :n', ExpressionAttributeNames: { '#r': 'rank' }, ExpressionAttributeValues: { ':r': rank, ':n': `n${rank}` } }));
        else await client.send(new DeleteCommand({ TableName: 'churn', Key: { id } }));
      }
    };
    await Promise.all(clients.map(churner));

    const table = await t.doc.send(new DocScanCommand({ TableName: 'churn', ConsistentRead: true }));
    const index = await t.doc.send(new DocScanCommand({ TableName: 'churn', IndexName: 'byTag' }));
    const shouldBeIndexed = table.Items!
      .filter((item) => typeof item.tag === 'string' && typeof item.rank === 'number')
      .map((item) => JSON.stringify({ id: item.id, tag: item.tag, rank: item.rank, note: item.note }))
      .sort();
    const indexed = index.Items!.map((item) => JSON.stringify({ id: item.id, tag: item.tag, rank: item.rank, note: item.note })).sort();
    assert.deepEqual(indexed, shouldBeIndexed);
    assert.ok(indexed.length > 0 && indexed.length < table.Items!.length, `${indexed.length} of ${table.Items!.length} items indexed: the churn did not exercise sparseness`);
  });
});

describe('stress: crashes under load', { skip: process.platform !== 'linux' && 'signals and /proc' }, () => {
  const TABLE = 'crash';
  const hashTable = (client: DynamoDBClient) => client.send(new CreateTableCommand({
    TableName: TABLE, BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }],
  }));

  /**
   * Rounds of load ended by kill -9 (the last by SIGTERM, which must exit 0), each
   * on the directory the previous one left. Every fourth write is an ADD to one
   * counter: it must end between the increments acknowledged and those attempted.
   */
  async function crashRounds(args: string[], kills: number): Promise<string> {
    const dir = newDataDir();
    const puts: number[] = [];
    let addsAcknowledged = 0;
    let addsAttempted = 0;
    let nextId = 0;
    for (let round = 0; round <= kills; round++) {
      const last = round === kills;
      let exit: Promise<number | null> | undefined;
      const acknowledged = await writeUntilKilled(dir, {
        target: scale(150),
        firstId: nextId,
        args: ['--shutdown-timeout', '3s', ...args],
        setup: round === 0 ? async ({ client }) => void (await hashTable(client)) : undefined,
        write: async ({ client, doc }, id) => {
          if (id % 4 === 0) {
            addsAttempted++;
            await doc.send(new UpdateCommand({ TableName: TABLE, Key: { id: -1 }, UpdateExpression: 'ADD hits :one', ExpressionAttributeValues: { ':one': 1 } }));
          } else {
            await doc.send(new PutCommand({ TableName: TABLE, Item: { id, round } }));
          }
        },
        kill: (child) => {
          exit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
          if (last) return void child.kill('SIGTERM');
          // kill -9 takes the whole server: under --workers, the workers with the primary.
          for (const pid of childrenOf(child.pid!)) process.kill(pid, 'SIGKILL');
          child.kill('SIGKILL');
        },
      });
      for (const id of acknowledged) {
        if (id % 4 === 0) addsAcknowledged++;
        else puts.push(id);
      }
      nextId = Math.max(nextId, ...acknowledged) + 1000; // past every id a writer may have tried
      if (last) assert.equal(await exit, 0, 'SIGTERM under load must exit 0');
    }

    const server = await startTestServer({ dataDir: dir });
    try {
      const stored = new Set<number>();
      let start: Record<string, any> | undefined;
      do {
        const page = await server.client.send(new ScanCommand({ TableName: TABLE, ExclusiveStartKey: start, ConsistentRead: true }));
        for (const item of page.Items ?? []) stored.add(Number(item.id!.N));
        start = page.LastEvaluatedKey;
      } while (start);
      const missing = puts.filter((id) => !stored.has(id));
      assert.deepEqual(missing, [], `${missing.length} of ${puts.length} acknowledged puts lost`);
      const { Item } = await server.client.send(new GetItemCommand({ TableName: TABLE, Key: { id: { N: '-1' } }, ConsistentRead: true }));
      const hits = Number(Item?.hits?.N ?? 0);
      assert.ok(hits >= addsAcknowledged && hits <= addsAttempted, `counter ${hits}: ${addsAcknowledged} acknowledged, ${addsAttempted} attempted`);
      return `${kills} kill -9 rounds and a SIGTERM: ${puts.length} acknowledged puts all kept, counter ${hits} (${addsAcknowledged} ADDs acknowledged)`;
    } finally {
      await server.close();
    }
  }

  it('single process: kill -9 rounds, then SIGTERM, every acknowledged write kept', async (tc) => {
    tc.diagnostic(await crashRounds([], scale(2)));
  });

  it('--workers 2: kill -9 rounds, then SIGTERM, every acknowledged write kept', async (tc) => {
    tc.diagnostic(await crashRounds(['--workers', '2'], LONG ? 10 : 1));
  });
});

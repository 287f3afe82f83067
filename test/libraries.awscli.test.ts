/**
 * The AWS CLI (`aws dynamodb ...`, v1 or v2) works against OpenDDB unchanged: tables are
 * created (with a GSI, on demand), waited for, described, listed a page at a time; items are
 * put, got (with a projection), written and read in batches from file:// request files,
 * queried and scanned through the CLI's own pagination (--page-size, --max-items,
 * --starting-token) and scan segments, updated (ALL_NEW), refused by a condition, written in
 * transactions, read and written with PartiQL; TTL and tags are set and read back, and the
 * tables are deleted and waited away. Skipped, with the reason, where `aws` is not installed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetItemCommand, ListTablesCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startServer, type RunningServer } from '../src/index.js';
import { sdkClient } from './helpers.js';

const run = promisify(execFile);

/** The CLI's environment: dummy keys, empty config files, and none of the machine's AWS_* settings. */
function cliEnv(dir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('AWS_')) env[name] = value;
  writeFileSync(join(dir, 'config'), '');
  writeFileSync(join(dir, 'credentials'), '');
  return {
    ...env,
    AWS_ACCESS_KEY_ID: 'dummy',
    AWS_SECRET_ACCESS_KEY: 'dummy',
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
  };
}

/** `aws --version` (v1 printed it on stderr), or undefined when the CLI is not installed. */
async function awsVersion(): Promise<string | undefined> {
  try {
    const { stdout, stderr } = await run('aws', ['--version'], { timeout: 20_000 });
    return `${stdout}${stderr}`.trim();
  } catch {
    return undefined;
  }
}

const version = await awsVersion();

/** The tracks of artist Band: t01..t12, genres cycling Rock, Jazz, Pop, 10 plays per number. */
const GENRES = ['Rock', 'Jazz', 'Pop'];
const tracks = Array.from({ length: 12 }, (_, i) => {
  const n = i + 1;
  return { title: `t${String(n).padStart(2, '0')}`, genre: GENRES[i % 3], plays: n * 10 };
});
/** Solo artists s1..s6 (one partition each), 100 plays per number. */
const solos = Array.from({ length: 6 }, (_, i) => ({ artist: `s${i + 1}`, plays: (i + 1) * 100 }));

const titles = (items: any[]): string[] => items.map((item) => item.SongTitle.S);

describe('the AWS CLI against OpenDDB', { skip: version ? false : 'the AWS CLI (aws) is not installed' }, () => {
  let server: RunningServer;
  let client: DynamoDBClient;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let common: string[];
  let musicArn: string;

  /** Runs `aws dynamodb <args>` against the server; resolves to its parsed JSON output ({} when it printed nothing). */
  async function aws(...args: string[]): Promise<any> {
    const { stdout } = await run('aws', ['dynamodb', ...args, ...common], { env, timeout: 60_000 });
    return stdout.trim() === '' ? {} : JSON.parse(stdout);
  }

  /** Runs a command that must fail; resolves to its exit code and stderr. */
  async function awsFails(...args: string[]): Promise<{ code: number; stderr: string }> {
    try {
      await run('aws', ['dynamodb', ...args, ...common], { env, timeout: 60_000 });
    } catch (err) {
      const e = err as { code?: number; stderr?: string };
      return { code: e.code ?? -1, stderr: e.stderr ?? '' };
    }
    throw new Error(`aws dynamodb ${args[0]} was expected to fail but succeeded`);
  }

  /** Writes a request file into the temp dir and returns its file:// address. */
  function requestFile(name: string, body: unknown): string {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(body));
    return `file://${path}`;
  }

  const getItem = async (table: string, artist: string, title: string) =>
    (await client.send(new GetItemCommand({ TableName: table, Key: { Artist: { S: artist }, SongTitle: { S: title } } }))).Item;

  before(async () => {
    server = await startServer({ logLevel: 'silent' });
    client = sdkClient(server.url);
    dir = mkdtempSync(join(tmpdir(), 'openddb-awscli-'));
    env = cliEnv(dir);
    common = ['--endpoint-url', server.url, '--region', 'us-east-1', '--output', 'json'];
    if (version!.startsWith('aws-cli/2')) common.push('--no-cli-pager');
  });
  after(async () => {
    client?.destroy();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('creates tables (GSI, on demand), waits for them, describes and lists them', async () => {
    const [music] = await Promise.all([
      aws('create-table', '--table-name', 'Music', '--billing-mode', 'PAY_PER_REQUEST',
        '--attribute-definitions', 'AttributeName=Artist,AttributeType=S', 'AttributeName=SongTitle,AttributeType=S', 'AttributeName=Genre,AttributeType=S',
        '--key-schema', 'AttributeName=Artist,KeyType=HASH', 'AttributeName=SongTitle,KeyType=RANGE',
        '--global-secondary-indexes', JSON.stringify([{
          IndexName: 'ByGenre',
          KeySchema: [{ AttributeName: 'Genre', KeyType: 'HASH' }, { AttributeName: 'SongTitle', KeyType: 'RANGE' }],
          Projection: { ProjectionType: 'ALL' },
        }])),
      aws('create-table', '--table-name', 'Albums', '--billing-mode', 'PAY_PER_REQUEST',
        '--attribute-definitions', 'AttributeName=Title,AttributeType=S', '--key-schema', 'AttributeName=Title,KeyType=HASH'),
    ]);
    assert.equal(music.TableDescription.TableName, 'Music');
    assert.equal(music.TableDescription.BillingModeSummary.BillingMode, 'PAY_PER_REQUEST');
    assert.equal(music.TableDescription.GlobalSecondaryIndexes[0].IndexName, 'ByGenre');

    await aws('wait', 'table-exists', '--table-name', 'Music');

    const [described, listed] = await Promise.all([aws('describe-table', '--table-name', 'Music'), aws('list-tables')]);
    const table = described.Table;
    assert.equal(table.TableStatus, 'ACTIVE');
    assert.equal(table.TableArn, 'arn:aws:dynamodb:us-east-1:000000000000:table/Music');
    musicArn = table.TableArn;
    assert.deepEqual(table.KeySchema, [{ AttributeName: 'Artist', KeyType: 'HASH' }, { AttributeName: 'SongTitle', KeyType: 'RANGE' }]);
    assert.equal(table.ItemCount, 0);
    const [gsi] = table.GlobalSecondaryIndexes;
    assert.equal(gsi.IndexName, 'ByGenre');
    assert.equal(gsi.IndexStatus, 'ACTIVE');
    assert.deepEqual(gsi.KeySchema, [{ AttributeName: 'Genre', KeyType: 'HASH' }, { AttributeName: 'SongTitle', KeyType: 'RANGE' }]);
    assert.deepEqual(gsi.Projection, { ProjectionType: 'ALL' });
    assert.deepEqual(listed, { TableNames: ['Albums', 'Music'] });
  });

  it('lists tables a page at a time (--max-items, --starting-token)', async () => {
    const first = await aws('list-tables', '--max-items', '1');
    assert.deepEqual(first.TableNames, ['Albums']);
    assert.equal(typeof first.NextToken, 'string');
    const rest = await aws('list-tables', '--max-items', '1', '--starting-token', first.NextToken);
    assert.deepEqual(rest.TableNames, ['Music']);
  });

  it('puts an item and gets it back, whole and projected', async () => {
    const item = {
      Artist: { S: 'Acme' }, SongTitle: { S: 'Hello' }, Genre: { S: 'Pop' }, Year: { N: '1999' },
      Live: { BOOL: false }, Lyrics: { NULL: true }, Credits: { L: [{ S: 'vox' }, { N: '2' }] },
      Meta: { M: { Mood: { S: 'sunny' }, Bpm: { N: '120' } } }, Fans: { SS: ['ann', 'bob'] }, Plays: { N: '7' },
    };
    assert.deepEqual(await aws('put-item', '--table-name', 'Music', '--item', JSON.stringify(item)), {});
    const key = JSON.stringify({ Artist: { S: 'Acme' }, SongTitle: { S: 'Hello' } });
    const [whole, projected] = await Promise.all([
      aws('get-item', '--table-name', 'Music', '--key', key, '--consistent-read'),
      aws('get-item', '--table-name', 'Music', '--key', key,
        '--projection-expression', '#y, Meta.#m, Credits[1]', '--expression-attribute-names', JSON.stringify({ '#y': 'Year', '#m': 'Mood' })),
    ]);
    assert.deepEqual(whole.Item, item);
    assert.deepEqual(projected.Item, { Year: { N: '1999' }, Meta: { M: { Mood: { S: 'sunny' } } }, Credits: { L: [{ N: '2' }] } });
  });

  it('batch-writes items from a file:// request', async () => {
    const puts = [
      ...tracks.map((t) => ({ Artist: { S: 'Band' }, SongTitle: { S: t.title }, Genre: { S: t.genre }, Plays: { N: String(t.plays) } })),
      ...solos.map((s) => ({ Artist: { S: s.artist }, SongTitle: { S: 'only' }, Plays: { N: String(s.plays) } })),
    ].map((Item) => ({ PutRequest: { Item } }));
    const answer = await aws('batch-write-item', '--request-items', requestFile('write.json', { Music: puts }));
    assert.deepEqual(answer, { UnprocessedItems: {} });
    assert.equal((await getItem('Music', 's3', 'only'))!.Plays.N, '300');
  });

  it('queries through the CLI pagination (--page-size, --max-items, --starting-token) and on the GSI', async () => {
    const byArtist = ['--table-name', 'Music', '--key-condition-expression', 'Artist = :a', '--expression-attribute-values', JSON.stringify({ ':a': { S: 'Band' } })];
    const [all, head, rock] = await Promise.all([
      aws('query', ...byArtist, '--page-size', '5'),
      aws('query', ...byArtist, '--page-size', '4', '--max-items', '5'),
      aws('query', '--table-name', 'Music', '--index-name', 'ByGenre',
        '--key-condition-expression', 'Genre = :g AND SongTitle BETWEEN :lo AND :hi',
        '--expression-attribute-values', JSON.stringify({ ':g': { S: 'Rock' }, ':lo': { S: 't02' }, ':hi': { S: 't10' } })),
    ]);
    // 12 items over pages of 5: the CLI followed LastEvaluatedKey twice and merged the pages.
    assert.deepEqual(titles(all.Items), tracks.map((t) => t.title));
    assert.equal(all.Count, 12);
    assert.equal(all.ScannedCount, 12);
    assert.equal(all.NextToken, undefined);

    assert.deepEqual(titles(head.Items), ['t01', 't02', 't03', 't04', 't05']);
    assert.equal(typeof head.NextToken, 'string');
    const tail = await aws('query', ...byArtist, '--page-size', '4', '--starting-token', head.NextToken);
    assert.deepEqual(titles(tail.Items), ['t06', 't07', 't08', 't09', 't10', 't11', 't12']);
    assert.equal(tail.NextToken, undefined);

    assert.deepEqual(titles(rock.Items), ['t04', 't07', 't10']);
    assert.ok(rock.Items.every((item: any) => item.Genre.S === 'Rock' && item.Artist.S === 'Band'));
  });

  it('scans with a filter, split into two segments', async () => {
    const filter = ['--table-name', 'Music', '--filter-expression', 'Plays >= :p', '--expression-attribute-values', JSON.stringify({ ':p': { N: '100' } })];
    const segments = await Promise.all([0, 1].map((segment) => aws('scan', ...filter, '--segment', String(segment), '--total-segments', '2')));
    const found = segments.flatMap((s) => s.Items.map((item: any) => `${item.Artist.S}/${item.SongTitle.S}`));
    assert.equal(new Set(found).size, found.length, 'no item is in both segments');
    assert.deepEqual(found.sort(), ['Band/t10', 'Band/t11', 'Band/t12', ...solos.map((s) => `${s.artist}/only`)]);
    // Together the segments read the whole table once: 12 tracks, 6 solos and Acme's item.
    assert.equal(segments[0].ScannedCount + segments[1].ScannedCount, 19);
    assert.equal(segments[0].Count + segments[1].Count, 9);
  });

  it('updates an item and returns it (--return-values ALL_NEW)', async () => {
    const answer = await aws('update-item', '--table-name', 'Music', '--key', JSON.stringify({ Artist: { S: 'Acme' }, SongTitle: { S: 'Hello' } }),
      '--update-expression', 'SET Plays = Plays + :one, Meta.Mood = :mood ADD Streams :one DELETE Fans :gone REMOVE Lyrics, Credits[0]',
      '--expression-attribute-values', JSON.stringify({ ':one': { N: '1' }, ':mood': { S: 'rainy' }, ':gone': { SS: ['ann'] } }),
      '--return-values', 'ALL_NEW');
    const item = answer.Attributes;
    assert.equal(item.Plays.N, '8');
    assert.deepEqual(item.Meta, { M: { Mood: { S: 'rainy' }, Bpm: { N: '120' } } });
    assert.equal(item.Streams.N, '1');
    assert.deepEqual(item.Fans, { SS: ['bob'] });
    assert.deepEqual(item.Credits, { L: [{ N: '2' }] });
    assert.equal(item.Lyrics, undefined);
    assert.equal(item.Year.N, '1999');
  });

  it('fails a conditional put with ConditionalCheckFailedException and a non-zero exit', async () => {
    const { code, stderr } = await awsFails('put-item', '--table-name', 'Music',
      '--item', JSON.stringify({ Artist: { S: 'Band' }, SongTitle: { S: 't01' }, Plays: { N: '0' } }),
      '--condition-expression', 'attribute_not_exists(Artist)');
    assert.notEqual(code, 0);
    assert.match(stderr, /ConditionalCheckFailedException/);
    assert.match(stderr, /PutItem/);
    assert.equal((await getItem('Music', 'Band', 't01'))!.Plays.N, '10', 'the item is unchanged');
  });

  it('batch-gets items from a file:// request, with a projection', async () => {
    const keys = [['Band', 't03'], ['s6', 'only'], ['Band', 'missing']].map(([a, s]) => ({ Artist: { S: a }, SongTitle: { S: s } }));
    const answer = await aws('batch-get-item', '--request-items', requestFile('get.json', {
      Music: { Keys: keys, ProjectionExpression: 'Artist, SongTitle, Plays' },
    }));
    assert.deepEqual(answer.UnprocessedKeys, {});
    const got = [...answer.Responses.Music].sort((a: any, b: any) => a.Artist.S.localeCompare(b.Artist.S));
    assert.deepEqual(got, [
      { Artist: { S: 'Band' }, SongTitle: { S: 't03' }, Plays: { N: '30' } },
      { Artist: { S: 's6' }, SongTitle: { S: 'only' }, Plays: { N: '600' } },
    ]);
  });

  it('writes a transaction, and cancels one whose condition fails', async () => {
    const key = (artist: string, title: string) => ({ Artist: { S: artist }, SongTitle: { S: title } });
    const committed = await aws('transact-write-items', '--transact-items', JSON.stringify([
      { Put: { TableName: 'Music', Item: { ...key('Duo', 'd1'), Plays: { N: '1' } }, ConditionExpression: 'attribute_not_exists(Artist)' } },
      { Update: { TableName: 'Music', Key: key('Band', 't01'), UpdateExpression: 'SET Plays = Plays + :n', ExpressionAttributeValues: { ':n': { N: '5' } } } },
      { ConditionCheck: { TableName: 'Music', Key: key('Band', 't02'), ConditionExpression: 'attribute_exists(Plays)' } },
      { Delete: { TableName: 'Music', Key: key('Band', 't12') } },
    ]));
    assert.deepEqual(committed, {});
    const [d1, t01, t12] = await Promise.all([getItem('Music', 'Duo', 'd1'), getItem('Music', 'Band', 't01'), getItem('Music', 'Band', 't12')]);
    assert.equal(d1!.Plays.N, '1');
    assert.equal(t01!.Plays.N, '15');
    assert.equal(t12, undefined);

    const { code, stderr } = await awsFails('transact-write-items', '--transact-items', JSON.stringify([
      { Put: { TableName: 'Music', Item: { ...key('Duo', 'd2'), Plays: { N: '2' } } } },
      { ConditionCheck: { TableName: 'Music', Key: key('Band', 't12'), ConditionExpression: 'attribute_exists(Artist)' } },
    ]));
    assert.notEqual(code, 0);
    assert.match(stderr, /TransactionCanceledException/);
    assert.match(stderr, /\[None, ConditionalCheckFailed\]/);
    assert.equal(await getItem('Music', 'Duo', 'd2'), undefined, 'nothing of the canceled transaction is written');
  });

  it('runs PartiQL statements (execute-statement INSERT and SELECT)', async () => {
    const inserted = await aws('execute-statement', '--statement', `INSERT INTO Music VALUE {'Artist': 'Quartet', 'SongTitle': 'q1', 'Plays': 42, 'Genre': 'Jazz'}`);
    assert.deepEqual(inserted, { Items: [] });
    const [selected, duplicate] = await Promise.all([
      aws('execute-statement', '--statement', `SELECT Artist, SongTitle, Plays FROM "Music"."ByGenre" WHERE Genre = ? AND SongTitle < 't05'`,
        '--parameters', JSON.stringify([{ S: 'Jazz' }])),
      awsFails('execute-statement', '--statement', `INSERT INTO Music VALUE {'Artist': 'Quartet', 'SongTitle': 'q1'}`),
    ]);
    // The inserted item is in the table and, by its Genre, in the GSI, ahead of Band's t02 in sort-key order.
    assert.deepEqual(selected.Items, [
      { Artist: { S: 'Quartet' }, SongTitle: { S: 'q1' }, Plays: { N: '42' } },
      { Artist: { S: 'Band' }, SongTitle: { S: 't02' }, Plays: { N: '20' } },
    ]);
    assert.notEqual(duplicate.code, 0);
    assert.match(duplicate.stderr, /DuplicateItemException/);
  });

  it('sets and reads TTL and tags', async () => {
    const [[ttlSet, ttl], [tagged, tags]] = await Promise.all([
      (async () => {
        const set = await aws('update-time-to-live', '--table-name', 'Music', '--time-to-live-specification', 'Enabled=true,AttributeName=expiresAt');
        return [set, await aws('describe-time-to-live', '--table-name', 'Music')];
      })(),
      (async () => {
        const set = await aws('tag-resource', '--resource-arn', musicArn, '--tags', 'Key=team,Value=data', 'Key=env,Value=test');
        return [set, await aws('list-tags-of-resource', '--resource-arn', musicArn)];
      })(),
    ]);
    assert.deepEqual(ttlSet, { TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' } });
    assert.equal(ttl.TimeToLiveDescription.AttributeName, 'expiresAt');
    // DynamoDB reports ENABLING until TTL is in force, then ENABLED.
    assert.ok(['ENABLING', 'ENABLED'].includes(ttl.TimeToLiveDescription.TimeToLiveStatus), ttl.TimeToLiveDescription.TimeToLiveStatus);
    assert.deepEqual(tagged, {});
    assert.deepEqual([...tags.Tags].sort((a: any, b: any) => a.Key.localeCompare(b.Key)), [{ Key: 'env', Value: 'test' }, { Key: 'team', Value: 'data' }]);
  });

  it('deletes the tables and waits until they are gone', async () => {
    const deleted = await Promise.all(['Music', 'Albums'].map((name) => aws('delete-table', '--table-name', name)));
    assert.deepEqual(deleted.map((d) => d.TableDescription.TableName), ['Music', 'Albums']);
    assert.ok(deleted.every((d) => d.TableDescription.TableStatus === 'DELETING'));
    await Promise.all(['Music', 'Albums'].map((name) => aws('wait', 'table-not-exists', '--table-name', name)));
    assert.deepEqual((await client.send(new ListTablesCommand({}))).TableNames, []);
  });
});

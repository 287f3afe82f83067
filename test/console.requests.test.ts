/**
 * The console's request builders, run against a real server: every key-condition
 * operator of the query builder, filters and projection, the lost-update guard of the
 * item editor, SigV4 signing, and "Copy as code" output executed by its own tool
 * (SDK v3 always; the AWS CLI and boto3 when installed).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { PutItemCommand, QueryCommand, ScanCommand, UpdateItemCommand, type AttributeValue as SdkValue } from '@aws-sdk/client-dynamodb';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';
import { buildReadRequest, SORT_OPERATORS, type ReadSpec, type KeySchema } from '../src/console/app/readRequest.js';
import { saveRequest } from '../src/console/app/itemSave.js';
import { requestAsCode } from '../src/console/app/codegen.js';
import { signRequest } from '../src/console/app/sigv4.js';
import type { Item } from '../src/console/app/attr.js';
import { createTable, rawRequest, startTestServer, type TestContext } from './helpers.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const SCHEMA: KeySchema = { hash: { name: 'Artist', type: 'S' }, range: { name: 'SongTitle', type: 'S' } };
const BASE: ReadSpec = {
  table: 'Music', index: '', mode: 'query', partitionValue: 'No One You Know', sortOperator: '', sortValue: '', sortValue2: '',
  filters: [], projection: '', forward: true, pageSize: 0, consistent: false,
};
const TITLES = ['Call It Off', 'Call Me Today', 'My Dog Spot', 'Scared of My Shadow'];

async function titles(ctx: TestContext, spec: ReadSpec): Promise<string[]> {
  const { operation, params } = buildReadRequest(spec, SCHEMA);
  const command = operation === 'Query' ? new QueryCommand(params as never) : new ScanCommand(params as never);
  const answer = await ctx.client.send(command as QueryCommand);
  return (answer.Items ?? []).map((item) => item.SongTitle?.S ?? '');
}

describe('console request builders against the server', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await startTestServer();
    await createTable(ctx.client, 'Music', ['Artist', 'S'], ['SongTitle', 'S']);
    for (const [i, title] of TITLES.entries()) {
      await ctx.client.send(new PutItemCommand({ TableName: 'Music', Item: { Artist: { S: 'No One You Know' }, SongTitle: { S: title }, Year: { N: String(2010 + i) }, 'Sales-Total': { N: String(i * 100) } } }));
    }
    await ctx.client.send(new PutItemCommand({ TableName: 'Music', Item: { Artist: { S: 'Acme Band' }, SongTitle: { S: 'Call Back' } } }));
  });
  after(() => ctx.close());

  it('covers every key-condition operator', () => assert.deepEqual(SORT_OPERATORS, ['=', '<', '<=', '>', '>=', 'BETWEEN', 'begins_with']));

  const cases: [ReadSpec['sortOperator'], string, string, string[]][] = [
    ['', '', '', TITLES],
    ['=', 'My Dog Spot', '', ['My Dog Spot']],
    ['<', 'Call Me Today', '', ['Call It Off']],
    ['<=', 'Call Me Today', '', ['Call It Off', 'Call Me Today']],
    ['>', 'My Dog Spot', '', ['Scared of My Shadow']],
    ['>=', 'My Dog Spot', '', ['My Dog Spot', 'Scared of My Shadow']],
    ['BETWEEN', 'Call Me Today', 'My Dog Spot', ['Call Me Today', 'My Dog Spot']],
    ['begins_with', 'Call', '', ['Call It Off', 'Call Me Today']],
  ];
  for (const [sortOperator, sortValue, sortValue2, expected] of cases) {
    it(`queries with sort key ${sortOperator || '(any)'}`, async () => {
      assert.deepEqual(await titles(ctx, { ...BASE, sortOperator, sortValue, sortValue2 }), expected);
    });
  }

  it('queries in descending order with a page size', async () => {
    assert.deepEqual(await titles(ctx, { ...BASE, forward: false, pageSize: 2 }), ['Scared of My Shadow', 'My Dog Spot']);
  });

  it('filters (typed values, odd attribute names) and projects', async () => {
    const spec: ReadSpec = {
      ...BASE, mode: 'scan', projection: 'SongTitle, Sales-Total',
      filters: [
        { attribute: 'Sales-Total', operator: '>=', type: 'N', value: '100', value2: '' },
        { attribute: 'Year', operator: 'BETWEEN', type: 'N', value: '2011', value2: '2012' },
        { attribute: 'SongTitle', operator: 'contains', type: 'S', value: 'o', value2: '' },
      ],
    };
    const { params } = buildReadRequest(spec, SCHEMA);
    const answer = await ctx.client.send(new ScanCommand(params as never));
    assert.deepEqual(answer.Items, [
      { SongTitle: { S: 'Call Me Today' }, 'Sales-Total': { N: '100' } },
      { SongTitle: { S: 'My Dog Spot' }, 'Sales-Total': { N: '200' } },
    ].sort((a, b) => (answer.Items!.findIndex((i) => i.SongTitle.S === a.SongTitle.S) - answer.Items!.findIndex((i) => i.SongTitle.S === b.SongTitle.S))));
    assert.deepEqual(await titles(ctx, { ...spec, projection: '', filters: [{ attribute: 'Year', operator: 'attribute_not_exists', type: 'S', value: '', value2: '' }] }), ['Call Back']);
  });

  it('rejects a number key value that is not a number before sending', () => {
    assert.throws(() => buildReadRequest(BASE, { hash: { name: 'Artist', type: 'N' } }), /"No One You Know" is not a number/);
  });

  it('saves an edit as a guarded update: a concurrent change fails it, an unrelated addition survives it', async () => {
    const key: Item = { Artist: { S: 'Acme Band' }, SongTitle: { S: 'Guarded' } };
    const loaded: Item = { ...key, Tags: { SS: ['a', 'b'] }, Meta: { M: { n: { N: '1' } } }, Old: { S: 'x' } };
    const send = (request: ReturnType<typeof saveRequest>) =>
      request!.operation === 'PutItem'
        ? ctx.client.send(new PutItemCommand(request!.params as never))
        : ctx.client.send(new UpdateItemCommand(request!.params as never));
    const stored = async () => (await ctx.client.send(new QueryCommand({ TableName: 'Music', KeyConditionExpression: 'SongTitle = :t AND Artist = :a', ExpressionAttributeValues: { ':a': key.Artist as SdkValue, ':t': key.SongTitle as SdkValue } }))).Items?.[0];

    await send(saveRequest('Music', ['Artist', 'SongTitle'], undefined, loaded));
    await assert.rejects(send(saveRequest('Music', ['Artist', 'SongTitle'], undefined, loaded)), { name: 'ConditionalCheckFailedException' }, 'a new item never replaces one');
    assert.equal(saveRequest('Music', ['Artist', 'SongTitle'], loaded, { ...loaded }), undefined, 'nothing changed, nothing sent');

    // Someone else adds an attribute: an edit of what was loaded still saves, and keeps it.
    await ctx.client.send(new UpdateItemCommand({ TableName: 'Music', Key: key as never, UpdateExpression: 'SET #o = :o', ExpressionAttributeNames: { '#o': 'Other' }, ExpressionAttributeValues: { ':o': { S: 'theirs' } } }));
    const edited: Item = { ...loaded, Year: { N: '1' } };
    delete edited.Old;
    await send(saveRequest('Music', ['Artist', 'SongTitle'], loaded, edited));
    assert.deepEqual(await stored(), { ...edited, Other: { S: 'theirs' } });

    // Someone else changes an attribute the editor showed: the save fails and changes nothing.
    const reloaded = (await stored()) as Item;
    await ctx.client.send(new UpdateItemCommand({ TableName: 'Music', Key: key as never, UpdateExpression: 'SET Tags = :t', ExpressionAttributeValues: { ':t': { SS: ['c'] } } }));
    await assert.rejects(send(saveRequest('Music', ['Artist', 'SongTitle'], reloaded, { ...reloaded, Year: { N: '2' } })), { name: 'ConditionalCheckFailedException' });
    // ... and so does adding an attribute someone else added meanwhile.
    const current = (await stored()) as Item;
    await ctx.client.send(new UpdateItemCommand({ TableName: 'Music', Key: key as never, UpdateExpression: 'SET Added = :x', ExpressionAttributeValues: { ':x': { N: '7' } } }));
    await assert.rejects(send(saveRequest('Music', ['Artist', 'SongTitle'], current, { ...current, Added: { N: '8' } })), { name: 'ConditionalCheckFailedException' });
    assert.deepEqual((await stored())?.Added, { N: '7' });
  });

  it('signs requests exactly as the AWS SDK does', async () => {
    const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'token/with+chars' };
    const now = new Date('2026-03-04T05:06:07Z');
    const body = JSON.stringify({ TableName: 'Music', Key: { Artist: { S: 'ä ü' } } });
    const url = new URL('http://localhost:8000/');
    const headers = { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'DynamoDB_20120810.GetItem' };
    const ours = await signRequest({ method: 'POST', url, headers, body, region: 'eu-west-1', service: 'dynamodb', credentials, now });
    const signer = new SignatureV4({ credentials, region: 'eu-west-1', service: 'dynamodb', sha256: Hash.bind(null, 'sha256'), applyChecksum: false });
    const theirs = await signer.sign({
      method: 'POST', protocol: 'http:', hostname: 'localhost', port: 8000, path: '/', query: {},
      headers: { host: 'localhost:8000', 'content-type': headers['Content-Type'], 'x-amz-target': headers['X-Amz-Target'] }, body,
    }, { signingDate: now });
    assert.equal(ours.Authorization, theirs.headers['authorization']);
    assert.equal(ours['X-Amz-Date'], '20260304T050607Z');
    const answer = await rawRequest(ctx.server.url, 'ListTables', '{}', await signRequest({ method: 'POST', url: new URL(ctx.server.url), headers: { 'X-Amz-Target': 'DynamoDB_20120810.ListTables' }, body: '{}', region: 'us-east-1', service: 'dynamodb', credentials }));
    assert.equal(answer.status, 200);
  });
});

describe('"Copy as code" runs as written', () => {
  let ctx: TestContext;
  let dir: string;
  const query = () => buildReadRequest({ ...BASE, sortOperator: 'begins_with', sortValue: "Don't" }, SCHEMA);
  const env = { ...process.env, AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', AWS_PAGER: '' };
  before(async () => {
    ctx = await startTestServer();
    await createTable(ctx.client, 'Music', ['Artist', 'S'], ['SongTitle', 'S']);
    await ctx.client.send(new PutItemCommand({ TableName: 'Music', Item: { Artist: { S: 'No One You Know' }, SongTitle: { S: "Don't Stop" }, Year: { N: '1' } } }));
    dir = mkdtempSync(join(ROOT, '.console-code-'));
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await ctx.close();
  });
  const target = () => ({ endpoint: ctx.server.url, region: 'us-east-1' });

  it('as SDK v3 JavaScript', async () => {
    const { operation, params } = query();
    const file = join(dir, 'query.mjs');
    writeFileSync(file, requestAsCode('js', operation, params, target()).replace('console.log(output);', 'console.log(JSON.stringify(output.Items));'));
    const { stdout } = await run(process.execPath, [file], { env });
    assert.deepEqual(JSON.parse(stdout), [{ Artist: { S: 'No One You Know' }, SongTitle: { S: "Don't Stop" }, Year: { N: '1' } }]);
  });

  it('as an AWS CLI command', async (t) => {
    if (!(await available('aws', ['--version']))) return t.skip('the AWS CLI (aws) is not installed');
    const { operation, params } = query();
    const { stdout } = await run('bash', ['-c', requestAsCode('cli', operation, params, target())], { env });
    assert.equal(JSON.parse(stdout).Items[0].SongTitle.S, "Don't Stop");
  });

  it('as boto3 code', async (t) => {
    if (!(await available('python3', ['-c', 'import boto3']))) return t.skip('python3 with boto3 is not installed');
    const item = { TableName: 'Music', Item: { Artist: { S: 'Py' }, SongTitle: { S: 'Written by boto3' }, Flag: { BOOL: true }, Nothing: { NULL: true }, Tags: { SS: ['x'] } } };
    await run('python3', ['-c', requestAsCode('python', 'PutItem', item, target())], { env });
    const answer = await ctx.client.send(new QueryCommand({ TableName: 'Music', KeyConditionExpression: 'Artist = :a', ExpressionAttributeValues: { ':a': { S: 'Py' } } }));
    assert.deepEqual(answer.Items, [item.Item]);
  });
});

async function available(command: string, args: string[]): Promise<boolean> {
  try {
    await run(command, args, { timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

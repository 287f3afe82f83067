/**
 * The console's PartiQL, stream and TTL views on a server that does not serve those
 * APIs yet: the browser answers those requests itself, in the shapes DynamoDB's API
 * reference documents (ExecuteStatement; DescribeStream, GetShardIterator, GetRecords;
 * DescribeTimeToLive; the server's POST /openddb/ttl/sweep), and passes every other
 * request to the real server. Each test is skipped where the server serves the API:
 * console.test.ts covers it end to end there. Likewise signing in: the browser
 * refuses the console's credentials as a server checking them would.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page, Route } from 'playwright-core';
import { createTable, startTestServer, type TestContext } from '../helpers.js';
import { NO_BROWSER, openBrowser, screenshot, serves, type BrowserSession } from './launch.js';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';

type Answer = (input: Record<string, any>) => object | undefined;

describe('console views of APIs the server lacks', { skip: NO_BROWSER, timeout: 45_000 }, () => {
  let ctx: TestContext;
  let session: BrowserSession;
  let page: Page;
  let support: { partiql: boolean; streams: boolean; ttl: boolean };
  /** Stand-in answers by X-Amz-Target operation; the requests they saw. */
  let answers: Record<string, Answer> = {};
  let seen: { operation: string; input: Record<string, any> }[] = [];

  before(async () => {
    ctx = await startTestServer();
    support = {
      partiql: await serves(ctx.server.url, 'DynamoDB_20120810.ExecuteStatement', { Statement: 'SELECT * FROM "probe"' }),
      streams: await serves(ctx.server.url, 'DynamoDBStreams_20120810.ListStreams', {}),
      ttl: await serves(ctx.server.url, 'DynamoDB_20120810.DescribeTimeToLive', { TableName: 'probe' }),
    };
    await createTable(ctx.client, 'Tail', ['pk', 'S']);
    session = await openBrowser();
    page = session.page;
    await page.route(`${ctx.server.url}/`, async (route: Route) => {
      const request = route.request();
      const operation = (request.headers()['x-amz-target'] ?? '').split('.')[1] ?? '';
      const input = JSON.parse(request.postData() ?? '{}');
      seen.push({ operation, input });
      const answer = answers[operation]?.(input);
      if (answer === undefined) return route.continue();
      return route.fulfill({ status: 200, contentType: 'application/x-amz-json-1.0', body: JSON.stringify(answer) });
    });
  });
  after(async () => {
    await session?.close();
    await ctx?.close();
  });

  it('PartiQL: runs a statement, shows results as a table and as JSON, pages with NextToken, keeps a history', async (t) => {
    if (support.partiql) return t.skip('the server serves ExecuteStatement');
    seen = [];
    answers = {
      ExecuteStatement: (input) => input.NextToken === undefined
        ? { Items: [{ pk: { S: 'a' }, n: { N: '1' } }], NextToken: 'page-2', ConsumedCapacity: { TableName: 'Tail', CapacityUnits: 0.5 } }
        : { Items: [{ pk: { S: 'b' }, tags: { SS: ['x'] } }] },
    };
    await page.goto(`${ctx.server.url}/console#/partiql`);
    await page.getByLabel('PartiQL').fill(`SELECT * FROM "Tail" WHERE pk IN ['a', 'b']`);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const grid = page.getByRole('table', { name: 'Statement results' });
    await grid.getByRole('cell', { name: 'a', exact: true }).waitFor();
    await page.getByText('1 item(s); consumed 0.5 capacity units').waitFor();
    await page.getByRole('button', { name: 'More results' }).click();
    await grid.getByRole('cell', { name: '{x}', exact: true }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'More results' }).count(), 0);
    await screenshot(page, 'partiql');
    await page.getByLabel('JSON', { exact: true }).check();
    assert.deepEqual(JSON.parse(await page.getByLabel('Results as JSON').innerText()), [{ pk: 'a', n: 1 }, { pk: 'b', tags: ['x'] }]);
    const statements = seen.filter((s) => s.operation === 'ExecuteStatement').map((s) => s.input);
    assert.deepEqual(statements, [
      { Statement: `SELECT * FROM "Tail" WHERE pk IN ['a', 'b']`, ReturnConsumedCapacity: 'TOTAL' },
      { Statement: `SELECT * FROM "Tail" WHERE pk IN ['a', 'b']`, NextToken: 'page-2', ReturnConsumedCapacity: 'TOTAL' },
    ]);
    await page.getByLabel('PartiQL').fill('');
    await page.getByRole('button', { name: `SELECT * FROM "Tail" WHERE pk IN ['a', 'b']` }).click();
    assert.equal(await page.getByLabel('PartiQL').inputValue(), `SELECT * FROM "Tail" WHERE pk IN ['a', 'b']`);
  });

  it('stream: tails from LATEST, shows records, follows a closed shard into its child', async (t) => {
    if (support.streams) return t.skip('the server serves the DynamoDB Streams API');
    seen = [];
    const arn = `arn:aws:dynamodb:us-east-1:000000000000:table/Tail/stream/2026-01-01T00:00:00.000`;
    const shard1 = { ShardId: 'shardId-1', SequenceNumberRange: { StartingSequenceNumber: '100' } };
    const shard2 = { ShardId: 'shardId-2', ParentShardId: 'shardId-1', SequenceNumberRange: { StartingSequenceNumber: '200' } };
    let rolledOver = false;
    let written = false;
    const record = (eventName: string, n: string, sequence: string) => ({
      eventID: `e${sequence}`, eventName, eventVersion: '1.1', eventSource: 'aws:dynamodb', awsRegion: 'us-east-1',
      dynamodb: { Keys: { pk: { S: 'k' } }, NewImage: { pk: { S: 'k' }, n: { N: n } }, SequenceNumber: sequence, SizeBytes: 20, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
    answers = {
      DescribeStream: () => ({
        StreamDescription: {
          StreamArn: arn, StreamStatus: 'ENABLED', StreamViewType: 'NEW_AND_OLD_IMAGES', TableName: 'Tail',
          Shards: rolledOver ? [{ ...shard1, SequenceNumberRange: { ...shard1.SequenceNumberRange, EndingSequenceNumber: '150' } }, shard2] : [shard1],
        },
      }),
      GetShardIterator: (input) => ({ ShardIterator: `${input.ShardId}/${input.ShardIteratorType}/0` }),
      GetRecords: (input) => {
        const [shard, type, step] = String(input.ShardIterator).split('/');
        if (shard === 'shardId-1') {
          if (!written) return { Records: [], NextShardIterator: `${shard}/${type}/${step}` };
          rolledOver = true;
          return { Records: [record('INSERT', '1', '110')] };  // no NextShardIterator: the shard is closed
        }
        return step === '0' ? { Records: [record('MODIFY', '2', '210')], NextShardIterator: `${shard}/${type}/1` } : { Records: [], NextShardIterator: input.ShardIterator };
      },
    };
    // The table's description as a table with a stream would have it.
    const withStream = async (route: Route) => {
      if (route.request().headers()['x-amz-target'] !== 'DynamoDB_20120810.DescribeTable') return route.fallback();
      const response = await route.fetch();
      const body = await response.json();
      body.Table.StreamSpecification = { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' };
      body.Table.LatestStreamArn = arn;
      return route.fulfill({ response, json: body });
    };
    await page.route(`${ctx.server.url}/`, withStream);
    await page.goto(`${ctx.server.url}/console#/table/Tail/stream`);
    await page.getByRole('button', { name: 'Start tailing' }).click();
    await page.getByText('Tailing: new records appear below.').waitFor();
    await page.waitForTimeout(1200);
    written = true;
    const log = page.getByRole('log', { name: 'Stream records' });
    await log.getByText(/INSERT.*"n":1/).waitFor();
    await log.getByText(/MODIFY.*"n":2/).waitFor();
    await screenshot(page, 'stream');
    const iterators = seen.filter((s) => s.operation === 'GetShardIterator').map((s) => [s.input.ShardId, s.input.ShardIteratorType, s.input.StreamArn]);
    assert.deepEqual(iterators, [['shardId-1', 'LATEST', arn], ['shardId-2', 'TRIM_HORIZON', arn]]);
    await page.getByRole('button', { name: 'Stop tailing' }).click();
    await page.unroute(`${ctx.server.url}/`, withStream);
  });

  it('TTL: shows the setting and the pending expirations, and asks the server to sweep', async (t) => {
    if (support.ttl) return t.skip('the server serves DescribeTimeToLive');
    seen = [];
    const past = String(Math.floor(Date.now() / 1000) - 60);
    const future = String(Math.floor(Date.now() / 1000) + 3600);
    await ctx.client.send(new PutItemCommand({ TableName: 'Tail', Item: { pk: { S: 'old' }, expires: { N: past } } }));
    await ctx.client.send(new PutItemCommand({ TableName: 'Tail', Item: { pk: { S: 'new' }, expires: { N: future } } }));
    answers = { DescribeTimeToLive: () => ({ TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: 'expires' } }) };
    let sweepBody: unknown;
    await page.route(`${ctx.server.url}/openddb/ttl/sweep`, async (route) => {
      sweepBody = route.request().postDataJSON();
      await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ deleted: 1 }) });
    });
    await page.goto(`${ctx.server.url}/console#/table/Tail/ttl`);
    await page.getByText('Status: ENABLED, attribute expires').waitFor();
    await page.getByText('1 expired item(s) wait for the sweep').waitFor();
    await page.getByRole('table', { name: 'Expired items not yet deleted' }).getByRole('cell', { name: 'old', exact: true }).waitFor();
    await screenshot(page, 'ttl');
    await page.getByRole('button', { name: 'Run sweep now' }).click();
    await page.getByText('Sweep done: {"deleted":1}').waitFor();
    assert.deepEqual(sweepBody, { table: 'Tail' });
  });

  it('signing in: a refused credential links to the settings, and the new key signs every request as the SDK would', async () => {
    let refused = false;
    let signed: { headers: Record<string, string>; body: string } | undefined;
    const checkCredentials = async (route: Route) => {
      const request = route.request();
      if (request.headers()['x-amz-target'] !== 'DynamoDB_20120810.ListTables') return route.fallback();
      if (!refused) {
        refused = true;
        return route.fulfill({
          status: 400, contentType: 'application/x-amz-json-1.0',
          body: JSON.stringify({ __type: 'com.amazon.coral.service#UnrecognizedClientException', message: 'The security token included in the request is invalid.' }),
        });
      }
      signed = { headers: await request.allHeaders(), body: request.postData() ?? '' };
      return route.fallback();
    };
    await page.route(`${ctx.server.url}/`, checkCredentials);
    try {
      await page.goto(`${ctx.server.url}/console#/tables`);
      await page.getByRole('alert').filter({ hasText: 'UnrecognizedClientException: The security token included in the request is invalid.' }).waitFor();
      await page.getByRole('link', { name: 'Sign in with an access key' }).click();
      await page.getByLabel('Region').fill('eu-west-1');
      await page.getByLabel('Access key ID').fill('AKIDNEW');
      await page.getByLabel('Secret access key').fill('new/secret+key');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.getByRole('link', { name: 'Tables', exact: true }).click();
      await page.getByRole('link', { name: 'Tail', exact: true }).waitFor();
    } finally {
      await page.unroute(`${ctx.server.url}/`, checkCredentials);
    }
    assert.ok(signed, 'ListTables was sent again');
    const { headers, body } = signed;
    assert.match(headers['authorization'], /^AWS4-HMAC-SHA256 Credential=AKIDNEW\/\d{8}\/eu-west-1\/dynamodb\/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=[0-9a-f]{64}$/);
    const { hostname, port } = new URL(ctx.server.url);
    const signer = new SignatureV4({ credentials: { accessKeyId: 'AKIDNEW', secretAccessKey: 'new/secret+key' }, region: 'eu-west-1', service: 'dynamodb', sha256: Hash.bind(null, 'sha256'), applyChecksum: false });
    const amzDate = headers['x-amz-date'];
    const expected = await signer.sign({
      method: 'POST', protocol: 'http:', hostname, port: Number(port), path: '/', query: {}, body,
      headers: { host: `${hostname}:${port}`, 'content-type': headers['content-type'], 'x-amz-target': headers['x-amz-target'] },
    }, { signingDate: new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`) });
    assert.equal(headers['authorization'], expected.headers['authorization']);
  });
});

/**
 * The web console end to end in a real browser (Playwright driving Chromium): the
 * seed's Music table created, filled, queried and edited through the console, the way
 * a user would, with PartiQL, the stream tail and TTL. Skipped, with the reason, where
 * Chromium is not installed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DescribeTableCommand, GetItemCommand, PutItemCommand, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { Page } from 'playwright-core';
import { startTestServer, type TestContext } from '../helpers.js';
import { NO_BROWSER, openBrowser, screenshot, type BrowserSession } from './launch.js';

const SONGS = [
  { Artist: 'No One You Know', SongTitle: 'Call Me Today', AlbumTitle: 'Somewhat Famous', Genre: 'Country', Year: 2015 },
  { Artist: 'No One You Know', SongTitle: 'Call It Off', Genre: 'Country', Year: 2019 },
  { Artist: 'No One You Know', SongTitle: 'Scared of My Shadow', Genre: 'Rock', Year: 2012 },
  { Artist: 'Acme Band', SongTitle: 'Happy Day', AlbumTitle: 'Songs About Life', Genre: 'Rock', Year: 2019 },
];

describe('web console in a browser', { skip: NO_BROWSER, timeout: 60_000 }, () => {
  let ctx: TestContext;
  let session: BrowserSession;
  let page: Page;
  const pageErrors: string[] = [];

  const shot = (name: string, fullPage = false) => screenshot(page, name, fullPage);
  const results = () => page.getByRole('table', { name: /^Results from/ });

  before(async () => {
    ctx = await startTestServer();
    session = await openBrowser();
    page = session.page;
    page.on('pageerror', (err) => pageErrors.push(err.message));
    // Everything the page loads must come from the server itself.
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) pageErrors.push(message.text());
    });
    page.on('request', (request) => {
      if (!request.url().startsWith(ctx.server.url) && !request.url().startsWith('blob:')) pageErrors.push(`requested ${request.url()}`);
    });
  });

  after(async () => {
    assert.deepEqual(pageErrors, [], 'the page threw no errors');
    await session?.close();
    await ctx?.close();
  });

  it('opens at /console, reachable by keyboard', async () => {
    await page.goto(`${ctx.server.url}/console`);
    await page.getByRole('heading', { name: 'Tables' }).waitFor();
    await page.getByText('No tables yet.').waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'New table');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'New table' }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1', 'focus moves to the new view');
  });

  it('creates the Music table with a GSI on Genre', async () => {
    await page.getByLabel('Table name').fill('Music');
    await page.getByLabel('Partition key', { exact: true }).fill('Artist');
    await page.getByLabel('Sort key', { exact: true }).fill('SongTitle');
    await page.getByRole('button', { name: 'Add global index' }).click();
    await page.getByLabel('Index 1 name').fill('GenreIndex');
    await page.getByLabel('Index 1 hash attribute', { exact: true }).fill('Genre');
    await page.getByLabel('Enable stream').check();
    await shot('create-table');
    await page.getByRole('button', { name: 'Create table' }).click();
    await page.getByRole('heading', { name: 'Music' }).waitFor();
    await page.getByRole('term').filter({ hasText: 'Status' }).waitFor();

    const { Table } = await ctx.client.send(new DescribeTableCommand({ TableName: 'Music' }));
    assert.deepEqual(Table?.KeySchema, [{ AttributeName: 'Artist', KeyType: 'HASH' }, { AttributeName: 'SongTitle', KeyType: 'RANGE' }]);
    assert.equal(Table?.GlobalSecondaryIndexes?.[0].IndexName, 'GenreIndex');
    assert.deepEqual(Table?.GlobalSecondaryIndexes?.[0].KeySchema, [{ AttributeName: 'Genre', KeyType: 'HASH' }]);
    assert.equal(Table?.BillingModeSummary?.BillingMode, 'PAY_PER_REQUEST');
    await shot('table-settings');
  });

  it('adds items with the item editor', async () => {
    await page.getByRole('link', { name: 'Items', exact: true }).click();
    for (const song of SONGS) {
      await page.getByRole('button', { name: 'New item' }).click();
      await page.getByLabel('Item', { exact: true }).fill(JSON.stringify(song));
      await page.getByRole('button', { name: 'Save item' }).click();
      await page.getByRole('form', { name: 'Item editor' }).waitFor({ state: 'detached' });
    }
    await results().getByRole('cell', { name: 'Scared of My Shadow', exact: true }).waitFor();
    const stored = await ctx.client.send(new GetItemCommand({ TableName: 'Music', Key: { Artist: { S: 'Acme Band' }, SongTitle: { S: 'Happy Day' } } }));
    assert.deepEqual(stored.Item?.Year, { N: '2019' }, 'a plain JSON number is stored as a number');
  });

  it('lists the table as a link named by its name', async () => {
    await page.getByRole('link', { name: 'Tables', exact: true }).click();
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'Music', exact: true }) });
    await row.getByRole('cell', { name: '4', exact: true }).waitFor();
    await row.getByRole('cell', { name: 'On-demand' }).waitFor();
    await shot('tables');
    await page.getByRole('link', { name: 'Music', exact: true }).click();
    await page.getByRole('heading', { name: 'Music' }).waitFor();
  });

  it('queries by artist with begins_with on the song title', async () => {
    await page.getByLabel('Query').check();
    await page.getByLabel('Partition key value').fill('No One You Know');
    await page.getByLabel('Sort key condition').selectOption('begins_with');
    await page.getByLabel('Sort key value').fill('Call');
    await page.getByRole('button', { name: 'Run query' }).click();
    await page.getByText('2 item(s) on page 1').waitFor();
    const titles = await results().locator('tbody tr td:nth-child(4)').allTextContents();
    assert.deepEqual(titles, ['Call It Off', 'Call Me Today']);
    await page.getByText(/consumed 0\.5 RCU/).waitFor();
    await shot('query', true);

    await page.getByLabel('Order').selectOption('desc');
    await page.getByRole('button', { name: 'Run query' }).click();
    await page.waitForFunction(() => document.querySelector('tbody tr td:nth-child(4)')?.textContent === 'Call Me Today');
  });

  it('queries the GSI by genre', async () => {
    await page.getByLabel('Index').selectOption('GenreIndex');
    await page.getByLabel('Partition key value').fill('Rock');
    await page.getByRole('button', { name: 'Run query' }).click();
    await page.getByText('2 item(s) on page 1').waitFor();
    await results().getByRole('cell', { name: 'Happy Day', exact: true }).waitFor();
    await results().getByRole('cell', { name: 'Scared of My Shadow', exact: true }).waitFor();
  });

  it('edits an item, and refuses to overwrite a change made meanwhile', async () => {
    await page.getByLabel('Index').selectOption('');
    await page.getByLabel('Partition key value').fill('No One You Know');
    await page.getByLabel('Sort key condition').selectOption('=');
    await page.getByLabel('Sort key value').fill('Call Me Today');
    await page.getByRole('button', { name: 'Run query' }).click();
    await page.getByRole('button', { name: 'Edit No One You Know / Call Me Today' }).click();
    const editor = page.getByLabel('Item', { exact: true });
    const loaded = JSON.parse(await editor.inputValue());
    assert.equal(loaded.Year, 2015);
    await editor.fill(JSON.stringify({ ...loaded, Year: 2016, Awards: 1 }));
    await page.getByLabel('DynamoDB JSON').check();
    assert.deepEqual(JSON.parse(await editor.inputValue()).Year, { N: '2016' });
    await shot('item-editor', true);
    await page.getByRole('button', { name: 'Save item' }).click();
    await page.getByRole('form', { name: 'Item editor' }).waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    const key = { Artist: { S: 'No One You Know' }, SongTitle: { S: 'Call Me Today' } };
    const saved = await ctx.client.send(new GetItemCommand({ TableName: 'Music', Key: key }));
    assert.deepEqual([saved.Item?.Year, saved.Item?.Awards], [{ N: '2016' }, { N: '1' }]);

    // Someone else changes the item while it is open: saving must not overwrite that.
    await page.getByRole('button', { name: 'Edit No One You Know / Call Me Today' }).click();
    const text = await editor.inputValue();
    await ctx.client.send(new UpdateItemCommand({ TableName: 'Music', Key: key, UpdateExpression: 'SET Awards = :a', ExpressionAttributeValues: { ':a': { N: '5' } } }));
    await editor.fill(text.replace('"Year": 2016', '"Year": 2017'));
    await page.getByRole('button', { name: 'Save item' }).click();
    await page.getByText(/changed \(or was deleted\) since it was loaded/).waitFor();
    const after = await ctx.client.send(new GetItemCommand({ TableName: 'Music', Key: key }));
    assert.deepEqual([after.Item?.Year, after.Item?.Awards], [{ N: '2016' }, { N: '5' }]);
    await page.getByRole('button', { name: 'Reload item' }).click();
    await page.getByRole('button', { name: 'Reload item' }).waitFor({ state: 'detached' });
    assert.equal(JSON.parse(await editor.inputValue()).Awards, 5);
    await editor.press('Escape');
    await page.getByRole('form', { name: 'Item editor' }).waitFor({ state: 'detached' });
  });

  it('shows a request as AWS CLI, SDK v3 and boto3 code', async () => {
    await page.getByText('Copy as code').last().click();
    await page.getByRole('button', { name: 'AWS CLI' }).click();
    const code = await page.getByLabel('Code', { exact: true }).inputValue();
    assert.match(code, /^aws dynamodb query \\\n {2}--table-name Music/);
    assert.match(code, new RegExp(`--endpoint-url ${ctx.server.url.replace(/[.]/g, '\\.')}`));
    await page.getByRole('button', { name: 'boto3 (Python)' }).click();
    assert.match(await page.getByLabel('Code', { exact: true }).inputValue(), /response = client\.query\(\n {4}TableName="Music",/);
  });

  it('runs a PartiQL SELECT', async () => {
    await page.getByRole('link', { name: 'PartiQL editor' }).click();
    await page.getByLabel('PartiQL').fill(`SELECT * FROM "Music" WHERE Artist = 'Acme Band'`);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.getByRole('table', { name: 'Statement results' }).getByRole('cell', { name: 'Happy Day', exact: true }).waitFor();
    await shot('partiql');
  });

  it('shows a stream record after a write', async () => {
    await page.goto(`${ctx.server.url}/console#/table/Music/stream`);
    await page.getByRole('button', { name: 'Start tailing' }).click();
    await page.getByText('Tailing: new records appear below.').waitFor();
    await new Promise((r) => setTimeout(r, 1500));
    await ctx.client.send(new PutItemCommand({ TableName: 'Music', Item: { Artist: { S: 'Acme Band' }, SongTitle: { S: 'Streamed Live' } } }));
    await page.getByRole('log', { name: 'Stream records' }).getByText(/Streamed Live/).first().waitFor({ timeout: 15_000 });
    await shot('stream');
    await page.getByRole('button', { name: 'Stop tailing' }).click();
  });

  it('turns TTL on, shows a pending expiration and sweeps it', async () => {
    await page.goto(`${ctx.server.url}/console#/table/Music/ttl`);
    await page.getByLabel('Time to live attribute').fill('expires');
    await page.getByRole('button', { name: 'Turn time to live on' }).click();
    await page.getByText(/Status: (ENABLED|ENABLING), attribute expires/).waitFor();
    const past = String(Math.floor(Date.now() / 1000) - 3600);
    await ctx.client.send(new PutItemCommand({ TableName: 'Music', Item: { Artist: { S: 'Expired' }, SongTitle: { S: 'Gone' }, expires: { N: past } } }));
    await page.reload();
    await page.getByText('1 expired item(s) wait for the sweep').waitFor();
    await shot('ttl');
    await page.getByRole('button', { name: 'Run sweep now' }).click();
    await page.getByText(/^Sweep done/).waitFor();
    await page.getByText('No expired items are waiting').waitFor();
    const gone = await ctx.client.send(new GetItemCommand({ TableName: 'Music', Key: { Artist: { S: 'Expired' }, SongTitle: { S: 'Gone' } } }));
    assert.equal(gone.Item, undefined);
  });

  it('records consumed capacity and works the seed\'s RCU/WCU example', async () => {
    await page.getByRole('link', { name: 'Capacity' }).click();
    const log = page.getByRole('table').filter({ hasText: 'Operation' });
    await log.getByRole('row').filter({ hasText: 'PutItem' }).filter({ has: page.getByRole('cell', { name: /^\d+(\.\d+)? WCU$/ }) }).first().waitFor();
    await page.getByLabel('Item size (KB)').fill('11');
    await page.getByLabel('Reads per second').fill('20');
    await page.getByLabel('Read consistency').selectOption('eventual');
    await page.getByLabel('Writes per second').fill('0');
    await page.getByText('Needs 30 RCU').waitFor();
    await page.getByLabel('Item size (KB)').fill('7');
    await page.getByLabel('Writes per second').fill('2');
    await page.getByText('and 14 WCU').waitFor();
    // Writes while the view scrapes /metrics every 2 s: the write chart shows them.
    let writing = true;
    const load = (async () => {
      for (let i = 0; writing || i < 5; i++) {
        await ctx.client.send(new PutItemCommand({ TableName: 'Music', Item: { Artist: { S: 'Load' }, SongTitle: { S: `Song ${i % 5}` } } }));
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    try {
      const chart = page.getByRole('img', { name: /^Write capacity units per second: latest [1-9]/ });
      await chart.locator('path.line').waitFor();
    } finally {
      writing = false;
      await load;
    }
    await shot('capacity');
  });

  it('imports a CSV file and exports the table as JSON lines', async () => {
    await page.goto(`${ctx.server.url}/console#/table/Music/transfer`);
    const csv = 'Artist,SongTitle,Year (N)\r\nThe Imports,First,2001\r\nThe Imports,"Second, Longer",2002\r\n';
    await page.getByLabel('File to import').setInputFiles({ name: 'songs.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Import file' }).click();
    await page.getByText('Imported 2 item(s).').waitFor();
    const imported = await ctx.client.send(new GetItemCommand({ TableName: 'Music', Key: { Artist: { S: 'The Imports' }, SongTitle: { S: 'Second, Longer' } } }));
    assert.deepEqual(imported.Item?.Year, { N: '2002' });

    await page.getByRole('button', { name: 'Export table' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download Music.jsonl' }).click()]);
    const path = await download.path();
    const lines = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, SONGS.length + 2 + 5 + 1);
    assert.ok(lines.some((l) => l.Item.SongTitle.S === 'First' && l.Item.Year.N === '2001'));
    await shot('import-export');
  });

  it('scans in parallel segments and bulk-deletes the selected items', async () => {
    await page.goto(`${ctx.server.url}/console#/table/Music/items`);
    await page.getByLabel('Parallel scan segments').fill('3');
    await page.getByRole('button', { name: 'Run scan' }).click();
    const count = SONGS.length + 2 + 5 + 1;
    await page.getByText(`${count} item(s) on page 1, ${count} scanned by a parallel scan of 3 segments`).waitFor();
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByLabel('Select The Imports / First').check();
    await page.getByLabel('Select The Imports / Second, Longer').check();
    await page.getByRole('button', { name: 'Delete selected (2)' }).click();
    await page.getByText('Deleted 2 item(s).').waitFor();
    await page.getByText(`${count - 2} item(s) on page 1`).waitFor();
    const left = await ctx.client.send(new QueryCommand({ TableName: 'Music', KeyConditionExpression: 'Artist = :a', ExpressionAttributeValues: { ':a': { S: 'The Imports' } } }));
    assert.equal(left.Count, 0);
  });

  it('switches the table to provisioned capacity', async () => {
    await page.getByRole('link', { name: 'Settings and indexes' }).click();
    await page.getByLabel('Provisioned').check();
    await page.getByLabel('Read capacity units', { exact: true }).fill('7');
    await page.getByLabel('Write capacity units', { exact: true }).fill('3');
    await page.getByRole('button', { name: 'Save capacity' }).click();
    await page.getByText('Capacity updated.').waitFor();
    await page.getByText('Provisioned: 7 RCU, 3 WCU').waitFor();
    const { Table } = await ctx.client.send(new DescribeTableCommand({ TableName: 'Music' }));
    assert.equal(Table?.BillingModeSummary?.BillingMode, 'PROVISIONED');
    assert.deepEqual([Table?.ProvisionedThroughput?.ReadCapacityUnits, Table?.ProvisionedThroughput?.WriteCapacityUnits], [7, 3]);
    const gsi = Table?.GlobalSecondaryIndexes?.[0].ProvisionedThroughput;
    assert.deepEqual([gsi?.ReadCapacityUnits, gsi?.WriteCapacityUnits], [7, 3], 'the GSI gets the same throughput');
  });

  it('adds a GSI to the table, shows it backfilled, and drops it', async () => {
    await page.getByRole('button', { name: 'Add global index' }).click();
    await page.getByLabel('New index name').fill('YearIndex');
    await page.getByLabel('New index hash attribute', { exact: true }).fill('Year');
    await page.getByLabel('New index hash attribute type').selectOption('N');
    await page.getByLabel('New index read capacity units').fill('2');
    await page.getByRole('button', { name: 'Create index' }).click();
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'YearIndex' }) });
    await row.getByRole('cell', { name: 'ACTIVE' }).waitFor();
    await row.getByRole('cell', { name: String(SONGS.length), exact: true }).waitFor();
    const { Table } = await ctx.client.send(new DescribeTableCommand({ TableName: 'Music' }));
    const added = Table?.GlobalSecondaryIndexes?.find((i) => i.IndexName === 'YearIndex');
    assert.deepEqual(added?.KeySchema, [{ AttributeName: 'Year', KeyType: 'HASH' }]);
    assert.deepEqual([added?.ProvisionedThroughput?.ReadCapacityUnits, added?.ProvisionedThroughput?.WriteCapacityUnits], [2, 5]);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Delete index YearIndex' }).click();
    await row.waitFor({ state: 'detached' });
  });

  it('deletes the table after confirmation', async () => {
    await page.goto(`${ctx.server.url}/console#/table/Music/overview`);
    await page.getByRole('button', { name: 'Delete table…' }).click();
    const confirm = page.getByRole('button', { name: 'Delete Music' });
    assert.equal(await confirm.isDisabled(), true, 'the delete button waits for the table name');
    await page.getByLabel('Type Music to confirm').fill('Music');
    await confirm.click();
    await page.getByRole('heading', { name: 'Tables' }).waitFor();
    await page.getByText('No tables yet.').waitFor();
  });
});

/** `openddb import-json`, `export-json` and `mcp`, run as the real command. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { createTable, sdkClient } from './helpers.js';
import { CLI_PATH } from './cliProcess.js';
import { startServer, type RunningServer } from '../src/index.js';

function cli(args: string[], stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI_PATH, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const lines = (text: string): any[] => text.trim().split('\n').map((line) => JSON.parse(line));

describe('the tools in the help', () => {
  it('openddb --help names them, and each has its own --help', async () => {
    const help = await cli(['--help']);
    assert.match(help.stdout, /openddb import-json \/ export-json +load or dump a table as JSON lines/);
    assert.match(help.stdout, /openddb mcp +a Model Context Protocol server/);
    for (const tool of ['import-json', 'export-json', 'mcp']) {
      const own = await cli([tool, '--help']);
      assert.equal(own.code, 0, tool);
      assert.match(own.stdout, new RegExp(`^Usage: openddb ${tool} `), tool);
    }
  });
});

describe('import-json and export-json', () => {
  let server: RunningServer;
  let dir: string;
  before(async () => {
    server = await startServer({ logLevel: 'silent' });
    dir = mkdtempSync(join(tmpdir(), 'openddb-json-'));
    const client = sdkClient(server.url);
    await createTable(client, 'people', ['id', 'S']);
    await createTable(client, 'events', ['stream', 'S'], ['seq', 'N']);
    client.destroy();
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports plain and DynamoDB JSON lines and exports them back in either format', async () => {
    const input = [
      JSON.stringify({ id: 'a', name: 'Ada', age: 36, tags: ['x'], address: { city: 'London' }, retired: true, nothing: null }),
      '',
      JSON.stringify({ id: { S: 'b' }, colours: { SS: ['red', 'blue'] }, n: { N: '12345678901234567890' } }),
    ].join('\n');
    const imported = await cli(['import-json', 'people', '--endpoint', server.url], input);
    assert.equal(imported.code, 0, imported.stderr);
    assert.equal(imported.stdout, `imported 2 items into people (${server.url})\n`);
    const client = sdkClient(server.url);
    const a = await client.send(new GetItemCommand({ TableName: 'people', Key: { id: { S: 'a' } } }));
    client.destroy();
    assert.deepEqual(a.Item, {
      id: { S: 'a' }, name: { S: 'Ada' }, age: { N: '36' }, tags: { L: [{ S: 'x' }] },
      address: { M: { city: { S: 'London' } } }, retired: { BOOL: true }, nothing: { NULL: true },
    });

    const dynamo = await cli(['export-json', 'people', '--endpoint', server.url]);
    assert.equal(dynamo.code, 0, dynamo.stderr);
    assert.match(dynamo.stderr, /exported 2 items of people/);
    const exported = lines(dynamo.stdout);
    assert.equal(exported.length, 2);
    assert.deepEqual(exported.find((item) => item.id.S === 'b'), { id: { S: 'b' }, colours: { SS: ['red', 'blue'] }, n: { N: '12345678901234567890' } });

    const file = join(dir, 'plain.jsonl');
    const plain = await cli(['export-json', 'people', file, '--format', 'plain', '--endpoint', server.url]);
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(plain.stdout, `exported 2 items of people to ${file}\n`);
    const items = lines(readFileSync(file, 'utf8'));
    assert.deepEqual(items.find((item) => item.id === 'a'), { id: 'a', name: 'Ada', age: 36, tags: ['x'], address: { city: 'London' }, retired: true, nothing: null });
    assert.deepEqual(items.find((item) => item.id === 'b'), { id: 'b', colours: ['red', 'blue'], n: '12345678901234567890' });
  });

  it('imports a file over several batches, a later line for the same key replacing the earlier one', async () => {
    const file = join(dir, 'events.jsonl');
    const events = Array.from({ length: 60 }, (_, i) => JSON.stringify({ stream: 's', seq: i % 40, v: i }));
    writeFileSync(file, events.join('\n') + '\n');
    const imported = await cli(['import-json', 'events', file, '--format', 'plain', '--endpoint', server.url]);
    assert.equal(imported.code, 0, imported.stderr);
    const exported = lines((await cli(['export-json', 'events', '--format', 'plain', '--endpoint', server.url])).stdout);
    assert.equal(exported.length, 40);
    assert.equal(exported.find((item) => item.seq === 5).v, 45);
    assert.equal(exported.find((item) => item.seq === 39).v, 39);
  });

  it('refuses a line that is not an item, names it, and writes nothing of its batch', async () => {
    const result = await cli(['import-json', 'people', '--endpoint', server.url], '{"id":"first"}\n[1,2]\n');
    assert.equal(result.code, 1);
    assert.equal(result.stderr, 'openddb import-json: line 2: an item must be a JSON object\n');
    assert.equal((await cli(['import-json', 'people', '--endpoint', server.url], '{"id":"ok"}\n{"id":\n')).code, 1);
    const client = sdkClient(server.url);
    const { Items } = await client.send(new ScanCommand({ TableName: 'people' }));
    client.destroy();
    assert.deepEqual(Items!.map((item) => item.id!.S).sort(), ['a', 'b']);
  });

  it('reports DynamoDB errors with the lines they concern, and leaves no file for a missing table', async () => {
    const missing = await cli(['import-json', 'nosuchtable', '--endpoint', server.url], '{"id":"x"}\n');
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'openddb import-json: Requested resource not found: Table: nosuchtable not found\n');
    const noKey = await cli(['import-json', 'people', '--endpoint', server.url], '{"id":"y"}\n{"name":"keyless"}\n');
    assert.equal(noKey.code, 1);
    assert.match(noKey.stderr, /^openddb import-json: the items from line 1: One or more parameter values were invalid: Missing the key id in the item\n$/);
    const file = join(dir, 'missing.jsonl');
    const exported = await cli(['export-json', 'nosuchtable', file, '--endpoint', server.url]);
    assert.equal(exported.code, 1);
    assert.equal(existsSync(file), false);
  });

  it('answers command-line mistakes with the usage and status 2', async () => {
    for (const args of [['import-json'], ['export-json', 't', 'f', 'extra'], ['export-json', 't', '--format', 'csv'], ['import-json', 't', '--bogus']]) {
      const result = await cli(args);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, /\n\nUsage: openddb (import|export)-json <table>/);
    }
    const conflicting = await cli(['export-json', 't', '--endpoint', server.url, '--data-dir', dir]);
    assert.equal(conflicting.code, 2);
    assert.match(conflicting.stderr, /name one of --endpoint, --data-dir/);
  });

  it('works on a data directory directly, and refuses one a server is using', async () => {
    const dataDir = join(dir, 'data');
    const owner = await startServer({ logLevel: 'silent', dataDir });
    const client = sdkClient(owner.url);
    await createTable(client, 'offline', ['id', 'S']);
    client.destroy();
    const busy = await cli(['import-json', 'offline', '--data-dir', dataDir], '{"id":"0"}\n');
    assert.equal(busy.code, 1);
    assert.match(busy.stderr, /in use by another OpenDDB process/);
    await owner.close();
    const file = join(dir, 'seed.jsonl');
    writeFileSync(file, '{"id":"1"}\n{"id":"2"}\n');
    const imported = await cli(['import-json', 'offline', file, '--data-dir', dataDir]);
    assert.equal(imported.code, 0, imported.stderr);
    assert.equal(imported.stdout, `imported 2 items into offline (${dataDir})\n`);
    const exported = await cli(['export-json', 'offline', '--format', 'plain', '--data-dir', dataDir]);
    assert.deepEqual(lines(exported.stdout).map((item) => item.id).sort(), ['1', '2']);
  });
});

describe('mcp', () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer({ logLevel: 'silent' });
    const client = sdkClient(server.url);
    await createTable(client, 'orders', ['id', 'S'], ['line', 'N']);
    client.destroy();
  });
  after(() => server.close());

  async function connect(args: string[]) {
    const transport = new StdioClientTransport({ command: process.execPath, args: [CLI_PATH, 'mcp', ...args], stderr: 'pipe' });
    const client = new Client({ name: 'test', version: '1.0.0' });
    await client.connect(transport);
    const tool = async (name: string, input: Record<string, unknown>) => {
      const result = await client.callTool({ name, arguments: input });
      const text = (result.content as { type: string; text: string }[])[0]!.text;
      return result.isError === true ? { error: text } : JSON.parse(text);
    };
    return { client, tool };
  }

  it('lists its tools and drives a running server through them', async () => {
    const { client, tool } = await connect(['--endpoint', server.url]);
    try {
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((t) => t.name).sort(),
        ['delete_item', 'describe_table', 'execute_statement', 'get_item', 'list_tables', 'put_item', 'query', 'scan']);
      assert.equal(tools.find((t) => t.name === 'scan')!.annotations?.readOnlyHint, true);
      assert.equal(tools.find((t) => t.name === 'put_item')!.annotations?.readOnlyHint, false);
      assert.deepEqual(tools.find((t) => t.name === 'get_item')!.inputSchema.required, ['TableName', 'Key']);

      assert.deepEqual(await tool('list_tables', {}), { TableNames: ['orders'] });
      assert.equal((await tool('describe_table', { TableName: 'orders' })).Table.KeySchema[1].AttributeName, 'line');
      for (const line of ['1', '2', '3']) {
        assert.deepEqual(await tool('put_item', { TableName: 'orders', Item: { id: { S: 'o1' }, line: { N: line } } }), {});
      }
      const queried = await tool('query', {
        TableName: 'orders', KeyConditionExpression: 'id = :id AND line >= :two', ExpressionAttributeValues: { ':id': { S: 'o1' }, ':two': { N: '2' } },
      });
      assert.deepEqual(queried.Items.map((i: any) => i.line.N), ['2', '3']);
      const page = await tool('scan', { TableName: 'orders', Limit: 2 });
      assert.equal(page.Items.length, 2);
      assert.deepEqual(page.LastEvaluatedKey, page.Items[1]);
      const key = { id: { S: 'o1' }, line: { N: '1' } };
      assert.deepEqual((await tool('delete_item', { TableName: 'orders', Key: key })).Attributes, key);
      assert.deepEqual(await tool('get_item', { TableName: 'orders', Key: key }), {});
      assert.deepEqual(await tool('get_item', { TableName: 'none', Key: key }), { error: 'ResourceNotFoundException: Requested resource not found' });
      const selected = await tool('execute_statement', { Statement: 'SELECT * FROM "orders" WHERE id = ?', Parameters: [{ S: 'o1' }] });
      assert.deepEqual(selected.Items.map((i: any) => i.line.N), ['2', '3']);
      await tool('execute_statement', { Statement: `INSERT INTO "orders" VALUE {'id': 'o2', 'line': 1}` });
      assert.deepEqual((await tool('get_item', { TableName: 'orders', Key: { id: { S: 'o2' }, line: { N: '1' } } })).Item, { id: { S: 'o2' }, line: { N: '1' } });
    } finally {
      await client.close();
    }
  });

  it('serves an in-memory database of its own, and refuses input that does not fit a tool', async () => {
    const { client, tool } = await connect(['--in-memory']);
    try {
      assert.deepEqual(await tool('list_tables', {}), { TableNames: [] });
      const wrong = await tool('get_item', { TableName: 'orders' });
      assert.match(wrong.error, /Key/);
    } finally {
      await client.close();
    }
  });

  it('says when the server cannot be reached', async () => {
    const { client, tool } = await connect(['--endpoint', 'http://127.0.0.1:1']);
    try {
      assert.match((await tool('list_tables', {})).error, /^could not reach http:\/\/127\.0\.0\.1:1/);
    } finally {
      await client.close();
    }
  });
});

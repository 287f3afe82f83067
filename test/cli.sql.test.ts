/** `openddb sql`: PartiQL from the command line (-e, piped scripts, --json) and the interactive shell. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { DynamoClient } from '../src/cli/sql/client.js';
import { renderTable } from '../src/cli/sql/render.js';
import { runShell } from '../src/cli/sql/shell.js';
import { splitStatements } from '../src/cli/sql/statements.js';
import { CLI_PATH, runCli } from './cliProcess.js';
import { createTable, startTestServer, type TestContext } from './helpers.js';

/** Runs `openddb sql args...` with `input` piped to it. */
function runSqlPiped(args: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI_PATH, 'sql', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('openddb sql', () => {
  let t: TestContext;
  before(async () => {
    t = await startTestServer({ inMemory: true });
    await createTable(t.client, 'Music', ['Artist', 'S'], ['SongTitle', 'S']);
  });
  after(() => t.close());

  it('runs -e statements, prints SELECT results as a table, and JSON lines with --json', async () => {
    const insert = await runCli(['sql', '--endpoint', t.server.url, '-e', `INSERT INTO Music VALUE {'Artist': 'Acme Band', 'SongTitle': 'PartiQL Rocks', 'Year': 2020}`]);
    assert.equal(insert.code, 0, insert.output);
    assert.equal(insert.output, 'OK\n');
    const table = await runCli(['sql', '--endpoint', t.server.url, '-e', `SELECT * FROM Music WHERE Artist = 'Acme Band'`]);
    assert.equal(table.code, 0, table.output);
    const lines = table.output.trimEnd().split('\n');
    assert.match(lines[0]!, /^Artist\s+\| SongTitle\s+\| Year$/);
    assert.match(lines[2]!, /^Acme Band \| PartiQL Rocks \| 2020$/);
    assert.equal(lines.at(-1), '(1 item)');
    const json = await runCli(['sql', '--endpoint', t.server.url, '--json', '-e', 'SELECT * FROM Music']);
    assert.deepEqual(JSON.parse(json.output), { Artist: 'Acme Band', SongTitle: 'PartiQL Rocks', Year: 2020 });
  });

  it('exits 1 and prints the error of a failing statement', async () => {
    const out = await runCli(['sql', '--endpoint', t.server.url, '-e', 'SELECT * FROM Nope']);
    assert.equal(out.code, 1);
    assert.equal(out.output, 'ResourceNotFoundException: Requested resource not found\n');
    const usage = await runCli(['sql', '--bogus']);
    assert.equal(usage.code, 2);
  });

  it('runs a piped script of statements separated by semicolons, spanning lines', async () => {
    const script = `INSERT INTO Music VALUE {'Artist': 'B', 'SongTitle': 'one;two'};
      -- a comment; with a semicolon
      INSERT INTO Music
        VALUE {'Artist': 'B', 'SongTitle': 'three'};
      SELECT SongTitle FROM Music WHERE Artist = 'B'`;
    const out = await runSqlPiped(['--endpoint', t.server.url, '--json'], script);
    assert.equal(out.code, 0, out.stderr);
    assert.deepEqual(out.stdout.trim().split('\n').map((l) => JSON.parse(l)), [{ SongTitle: 'one;two' }, { SongTitle: 'three' }]);
  });

  it('the shell collects multi-line statements up to the semicolon and runs shell commands', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (c: Buffer) => (printed += c.toString()));
    const ran: string[] = [];
    const done = runShell(new DynamoClient(t.server.url), t.server.url, async (s) => (ran.push(s), true), { input, output, terminal: false });
    input.write(`SELECT *\nFROM Music\nWHERE Artist = 'a;b';  SELECT 1 FROM x;\n.tables\n.help\n.nope\n`);
    input.end('.exit\n');
    await done;
    assert.deepEqual(ran, [`SELECT *\nFROM Music\nWHERE Artist = 'a;b'`, 'SELECT 1 FROM x']);
    assert.match(printed, /openddb> Music\n/);
    assert.match(printed, /Shell commands:/);
    assert.match(printed, /Unknown command \.nope/);
  });

  it('splits statements outside quotes and comments, and renders aligned tables', () => {
    assert.deepEqual(splitStatements(`a 'x;y' "q;" ; b -- c;\n; rest`), { statements: [`a 'x;y' "q;"`, 'b -- c;'], rest: ' rest' });
    assert.equal(renderTable([]), '(0 items)\n');
    assert.equal(
      renderTable([{ id: { S: 'a' }, n: { N: '1' } }, { id: { S: 'bb' }, m: { M: { x: { L: [{ BOOL: true }, { NULL: true }] } } } }]),
      'id | n | m\n---+---+------------------\na  | 1 |\nbb |   | {"x":[true,null]}\n(2 items)\n',
    );
  });
});

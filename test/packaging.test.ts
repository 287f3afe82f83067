/**
 * The published package as a stranger gets it: `npm pack`, installed into an empty
 * project, then `npx openddb` and `import { startInProcess } from 'openddb'` there.
 * The install takes the package's dependencies from npm's cache when it has them
 * (`--prefer-offline`), from the registry otherwise.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { sdkClient } from './helpers.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx';

describe('the packed package', { timeout: 120_000 }, () => {
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'openddb-pack-'));
    // dist/ is built by `npm test`; --ignore-scripts keeps `prepare` from building it again.
    const packed = await run(NPM, ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' });
    const tarball = packed.stdout.trim().split('\n').pop()!;
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'clean-project', private: true, type: 'module' }));
    await run(NPM, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', join(dir, tarball)], { cwd: dir, timeout: 100_000 });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('holds the built server and console, not the sources or tests', () => {
    const installed = join(dir, 'node_modules', 'openddb');
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    assert.equal(manifest.bin.openddb, './dist/src/cli/main.js');
    assert.ok(readFileSync(join(installed, 'dist', 'src', 'index.d.ts'), 'utf8').includes('startInProcess'));
    assert.throws(() => readFileSync(join(installed, 'src', 'index.ts')));
    assert.throws(() => readFileSync(join(installed, 'dist', 'test', 'helpers.js')));
  });

  it('runs `npx openddb --help`', async () => {
    const { stdout } = await run(NPX, ['--no-install', 'openddb', '--help'], { cwd: dir, encoding: 'utf8' });
    assert.match(stdout, /^Usage: openddb \[options\]/);
    assert.match(stdout, /--admin-port/);
  });

  it('serves with the installed command, banner first, data on disk under the project', async () => {
    // The installed bin itself, not through npx: a signal to npx would not reach the server it runs.
    const bin = join(dir, 'node_modules', '.bin', 'openddb');
    const child = spawn(bin, ['--port', '0'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const banner = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          if (out.includes('every flag: openddb --help')) resolve(out);
        });
        child.stderr.on('data', (c: Buffer) => (out += c.toString()));
        child.on('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
      });
      const url = /listening on (http:\/\/\S+) \(data on disk in \.\/data\)/.exec(banner)![1]!;
      assert.match(banner, new RegExp(`data: +on disk in ${join(dir, 'data').replace(/[/\\]/g, '.')} \\(LMDB`));
      assert.match(banner, new RegExp(`aws dynamodb list-tables --endpoint-url ${url}`));
      assert.match(await (await fetch(`${url}/`)).text(), /^healthy: /);
      const client = sdkClient(url);
      assert.deepEqual((await client.send(new ListTablesCommand({}))).TableNames, []);
      client.destroy();
      assert.equal((await fetch(`${url}/console`)).status, 200);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('imports as a library without the AWS SDK installed, and says what is missing', async () => {
    writeFileSync(join(dir, 'use.js'), `
      import { startInProcess } from 'openddb';
      const db = await startInProcess();
      const headers = {
        authorization: 'AWS4-HMAC-SHA256 Credential=a/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=c',
        'x-amz-date': '20260101T000000Z', 'x-amz-target': 'DynamoDB_20120810.ListTables', 'content-type': 'application/x-amz-json-1.0',
      };
      const { response } = await db.requestHandler.handle({ method: 'POST', path: '/', headers, body: '{}' });
      console.log(response.statusCode, Buffer.from(response.body).toString());
      try { db.client; } catch (err) { console.log(err.message); }
      const id = await db.snapshot();
      await db.restore(id);
      await db.close();
    `);
    const { stdout } = await run(process.execPath, ['use.js'], { cwd: dir, encoding: 'utf8' });
    assert.match(stdout, /^200 \{"TableNames":\[\]\}\n/);
    assert.match(stdout, /needs the @aws-sdk\/client-dynamodb package/);
  });
});

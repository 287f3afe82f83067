/**
 * The console's files on the server's own port: what GET /console answers, the size of
 * the first view (under 200 KB compressed), same-origin only, and the opt-outs
 * (`startServer({ console: false })`, `--no-console`).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import { parseCliArgs } from '../src/cli/args.js';
import { consoleRoute } from '../src/console/serve.js';
import { startTestServer, type TestContext } from './helpers.js';

const FIRST_VIEW_LIMIT = 200 * 1024;

/** A raw GET (fetch would decompress): status, headers and the bytes as sent. */
function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    // The path goes out exactly as written (a URL object would resolve `..`).
    const { hostname, port } = new URL(url);
    const path = url.replace(/^https?:\/\/[^/]+/, '') || '/';
    const req = request({ hostname, port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('console files', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await startTestServer();
  });
  after(() => ctx.close());

  it('serves the page at /console and /console/, with a strict same-origin policy', async () => {
    for (const path of ['/console', '/console/', '/console?x=1']) {
      const page = await get(`${ctx.server.url}${path}`);
      assert.equal(page.status, 200, path);
      assert.match(String(page.headers['content-type']), /^text\/html/);
      assert.match(String(page.headers['content-security-policy']), /default-src 'self'/);
      assert.match(page.body.toString(), /<script type="module" src="\/console\/app\.js"><\/script>/);
    }
  });

  it('loads the first view in under 200 KB compressed, all from the server itself', async () => {
    const page = await get(`${ctx.server.url}/console`, { 'Accept-Encoding': 'gzip' });
    assert.equal(page.headers['content-encoding'], 'gzip');
    const html = (await import('node:zlib')).gunzipSync(page.body).toString();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(assets.sort(), ['/console/app.css', '/console/app.js']);
    let total = page.body.length;
    for (const asset of assets) {
      const answer = await get(`${ctx.server.url}${asset}`, { 'Accept-Encoding': 'gzip, deflate, br' });
      assert.equal(answer.status, 200, asset);
      assert.equal(answer.headers['content-encoding'], 'gzip');
      total += answer.body.length;
    }
    assert.ok(total < FIRST_VIEW_LIMIT, `first view is ${total} bytes compressed`);
    // The bundle loads nothing else: no external scripts, styles or fonts.
    const script = (await get(`${ctx.server.url}/console/app.js`)).body.toString();
    assert.doesNotMatch(script, /import\s*\(?\s*["']https?:/);
    assert.doesNotMatch((await get(`${ctx.server.url}/console/app.css`)).body.toString(), /url\(|@import/);
  });

  it('answers uncompressed to clients that do not accept gzip, and HEAD without a body', async () => {
    const plain = await get(`${ctx.server.url}/console/app.js`);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.match(String(plain.headers['content-type']), /^text\/javascript/);
    assert.equal(Number(plain.headers['content-length']), plain.body.length);
    const head = await get(`${ctx.server.url}/console/app.js`, {}, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
  });

  it('answers 404 for files it does not have, never reading outside its folder', async () => {
    for (const path of ['/console/nope.js', '/console/../package.json', '/console/%2e%2e/package.json', '/console/app.js/x']) {
      assert.equal((await get(`${ctx.server.url}${path}`)).status, 404, path);
    }
  });

  it('leaves the DynamoDB API, / and /metrics as they were', async () => {
    assert.equal((await get(`${ctx.server.url}/`)).body.toString(), `healthy: ${new URL(ctx.server.url).host}`);
    assert.equal((await get(`${ctx.server.url}/metrics`)).status, 200);
    const other = await get(`${ctx.server.url}/consoles`);
    assert.equal(other.status, 404);
    assert.match(other.body.toString(), /UnknownOperationException/);
  });
});

describe('console opt-outs', () => {
  it('is not served with startServer({ console: false })', async () => {
    const ctx = await startTestServer({ console: false });
    try {
      const answer = await get(`${ctx.server.url}/console`);
      assert.equal(answer.status, 404);
      assert.match(answer.body.toString(), /UnknownOperationException/);
    } finally {
      await ctx.close();
    }
  });

  it('is on by default and off with --no-console or OPENDDB_CONSOLE=0', () => {
    assert.equal(parseCliArgs([], {}).console, true);
    assert.equal(parseCliArgs(['--no-console'], {}).console, false);
    assert.equal(parseCliArgs([], { OPENDDB_CONSOLE: '0' }).console, false);
    assert.equal(parseCliArgs([], { OPENDDB_CONSOLE: '1' }).console, true);
  });

  it('says how to build it when its files are missing', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'openddb-console-empty-'));
    const route = consoleRoute(empty);
    const server = createServer((req, res) => {
      if (!route(req, res)) res.writeHead(418).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const answer = await get(`http://127.0.0.1:${port}/console`);
      assert.equal(answer.status, 404);
      assert.match(answer.body.toString(), /npm run build/);
      assert.equal((await get(`http://127.0.0.1:${port}/other`)).status, 418);
    } finally {
      server.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

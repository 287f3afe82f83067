/**
 * The layering rules, read from the source (a unit test of the code's shape, not of
 * behaviour): arrows point down (server -> api -> engine -> storage), `api/` reaches the
 * key space only through the engine, and the engine knows nothing of HTTP.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

// Tests run from dist/test; the sources sit two levels up.
const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

function sources(folder: string): string[] {
  return readdirSync(join(SRC, folder), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(SRC, folder, f));
}

/** Files of `folder` whose text matches `pattern`, relative to src/. */
function offenders(folder: string, pattern: RegExp): string[] {
  return sources(folder).filter((f) => pattern.test(readFileSync(f, 'utf8'))).map((f) => relative(SRC, f));
}

describe('layering', () => {
  it('finds the sources it checks', () => {
    assert.ok(sources('api').length > 20);
    assert.ok(sources('engine').length > 20);
  });

  it('api/ never imports the storage layer or the key layout, nor touches the store', () => {
    assert.deepEqual(offenders('api', /\.db\.store\b|from +'[^']*(engine\/keyspace|\/storage\/)[^']*'|\btxn\.kv\b/), []);
  });

  it('the engine imports nothing from api/, server/ or cli/', () => {
    assert.deepEqual(offenders('engine', /from +'[^']*\/(api|server|cli)\/[^']*'/), []);
  });

  it('the engine does not branch on HTTP status codes', () => {
    assert.deepEqual(offenders('engine', /\bstatus\s*[<>]=?\s*[1-5]\d\d\b/), []);
  });

  it('storage/, values/ and expressions/ import nothing from the layers above them', () => {
    for (const folder of ['storage', 'values', 'expressions']) {
      assert.deepEqual(offenders(folder, /from +'[^']*\/(api|server|cli|engine)\/[^']*'/), [], folder);
    }
  });

  it('file names are camelCase', () => {
    const names = ['api', 'engine', 'expressions', 'server', 'storage', 'values', 'cli'].flatMap((f) => sources(f)).map((f) => relative(SRC, f));
    assert.deepEqual(names.filter((n) => /[-_]/.test(n.split('/').pop()!)), []);
  });
});

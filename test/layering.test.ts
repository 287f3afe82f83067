/**
 * The layering rules, read from the source (a unit test of the code's shape, not of
 * behaviour): arrows point down (server -> api -> engine -> storage), `api/` reaches the
 * key space only through the engine, the engine knows nothing of HTTP, and no files
 * import each other in a loop.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
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

/** Each source's relative imports (static, type-only and literal dynamic ones), as paths relative to src/. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sources('.')) {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(/(?:from +|import\()'(\.{1,2}\/[^']+)\.js'/g)]
      .map((m) => relative(SRC, resolve(dirname(file), `${m[1]}.ts`)));
    graph.set(relative(SRC, file), targets);
  }
  return graph;
}

/** The import loops of a graph: strongly connected components of more than one file (Tarjan). */
function importLoops(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const loops: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(file, Math.min(low.get(file)!, index.get(next)!));
      }
    }
    if (low.get(file) === index.get(file)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== file);
      if (component.length > 1) loops.push(component.sort());
    }
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return loops;
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

  it('no files import each other, directly or in a loop', () => {
    const graph = importGraph();
    assert.ok([...graph.values()].flat().includes('engine/database.ts'), 'the import graph is read');
    assert.deepEqual(importLoops(graph), []);
  });

  it('the loop finder finds a loop', () => {
    const loop = new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', ['a.ts']], ['d.ts', ['a.ts']]]);
    assert.deepEqual(importLoops(loop), [['a.ts', 'b.ts', 'c.ts']]);
  });

  it('file names are camelCase', () => {
    const names = ['api', 'engine', 'expressions', 'server', 'storage', 'values', 'cli'].flatMap((f) => sources(f)).map((f) => relative(SRC, f));
    assert.deepEqual(names.filter((n) => /[-_]/.test(n.split('/').pop()!)), []);
  });
});

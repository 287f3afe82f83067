// Bundles the compiled server (dist/src/index.js and everything it imports, npm
// packages left out) into dist/src/bundle/: the `openddb` command loads it instead of
// ~200 separate modules, which halves the CPU time of a start (docs/performance.md).
// It sits two folders below dist/ like the modules it replaces, so paths built from
// import.meta.url (the console's assets) resolve the same.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}dist/src/bundle`;
rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: { index: `${root}dist/src/index.js` },
  outdir: out,
  bundle: true,
  // Lazily loaded parts (the on-disk engine, PostgreSQL, metrics, imports) stay in their own chunks.
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});

// Bundles the web console (src/console/app/) into dist/console/: one script, one
// stylesheet and the page, all served by the server itself (no CDN, works offline).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}dist/console`;
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { app: `${root}src/console/app/main.tsx` },
  outdir: out,
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2020',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'none',
  logLevel: 'warning',
});
copyFileSync(`${root}src/console/app/index.html`, `${out}/index.html`);
copyFileSync(`${root}src/console/app/app.css`, `${out}/app.css`);

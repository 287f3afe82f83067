/**
 * Serves the web console's static files at /console on the server's own port. The
 * files are built by `npm run build` into dist/console/ (see scripts/build-console.mjs);
 * the console itself talks to the server only through the DynamoDB API and /metrics.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Answers a request when it is the route's to answer; returns whether it did. */
export type StaticRoute = (req: IncomingMessage, res: ServerResponse) => boolean;

interface Asset {
  type: string;
  body: Buffer;
  gzipped: Buffer;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The built console next to the compiled server: dist/src/console/serve.js -> dist/console/. */
export const DEFAULT_ASSET_DIR = fileURLToPath(new URL('../../console/', import.meta.url));

/** Everything from one origin, nothing inline: the console needs no CDN and runs offline. */
const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

export function consoleRoute(assetDir: string = DEFAULT_ASSET_DIR): StaticRoute {
  let assets: Map<string, Asset> | undefined;
  return (req, res) => {
    // Every API request passes here first: the method alone turns it away.
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = (req.url ?? '').split('?', 1)[0];
    if (path !== '/console' && !path.startsWith('/console/')) return false;
    assets ??= loadAssets(assetDir);
    const name = path === '/console' || path === '/console/' ? 'index.html' : path.slice('/console/'.length);
    const asset = assets.get(name);
    if (asset === undefined) {
      const missing = assets.size === 0 ? 'The console is not built: run `npm run build`.' : 'Not found';
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(missing);
      return true;
    }
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = gzip ? asset.gzipped : asset.body;
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': asset.type,
      'Content-Length': body.length,
      'Cache-Control': 'no-cache',
      Vary: 'Accept-Encoding',
      ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
}

/** Reads the built files once; compressing them up front keeps each answer a plain write. */
function loadAssets(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return assets;
  }
  for (const name of names) {
    const type = CONTENT_TYPES[extname(name)];
    if (type === undefined) continue;
    const body = readFileSync(join(dir, name));
    assets.set(name, { type, body, gzipped: gzipSync(body, { level: 9 }) });
  }
  return assets;
}

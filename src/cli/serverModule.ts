/**
 * The server module for the `openddb` command: the bundle `npm run build` makes
 * (scripts/bundle-server.mjs), one file instead of ~200 to load at start, or the
 * compiled modules when there is no bundle or it is older than they are (after a bare
 * `tsc`, so a stale bundle never runs in place of newer code).
 */
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type ServerModule = typeof import('../index.js');

/** This build's `dist/src/`. */
const DIST_SRC = new URL('../', import.meta.url);

function modifiedMs(url: URL): number | undefined {
  try {
    return statSync(fileURLToPath(url)).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Whether to load the bundle, from its and the compiled modules' modification times (undefined: missing). */
export function bundleIsCurrent(bundleMs: number | undefined, modulesMs: number | undefined): boolean {
  return bundleMs !== undefined && modulesMs !== undefined && bundleMs >= modulesMs;
}

/** Whether the build whose `dist/src/` is `distSrc` runs its bundle (else its compiled modules). */
export function runsBundle(distSrc: URL): boolean {
  return bundleIsCurrent(modifiedMs(new URL('bundle/index.js', distSrc)), modifiedMs(new URL('index.js', distSrc)));
}

export async function loadServerModule(): Promise<ServerModule> {
  if (runsBundle(DIST_SRC)) return (await import(new URL('bundle/index.js', DIST_SRC).href)) as ServerModule;
  return import('../index.js');
}

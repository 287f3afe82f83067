#!/usr/bin/env node
/** The `openddb` command: start a server, stop it cleanly on SIGINT/SIGTERM. */
import cluster from 'node:cluster';
import { parseCliArgs, USAGE, UsageError } from './args.js';
import { runPrimary } from './cluster.js';
import { runWorker } from './worker.js';
import { reloadAuthOnHangup } from './hangup.js';
import { startupBanner } from './banner.js';
import { loadServerModule } from './serverModule.js';

async function main(): Promise<void> {
  if (process.argv[2] === 'backup' || process.argv[2] === 'restore') {
    const { runCopyCommand } = await import('./copy.js');
    process.exitCode = await runCopyCommand(process.argv[2], process.argv.slice(3), process.env);
    return;
  }
  if (await (await import('./tools/index.js')).runTool(process.argv.slice(2), process.env)) return;
  if (process.argv[2] === 'sql') {
    const { runSql } = await import('./sql/command.js');
    process.exitCode = await runSql(process.argv.slice(3));
    return;
  }
  let config;
  try {
    config = parseCliArgs(process.argv.slice(2), process.env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`openddb: ${err.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (config.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (cluster.isWorker) return runWorker(config);
  if (config.workers > 1) return runPrimary(config);
  let server;
  try {
    // Loaded here, not at the top: a --workers primary serves nothing and starts faster without it.
    const { startServer } = await loadServerModule();
    server = await startServer(config);
  } catch (err) {
    process.stderr.write(`openddb: ${(err as Error).message}\n`);
    process.exit(1);
  }
  process.stdout.write(startupBanner(config, server));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`OpenDDB stopping (${signal})\n`);
    server.close().then(
      () => process.exit(0),
      (err) => {
        process.stderr.write(`openddb: error while stopping: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  reloadAuthOnHangup(server);
}

void main();

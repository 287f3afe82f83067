/** SIGHUP: read the `--auth` users file again, without dropping connections. */
import cluster from 'node:cluster';
import type { RunningServer } from '../startServer.js';

/** In a serving process: reload its users; a bad file is reported and the old users stay. */
export function reloadAuthOnHangup(server: RunningServer): void {
  process.on('SIGHUP', () => {
    try {
      server.reloadAuth();
      process.stdout.write('OpenDDB reloaded the users file (SIGHUP)\n');
    } catch (err) {
      process.stderr.write(`openddb: users file not reloaded, the previous users stay: ${(err as Error).message}\n`);
    }
  });
}

/** In a `--workers` primary: pass SIGHUP on to every worker. */
export function forwardHangupToWorkers(): void {
  process.on('SIGHUP', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGHUP');
  });
}

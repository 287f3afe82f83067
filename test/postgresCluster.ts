/**
 * A throw-away PostgreSQL cluster for tests: initdb in a temp directory, started on a
 * free port, removed by `stop()`. Needs the PostgreSQL server binaries (Debian/Ubuntu:
 * `apt-get install postgresql`); `startPostgresCluster` answers with the reason to skip
 * when they are missing. Running as root, the cluster runs as the `postgres` user.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { delimiter, join } from 'node:path';

export interface PostgresCluster {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** `pg_ctl stop -m immediate`, the data kept (a crash of the server). */
  crash(): void;
  /** `pg_ctl promote`: a standby becomes a primary. */
  promote(): void;
  /** A streaming standby of this cluster (pg_basebackup -R), started on its own port. */
  startStandby(): Promise<PostgresCluster>;
}

export interface ClusterOptions {
  /** Commits wait for a standby to have them (synchronous_standby_names = '*'). */
  synchronousStandby?: boolean;
}

export type ClusterOrSkip = { cluster: PostgresCluster; skip?: undefined } | { cluster?: undefined; skip: string };

/** The newest server's bin directory: $OPENDDB_PG_BIN, /usr/lib/postgresql/<version>/bin, else on PATH. */
export function findBinaries(): string | undefined {
  const candidates: string[] = [];
  if (process.env.OPENDDB_PG_BIN) candidates.push(process.env.OPENDDB_PG_BIN);
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => join(root, v, 'bin')));
  }
  candidates.push(...(process.env.PATH ?? '').split(delimiter).filter((dir) => dir !== ''));
  return candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function ownerIds(): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}

export async function startPostgresCluster(options: ClusterOptions = {}): Promise<ClusterOrSkip> {
  const bin = findBinaries();
  if (bin === undefined) return { skip: 'PostgreSQL server binaries not found (install the postgresql package, or set OPENDDB_PG_BIN)' };
  const asRoot = userInfo().uid === 0;
  const owner = asRoot ? ownerIds() : undefined;
  if (asRoot && owner === undefined) return { skip: 'running as root and there is no postgres user to run the cluster as' };
  const run = (tool: string, args: string[]): void => {
    const command = join(bin, tool);
    if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: 'pipe' });
    else execFileSync(command, args, { stdio: 'pipe' });
  };
  const dir = mkdtempSync(join(tmpdir(), 'openddb-pg-'));
  if (owner !== undefined) chownSync(dir, owner.uid, owner.gid);
  const data = join(dir, 'data');
  const port = await freePort();
  const synchronous = options.synchronousStandby === true;
  // A standby, once promoted, has no standby of its own to wait for: only the first primary waits.
  const start = (dataDir: string, at: number, primary = true): void => {
    const commit = !synchronous ? '-c synchronous_commit=off' : primary ? `-c synchronous_commit=on -c synchronous_standby_names='*'` : '-c synchronous_commit=on';
    const settings = `-p ${at} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off ${commit} -c max_connections=100`;
    run('pg_ctl', ['start', '-D', dataDir, '-w', '-t', '60', '-l', `${dataDir}.log`, '-o', settings]);
  };
  try {
    run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    start(data, port);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return { skip: `could not start a PostgreSQL cluster: ${(error as Error).message}` };
  }
  const clusterAt = (dataDir: string, at: number): PostgresCluster => ({
    url: `postgresql://postgres@127.0.0.1:${at}/postgres`,
    port: at,
    stop: async () => stop(),
    crash: () => run('pg_ctl', ['stop', '-D', dataDir, '-m', 'immediate', '-w']),
    promote: () => run('pg_ctl', ['promote', '-D', dataDir, '-w', '-t', '60']),
    startStandby: async () => {
      const standbyData = join(dir, `standby${++standbys}`);
      const standbyPort = await freePort();
      run('pg_basebackup', ['-h', '127.0.0.1', '-p', String(at), '-U', 'postgres', '-D', standbyData, '-R', '-X', 'stream', '--no-sync']);
      start(standbyData, standbyPort, false);
      dataDirs.push(standbyData);
      return clusterAt(standbyData, standbyPort);
    },
  });
  let standbys = 0;
  const dataDirs = [data];
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    try {
      for (const dataDir of dataDirs) {
        try {
          run('pg_ctl', ['stop', '-D', dataDir, '-m', 'immediate', '-w']);
        } catch {
          // Already stopped (crashed by the test).
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  // Also when a test process ends without stopping it (shared by a whole test file), or is
  // interrupted or terminated (a signal ends the process without its 'exit' event).
  process.once('exit', stop);
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => {
      stop();
      process.exit(code);
    });
  }
  return { cluster: clusterAt(data, port) };
}

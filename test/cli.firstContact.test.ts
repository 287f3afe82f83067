/**
 * First contact with the command: grouped, complete --help; the startup banner;
 * DynamoDB Local's arguments; and the Dockerfile's entrypoint, environment and health
 * check run through the real CLI (the image itself needs docker, which tests do not).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { CLI_OPTIONS, parseCliArgs, USAGE } from '../src/cli/args.js';
import { startupBanner } from '../src/cli/banner.js';
import { createTable, sdkClient } from './helpers.js';
import { CLI_PATH, runCli, spawnCli, type CliProcess } from './cliProcess.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

async function stop(proc: CliProcess): Promise<void> {
  const exited = new Promise((resolve) => proc.child.once('exit', resolve));
  proc.child.kill('SIGTERM');
  await exited;
}

describe('openddb --help', () => {
  it('documents every flag, in groups', async () => {
    const { code, output } = await runCli(['--help']);
    assert.equal(code, 0);
    assert.equal(output, USAGE);
    for (const name of Object.keys(CLI_OPTIONS)) assert.match(USAGE, new RegExp(`--${name}\\b`), `--${name} is not in --help`);
    for (const group of ['Where it listens', 'Where data lives', 'Behaving like DynamoDB', 'Security', 'Testing', 'Running', 'Commands']) {
      assert.match(USAGE, new RegExp(`^${group}$`, 'm'));
    }
    // Every flag is documented once, under one group.
    for (const name of Object.keys(CLI_OPTIONS)) assert.equal(USAGE.match(new RegExp(`^ +(-\\w, )?--${name}\\b`, 'gm'))?.length, 1, name);
  });

  it('answers DynamoDB Local\'s -help too, and a usage error with status 2', async () => {
    assert.equal((await runCli(['-help'])).output, USAGE);
    const bad = await runCli(['--nope']);
    assert.equal(bad.code, 2);
    assert.match(bad.output, /^openddb: Unknown option '--nope'/);
  });
});

describe('DynamoDB Local\'s arguments', () => {
  it('maps or ignores them, including the image\'s java command line', () => {
    const image = parseCliArgs(['-Djava.library.path=./DynamoDBLocal_lib', '-Xmx512m', '-jar', 'DynamoDBLocal.jar', '-sharedDb', '-inMemory', '-port', '8001',
      '-optimizeDbBeforeStartup', '-disableTelemetry', '-delayTransientStatuses', '-cors', 'http://a.example'], {});
    assert.equal(image.inMemory, true);
    assert.equal(image.port, 8001);
    assert.equal(image.delayTransientStatuses, true);
    assert.equal(image.cors, 'http://a.example');
    assert.equal(parseCliArgs(['-jar', 'DynamoDBLocal.jar', '-sharedDb', '-dbPath', './data'], {}).dataDir, './data');
    assert.throws(() => parseCliArgs(['toString'], {}), /Unexpected argument/);
  });
});

describe('the startup banner', () => {
  const config = (args: string[]) => parseCliArgs(args, {});

  it('says where data lives, which flags matter and how to connect', () => {
    const banner = startupBanner(config(['--data-dir', 'some/dir']), { url: 'http://127.0.0.1:8000' });
    const lines = banner.split('\n');
    assert.equal(lines[0], 'OpenDDB listening on http://127.0.0.1:8000 (data on disk in some/dir)');
    assert.match(banner, new RegExp(`data: +on disk in ${join(process.cwd(), 'some/dir').replace(/[/\\]/g, '.')} \\(LMDB, durability full`));
    assert.match(banner, /settings: +region us-east-1, no throttling \(--throttle\), any credentials accepted \(--auth\), console http:\/\/127\.0\.0\.1:8000\/console/);
    assert.match(banner, /test controls: http:\/\/127\.0\.0\.1:8000\/openddb\/ \(reset, snapshot, restore, faults, clock\)/);
    assert.match(banner, /^ +aws dynamodb list-tables --endpoint-url http:\/\/127\.0\.0\.1:8000$/m);
    assert.match(banner, /new DynamoDBClient\(\{ endpoint: 'http:\/\/127\.0\.0\.1:8000', region: 'us-east-1', credentials: \{ accessKeyId: 'local', secretAccessKey: 'local' \} \}\)/);
    assert.match(banner, /AWS_ENDPOINT_URL_DYNAMODB=http:\/\/127\.0\.0\.1:8000/);

    const other = startupBanner(config(['--in-memory', '--throttle', '--auth', 'users.json', '--no-console', '--region', 'eu-west-1']),
      { url: 'http://127.0.0.1:9000', adminUrl: 'http://127.0.0.1:9001' });
    assert.match(other, /data: +in memory: gone when the server stops/);
    assert.match(other, /settings: +region eu-west-1, throttling on, signatures checked against users.json$/m);
    assert.match(other, /test controls: http:\/\/127\.0\.0\.1:9001\/openddb\//);
    assert.match(other, /credentials: a user's keys from the --auth file/);
  });

  it('is one line with --quiet', () => {
    assert.equal(startupBanner(config(['--in-memory', '-q']), { url: 'http://x:1' }), 'OpenDDB listening on http://x:1 (data in memory)\n');
    assert.equal(parseCliArgs([], { OPENDDB_QUIET: '1' }).quiet, true);
  });

  it('is what the command prints once it serves', async () => {
    const proc = await spawnCli(['--in-memory', '--port', '0', '--admin-port', '0']);
    try {
      await waitFor(proc, /every flag: openddb --help/);
      assert.match(proc.output(), /test controls: http:\/\/127\.0\.0\.1:\d+\/openddb\//);
      const admin = /test controls: (http:\/\/\S+)\/openddb\//.exec(proc.output())![1]!;
      assert.notEqual(admin, proc.url);
      assert.deepEqual(await (await fetch(`${admin}/openddb/reset`, { method: 'POST' })).json(), {});
    } finally {
      await stop(proc);
    }
  });
});

describe('the Dockerfile', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
  const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const env = Object.fromEntries([...finalStage.matchAll(/^ENV (.+)$/gm)].flatMap((m) => [...m[1]!.matchAll(/(\w+)=(\S+)/g)].map((e) => [e[1]!, e[2]!])));
  const entrypoint = JSON.parse(/^ENTRYPOINT (\[.*\])$/m.exec(finalStage)![1]!) as string[];
  const healthcheck = JSON.parse(/^HEALTHCHECK .*CMD (\[.*\])$/m.exec(finalStage)![1]!) as string[];

  it('is a small Node image, run as its own user, with /data, port 8000 and a health check', () => {
    assert.match(finalStage, /^FROM node:\d+-bookworm-slim$/m);
    assert.match(finalStage, /^USER openddb$/m);
    assert.match(finalStage, /^VOLUME \["\/data"\]$/m);
    assert.match(finalStage, /^EXPOSE 8000$/m);
    assert.deepEqual(env, { NODE_ENV: 'production', OPENDDB_HOST: '0.0.0.0', OPENDDB_PORT: '8000', OPENDDB_DATA_DIR: '/data' });
    assert.deepEqual(entrypoint, ['node', '/app/dist/src/cli/main.js']);
    assert.ok(existsSync(join(ROOT, entrypoint[1]!.replace('/app/', ''))), 'the entrypoint is the built CLI');
  });

  const cases: [string, string[]][] = [
    ['no arguments: on disk in /data', []],
    ['a compose file for amazon/dynamodb-local', ['-jar', 'DynamoDBLocal.jar', '-sharedDb', '-inMemory']],
    ['amazon/dynamodb-local with -dbPath', ['-Djava.library.path=./DynamoDBLocal_lib', '-jar', 'DynamoDBLocal.jar', '-sharedDb', '-dbPath', 'DBPATH']],
  ];
  for (const [name, command] of cases) {
    it(`serves as the image would, and passes its health check: ${name}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'openddb-image-'));
      // The image's environment, with a free port and a temporary directory for /data.
      const imageEnv = { ...process.env, ...env, OPENDDB_PORT: '0', OPENDDB_DATA_DIR: join(dir, 'data') };
      const args = command.map((arg) => (arg === 'DBPATH' ? join(dir, 'db') : arg));
      const proc = await spawnCli(args, imageEnv);
      try {
        assert.equal(CLI_PATH.endsWith(join('dist', 'src', 'cli', 'main.js')), true);
        const port = new URL(proc.url).port;
        assert.equal(proc.url, `http://localhost:${port}`, 'bound to every address');
        const client = sdkClient(proc.url);
        await createTable(client, 'compose', ['id', 'S']);
        assert.deepEqual((await client.send(new ListTablesCommand({}))).TableNames, ['compose']);
        client.destroy();
        const inMemory = command.includes('-inMemory');
        assert.equal(existsSync(join(dir, 'data', 'openddb.mdb')), !inMemory && !command.includes('-dbPath'));
        assert.equal(existsSync(join(dir, 'db', 'openddb.mdb')), command.includes('-dbPath'));
        // The HEALTHCHECK command, run as docker would (inside the container: the image's port).
        execFileSync(healthcheck[0] === 'node' ? process.execPath : healthcheck[0]!, healthcheck.slice(1), { env: { ...imageEnv, OPENDDB_PORT: port }, timeout: 10_000 });
      } finally {
        await stop(proc);
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it('fails its health check when nothing answers', () => {
    assert.throws(() => execFileSync(process.execPath, healthcheck.slice(1), { env: { ...process.env, OPENDDB_PORT: '1' }, timeout: 10_000 }));
  });
});

function waitFor(proc: CliProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = () => {
      if (pattern.test(proc.output())) return resolve();
      if (Date.now() - started > 10_000) return reject(new Error(`no ${pattern} in ${proc.output()}`));
      setTimeout(check, 20);
    };
    check();
  });
}

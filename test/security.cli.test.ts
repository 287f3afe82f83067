import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { parseCliArgs, UsageError } from '../src/cli/args.js';
import { expectError } from './helpers.js';
import { spawnCli } from './cliProcess.js';
import { signedClient, writeUsersFile, type TestUser } from './security.helpers.js';

describe('security flags', () => {
  it('parses --auth, TLS, connection and audit flags, and their environment variables', () => {
    const config = parseCliArgs(['--auth', 'users.json', '--tls-cert', 'c.pem', '--tls-key', 'k.pem', '--tls-port', '8443',
      '--max-connections', '500', '--audit-log', '-', '--audit-data-plane'], {});
    assert.deepEqual([config.auth, config.tlsCert, config.tlsKey, config.tlsPort, config.maxConnections, config.auditLog, config.auditDataPlane],
      ['users.json', 'c.pem', 'k.pem', 8443, 500, '-', true]);
    const fromEnv = parseCliArgs([], { OPENDDB_AUTH: 'u.json', OPENDDB_AUDIT_LOG: 'audit.log', OPENDDB_MAX_CONNECTIONS: '9' });
    assert.deepEqual([fromEnv.auth, fromEnv.auditLog, fromEnv.maxConnections, fromEnv.tlsPort], ['u.json', 'audit.log', 9, undefined]);
    assert.equal(parseCliArgs([], {}).auth, undefined);
    assert.throws(() => parseCliArgs(['--tls-port', 'x'], {}), UsageError);
    assert.throws(() => parseCliArgs(['--max-connections', '0'], {}), UsageError);
  });

  it('reloads the users file on SIGHUP without restarting', async () => {
    const alice: TestUser = { accessKeyId: 'AKIAALICE', secretAccessKey: 'a', account: '111111111111', name: 'alice' };
    const bob: TestUser = { ...alice, accessKeyId: 'AKIABOB', name: 'bob' };
    const file = writeUsersFile([alice]);
    const proc = await spawnCli(['--port', '0', '--in-memory', '--auth', file]);
    try {
      const client = signedClient(proc.url, bob);
      await expectError(client.send(new ListTablesCommand({})), 'UnrecognizedClientException');
      writeFileSync(file, JSON.stringify({ users: [alice, bob] }));
      proc.child.kill('SIGHUP');
      for (let i = 0; i < 50 && !proc.output().includes('reloaded the users file'); i++) await new Promise((r) => setTimeout(r, 20));
      await client.send(new ListTablesCommand({}));
      client.destroy();
    } finally {
      proc.child.kill('SIGTERM');
    }
  });
});

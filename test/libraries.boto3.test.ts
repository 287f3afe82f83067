/**
 * Python's boto3 / botocore works against OpenDDB unchanged: runs the pytest suite in
 * test/python against an in-memory server (its URL in OPENDDB_ENDPOINT). Needs python3
 * with pytest and boto3; without them the test is skipped, saying so.
 * pytest writes nothing into the checkout: no cache provider, no bytecode.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../src/index.js';
import { python, pythonMissing, runCollecting } from './childRun.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SUITE = join(ROOT, 'test', 'python');

function pytest(endpoint: string): Promise<{ status: number | null; output: string }> {
  // Credentials, region and retries come from the suite alone, not from this machine's AWS setup.
  const { NODE_TEST_CONTEXT: _, ...inherited } = process.env;
  const outer = Object.fromEntries(Object.entries(inherited).filter(([name]) => !name.startsWith('AWS_')));
  return runCollecting(python!, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', SUITE], {
    cwd: SUITE,
    env: {
      ...outer,
      OPENDDB_ENDPOINT: endpoint,
      PYTHONDONTWRITEBYTECODE: '1',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      NO_COLOR: '1',
    },
    timeout: 60_000,
  });
}

describe('boto3 against OpenDDB', { skip: pythonMissing }, () => {
  let server: RunningServer;

  before(async () => {
    server = await startServer({ logLevel: 'silent' });
  });

  after(async () => {
    await server?.close();
  });

  it('passes the pytest suite in test/python', async (t) => {
    const { status, output } = await pytest(server.url);
    assert.equal(status, 0, `pytest failed (exit ${status}):\n${output}`);
    const summary = /^=*\s*(\d+ passed.*?)\s*=*$/m.exec(output);
    assert.ok(summary, `no pytest summary in:\n${output}`);
    assert.doesNotMatch(summary[1], /failed|skipped|error|deselected/, output);
    t.diagnostic(`pytest: ${summary[1]}`);
  });
});

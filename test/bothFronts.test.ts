/**
 * Runs the API test files listed here a second time, through the in-process SDK handler
 * instead of HTTP (OPENDDB_TEST_FRONT=inprocess; see helpers.ts). Files that test HTTP
 * itself (framing, headers, sockets) stay HTTP-only.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BOTH_FRONTS = [
  'items', 'keys.limits', 'tables', 'batch.operations',
  'query.conditions', 'query.ordering', 'query.paging', 'scan.paging', 'scan.parallel',
  'indexes.gsi', 'indexes.lsi', 'indexes.multikey', 'indexes.validation',
  'transactions.get', 'transactions.write', 'transactions.idempotency',
  'seed.scenarios', 'capacity.burst',
  // Client libraries on the v3 SDK, which take the in-process handler as users would give it.
  'libraries.dynamoose', 'libraries.electrodb', 'libraries.toolbox', 'libraries.onetable', 'libraries.dynamodbAdmin',
];

it('the API tests pass through the in-process front', () => {
  const here = dirname(fileURLToPath(import.meta.url));
  const run = spawnSync(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=tap', ...BOTH_FRONTS.map((name) => join(here, `${name}.test.js`))], {
    encoding: 'utf8',
    // Without the parent runner's marker, so the files run as a run of their own.
    env: { ...process.env, NODE_TEST_CONTEXT: undefined, OPENDDB_TEST_FRONT: 'inprocess' },
  });
  assert.match(run.stdout, /# pass [1-9]/, run.stdout);
  assert.equal(run.status, 0, `in-process API tests failed:\n${run.stdout}\n${run.stderr}`);
});

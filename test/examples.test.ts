/**
 * Runs each project in examples/ with its own test runner, as a user would after
 * `npm install -D openddb`: examples/node_modules/openddb is this checkout's built package
 * (copied, not linked: runners treat a linked package as the project's own source and transform it).
 * The Python example needs python3 with pytest and boto3; without them it is skipped, saying so.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { python, pythonMissing, runCollecting } from './childRun.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EXAMPLES = join(ROOT, 'examples');
const BIN = join(ROOT, 'node_modules', '.bin');
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');

function run(example: string, command: string, args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; output: string }> {
  // The example runs as a project of its own: not as a subtest of this run, without colours.
  // (One at a time: each runner starts workers of its own, and the machine running this may be small.)
  const { NODE_TEST_CONTEXT: _, ...outer } = process.env;
  return runCollecting(command, args, {
    cwd: join(EXAMPLES, example),
    env: { ...outer, ...env, NODE_OPTIONS: '', CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0' },
    timeout: 80_000,
  });
}

describe('examples', () => {
  before(() => {
    const installed = join(EXAMPLES, 'node_modules', 'openddb');
    rmSync(installed, { recursive: true, force: true });
    cpSync(join(ROOT, 'package.json'), join(installed, 'package.json'));
    for (const folder of ['dist/src', 'dist/console']) {
      if (!existsSync(join(ROOT, folder))) continue;
      cpSync(join(ROOT, folder), join(installed, folder), { recursive: true, filter: (source) => !source.endsWith('.map') && !source.endsWith('.ts') });
    }
  });

  it('node:test, in process', async () => {
    const { status, output } = await run('node-test', process.execPath, ['--test']);
    assert.equal(status, 0, output);
    assert.match(output, /# pass 2\n/);
  });

  it('jest, with an unchanged jest-dynamodb-config.js', async () => {
    // OPENDDB_PORT: the config asks for 8000, which something else may hold on this machine.
    const { status, output } = await run('jest', join(BIN, 'jest'), [], { OPENDDB_PORT: '0' });
    assert.equal(status, 0, output);
    assert.match(output, /Tests:\s+2 passed, 2 total/);
  });

  it('vitest, with openddb.tables.json', async () => {
    const { status, output } = await run('vitest', join(BIN, 'vitest'), ['run']);
    assert.equal(status, 0, output);
    assert.match(output, /Tests\s+3 passed \(3\)/);
  });

  it('pytest with boto3, against the command line', { skip: pythonMissing }, async () => {
    const { status, output } = await run('pytest', python!, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider'], { OPENDDB_COMMAND: `"${process.execPath}" "${CLI}"`, PYTHONDONTWRITEBYTECODE: '1' });
    assert.equal(status, 0, output);
    assert.match(output, /2 passed/);
  });
});

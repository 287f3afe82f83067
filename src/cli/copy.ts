/**
 * `openddb backup [--data-dir <dir>] <file>`: a consistent copy of the whole database
 * (the server may be running). `openddb restore <file> [--data-dir <dir>] [--force]`:
 * makes such a copy the data directory's database (no server may be using it).
 */
import { parseArgs } from 'node:util';
import { backupDataDir, restoreDataDir } from '../storage/copy.js';

export const COPY_USAGE = `Usage: openddb backup [--data-dir <dir>] <file>
       openddb restore <file> [--data-dir <dir>] [--force]

  --data-dir <dir>  the data directory (default ./data; env OPENDDB_DATA_DIR)
  --force           restore over a database the directory already holds
`;

export async function runCopyCommand(command: 'backup' | 'restore', argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { 'data-dir': { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    process.stderr.write(`openddb ${command}: ${(err as Error).message}\n\n${COPY_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(COPY_USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    process.stderr.write(`openddb ${command}: name one backup file\n\n${COPY_USAGE}`);
    return 2;
  }
  const dataDir = values['data-dir'] ?? env.OPENDDB_DATA_DIR ?? './data';
  const file = positionals[0]!;
  try {
    if (command === 'backup') {
      await backupDataDir(dataDir, file);
      process.stdout.write(`OpenDDB: backed up ${dataDir} to ${file}\n`);
    } else {
      restoreDataDir(file, dataDir, values.force === true);
      process.stdout.write(`OpenDDB: restored ${file} into ${dataDir}\n`);
    }
    return 0;
  } catch (err) {
    process.stderr.write(`openddb ${command}: ${(err as Error).message}\n`);
    return 1;
  }
}

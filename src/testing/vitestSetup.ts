/**
 * Vitest's globalSetup: `test: { globalSetup: ['openddb/vitest'] }` in vitest.config. One
 * in-memory server for the run, tables from openddb.tables.json (or jest-dynamodb-config.js),
 * the SDK environment variables set for the workers, and `inject('openddbEndpoint')`.
 */
import { startSuiteServer } from './suiteServer.js';

/** The members of Vitest's TestProject (globalSetup's argument) used here. */
interface GlobalSetupContext {
  provide?: (key: string, value: unknown) => void;
  config?: { root?: string };
}

export default async function setup(context: GlobalSetupContext = {}): Promise<() => Promise<void>> {
  const running = await startSuiteServer(context.config?.root ?? process.cwd());
  context.provide?.('openddbEndpoint', running.server.url);
  return () => running.stop();
}

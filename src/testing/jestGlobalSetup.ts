/** Jest's globalSetup: starts the run's server before any test file (workers inherit its environment variables). */
import { startSuiteServer, type SuiteServer } from './suiteServer.js';

interface JestConfig {
  rootDir?: string;
}

export default async function globalSetup(globalConfig: JestConfig, projectConfig?: JestConfig): Promise<void> {
  const running = await startSuiteServer(projectConfig?.rootDir ?? globalConfig.rootDir ?? process.cwd());
  // Jest runs globalSetup and globalTeardown in its main process: the server is handed over on globalThis.
  (globalThis as { __OPENDDB__?: SuiteServer }).__OPENDDB__ = running;
}

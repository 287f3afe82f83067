/** Jest's globalTeardown: stops the server globalSetup started. */
import type { SuiteServer } from './suiteServer.js';

export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as { __OPENDDB__?: SuiteServer };
  await holder.__OPENDDB__?.stop();
  delete holder.__OPENDDB__;
}

/**
 * One server for a whole test run, as the test-runner presets start it: in memory, the
 * project's table fixtures created, and the SDK environment variables set (test workers
 * started after this inherit them).
 */
import { startServer, type RunningServer } from '../startServer.js';
import { httpCall } from './dynamoCall.js';
import { createFixtures, loadFixtures, sdkEnvironment } from './fixtures.js';

export interface SuiteServer {
  server: RunningServer;
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** OPENDDB_PORT overrides the fixtures' port (0: any free one). */
export async function startSuiteServer(rootDir: string, env: NodeJS.ProcessEnv = process.env): Promise<SuiteServer> {
  const fixtures = await loadFixtures(rootDir, env);
  const port = env.OPENDDB_PORT !== undefined && env.OPENDDB_PORT !== '' ? Number(env.OPENDDB_PORT) : fixtures.port;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`OPENDDB_PORT must be a port number, not ${env.OPENDDB_PORT}`);
  let server: RunningServer;
  try {
    server = await startServer({ port, host: fixtures.hostname, inMemory: true, logLevel: 'warn' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    throw new Error(`OpenDDB could not listen on port ${port}: it is in use (OPENDDB_PORT=0 picks any free port)`, { cause: err });
  }
  try {
    await createFixtures(httpCall(server.url), fixtures.tables);
  } catch (err) {
    await server.close();
    throw new Error(`creating the tables of ${fixtures.source}: ${(err as Error).message}`, { cause: err });
  }
  const variables = sdkEnvironment(server.url);
  const saved = Object.fromEntries(Object.keys(variables).map((name) => [name, process.env[name]]));
  Object.assign(process.env, variables);
  return {
    server,
    env: variables,
    async stop() {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      await server.close();
    },
  };
}

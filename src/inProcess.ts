/**
 * OpenDDB inside the caller's own process: no socket, no port, a fresh in-memory
 * database per call (or any store startServer takes), answering the AWS SDK through
 * the same request pipeline as the HTTP front.
 *   const db = await startInProcess();
 *   await db.client.send(new ListTablesCommand({}));
 *   new DynamoDBClient({ requestHandler: db.requestHandler, region: 'us-east-1', credentials });
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startServer, type RunningServer, type ServerOptions } from './startServer.js';
import { IN_PROCESS_HOST } from './server/sdkHandler.js';

export interface InProcessDatabase extends RunningServer {
  /** A DynamoDBClient on `requestHandler` (needs `@aws-sdk/client-dynamodb` installed). */
  readonly client: DynamoDBClient;
  /** A DynamoDBDocumentClient on `client` (needs `@aws-sdk/lib-dynamodb` installed). */
  readonly documentClient: DynamoDBDocumentClient;
}

/** The options of startServer that concern sockets do not apply. */
export type InProcessOptions = Omit<ServerOptions, 'port' | 'host' | 'tlsPort' | 'tlsCert' | 'tlsKey' | 'maxConnections' | 'cors' | 'worker' | 'inProcess'>;

export async function startInProcess(options: InProcessOptions = {}): Promise<InProcessDatabase> {
  const [server, sdk] = await Promise.all([startServer({ ...options, inProcess: true }), loadSdk()]);
  const region = options.region ?? 'us-east-1';
  let client: DynamoDBClient | undefined;
  let documentClient: DynamoDBDocumentClient | undefined;
  const clientOf = (): DynamoDBClient => {
    if (sdk.client === undefined) throw new Error('startInProcess().client needs the @aws-sdk/client-dynamodb package: npm install -D @aws-sdk/client-dynamodb');
    return (client ??= new sdk.client.DynamoDBClient({
      region,
      endpoint: `http://${IN_PROCESS_HOST}`,
      credentials: { accessKeyId: 'openddb', secretAccessKey: 'openddb' },
      requestHandler: server.requestHandler,
    }));
  };
  return {
    ...server,
    get client() {
      return clientOf();
    },
    get documentClient() {
      if (sdk.lib === undefined) throw new Error('startInProcess().documentClient needs the @aws-sdk/lib-dynamodb package: npm install -D @aws-sdk/lib-dynamodb');
      return (documentClient ??= sdk.lib.DynamoDBDocumentClient.from(clientOf()));
    },
    async close() {
      client?.destroy();
      await server.close();
    },
  };
}

interface Sdk {
  client?: typeof import('@aws-sdk/client-dynamodb');
  lib?: typeof import('@aws-sdk/lib-dynamodb');
}

let sdkLoading: Promise<Sdk> | undefined;

/** The SDK is an optional peer: loaded once, and only what is installed. */
function loadSdk(): Promise<Sdk> {
  sdkLoading ??= (async () => {
    const [client, lib] = await Promise.all([
      import('@aws-sdk/client-dynamodb').catch(() => undefined),
      import('@aws-sdk/lib-dynamodb').catch(() => undefined),
    ]);
    return { client, lib };
  })();
  return sdkLoading;
}

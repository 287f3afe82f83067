/**
 * Table fixtures for test suites, read from `openddb.tables.json` or from an existing
 * `jest-dynamodb-config.js` (the @shelf/jest-dynamodb format), and created on a server.
 *
 * openddb.tables.json: { "port"?: 0, "tables": [ { ...CreateTable input, "seed"?: [items] } ] }
 * or just the array of tables. Seed items are plain JSON, or DynamoDB JSON with
 * "seedFormat": "dynamodb". A table naming no BillingMode nor ProvisionedThroughput is on demand.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DynamoCall } from './dynamoCall.js';
import { toItem } from './plainJson.js';

export interface TableFixture extends Record<string, unknown> {
  TableName: string;
  seed?: Record<string, unknown>[];
  seedFormat?: 'plain' | 'dynamodb';
}

export interface FixtureConfig {
  /** The port to serve on (0: any free one). */
  port: number;
  /** The host to serve on (default 127.0.0.1). */
  hostname?: string;
  tables: TableFixture[];
  /** The file the fixtures came from, if any. */
  source?: string;
}

export const TABLES_FILE = 'openddb.tables.json';
export const JEST_DYNAMODB_FILE = 'jest-dynamodb-config.js';
/** @shelf/jest-dynamodb's default port: its users' clients often name localhost:8000 outright. */
const JEST_DYNAMODB_PORT = 8000;

/**
 * A project's fixtures: OPENDDB_TABLES or ./openddb.tables.json, else JEST_DYNAMODB_CONFIG
 * or ./jest-dynamodb-config.js, else none. Of jest-dynamodb's settings, `tables`, `port` and
 * `hostname` apply; `options`, `clientConfig` and `installerConfig` concern DynamoDB Local's
 * process and are ignored.
 */
export async function loadFixtures(rootDir: string, env: NodeJS.ProcessEnv = process.env): Promise<FixtureConfig> {
  const tablesFile = resolve(rootDir, env.OPENDDB_TABLES ?? TABLES_FILE);
  if (env.OPENDDB_TABLES !== undefined || existsSync(tablesFile)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(tablesFile, 'utf8'));
    } catch (err) {
      throw new Error(`${tablesFile}: ${(err as Error).message}`);
    }
    const config = (Array.isArray(parsed) ? { tables: parsed } : parsed) as { port?: unknown; tables?: unknown };
    return { port: portOf(config.port, 0, tablesFile), tables: checkedTables(config.tables ?? [], tablesFile), source: tablesFile };
  }
  const jestFile = resolve(rootDir, env.JEST_DYNAMODB_CONFIG ?? JEST_DYNAMODB_FILE);
  if (env.JEST_DYNAMODB_CONFIG !== undefined || existsSync(jestFile)) {
    const module = (await import(pathToFileURL(jestFile).href)) as { default?: unknown };
    const exported = module.default ?? module;
    const config = (typeof exported === 'function' ? await exported() : exported) as { port?: unknown; hostname?: unknown; tables?: unknown };
    const hostname = typeof config.hostname === 'string' ? config.hostname : undefined;
    return { port: portOf(config.port, JEST_DYNAMODB_PORT, jestFile), hostname, tables: checkedTables(config.tables ?? [], jestFile), source: jestFile };
  }
  return { port: 0, tables: [] };
}

function portOf(value: unknown, fallback: number, file: string): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${file}: "port" must be a port number`);
  return value;
}

function checkedTables(tables: unknown, file: string): TableFixture[] {
  if (!Array.isArray(tables)) throw new Error(`${file}: "tables" must be an array of CreateTable inputs`);
  for (const table of tables) {
    if (table === null || typeof table !== 'object' || typeof (table as TableFixture).TableName !== 'string') {
      throw new Error(`${file}: every table needs a TableName`);
    }
    const seed = (table as TableFixture).seed;
    if (seed !== undefined && (!Array.isArray(seed) || seed.some((item) => item === null || typeof item !== 'object' || Array.isArray(item)))) {
      throw new Error(`${file}: "seed" of ${(table as TableFixture).TableName} must be an array of items`);
    }
  }
  return tables as TableFixture[];
}

/** Creates the tables and writes their seed items, 25 to a BatchWriteItem. */
export async function createFixtures(call: DynamoCall, tables: TableFixture[]): Promise<void> {
  for (const { seed, seedFormat, ...input } of tables) {
    const onDemand = input.BillingMode === undefined && input.ProvisionedThroughput === undefined;
    await call('CreateTable', onDemand ? { ...input, BillingMode: 'PAY_PER_REQUEST' } : input);
    const items = (seed ?? []).map((item) => (seedFormat === 'dynamodb' ? item : toItem(item)));
    await writeItems(call, input.TableName, items);
  }
}

/** Puts the items in batches of 25, sending unprocessed ones again. */
export async function writeItems(call: DynamoCall, table: string, items: unknown[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let pending: Record<string, unknown> | undefined = { [table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) };
    while (pending !== undefined && Object.keys(pending).length > 0) {
      pending = (await call('BatchWriteItem', { RequestItems: pending })).UnprocessedItems;
    }
  }
}

/**
 * The variables that point the AWS SDKs at the server (AWS_ENDPOINT_URL_DYNAMODB is read
 * by the JavaScript v3, Python, Java and Go SDKs and the CLI), with a region and dummy
 * credentials, plus the MOCK_DYNAMODB_* pair that jest-dynalite's users read.
 */
export function sdkEnvironment(url: string, region = 'us-east-1'): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_DYNAMODB: url,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    MOCK_DYNAMODB_ENDPOINT: url,
    MOCK_DYNAMODB_PORT: new URL(url).port,
  };
}

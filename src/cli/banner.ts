/** What `openddb` prints once it listens: where data lives, the flags that matter, how to connect. */
import { resolve } from 'node:path';
import type { CliConfig } from './args.js';

export interface Endpoints {
  url: string;
  /** With --admin-port: where the test controls are. */
  adminUrl?: string;
}

/** The first line, alone with --quiet; tests and scripts read the URL from it. */
export function listeningLine(config: CliConfig, url: string): string {
  const workers = config.workers > 1 ? `, ${config.workers} worker processes` : '';
  return `OpenDDB listening on ${url} (data ${whereData(config)}${workers})\n`;
}

export function startupBanner(config: CliConfig, { url, adminUrl }: Endpoints): string {
  const first = listeningLine(config, url);
  if (config.quiet) return first;
  const settings = [
    `region ${config.region}`,
    config.throttle ? 'throttling on' : 'no throttling (--throttle)',
    config.delayTransientStatuses ? 'transient statuses delayed' : undefined,
    config.auth !== undefined ? `signatures checked against ${config.auth}` : 'any credentials accepted (--auth)',
    config.console === false ? undefined : `console ${url}/console`,
  ].filter((s) => s !== undefined);
  const controls = config.workers > 1
    ? 'clock and faults per worker; reset and snapshots need a single process'
    : `${adminUrl ?? url}/openddb/ (reset, snapshot, restore, faults, clock)`;
  const credentials = config.auth !== undefined ? "a user's keys from the --auth file" : "{ accessKeyId: 'local', secretAccessKey: 'local' }";
  return [
    first.trimEnd(),
    `  data:          ${dataDetail(config)}`,
    `  settings:      ${settings.join(', ')}`,
    `  test controls: ${controls}`,
    '  connect:',
    `    aws dynamodb list-tables --endpoint-url ${url}`,
    `    new DynamoDBClient({ endpoint: '${url}', region: '${config.region}', credentials: ${credentials} })`,
    `    or AWS_ENDPOINT_URL_DYNAMODB=${url} for any AWS SDK or the AWS CLI`,
    '  every flag: openddb --help',
    '',
  ].join('\n');
}

function whereData(config: CliConfig): string {
  if (config.postgresUrl !== undefined) return 'in PostgreSQL';
  return config.inMemory ? 'in memory' : `on disk in ${config.dataDir}`;
}

function dataDetail(config: CliConfig): string {
  if (config.postgresUrl !== undefined) return 'in PostgreSQL (--storage)';
  if (config.inMemory) return 'in memory: gone when the server stops (--data-dir keeps it)';
  return `on disk in ${resolve(config.dataDir!)} (LMDB, durability ${config.durability ?? 'full'}; --in-memory keeps nothing)`;
}

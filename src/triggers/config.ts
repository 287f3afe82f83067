/**
 * Trigger configuration: event-source mappings that deliver a table's stream to an HTTP
 * endpoint, with Lambda's settings. From the library (`ServerOptions.triggers`) or a JSON
 * file (`--triggers <file>`): {"Triggers": [ { ...TriggerConfig } ]}. See docs/streams.md.
 */
import { readFileSync } from 'node:fs';
import { compileFilters, FilterError, type Pattern } from './filter.js';

export interface TriggerConfig {
  /** Names the mapping's checkpoint: keep it stable across restarts. */
  Name: string;
  TableName: string;
  /** Where batches are POSTed as {"Records": [...]} (e.g. a local Lambda runtime's invocation URL). */
  Endpoint: string;
  /** Records per batch, 1..10,000 (default 100). */
  BatchSize?: number;
  /** How long to gather records before delivering a batch that is not full, 0..300 s (default 0). */
  MaximumBatchingWindowInSeconds?: number;
  /** Where a mapping without a checkpoint starts (default LATEST). */
  StartingPosition?: 'TRIM_HORIZON' | 'LATEST';
  /** Retries of a failing batch before it is skipped; -1 (default) retries until it succeeds. */
  MaximumRetryAttempts?: number;
  /** ["ReportBatchItemFailures"]: the endpoint may answer {"batchItemFailures": [{"itemIdentifier": seq}]}. */
  FunctionResponseTypes?: string[];
  FilterCriteria?: { Filters?: { Pattern?: string }[] };
}

export interface Trigger {
  name: string;
  table: string;
  endpoint: string;
  batchSize: number;
  batchingWindowMs: number;
  startingPosition: 'TRIM_HORIZON' | 'LATEST';
  maxRetries: number;
  reportsItemFailures: boolean;
  filters: Pattern[];
}

export class TriggerConfigError extends Error {}

export function loadTriggersFile(path: string): TriggerConfig[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new TriggerConfigError(`cannot read triggers file ${path}: ${(err as Error).message}`);
  }
  const list = (parsed as { Triggers?: unknown } | null)?.Triggers;
  if (!Array.isArray(list)) throw new TriggerConfigError(`triggers file ${path}: expected {"Triggers": [...]}`);
  return list as TriggerConfig[];
}

export function toTrigger(config: TriggerConfig): Trigger {
  const where = `trigger ${JSON.stringify(config?.Name ?? '?')}`;
  const text = (name: keyof TriggerConfig) => {
    const value = config[name];
    if (typeof value !== 'string' || value === '') throw new TriggerConfigError(`${where}: ${name} must be a non-empty string`);
    return value;
  };
  const int = (name: keyof TriggerConfig, min: number, max: number, fallback: number) => {
    const value = config[name] ?? fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new TriggerConfigError(`${where}: ${name} must be an integer from ${min} to ${max}`);
    }
    return value;
  };
  const endpoint = text('Endpoint');
  if (!/^https?:\/\//.test(endpoint)) throw new TriggerConfigError(`${where}: Endpoint must be an http(s) URL`);
  const start = config.StartingPosition ?? 'LATEST';
  if (start !== 'TRIM_HORIZON' && start !== 'LATEST') throw new TriggerConfigError(`${where}: StartingPosition must be TRIM_HORIZON or LATEST`);
  let filters: Pattern[];
  try {
    filters = compileFilters(config.FilterCriteria);
  } catch (err) {
    if (err instanceof FilterError) throw new TriggerConfigError(`${where}: ${err.message}`);
    throw err;
  }
  return {
    name: text('Name'),
    table: text('TableName'),
    endpoint,
    batchSize: int('BatchSize', 1, 10_000, 100),
    batchingWindowMs: int('MaximumBatchingWindowInSeconds', 0, 300, 0) * 1000,
    startingPosition: start,
    maxRetries: int('MaximumRetryAttempts', -1, 10_000, -1),
    reportsItemFailures: config.FunctionResponseTypes?.includes('ReportBatchItemFailures') === true,
    filters,
  };
}

/**
 * Where a tool sends its DynamoDB calls: a running server (`--endpoint`), or a data
 * directory opened in this process (`--data-dir`, while no server holds it), or a fresh
 * in-memory database (`--in-memory`, where a tool offers it).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { handlerCall, httpCall, type DynamoCall } from '../../testing/dynamoCall.js';
import { ToolUsageError } from './toolUsage.js';

export interface Target {
  call: DynamoCall;
  /** Where the calls go, for messages. */
  describe: string;
  close(): Promise<void>;
}

export const TARGET_USAGE = `  --endpoint <url>    a running server (default: env OPENDDB_ENDPOINT, AWS_ENDPOINT_URL_DYNAMODB,
                      else http://127.0.0.1:8000)
  --data-dir <dir>    open this data directory directly instead (no server may be using it)`;

const TARGET_OPTIONS = {
  endpoint: { type: 'string' },
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type TargetValues = { endpoint?: string; 'data-dir'?: string; 'in-memory'?: boolean; help?: boolean };

/** Parses a tool's command line: --endpoint, --data-dir and --help plus the tool's own options. */
export function parseToolArgs<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O, usage: string) {
  try {
    const parsed = parseArgs({ args: argv, options: { ...TARGET_OPTIONS, ...options }, allowPositionals: true, strict: true });
    return { values: parsed.values as TargetValues & { [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string }, positionals: parsed.positionals };
  } catch (err) {
    throw new ToolUsageError((err as Error).message, usage);
  }
}

/** The arguments of a table tool (`<table> [file] --format F`), or undefined when --help asked for the usage. */
export function parseTableFileArgs(argv: string[], usage: string, formats: readonly string[]) {
  const { values, positionals } = parseToolArgs(argv, { format: { type: 'string' } }, usage);
  if (values.help) return undefined;
  const [table, file, ...extra] = positionals;
  if (table === undefined || extra.length > 0) throw new ToolUsageError('name a table and at most one file', usage);
  const format = values.format ?? formats[0]!;
  if (!formats.includes(format)) throw new ToolUsageError(`--format must be one of ${formats.join(', ')}`, usage);
  return { values, table, file, format };
}

export async function openTarget(values: TargetValues, env: NodeJS.ProcessEnv, usage: string): Promise<Target> {
  const chosen = [values.endpoint !== undefined, values['data-dir'] !== undefined, values['in-memory'] === true].filter(Boolean).length;
  if (chosen > 1) throw new ToolUsageError('name one of --endpoint, --data-dir and --in-memory', usage);
  if (values['data-dir'] !== undefined || values['in-memory'] === true) {
    // Loaded here: talking to a running server needs none of the database.
    const { startServer } = await import('../../index.js');
    const dataDir = values['data-dir'];
    const server = await startServer({ dataDir, inMemory: dataDir === undefined, inProcess: true, console: false, logLevel: 'error' });
    return { call: handlerCall(server.requestHandler), describe: dataDir ?? 'in memory', close: () => server.close() };
  }
  const endpoint = values.endpoint ?? env.OPENDDB_ENDPOINT ?? env.AWS_ENDPOINT_URL_DYNAMODB ?? 'http://127.0.0.1:8000';
  return { call: httpCall(endpoint), describe: endpoint, close: async () => {} };
}

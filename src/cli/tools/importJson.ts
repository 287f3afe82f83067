/**
 * `openddb import-json <table> [file]`: puts the items of a JSON lines file (one item a
 * line, DynamoDB JSON or plain JSON) into an existing table, 25 to a BatchWriteItem.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { writeItems } from '../../testing/fixtures.js';
import { toItem } from '../../testing/plainJson.js';
import { openTarget, parseTableFileArgs, TARGET_USAGE } from './target.js';
import { ToolUsageError } from './toolUsage.js';

export const IMPORT_USAGE = `Usage: openddb import-json <table> [file]   (file: JSON lines; default or -: standard input)

  --format <f>        auto | dynamodb | plain (default auto: a line is DynamoDB JSON when every
                      attribute is a {"<type>": value} object, else plain JSON)
${TARGET_USAGE}
`;

/** The first is the default. */
const FORMATS = ['auto', 'dynamodb', 'plain'];
const TYPES = new Set(['S', 'N', 'B', 'BOOL', 'NULL', 'L', 'M', 'SS', 'NS', 'BS']);
const BATCH = 25;

export async function importJson(argv: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const args = parseTableFileArgs(argv, IMPORT_USAGE, FORMATS);
  if (args === undefined) return IMPORT_USAGE;
  const { values, table, file, format } = args;
  const fromStdin = file === undefined || file === '-';
  if (fromStdin && process.stdin.isTTY) throw new ToolUsageError('name a file, or pipe JSON lines into standard input', IMPORT_USAGE);
  const target = await openTarget(values, env, IMPORT_USAGE);
  try {
    const described = await target.call('DescribeTable', { TableName: table });
    const keyNames = (described.Table.KeySchema as { AttributeName: string }[]).map((k) => k.AttributeName);
    const input = fromStdin ? process.stdin : createReadStream(file);
    let batch: unknown[] = [];
    let keys = new Set<string>();
    let firstLine = 0;
    let count = 0;
    const flush = async () => {
      try {
        await writeItems(target.call, table, batch);
      } catch (err) {
        (err as Error).message = `the items from line ${firstLine}: ${(err as Error).message}`;
        throw err;
      }
      batch = [];
      keys = new Set();
    };
    let lineNo = 0;
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      lineNo++;
      if (line.trim() === '') continue;
      const item = itemOf(line, lineNo, format);
      // One batch may not name a key twice: a later line for the same key goes in the next batch, as a later put.
      const key = JSON.stringify(keyNames.map((name) => item[name]));
      if (batch.length === BATCH || keys.has(key)) await flush();
      if (batch.length === 0) firstLine = lineNo;
      batch.push(item);
      keys.add(key);
      count++;
    }
    if (batch.length > 0) await flush();
    return `imported ${count} items into ${table} (${target.describe})\n`;
  } finally {
    await target.close();
  }
}

function itemOf(line: string, lineNo: number, format: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (err) {
    throw new Error(`line ${lineNo}: not JSON (${(err as Error).message})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`line ${lineNo}: an item must be a JSON object`);
  const item = parsed as Record<string, unknown>;
  if (format === 'dynamodb' || (format === 'auto' && isDynamoJson(item))) return item;
  try {
    return toItem(item);
  } catch (err) {
    throw new Error(`line ${lineNo}: ${(err as Error).message}`);
  }
}

/** Every attribute a {"<type>": value} object with one known type name. */
function isDynamoJson(item: Record<string, unknown>): boolean {
  const values = Object.values(item);
  return values.length > 0 && values.every((value) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
    const names = Object.keys(value);
    return names.length === 1 && TYPES.has(names[0]!);
  });
}

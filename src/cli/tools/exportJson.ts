/**
 * `openddb export-json <table> [file]`: writes every item of a table as JSON lines, in
 * DynamoDB JSON (lossless) or plain JSON (sets become arrays, binary stays base64).
 */
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { fromItem, type AttributeValue } from '../../testing/plainJson.js';
import { openTarget, parseTableFileArgs, TARGET_USAGE } from './target.js';

export const EXPORT_USAGE = `Usage: openddb export-json <table> [file]   (default or -: standard output)

  --format <f>        dynamodb | plain (default dynamodb: lossless; plain turns sets into
                      arrays and leaves binary as base64 text)
${TARGET_USAGE}
`;

/** The first is the default. */
const FORMATS = ['dynamodb', 'plain'];

export async function exportJson(argv: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const args = parseTableFileArgs(argv, EXPORT_USAGE, FORMATS);
  if (args === undefined) return EXPORT_USAGE;
  const { values, table, file, format } = args;
  const target = await openTarget(values, env, EXPORT_USAGE);
  const toFile = file !== undefined && file !== '-';
  let count = 0;
  try {
    // Read the first page before creating the file: a missing table leaves no empty file behind.
    let page = await target.call('Scan', { TableName: table });
    const out: NodeJS.WritableStream = toFile ? createWriteStream(file) : process.stdout;
    try {
      for (;;) {
        for (const item of page.Items as Record<string, AttributeValue>[]) {
          const line = JSON.stringify(format === 'plain' ? fromItem(item) : item) + '\n';
          if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
          count++;
        }
        if (page.LastEvaluatedKey === undefined) break;
        page = await target.call('Scan', { TableName: table, ExclusiveStartKey: page.LastEvaluatedKey });
      }
    } finally {
      if (toFile) {
        out.end();
        await finished(out);
      }
    }
  } finally {
    await target.close();
  }
  // The count goes to standard error when the items go to standard output.
  if (!toFile) process.stderr.write(`exported ${count} items of ${table}\n`);
  return toFile ? `exported ${count} items of ${table} to ${file}\n` : '';
}

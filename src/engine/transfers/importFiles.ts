/**
 * Reads import sources: every object under <s3-root>/<bucket>/<prefix> (a directory or
 * a key prefix), decompressed (GZIP, ZSTD or NONE) and split into items in
 * DYNAMODB_JSON, ION or CSV.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import { parse as parseCsv } from 'csv-parse/sync';
import type { ImportRecord } from './transferRecord.js';
import { parseIonItems } from './ionRead.js';

/** Objects an import reads: files whose path starts with the prefix (not an export's manifests). */
export function importSourceFiles(s3Root: string, bucket: string, prefix = ''): string[] {
  const bucketDir = join(s3Root, bucket);
  const full = join(bucketDir, prefix);
  const exact = safeStat(full);
  let start = full;
  let namePrefix = '';
  if (exact?.isFile()) return [full];
  if (!exact?.isDirectory()) {
    start = dirname(full);
    namePrefix = basename(full);
  }
  const files: string[] = [];
  const walk = (dir: string, top: boolean) => {
    for (const entry of safeList(dir)) {
      if (top && !entry.startsWith(namePrefix)) continue;
      const path = join(dir, entry);
      if (safeStat(path)?.isDirectory()) walk(path, false);
      else if (!/^manifest-(summary|files)\.json$|^_started$/.test(entry)) files.push(path);
    }
  };
  walk(start, true);
  return files.sort();
}

export function decompressFile(path: string, compression: ImportRecord['compression']): string {
  const raw = readFileSync(path);
  if (compression === 'GZIP') return gunzipSync(raw).toString('utf8');
  if (compression === 'ZSTD') return Buffer.from(zstdDecompress(raw)).toString('utf8');
  return raw.toString('utf8');
}

/** The items of one file's text, each a parsed candidate (validated later) or an error. */
export function itemsOfText(text: string, record: ImportRecord, keyTypes: Map<string, string>): (Record<string, unknown> | Error)[] {
  if (record.format === 'DYNAMODB_JSON') {
    return text.split('\n').filter((l) => l.trim() !== '').map((line) => {
      try {
        const parsed = JSON.parse(line) as { Item?: unknown };
        return parsed.Item !== null && typeof parsed.Item === 'object' ? parsed.Item as Record<string, unknown> : new Error('A line without an Item');
      } catch (err) {
        return err as Error;
      }
    });
  }
  if (record.format === 'ION') return parseIonItems(text);
  return csvItems(text, record.csv, keyTypes);
}

/** CSV: key attributes get their defined types, every other value is a string (as DynamoDB imports CSV). */
function csvItems(text: string, options: ImportRecord['csv'], keyTypes: Map<string, string>): (Record<string, unknown> | Error)[] {
  const rows = parseCsv(text, { delimiter: options?.delimiter ?? ',', relax_column_count: true, skip_empty_lines: true }) as string[][];
  const header = options?.headerList ?? rows.shift() ?? [];
  return rows.map((row) => {
    const item: Record<string, unknown> = {};
    row.forEach((value, i) => {
      const name = header[i];
      if (name === undefined || value === '') return;
      const type = keyTypes.get(name) ?? 'S';
      item[name] = { [type]: value };
    });
    return item;
  });
}

function safeStat(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * Writes an export as DynamoDB lays it out in S3, under a directory standing for the
 * bucket: <prefix>/AWSDynamoDB/<export id>/{manifest-summary.json, manifest-files.json,
 * _started, data/<name>.json.gz}.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ExportRecord } from './transferRecord.js';

/** Items per data file. */
const FILE_ITEMS = 10_000;

export function exportDirectory(s3Root: string, record: Pick<ExportRecord, 'bucket' | 'prefix'>): string {
  return join(s3Root, record.bucket, record.prefix ?? '');
}

/** Writes the lines (one item each) and the manifests; returns the manifest-summary key. */
export function writeExportFiles(s3Root: string, record: ExportRecord, lines: string[], billedSizeBytes: number, endTime: number): string {
  const keyPrefix = [record.prefix, 'AWSDynamoDB', record.id].filter((p) => p).join('/');
  const root = exportDirectory(s3Root, { bucket: record.bucket });
  mkdirSync(join(root, keyPrefix, 'data'), { recursive: true });
  writeFileSync(join(root, keyPrefix, '_started'), '');
  const manifestLines: string[] = [];
  for (let i = 0; i < Math.max(lines.length, 1); i += FILE_ITEMS) {
    const chunk = lines.slice(i, i + FILE_ITEMS);
    const body = gzipSync(chunk.map((l) => l + '\n').join(''));
    const dataKey = `${keyPrefix}/data/${randomBytes(13).toString('hex').slice(0, 26)}.json.gz`;
    writeFileSync(join(root, dataKey), body);
    manifestLines.push(JSON.stringify({
      itemCount: chunk.length,
      md5Checksum: createHash('md5').update(body).digest('base64'),
      etag: createHash('md5').update(body).digest('hex'),
      dataFileS3Key: dataKey,
    }));
  }
  const filesKey = `${keyPrefix}/manifest-files.json`;
  const filesBody = manifestLines.join('\n') + '\n';
  writeFileSync(join(root, filesKey), filesBody);
  const iso = (ms: number) => new Date(ms).toISOString();
  const summary = {
    version: '2020-06-30',
    exportArn: record.arn,
    startTime: iso(record.startTime),
    endTime: iso(endTime),
    tableArn: record.tableArn,
    tableId: record.tableId,
    exportTime: iso(record.exportTime),
    s3Bucket: record.bucket,
    s3Prefix: record.prefix ?? null,
    s3SseAlgorithm: 'AES256',
    s3SseKmsKeyId: null,
    manifestFilesS3Key: filesKey,
    billedSizeBytes,
    itemCount: lines.length,
    outputFormat: record.format,
    exportType: record.type,
    ...(record.incremental ? { outputView: record.incremental.viewType } : {}),
    manifestFilesMd5Checksum: createHash('md5').update(filesBody).digest('base64'),
  };
  const summaryKey = `${keyPrefix}/manifest-summary.json`;
  writeFileSync(join(root, summaryKey), JSON.stringify(summary));
  return summaryKey;
}

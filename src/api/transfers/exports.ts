/** ExportTableToPointInTime, DescribeExport and ListExports. */
import { dynamoError, validationError } from '../../errors.js';
import type { ExportRecord } from '../../engine/transfers/transferRecord.js';
import { pointInTimeUnavailable } from '../../engine/backups/pitr.js';
import type { Operation } from '../context.js';
import { requireSourceTable } from '../backups/continuousBackups.js';

const seconds = (ms: number) => ms / 1000;
const DEFAULT_PAGE = 25;

export const exportTableToPointInTime: Operation = async (ctx, input) => {
  const table = requireSourceTable(ctx, input.TableArn).meta;
  const window = await ctx.db.pitr.window(table);
  if (window === undefined) throw pointInTimeUnavailable(table.name);
  const type = input.ExportType ?? 'FULL_EXPORT';
  const now = ctx.db.clock.now();
  let exportTime = input.ExportTime === undefined ? now : Math.round(Number(input.ExportTime) * 1000);
  let incremental: ExportRecord['incremental'];
  if (type === 'INCREMENTAL_EXPORT') {
    const spec = input.IncrementalExportSpecification;
    if (spec?.ExportFromTime === undefined) throw validationError('IncrementalExportSpecification.ExportFromTime is required for an incremental export');
    if (input.ExportTime !== undefined) throw validationError('ExportTime cannot be specified for an incremental export');
    const from = Math.round(Number(spec.ExportFromTime) * 1000);
    const to = spec.ExportToTime === undefined ? window.latest : Math.round(Number(spec.ExportToTime) * 1000);
    if (to - from < 15 * 60 * 1000) throw validationError('The incremental export period must be at least 15 minutes');
    if (to - from > 24 * 60 * 60 * 1000) throw validationError('The incremental export period must not exceed 24 hours');
    checkTime(from, window);
    checkTime(to, window);
    incremental = { from, to, viewType: spec.ExportViewType ?? 'NEW_AND_OLD_IMAGES' };
    exportTime = to;
  } else {
    checkTime(Math.min(exportTime, window.latest), window);
    if (exportTime > now) throw dynamoError('InvalidExportTimeException', 'Export time cannot be in the future');
  }
  const format = input.ExportFormat ?? 'DYNAMODB_JSON';
  if (incremental !== undefined && format === 'ION') throw validationError('ION is not supported for incremental exports by this server');
  const record = await ctx.db.transfers.startExport({
    exportTime,
    type,
    ...(incremental ? { incremental } : {}),
    format,
    bucket: input.S3Bucket,
    ...(input.S3Prefix !== undefined ? { prefix: input.S3Prefix } : {}),
    ...(input.S3BucketOwner !== undefined ? { bucketOwner: input.S3BucketOwner } : {}),
    ...(input.ClientToken !== undefined ? { clientToken: input.ClientToken } : {}),
    keyNames: table.keySchema.map((k) => k.AttributeName),
  }, table);
  return { ExportDescription: exportDescription(record) };
};

function checkTime(time: number, window: { earliest: number; latest: number }): void {
  if (time < window.earliest - 1000 || time > window.latest + 5000) {
    throw dynamoError('InvalidExportTimeException', 'Export time must be within the point in time recovery window of the table');
  }
}

export const describeExport: Operation = async (ctx, input) => ({ ExportDescription: exportDescription(await ctx.db.transfers.findExport(input.ExportArn, ctx.namespace)) });

export const listExports: Operation = async (ctx, input) => {
  const all = (await ctx.db.transfers.listExports(ctx.namespace))
    .filter((r) => input.TableArn === undefined || r.tableArn === input.TableArn)
    .sort((a, b) => a.startTime - b.startTime || a.arn.localeCompare(b.arn));
  const start = input.NextToken === undefined ? 0 : Math.max(0, all.findIndex((r) => r.arn === input.NextToken));
  const size = input.MaxResults ?? DEFAULT_PAGE;
  const page = all.slice(start, start + size);
  const next = all[start + size];
  return {
    ExportSummaries: page.map((r) => ({ ExportArn: r.arn, ExportStatus: r.status, ExportType: r.type })),
    ...(next ? { NextToken: next.arn } : {}),
  };
};

function exportDescription(r: ExportRecord): Record<string, unknown> {
  return {
    ExportArn: r.arn,
    ExportStatus: r.status,
    StartTime: seconds(r.startTime),
    ...(r.endTime !== undefined ? { EndTime: seconds(r.endTime) } : {}),
    ...(r.manifestKey !== undefined ? { ExportManifest: r.manifestKey } : {}),
    TableArn: r.tableArn,
    TableId: r.tableId,
    ExportTime: seconds(r.exportTime),
    ...(r.clientToken !== undefined ? { ClientToken: r.clientToken } : {}),
    S3Bucket: r.bucket,
    ...(r.bucketOwner !== undefined ? { S3BucketOwner: r.bucketOwner } : {}),
    ...(r.prefix !== undefined ? { S3Prefix: r.prefix } : {}),
    S3SseAlgorithm: 'AES256',
    ...(r.failureMessage !== undefined ? { FailureMessage: r.failureMessage } : {}),
    ExportFormat: r.format,
    ...(r.billedSizeBytes !== undefined ? { BilledSizeBytes: r.billedSizeBytes } : {}),
    ...(r.itemCount !== undefined ? { ItemCount: r.itemCount } : {}),
    ExportType: r.type,
    ...(r.incremental ? {
      IncrementalExportSpecification: {
        ExportFromTime: seconds(r.incremental.from),
        ExportToTime: seconds(r.incremental.to),
        ExportViewType: r.incremental.viewType,
      },
    } : {}),
  };
}

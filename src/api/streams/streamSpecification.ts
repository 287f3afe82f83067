/**
 * StreamSpecification on CreateTable and UpdateTable, and the stream members of a
 * TableDescription. Enabling makes a new stream (a new label and ARN); disabling keeps
 * the old one readable for 24 hours; the view type cannot change while enabled.
 */
import { invalidParameter, validationError } from '../../errors.js';
import { enabledStream, type StreamMeta, type StreamViewType, type TableMeta } from '../../engine/tableMeta.js';
import { streamArn } from './streamArn.js';

interface StreamSpecification {
  StreamEnabled: boolean;
  StreamViewType?: StreamViewType;
}

/** The stream a new table starts with, if any. */
export function createTableStreams(spec: StreamSpecification | undefined, now: number): StreamMeta[] | undefined {
  if (spec === undefined) return undefined;
  if (!spec.StreamEnabled) {
    if (spec.StreamViewType !== undefined) {
      throw invalidParameter('Table is being created with a stream disabled, UpdateViewType should not be specified');
    }
    return undefined;
  }
  return [newStream(requireViewType(spec), now, undefined)];
}

/** Applies UpdateTable's StreamSpecification to a copy of the catalog entry. */
export function applyStreamSpecification(meta: TableMeta, spec: StreamSpecification, now: number): void {
  const current = enabledStream(meta);
  if (spec.StreamEnabled) {
    if (current !== undefined) throw validationError(`Table already has an enabled stream: TableName: ${meta.name}`);
    meta.streams = [...(meta.streams ?? []), newStream(requireViewType(spec), now, meta.streams?.at(-1))];
    return;
  }
  if (current === undefined) throw validationError(`Table does not have an enabled stream: TableName: ${meta.name}`);
  current.disabledAt = now;
}

function requireViewType(spec: StreamSpecification): StreamViewType {
  if (spec.StreamViewType === undefined) throw invalidParameter('StreamViewType must be specified when StreamEnabled is true');
  return spec.StreamViewType;
}

/** Labels are creation times to the millisecond; a stream re-enabled within one gets the next. */
function newStream(viewType: StreamViewType, now: number, previous: StreamMeta | undefined): StreamMeta {
  const createdAt = previous !== undefined && previous.createdAt >= now ? previous.createdAt + 1 : now;
  return { label: new Date(createdAt).toISOString().slice(0, -1), viewType, createdAt };
}

/** StreamSpecification, LatestStreamLabel and LatestStreamArn of a TableDescription. */
export function streamDescriptionFields(meta: TableMeta): Record<string, unknown> {
  const latest = meta.streams?.at(-1);
  if (latest === undefined) return {};
  const fields: Record<string, unknown> = {};
  if (latest.disabledAt === undefined) fields.StreamSpecification = { StreamEnabled: true, StreamViewType: latest.viewType };
  fields.LatestStreamLabel = latest.label;
  fields.LatestStreamArn = streamArn(meta.arn, latest.label);
  return fields;
}

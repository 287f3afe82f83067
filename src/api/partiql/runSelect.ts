/**
 * Runs a compiled SELECT: one Scan, or one Query per pinned partition key value in turn,
 * a page at a time (Limit items evaluated, or about 1 MB), resuming from a NextToken.
 * A page of several Queries shares the 1 MB: each reads at most what is left of it, as
 * measured by the items returned (so a filtered page may read a little more).
 */
import { PARTITION_VALUE, type CompiledSelect } from '../../partiql/index.js';
import { itemSize } from '../../values/size.js';
import type { Item } from '../../values/types.js';
import type { ApiContext } from '../context.js';
import { callItemApi } from './callItemApi.js';
import { addCapacity } from './consumedCapacity.js';
import { decodeNextToken, encodeNextToken, type ReadPosition } from './nextToken.js';
import type { StatementInput } from './prepare.js';

/** A page holds about as much as one Query or Scan page does. */
const PAGE_BYTES = 1024 * 1024;
/** Partition key values of an IN read per page, as DynamoDB pages IN lists. */
const PARTITIONS_PER_PAGE = 10;

export interface SelectInput extends StatementInput {
  ConsistentRead?: boolean;
  Limit?: number;
  NextToken?: string;
  ReturnConsumedCapacity?: string;
}

export async function runSelect(ctx: ApiContext, compiled: CompiledSelect, input: SelectInput): Promise<Record<string, unknown>> {
  const start: ReadPosition = input.NextToken === undefined ? { partition: 0 } : await decodeNextToken(ctx, input, input.NextToken);
  const items: Item[] = [];
  let capacity: Record<string, unknown> | undefined;
  let remaining = input.Limit;
  let bytes = 0;
  let stop: ReadPosition | undefined;
  const partitions = compiled.partitions;
  const count = partitions?.length ?? 1;
  for (let partition = start.partition; partition < count; partition++) {
    const request: Record<string, any> = { ...compiled.request, ConsistentRead: input.ConsistentRead, ReturnConsumedCapacity: input.ReturnConsumedCapacity };
    if (remaining !== undefined) request.Limit = remaining;
    if (partition === start.partition && start.lastKey !== undefined) request.ExclusiveStartKey = start.lastKey;
    if (partitions !== undefined) request.ExpressionAttributeValues = { ...request.ExpressionAttributeValues, [PARTITION_VALUE]: partitions[partition] };
    const out = await callItemApi(ctx, partitions === undefined ? 'Scan' : 'Query', request, {
      // A WHERE clause may test key attributes beyond the key condition.
      keyAttributesInFilter: true,
      maxBytes: PAGE_BYTES - bytes,
    });
    items.push(...(out.Items as Item[]));
    bytes += (out.Items as Item[]).reduce((sum, item) => sum + itemSize(item), 0);
    capacity = addCapacity(capacity, out.ConsumedCapacity);
    if (out.LastEvaluatedKey !== undefined) {
      stop = { partition, lastKey: out.LastEvaluatedKey as Item };
      break;
    }
    if (remaining !== undefined) remaining -= out.ScannedCount as number;
    const full = remaining === 0 || bytes >= PAGE_BYTES || partition + 1 - start.partition >= PARTITIONS_PER_PAGE;
    if (partition + 1 < count && full) {
      stop = { partition: partition + 1 };
      break;
    }
  }
  const response: Record<string, unknown> = { Items: items };
  if (stop !== undefined) {
    response.NextToken = await encodeNextToken(ctx, input, stop);
    if (stop.lastKey !== undefined) response.LastEvaluatedKey = stop.lastKey;
  }
  if (capacity !== undefined) response.ConsumedCapacity = capacity;
  return response;
}

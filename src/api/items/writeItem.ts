/** What PutItem, DeleteItem and UpdateItem share: admission, the write itself, accounting, the response. */
import { DynamoError, validationError } from '../../errors.js';
import { writeUnits } from '../../engine/capacity/units.js';
import { CapacityTally } from '../../engine/capacity/tally.js';
import type { Table } from '../../engine/table.js';
import type { Mutation, WriteResult } from '../../engine/itemWrite.js';
import { itemSize } from '../../values/size.js';
import type { Item } from '../../values/types.js';
import type { ApiContext } from '../context.js';
import type { ConsumedCapacity } from '../results.js';

/** `out` with its ConsumedCapacity member, when asked for. */
export function withCapacity<R extends { ConsumedCapacity?: ConsumedCapacity }>(out: R, tally: CapacityTally, table: Table): R {
  const cc = tally.single(table);
  if (cc) out.ConsumedCapacity = cc;
  return out;
}

/**
 * One item write, admitted by the throttle and accounted in a tally. A write refused by
 * its condition still consumes capacity (the larger of the current item and `newBytes`),
 * as in DynamoDB; it is recorded although the error carries no ConsumedCapacity.
 */
export async function commitWrite(
  ctx: ApiContext,
  operation: string,
  input: Record<string, any>,
  table: Table,
  key: Item,
  mutate: Mutation,
  newBytes: number,
): Promise<{ result: WriteResult; tally: CapacityTally }> {
  const pk = key[table.schema.hashKey];
  const refused = ctx.throttle.refuseWrite(table, operation, pk);
  if (refused !== undefined) throw refused;
  const tally = new CapacityTally(ctx, operation, input.ReturnConsumedCapacity);
  let current: Item | undefined;
  try {
    // A blind mutation has no condition to fail, so nothing to observe: pass it as it is.
    const observed: Mutation = mutate.blind === true ? mutate : (old) => {
      const next = mutate((current = old));
      observed.nextSize = mutate.nextSize;
      return next;
    };
    const result = await ctx.db.writeItem(table, key, observed);
    tally.written(table, key, result);
    return { result, tally };
  } catch (err) {
    if (err instanceof DynamoError && err.code === 'ConditionalCheckFailedException') {
      tally.write(table, writeUnits(current === undefined ? 0 : itemSize(current), newBytes), undefined, pk);
    }
    throw err;
  }
}

/** The request's ReturnValues, refused with `message` unless one of `allowed`. */
export function allowOnly(returnValues: string | undefined, allowed: string[], message: string): string {
  const rv = returnValues ?? 'NONE';
  if (!allowed.includes(rv)) throw validationError(message);
  return rv;
}

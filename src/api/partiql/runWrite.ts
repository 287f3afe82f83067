/** Runs a compiled INSERT, UPDATE or DELETE as its item API write. */
import { DynamoError } from '../../errors.js';
import { duplicateItem, type CompiledWrite } from '../../partiql/index.js';
import type { ApiContext } from '../context.js';
import { callItemApi } from './callItemApi.js';

export interface WriteOptions {
  ReturnConsumedCapacity?: string;
  ReturnValuesOnConditionCheckFailure?: string;
}

/** The statement's result: `Items` holds the RETURNING attributes, if any. */
export async function runWrite(ctx: ApiContext, compiled: CompiledWrite, options: WriteOptions): Promise<Record<string, unknown>> {
  if (compiled.operation === 'ConditionCheck') throw new Error('a condition check runs only in a transaction');
  const request = {
    ...compiled.request,
    ReturnConsumedCapacity: options.ReturnConsumedCapacity,
    ReturnValuesOnConditionCheckFailure: compiled.insert ? undefined : options.ReturnValuesOnConditionCheckFailure,
  };
  let out: Record<string, any>;
  try {
    out = await callItemApi(ctx, compiled.operation, request);
  } catch (err) {
    if (compiled.insert && err instanceof DynamoError && err.code === 'ConditionalCheckFailedException') throw duplicateItem();
    throw err;
  }
  const response: Record<string, unknown> = { Items: out.Attributes === undefined ? [] : [out.Attributes] };
  if (out.ConsumedCapacity !== undefined) response.ConsumedCapacity = out.ConsumedCapacity;
  return response;
}

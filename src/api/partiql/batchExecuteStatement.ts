/**
 * BatchExecuteStatement: up to 25 statements, all reads (each a single-item SELECT by full
 * primary key, run as GetItem) or all writes (each run as its item write). Statements
 * succeed or fail one by one; a failure is reported in its place in Responses.
 */
import { validationError } from '../../errors.js';
import type { Statement } from '../../partiql/index.js';
import type { ApiContext, Operation } from '../context.js';
import { callItemApi } from './callItemApi.js';
import { capacityPerTable } from './consumedCapacity.js';
import { compileGetInput, compileInput, parseInput, type StatementInput } from './prepare.js';
import { runWrite } from './runWrite.js';
import { statementError } from './statementError.js';

interface BatchStatement extends StatementInput {
  ConsistentRead?: boolean;
  ReturnValuesOnConditionCheckFailure?: string;
}

type Parsed = { statement: Statement } | { error: unknown };

export const batchExecuteStatement: Operation = async (ctx, input) => {
  const statements = input.Statements as BatchStatement[];
  const parsed: Parsed[] = statements.map((s) => {
    try {
      return { statement: parseInput(s) };
    } catch (error) {
      return { error };
    }
  });
  const kinds = new Set(parsed.flatMap((p) => ('statement' in p ? [p.statement.kind === 'select' ? 'read' : 'write'] : [])));
  if (kinds.size > 1) throw validationError('Unsupported operation: A batch must contain either only read statements or only write statements');
  const capacities: (Record<string, unknown> | undefined)[] = [];
  const responses: Record<string, unknown>[] = [];
  for (let i = 0; i < statements.length; i++) {
    responses.push(await runOne(ctx, statements[i]!, parsed[i]!, input.ReturnConsumedCapacity, capacities));
  }
  const out: Record<string, unknown> = { Responses: responses };
  if (input.ReturnConsumedCapacity !== undefined && input.ReturnConsumedCapacity !== 'NONE') out.ConsumedCapacity = capacityPerTable(capacities);
  return out;
};

async function runOne(
  ctx: ApiContext,
  request: BatchStatement,
  parsed: Parsed,
  returnCapacity: string | undefined,
  capacities: (Record<string, unknown> | undefined)[],
): Promise<Record<string, unknown>> {
  let table: string | undefined;
  try {
    if ('error' in parsed) throw parsed.error;
    if (parsed.statement.kind === 'select') {
      const get = compileGetInput(ctx, request, parsed.statement);
      table = get.TableName as string;
      const out = await callItemApi(ctx, 'GetItem', { ...get, ConsistentRead: request.ConsistentRead, ReturnConsumedCapacity: returnCapacity });
      capacities.push(out.ConsumedCapacity);
      return out.Item === undefined ? { TableName: table } : { TableName: table, Item: out.Item };
    }
    if (parsed.statement.kind === 'exists') throw validationError('EXISTS is only supported within ExecuteTransaction');
    const compiled = compileInput(ctx, request, parsed.statement);
    if (compiled.kind !== 'write') throw new Error('a write statement compiled to a read');
    table = compiled.table;
    const out = await runWrite(ctx, compiled, { ReturnConsumedCapacity: returnCapacity, ReturnValuesOnConditionCheckFailure: request.ReturnValuesOnConditionCheckFailure });
    capacities.push(out.ConsumedCapacity as Record<string, unknown> | undefined);
    return { TableName: table };
  } catch (err) {
    const response: Record<string, unknown> = { Error: statementError(err) };
    if (table !== undefined) response.TableName = table;
    return response;
  }
}

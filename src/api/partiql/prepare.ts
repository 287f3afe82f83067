/** A statement of a request: parsed (cached), its parameters counted, compiled against the catalog. */
import { checkParameterCount, compileGet, compileStatement, parseCached, type Compiled, type KeySchemas, type Parameters, type Request, type Statement } from '../../partiql/index.js';
import type { ApiContext } from '../context.js';
import { resolveView } from '../queries/readCommon.js';

export interface StatementInput {
  Statement: string;
  Parameters?: Parameters;
}

function keySchemas(ctx: ApiContext): KeySchemas {
  return (table, index) => resolveView(ctx.db.table(table, ctx.namespace), index).schema;
}

/** The statement's tree, after checking the request gives one value per `?`. */
export function parseInput(input: StatementInput): Statement {
  const parsed = parseCached(input.Statement);
  checkParameterCount(parsed.parameters, input.Parameters ?? []);
  return parsed.statement;
}

export function compileInput(ctx: ApiContext, input: StatementInput, statement = parseInput(input)): Compiled {
  return compileStatement(statement, input.Parameters ?? [], keySchemas(ctx));
}

/** A single-item SELECT (batches, transactions) as GetItem's input. */
export function compileGetInput(ctx: ApiContext, input: StatementInput, statement = parseInput(input)): Request {
  return compileGet(statement, input.Parameters ?? [], keySchemas(ctx));
}

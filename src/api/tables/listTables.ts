/** ListTables: table names in order, paged by ExclusiveStartTableName. */
import type { Operation } from '../context.js';
import type { ListTablesResult } from '../results.js';

export const listTables: Operation<ListTablesResult> = (ctx, input) => {
  const limit: number = input.Limit ?? 100;
  const start: string | undefined = input.ExclusiveStartTableName;
  // The tables of the request's namespace only (under authentication: its account and region).
  const names = ctx.db.tableNames(ctx.namespace).filter((n) => start === undefined || n > start);
  const page = names.slice(0, limit);
  const out: ListTablesResult = { TableNames: page };
  if (names.length > limit) out.LastEvaluatedTableName = page[page.length - 1];
  return out;
};

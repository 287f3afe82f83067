/** ListTables: table names in order, paged by ExclusiveStartTableName. */
import type { Operation } from '../context.js';
import type { ListTablesResult } from '../results.js';

export const listTables: Operation<ListTablesResult> = (ctx, input) => {
  const limit: number = input.Limit ?? 100;
  const start: string | undefined = input.ExclusiveStartTableName;
  const names = ctx.db.tableNames().filter((n) => start === undefined || n > start);
  const page = names.slice(0, limit);
  const out: ListTablesResult = { TableNames: page };
  if (names.length > limit) out.LastEvaluatedTableName = page[page.length - 1];
  return out;
};

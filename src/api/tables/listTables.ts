/** ListTables: table names in order, paged by ExclusiveStartTableName. */
import type { Operation } from '../context.js';

export const listTables: Operation = (ctx, input) => {
  const limit: number = input.Limit ?? 100;
  const start: string | undefined = input.ExclusiveStartTableName;
  const names = ctx.db.tableNames().filter((n) => start === undefined || n > start);
  const page = names.slice(0, limit);
  const out: Record<string, unknown> = { TableNames: page };
  if (names.length > limit) out.LastEvaluatedTableName = page[page.length - 1];
  return JSON.stringify(out);
};

/** ListTables: table names in order, paged by ExclusiveStartTableName. */
import type { Operation } from '../context.js';
import type { ListTablesResult } from '../results.js';

export const listTables: Operation<ListTablesResult> = (ctx, input) => {
  const limit: number = input.Limit ?? 100;
  const start: string | undefined = input.ExclusiveStartTableName;
  // Under authentication, the caller's own tables: those of its account and region.
  const prefix = ctx.caller && `arn:aws:dynamodb:${ctx.caller.region}:${ctx.caller.account}:table/`;
  const names = ctx.db.tableNames().filter((n) => (start === undefined || n > start) &&
    (prefix === undefined || ctx.db.findTable(n)?.meta.arn.startsWith(prefix) === true));
  const page = names.slice(0, limit);
  const out: ListTablesResult = { TableNames: page };
  if (names.length > limit) out.LastEvaluatedTableName = page[page.length - 1];
  return out;
};

/** DescribeTable, ListTables, DeleteTable, DescribeEndpoints, DescribeLimits. */
import { resourceNotFound, validationError } from '../errors.js';
import type { Table } from '../engine/database.js';
import type { ApiContext, Operation } from './context.js';
import { tableDescription } from './tableDescription.js';
import { deletingTableDescription } from './deletingTableDescription.js';
import { MAX_TABLE_CAPACITY } from './billing.js';

/** Control-plane lookups name the table in their not-found message. */
export function requireTable(ctx: ApiContext, name: string): Table {
  const table = ctx.db.findTable(name);
  if (!table) throw resourceNotFound(`Requested resource not found: Table: ${name} not found`);
  return table;
}

export const describeTable: Operation = (ctx, input) => {
  const { meta } = requireTable(ctx, input.TableName);
  return JSON.stringify({ Table: tableDescription(meta, ctx.db.stats(meta)) });
};

export const listTables: Operation = (ctx, input) => {
  const limit: number = input.Limit ?? 100;
  const start: string | undefined = input.ExclusiveStartTableName;
  const names = ctx.db.tableNames().filter((n) => start === undefined || n > start);
  const page = names.slice(0, limit);
  const out: Record<string, unknown> = { TableNames: page };
  if (names.length > limit) out.LastEvaluatedTableName = page[page.length - 1];
  return JSON.stringify(out);
};

export const deleteTable: Operation = async (ctx, input) => {
  const { meta } = requireTable(ctx, input.TableName);
  if (meta.deletionProtection) {
    throw validationError('Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.');
  }
  const stats = ctx.db.stats(meta);
  const deleting = await ctx.db.deleteTable(meta.name);
  return JSON.stringify({ TableDescription: deletingTableDescription(tableDescription(deleting, stats)) });
};

export const describeEndpoints: Operation = (ctx) =>
  JSON.stringify({ Endpoints: [{ Address: ctx.endpointAddress, CachePeriodInMinutes: 1440 }] });

export const describeLimits: Operation = () =>
  JSON.stringify({
    AccountMaxReadCapacityUnits: 80000,
    AccountMaxWriteCapacityUnits: 80000,
    TableMaxReadCapacityUnits: MAX_TABLE_CAPACITY,
    TableMaxWriteCapacityUnits: MAX_TABLE_CAPACITY,
  });

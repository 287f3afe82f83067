/** The table a control-plane request names. */
import { resourceNotFound } from '../../errors.js';
import type { Table } from '../../engine/table.js';
import type { ApiContext } from '../context.js';

/** Control-plane lookups name the table in their not-found message. */
export function requireTable(ctx: ApiContext, name: string): Table {
  const table = ctx.db.findTable(name, ctx.namespace);
  if (!table) throw resourceNotFound(`Requested resource not found: Table: ${name} not found`);
  return table;
}

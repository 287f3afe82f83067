/** DeleteTable: refused while deletion protection is on; answers the table as DELETING. */
import { validationError } from '../../errors.js';
import type { Operation } from '../context.js';
import type { TableChangeResult } from '../results.js';
import { requireTable } from './requireTable.js';
import { tableDescription } from './tableDescription.js';
import { deletingTableDescription } from './deletingTableDescription.js';
import { catalogNameOf } from '../../engine/namespace.js';

export const deleteTable: Operation<TableChangeResult> = async (ctx, input) => {
  const { meta } = requireTable(ctx, input.TableName);
  if (meta.deletionProtection) {
    throw validationError('Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.');
  }
  const stats = await ctx.db.stats(meta);
  const deleting = await ctx.db.deleteTable(catalogNameOf(meta));
  return { TableDescription: deletingTableDescription(tableDescription(deleting, stats)) };
};

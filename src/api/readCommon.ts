/** What Query and Scan share: Select rules, ExclusiveStartKey checks, filtering, shaping a page. */
import { validationError, DynamoError } from '../errors.js';
import { applyProjection, evaluateCondition, type CompiledRequest } from '../expressions/index.js';
import { readUnits } from '../engine/capacity.js';
import type { Table } from '../engine/database.js';
import { baseTableView, type KeyView } from '../engine/keyView.js';
import type { Page } from '../engine/reads.js';
import { validateKey } from '../values/keys.js';
import type { Item } from '../values/types.js';
import { consumedCapacity } from './consumedCapacity.js';

export type Select = 'ALL_ATTRIBUTES' | 'ALL_PROJECTED_ATTRIBUTES' | 'SPECIFIC_ATTRIBUTES' | 'COUNT';

/** DynamoDB's rules tying Select to the projection parameters; returns the effective Select. */
export function checkSelect(input: Record<string, any>): Select {
  const projectionParam = input.ProjectionExpression !== undefined ? 'ProjectionExpression' : input.AttributesToGet !== undefined ? 'AttributesToGet' : undefined;
  const select: Select | undefined = input.Select;
  if (select === undefined) return projectionParam ? 'SPECIFIC_ATTRIBUTES' : 'ALL_ATTRIBUTES';
  if (select === 'SPECIFIC_ATTRIBUTES') {
    if (!projectionParam) throw validationError('Select type SPECIFIC_ATTRIBUTES requires a ProjectionExpression or AttributesToGet to be specified');
    return select;
  }
  if (projectionParam) {
    const what = select === 'COUNT' ? 'only the COUNT' : select;
    throw validationError(`Cannot specify the ${projectionParam} when choosing to get ${what}`);
  }
  if (select === 'ALL_PROJECTED_ATTRIBUTES' && input.IndexName === undefined) {
    throw validationError('ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName');
  }
  return select;
}

/** The key space a Query or Scan reads: the table, or one of its indexes. */
export function resolveView(table: Table, indexName: string | undefined): KeyView {
  if (indexName === undefined) return baseTableView(table.meta.id, table.schema);
  throw validationError(`The table does not have the specified index: ${indexName}`);
}

/** Validates an ExclusiveStartKey against the view's key attributes. */
export function checkExclusiveStartKey(input: Record<string, any>, view: KeyView): Item | undefined {
  const esk = input.ExclusiveStartKey;
  if (esk === undefined) return undefined;
  try {
    return validateKey(esk, view.schema);
  } catch (err) {
    if (err instanceof DynamoError && err.code === 'ValidationException') {
      throw validationError(`The provided starting key is invalid: ${err.message}`);
    }
    throw err;
  }
}

/** Filters, projects and shapes one page into a Query/Scan response. */
export function pageResponse(input: Record<string, any>, compiled: CompiledRequest, select: Select, page: Page): string {
  const items: Item[] = [];
  let count = 0;
  for (const item of page.items) {
    if (compiled.filter !== undefined && !evaluateCondition(compiled.filter, item)) continue;
    count++;
    if (select === 'COUNT') continue;
    items.push(compiled.projection === undefined ? item : applyProjection(compiled.projection, item));
  }
  const out: Record<string, unknown> = {};
  if (select !== 'COUNT') out.Items = items;
  out.Count = count;
  out.ScannedCount = page.items.length;
  if (page.lastEvaluatedKey !== undefined) out.LastEvaluatedKey = page.lastEvaluatedKey;
  const units = readUnits(page.bytesRead, input.ConsistentRead === true);
  const cc = consumedCapacity(input.ReturnConsumedCapacity, input.TableName, units, 'read');
  if (cc) out.ConsumedCapacity = cc;
  return JSON.stringify(out);
}

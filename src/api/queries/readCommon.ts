/** What Query and Scan share: Select rules, ExclusiveStartKey checks, filtering, shaping a page. */
import { mapMaybe, type MaybePromise } from '../../engine/maybePromise.js';
import { invalidParameter, validationError, DynamoError } from '../../errors.js';
import { applyProjection, evaluateCondition, projectionTopLevelNames, type CompiledRequest } from '../../expressions/index.js';
import { readUnits } from '../../engine/capacity/units.js';
import type { Database } from '../../engine/database.js';
import type { Table } from '../../engine/table.js';
import type { IndexInfo } from '../../engine/indexes/indexInfo.js';
import { baseTableView, indexView, type KeyView } from '../../engine/keyView.js';
import type { Page } from '../../engine/reads.js';
import { decodeStoredItem, storedItemSize } from '../../engine/storedItem.js';
import { partitionKeyParts, sortKeyParts, validateKey } from '../../values/keys.js';
import { typeOf, type AttributeValue, type Item } from '../../values/types.js';
import { validateItem } from '../../values/validate.js';
import type { ApiContext } from '../context.js';
import { CapacityTally } from '../../engine/capacity/tally.js';
import type { PageResult, ResultItem } from '../results.js';

export type Select = 'ALL_ATTRIBUTES' | 'ALL_PROJECTED_ATTRIBUTES' | 'SPECIFIC_ATTRIBUTES' | 'COUNT';

/** DynamoDB's rules tying Select to the projection parameters; returns the effective Select. */
export function checkSelect(input: Record<string, any>): Select {
  const projectionParam =
    input.ProjectionExpression != null ? 'ProjectionExpression' : input.AttributesToGet != null ? 'AttributesToGet' : undefined;
  const select: Select | undefined = input.Select ?? undefined;
  if (select === undefined) return projectionParam ? 'SPECIFIC_ATTRIBUTES' : 'ALL_ATTRIBUTES';
  if (select === 'SPECIFIC_ATTRIBUTES') {
    if (!projectionParam) throw validationError('Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES');
    return select;
  }
  if (projectionParam) throw validationError(`Cannot specify the ${projectionParam} when choosing to get ${select}`);
  if (select === 'ALL_PROJECTED_ATTRIBUTES' && input.IndexName == null) {
    throw validationError('ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName');
  }
  return select;
}

/** The key space a Query or Scan reads: the table, or one of its indexes. */
export function resolveView(table: Table, indexName: string | undefined): KeyView {
  if (indexName == null) return baseTableView(table.meta.id, table.schema);
  const index = table.indexing.indexes.find((i) => i.name === indexName);
  if (index === undefined) throw validationError(`The table does not have the specified index: ${indexName}`);
  if (index.meta.backfilling) throw validationError(`Cannot read from backfilling global secondary index: ${indexName}`);
  return indexView(table.meta.id, index);
}

/** Validates an ExclusiveStartKey against the view's key attributes. */
export function checkExclusiveStartKey(input: Record<string, any>, view: KeyView): Item | undefined {
  const esk = input.ExclusiveStartKey;
  if (esk == null) return undefined;
  try {
    return view.index === undefined ? validateKey(esk, view.schema) : validateIndexKey(esk, view.index);
  } catch (err) {
    if (err instanceof DynamoError && err.code === 'ValidationException') {
      throw validationError(`The provided starting key is invalid: ${err.message}`);
    }
    throw err;
  }
}

const KEY_MISMATCH = 'The provided key element does not match the schema';

/** An index position holds exactly the index key and the table key attributes. */
function validateIndexKey(esk: unknown, index: IndexInfo): Item {
  const item = validateItem(esk);
  if (Object.keys(item).length !== index.keyAttributes.length) throw validationError(KEY_MISMATCH);
  const { schema, base } = index;
  const parts = [...partitionKeyParts(schema), ...sortKeyParts(schema), ...partitionKeyParts(base), ...sortKeyParts(base)];
  for (const { name, type } of parts) {
    const value = Object.hasOwn(item, name) ? item[name] : undefined;
    if (value === undefined || typeOf(value) !== type) throw validationError(KEY_MISMATCH);
  }
  return item;
}

/** A page as Query/Scan answer it: for an LSI, with the bytes of the base items fetched for it. */
export interface ReadPage extends Page {
  fetchedBytes?: number;
}

/**
 * Applies an index's projection rules to a page read from it: a GSI serves only what
 * it projects (asking for more is rejected) and never reads consistently; an LSI
 * fetches the base items when more than it projects is asked for, and is charged for them.
 */
export function indexPage(db: Database, table: Table, view: KeyView, input: Record<string, any>, compiled: CompiledRequest, page: Page): MaybePromise<ReadPage> {
  const index = view.index;
  if (index === undefined) return page;
  const global = index.meta.kind === 'GSI';
  if (global && input.ConsistentRead === true) throw validationError('Consistent reads are not supported on global secondary indexes');
  const projected = index.projected;
  if (projected === undefined) return page;
  const wantsAll = input.Select === 'ALL_ATTRIBUTES';
  const missing = compiled.projection === undefined ? [] : projectionTopLevelNames(compiled.projection).filter((n) => !projected.has(n));
  if (global) {
    if (wantsAll) {
      throw invalidParameter(`Select type ALL_ATTRIBUTES is not supported for global secondary index ${index.name} because its projection type is not ALL`);
    }
    if (missing.length > 0) throw invalidParameter(`Global secondary index ${index.name} does not project [${missing.join(', ')}]`);
    return page;
  }
  if (!wantsAll && missing.length === 0) return page;
  const gets = page.values.map((entry) => ({ table, key: decodeStoredItem(entry) }));
  return mapMaybe(db.getStoredItemsAtOnce(gets, input.ConsistentRead === true), (found) => {
    const values: Buffer[] = [];
    let fetchedBytes = 0;
    for (const stored of found) {
      if (stored === undefined) continue;
      values.push(stored);
      fetchedBytes += storedItemSize(stored);
    }
    return { ...page, values, fetchedBytes };
  });
}

/** Refuses a Query/Scan with ProvisionedThroughputExceededException when throttled. */
export function admitRead(ctx: ApiContext, operation: string, table: Table, view: KeyView, pk: AttributeValue | undefined): void {
  const refused = ctx.throttle.refuseRead(table, operation, view.index, pk);
  if (refused !== undefined) throw refused;
}

/**
 * Accounts a page: everything read, before filter and projection, rounded up once. For
 * an LSI that fetched base items, the index is charged for its entries and the table
 * for the rest.
 */
function chargePage(tally: CapacityTally, table: Table, view: KeyView, consistent: boolean, page: ReadPage, pk: AttributeValue | undefined): void {
  const total = readUnits(page.bytesRead + (page.fetchedBytes ?? 0), consistent);
  if (view.index === undefined) return tally.read(table, total, undefined, pk);
  const own = page.fetchedBytes === undefined ? total : readUnits(page.bytesRead, consistent);
  tally.read(table, own, view.index, pk);
  if (total > own) tally.read(table, total - own, undefined, view.index.meta.kind === 'LSI' ? pk : undefined);
}

/**
 * Filters, projects and shapes one page into a Query/Scan result. Stored items are passed
 * on as they are (spliced into the response unparsed); an item is parsed only when a
 * filter or projection reads it.
 */
export function pageResult(
  ctx: ApiContext,
  operation: 'Query' | 'Scan',
  table: Table,
  view: KeyView,
  pk: AttributeValue | undefined,
  input: Record<string, any>,
  compiled: CompiledRequest,
  select: Select,
  page: ReadPage,
): PageResult {
  const { filter, projection } = compiled;
  const wantItems = select !== 'COUNT';
  const parse = filter !== undefined || (wantItems && projection !== undefined);
  const items: ResultItem[] = [];
  let count = 0;
  for (const value of page.values) {
    let projected: Item | undefined;
    if (parse) {
      const item = decodeStoredItem(value);
      if (filter !== undefined && !evaluateCondition(filter, item)) continue;
      if (wantItems && projection !== undefined) projected = applyProjection(projection, item);
    }
    count++;
    if (wantItems) items.push(projected ?? value);
  }
  const tally = new CapacityTally(ctx, operation, input.ReturnConsumedCapacity);
  chargePage(tally, table, view, input.ConsistentRead === true, page, pk);
  const result: PageResult = wantItems
    ? { Items: items, Count: count, ScannedCount: page.values.length }
    : { Count: count, ScannedCount: page.values.length };
  if (page.lastEvaluatedKey !== undefined) result.LastEvaluatedKey = page.lastEvaluatedKey;
  const cc = tally.single(table);
  if (cc) result.ConsumedCapacity = cc;
  return result;
}

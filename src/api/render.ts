/**
 * The one renderer: an operation's result (results.ts) -> the response body as JSON text,
 * or as UTF-8 bytes when stored items are spliced in.
 *
 * Stored items (StoredItemRef) may stand at `Item` (GetItem), in `Items` (Query, Scan), in
 * `Responses` (BatchGetItem: table -> items; TransactGetItems: a list of `{Item}`). Their
 * stored bytes are already the item's wire JSON, so they are copied into the body unparsed;
 * everything else is JSON.stringify'd. A result without stored items is one JSON.stringify.
 */
import { isStoredItem, type PageResult, type ResultItem } from './results.js';
import { ResponseBody, itemResponse } from './common/responseBody.js';

/** Filled in by `renderResult` when asked: the bytes of the items of an `Items` member. */
export interface RenderedItems {
  itemBytes: number;
}

export function renderResult(result: object, measured?: RenderedItems): string | Buffer {
  const members = result as Record<string, unknown>;
  const item = members.Item;
  const stored = isStoredItem(item);
  // GetItem's answer without projection or capacity: one copy of the stored bytes.
  if (stored && onlyItem(members)) return itemResponse(item);
  if (members.ScannedCount !== undefined) return renderPage(result as PageResult, measured);
  if (!stored && members.Items === undefined && members.Responses === undefined) return JSON.stringify(result);
  const body = new ResponseBody();
  let separator = '{';
  for (const name in members) {
    const value = members[name];
    if (value === undefined) continue;
    body.text(`${separator}"${name}":`);
    separator = ',';
    if (name === 'Item') appendItem(body, value as ResultItem);
    else if (name === 'Items') appendItems(body, value as ResultItem[], measured);
    else if (name === 'Responses') appendResponses(body, value as Record<string, ResultItem[]> | Record<string, unknown>[]);
    else body.text(JSON.stringify(value));
  }
  return body.text(separator === '{' ? '{}' : '}').finish();
}

/** Query and Scan pages, the hottest multi-item answers: their members in DynamoDB's order, without walking them. */
function renderPage(page: PageResult, measured: RenderedItems | undefined): Buffer {
  const body = new ResponseBody();
  const items = page.Items;
  if (items !== undefined) {
    body.text('{"Items":');
    appendItems(body, items, measured);
  }
  let tail = items !== undefined ? `,"Count":${page.Count}` : `{"Count":${page.Count}`;
  tail += `,"ScannedCount":${page.ScannedCount}`;
  if (page.LastEvaluatedKey !== undefined) tail += `,"LastEvaluatedKey":${JSON.stringify(page.LastEvaluatedKey)}`;
  if (page.ConsumedCapacity !== undefined) tail += `,"ConsumedCapacity":${JSON.stringify(page.ConsumedCapacity)}`;
  return body.text(tail + '}').finish();
}

function onlyItem(members: Record<string, unknown>): boolean {
  for (const name in members) if (name !== 'Item' && members[name] !== undefined) return false;
  return true;
}

function appendItem(body: ResponseBody, item: ResultItem): void {
  if (isStoredItem(item)) body.storedItem(item);
  else body.text(JSON.stringify(item));
}

function appendItems(body: ResponseBody, items: ResultItem[], measured: RenderedItems | undefined): void {
  body.text('[');
  const start = measured === undefined ? 0 : body.byteLength;
  for (let i = 0; i < items.length; i++) {
    if (i > 0) body.comma();
    appendItem(body, items[i]!);
  }
  if (measured !== undefined) measured.itemBytes = body.byteLength - start;
  body.text(']');
}

function appendResponses(body: ResponseBody, responses: Record<string, ResultItem[]> | Record<string, unknown>[]): void {
  if (Array.isArray(responses)) {
    // TransactGetItems: `{Item}` entries; PartiQL batches and transactions add TableName / Error.
    body.text('[');
    for (let i = 0; i < responses.length; i++) {
      const entry = responses[i]!;
      let separator = i === 0 ? '{' : ',{';
      for (const name in entry) {
        const value = entry[name];
        if (value === undefined) continue;
        body.text(`${separator}"${name}":`);
        separator = ',';
        if (name === 'Item') appendItem(body, value as ResultItem);
        else body.text(JSON.stringify(value));
      }
      body.text(separator === '{' || separator === ',{' ? separator + '}' : '}');
    }
    body.text(']');
    return;
  }
  let separator = '{';
  for (const table in responses) {
    body.text(`${separator}${JSON.stringify(table)}:`);
    separator = ',';
    appendItems(body, responses[table]!, undefined);
  }
  body.text(separator === '{' ? '{}' : '}');
}

/**
 * Browse, query and scan a table or index page by page: the query builder (every
 * key-condition operator, index picker, filters, projection, direction, page size),
 * parallel scan, the item editor, and delete / bulk delete.
 */
import { useEffect, useState } from 'preact/hooks';
import { keyOf, type Item } from '../attr.js';
import { batchWrite, deleteRequests } from '../batch.js';
import { call, type ConsumedCapacity } from '../client.js';
import { buildReadRequest, type ReadRequest, type ReadSpec } from '../readRequest.js';
import { keySchemaOf, tableKeyNames, type TableDescription } from '../table.js';
import { CopyAsCode, ErrorMessage, formatCapacity, ItemsGrid, Notice } from '../ui.js';
import { ItemEditor } from './ItemEditor.js';
import { QueryForm } from './QueryForm.js';

/** Where each segment goes on from: undefined = its start, null = it is done. */
type Cursor = (Item | undefined | null)[];

interface Page {
  items: Item[];
  consumed: ConsumedCapacity[];
  next: Cursor;
  scanned: number;
}

export function initialSpec(table: TableDescription): ReadSpec {
  return {
    table: table.TableName, index: '', mode: 'scan', partitionValue: '', sortOperator: '', sortValue: '', sortValue2: '',
    filters: [], projection: '', forward: true, pageSize: 25, consistent: false,
  };
}

async function fetchPage(request: ReadRequest, cursor: Cursor): Promise<Page> {
  const segments = cursor.length;
  const answers = await Promise.all(cursor.map(async (start, segment) => {
    if (start === null) return undefined;
    const params: Record<string, unknown> = { ...request.params };
    if (start) params.ExclusiveStartKey = start;
    if (segments > 1) Object.assign(params, { Segment: segment, TotalSegments: segments });
    return call<{ Items: Item[]; LastEvaluatedKey?: Item; ConsumedCapacity?: ConsumedCapacity; ScannedCount: number }>(request.operation, params);
  }));
  return {
    items: answers.flatMap((a) => a?.Items ?? []),
    consumed: answers.flatMap((a) => (a?.ConsumedCapacity ? [a.ConsumedCapacity] : [])),
    next: answers.map((a) => (a === undefined ? null : a.LastEvaluatedKey ?? null)),
    scanned: answers.reduce((s, a) => s + (a?.ScannedCount ?? 0), 0),
  };
}

export function ItemsTab({ table }: { table: TableDescription }) {
  const [spec, setSpec] = useState<ReadSpec>(() => initialSpec(table));
  const [segments, setSegments] = useState(1);
  const [request, setRequest] = useState<ReadRequest | undefined>();
  const [history, setHistory] = useState<Cursor[]>([]);
  const [page, setPage] = useState<Page | undefined>();
  const [selected, setSelected] = useState(new Set<number>());
  const [editing, setEditing] = useState<Item | 'new' | undefined>();
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState('');
  const keyNames = tableKeyNames(table);

  const load = async (req: ReadRequest, cursor: Cursor, previous: Cursor[]) => {
    setError(undefined);
    try {
      const next = await fetchPage(req, cursor);
      setRequest(req);
      setHistory([...previous, cursor]);
      setPage(next);
      setSelected(new Set());
    } catch (err) {
      setError(err);
    }
  };
  const run = () => {
    try {
      const req = buildReadRequest(spec, keySchemaOf(table, spec.index));
      const parallel = spec.mode === 'scan' ? Math.max(1, segments) : 1;
      return load(req, new Array(parallel).fill(undefined), []);
    } catch (err) {
      setError(err);
    }
  };
  const reloadPage = () => request && history.length > 0 && load(request, history[history.length - 1], history.slice(0, -1));
  useEffect(() => void run(), [table.TableName]);

  const deleteSelected = async () => {
    if (!page || selected.size === 0) return;
    if (!confirm(`Delete ${selected.size} item(s) from ${table.TableName}?`)) return;
    try {
      const keys = [...selected].map((i) => keyOf(page.items[i], keyNames));
      await batchWrite(table.TableName, deleteRequests(keys));
      setNotice(`Deleted ${keys.length} item(s).`);
      await reloadPage();
    } catch (err) {
      setError(err);
    }
  };
  const hasMore = page?.next.some((k) => k !== null) ?? false;
  return (
    <div>
      <QueryForm table={table} spec={spec} onChange={setSpec} segments={segments} onSegments={setSegments} onRun={run} />
      <ErrorMessage error={error} />
      {notice && <Notice>{notice}</Notice>}
      <div class="toolbar">
        <button type="button" onClick={() => setEditing('new')}>New item</button>
        <button type="button" disabled={selected.size === 0} onClick={deleteSelected}>Delete selected ({selected.size})</button>
      </div>
      {editing && (
        <ItemEditor table={table} item={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(undefined)}
          onSaved={(message) => { setEditing(undefined); setNotice(message); void reloadPage(); }} />
      )}
      {page && (
        <>
          <p role="status" class="summary">
            {page.items.length} item(s) on page {history.length}, {page.scanned} scanned
            {page.next.length > 1 && ` by a parallel scan of ${page.next.length} segments`}
            {page.consumed.length > 0 && `; consumed ${formatCapacity(page.consumed, request?.operation ?? 'Scan')}`}
          </p>
          <ItemsGrid items={page.items} keyNames={keyNames} caption={`Results from ${spec.index || table.TableName}`}
            selected={selected}
            onToggle={(i) => { const s = new Set(selected); if (s.has(i)) s.delete(i); else s.add(i); setSelected(s); }}
            onOpen={(item) => void openItem(table, item, keyNames, setEditing, setError)} />
          <div class="toolbar">
            <button type="button" disabled={history.length < 2} onClick={() => request && load(request, history[history.length - 2], history.slice(0, -2))}>Previous page</button>
            <button type="button" disabled={!hasMore} onClick={() => request && load(request, page.next, history)}>Next page</button>
          </div>
        </>
      )}
      <CopyAsCode operation={request?.operation ?? 'Scan'} params={request?.params} />
    </div>
  );
}

/** Index entries and projections may hold part of an item: the editor gets the whole item. */
async function openItem(table: TableDescription, item: Item, keyNames: string[], open: (item: Item) => void, fail: (err: unknown) => void) {
  try {
    const answer = await call<{ Item?: Item }>('GetItem', { TableName: table.TableName, Key: keyOf(item, keyNames), ConsistentRead: true });
    if (answer.Item) open(answer.Item);
    else fail(new Error('That item no longer exists.'));
  } catch (err) {
    fail(err);
  }
}

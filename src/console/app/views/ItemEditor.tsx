/**
 * The item editor, in plain JSON or DynamoDB JSON. Plain JSON converts back with the
 * loaded item as a type hint (sets, binary and big numbers stay what they were).
 * Saving is conditional (see itemSave.ts): a change made meanwhile by someone else is
 * reported instead of overwritten.
 */
import { useState } from 'preact/hooks';
import { checkItem, itemFromPlain, itemToPlain, keyOf, type Item, type Plain } from '../attr.js';
import { ApiError, call } from '../client.js';
import { saveRequest } from '../itemSave.js';
import { tableKeyNames, type TableDescription } from '../table.js';
import { CopyAsCode, ErrorMessage, formatCapacity, useId } from '../ui.js';

type Mode = 'plain' | 'typed';

function render(item: Item, mode: Mode): string {
  return JSON.stringify(mode === 'plain' ? itemToPlain(item) : item, null, 2);
}

export function parseEditorText(text: string, mode: Mode, hint: Item | undefined): Item {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`Not valid JSON: ${(err as Error).message}`);
  }
  if (mode === 'typed') return checkItem(value);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('The item must be a JSON object');
  return itemFromPlain(value as { [name: string]: Plain }, hint);
}

export function ItemEditor(props: { table: TableDescription; item: Item | undefined; onClose: () => void; onSaved: (message: string) => void }) {
  const { table } = props;
  const keyNames = tableKeyNames(table);
  const [original, setOriginal] = useState(props.item);
  const [mode, setMode] = useState<Mode>('plain');
  const [text, setText] = useState(() => render(props.item ?? Object.fromEntries(keyNames.map((k) => [k, { S: '' }])), 'plain'));
  const [error, setError] = useState<unknown>();
  const [stale, setStale] = useState(false);
  const textId = useId('item');

  const switchMode = (next: Mode) => {
    if (next === mode) return;
    try {
      setText(render(parseEditorText(text, mode, original), next));
      setMode(next);
      setError(undefined);
    } catch (err) {
      setError(err);
    }
  };
  let putParams: Record<string, unknown> | undefined;
  try {
    putParams = { TableName: table.TableName, Item: parseEditorText(text, mode, original) };
  } catch {
    putParams = undefined;
  }
  const save = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      const request = saveRequest(table.TableName, keyNames, original, parseEditorText(text, mode, original));
      if (request === undefined) return props.onSaved('No changes to save.');
      const answer = await call(request.operation, request.params);
      props.onSaved(`Saved${answer.ConsumedCapacity ? ` (consumed ${formatCapacity([answer.ConsumedCapacity], request.operation)})` : ''}.`);
    } catch (err) {
      if (err instanceof ApiError && err.type === 'ConditionalCheckFailedException') setStale(true);
      setError(err);
    }
  };
  const reload = async () => {
    if (!original) return;
    const answer = await call<{ Item?: Item }>('GetItem', { TableName: table.TableName, Key: keyOf(original, keyNames), ConsistentRead: true });
    setOriginal(answer.Item);
    if (answer.Item) setText(render(answer.Item, mode));
    setStale(false);
    setError(undefined);
  };
  const remove = async () => {
    if (!original || !confirm('Delete this item?')) return;
    try {
      await call('DeleteItem', { TableName: table.TableName, Key: keyOf(original, keyNames) });
      props.onSaved('Item deleted.');
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form class="editor" onSubmit={save} aria-label="Item editor" onKeyDown={(e) => { if (e.key === 'Escape') props.onClose(); }}>
      <h2>{original ? 'Edit item' : 'New item'}</h2>
      <div role="radiogroup" aria-label="Format">
        <label><input type="radio" name="format" checked={mode === 'plain'} onChange={() => switchMode('plain')} /> Plain JSON</label>
        <label><input type="radio" name="format" checked={mode === 'typed'} onChange={() => switchMode('typed')} /> DynamoDB JSON</label>
      </div>
      <label for={textId}>Item</label>
      <textarea id={textId} rows={14} spellcheck={false} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      <ErrorMessage error={error} />
      {stale && (
        <p role="alert">
          The item changed (or was deleted) since it was loaded; nothing was overwritten. <button type="button" onClick={reload}>Reload item</button>
        </p>
      )}
      <div class="toolbar">
        <button type="submit" class="primary">Save item</button>
        {original && <button type="button" onClick={remove}>Delete item</button>}
        <button type="button" onClick={props.onClose} aria-keyshortcuts="Escape">Close editor</button>
      </div>
      <CopyAsCode operation="PutItem" params={putParams} />
    </form>
  );
}

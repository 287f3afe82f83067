/** The PartiQL editor: ExecuteStatement, results as a table or JSON, page by page, with a history. */
import { useState } from 'preact/hooks';
import { itemToPlain, type Item } from '../attr.js';
import { call, isUnsupported, type ConsumedCapacity } from '../client.js';
import { CopyAsCode, ErrorMessage, formatCapacity, ItemsGrid, Notice, useId } from '../ui.js';

const HISTORY_KEY = 'openddb.console.partiql-history';
const HISTORY_SIZE = 20;

function loadHistory(): string[] {
  try {
    const saved = JSON.parse(localStorage.getItem(HISTORY_KEY) ?? '[]');
    return Array.isArray(saved) ? saved.filter((s) => typeof s === 'string') : [];
  } catch {
    return [];
  }
}

interface Result {
  items: Item[];
  nextToken?: string;
  consumed: ConsumedCapacity[];
}

export function PartiqlView() {
  const [statement, setStatement] = useState(() => loadHistory()[0] ?? '');
  const [history, setHistory] = useState(loadHistory);
  const [result, setResult] = useState<Result | undefined>();
  const [view, setView] = useState<'table' | 'json'>('table');
  const [consistent, setConsistent] = useState(false);
  const [error, setError] = useState<unknown>();
  const [unsupported, setUnsupported] = useState(false);
  const fieldId = useId('partiql');

  const execute = async (text: string, nextToken?: string) => {
    setError(undefined);
    try {
      const answer = await call<{ Items?: Item[]; NextToken?: string; ConsumedCapacity?: ConsumedCapacity }>('ExecuteStatement', {
        Statement: text, ...(consistent ? { ConsistentRead: true } : {}), ...(nextToken ? { NextToken: nextToken } : {}),
      });
      const items = answer.Items ?? [];
      setResult((previous) => ({
        items: nextToken && previous ? [...previous.items, ...items] : items,
        nextToken: answer.NextToken,
        consumed: answer.ConsumedCapacity ? [answer.ConsumedCapacity] : [],
      }));
    } catch (err) {
      if (isUnsupported(err)) setUnsupported(true);
      setError(err);
    }
  };
  const run = (e: Event) => {
    e.preventDefault();
    const text = statement.trim();
    if (text === '') return;
    const next = [text, ...history.filter((h) => h !== text)].slice(0, HISTORY_SIZE);
    setHistory(next);
    localStorage.setItem(HISTORY_KEY, JSON.stringify(next));
    void execute(text);
  };
  return (
    <section>
      <h1 tabIndex={-1}>PartiQL editor</h1>
      <form onSubmit={run}>
        <label for={fieldId}>PartiQL</label>
        <textarea id={fieldId} rows={6} spellcheck={false} placeholder={'SELECT * FROM "Music" WHERE Artist = \'Acme Band\''}
          value={statement} onInput={(e) => setStatement(e.currentTarget.value)}
          onKeyDown={(e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) run(e); }} />
        <small>Ctrl+Enter runs the statement.</small>
        <div class="toolbar">
          <button type="submit" class="primary">Run</button>
          <label><input type="checkbox" checked={consistent} onChange={(e) => setConsistent(e.currentTarget.checked)} /> Strongly consistent read</label>
        </div>
      </form>
      {unsupported && <Notice>This server does not serve PartiQL (ExecuteStatement).</Notice>}
      <ErrorMessage error={error} />
      {result && (
        <section aria-label="Results">
          <div role="radiogroup" aria-label="Show results as">
            <label><input type="radio" name="view" checked={view === 'table'} onChange={() => setView('table')} /> Table</label>
            <label><input type="radio" name="view" checked={view === 'json'} onChange={() => setView('json')} /> JSON</label>
          </div>
          <p role="status">{result.items.length} item(s){result.consumed.length > 0 && `; consumed ${formatCapacity(result.consumed, 'ExecuteStatement')}`}</p>
          {view === 'table'
            ? <ItemsGrid items={result.items} keyNames={[]} caption="Statement results" />
            : <pre class="json" aria-label="Results as JSON">{JSON.stringify(result.items.map(itemToPlain), null, 2)}</pre>}
          {result.nextToken && <button type="button" onClick={() => execute(statement.trim(), result.nextToken)}>More results</button>}
        </section>
      )}
      <CopyAsCode operation="ExecuteStatement" params={statement.trim() ? { Statement: statement.trim() } : undefined} />
      {history.length > 0 && (
        <section aria-labelledby="history-heading">
          <h2 id="history-heading">History</h2>
          <ul class="history">
            {history.map((h) => <li key={h}><button type="button" class="link" onClick={() => setStatement(h)}>{h}</button></li>)}
          </ul>
        </section>
      )}
    </section>
  );
}

/** Export a table as JSON lines or CSV (a full scan, page by page) and import such a file (batched puts). */
import { useState } from 'preact/hooks';
import type { Item } from '../attr.js';
import { batchWrite, putRequests } from '../batch.js';
import { call } from '../client.js';
import { parseCsv, parseJsonLines, toCsv, toJsonLines } from '../transfer.js';
import { tableKeyNames, type TableDescription } from '../table.js';
import { ErrorMessage, Field, Notice } from '../ui.js';

type Format = 'jsonl' | 'csv';

async function scanAll(table: string, onProgress: (n: number) => void): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await call<{ Items: Item[]; LastEvaluatedKey?: Item }>('Scan', { TableName: table, ...(start ? { ExclusiveStartKey: start } : {}) });
    items.push(...page.Items);
    onProgress(items.length);
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

export function TransferTab({ table, refresh }: { table: TableDescription; refresh: () => Promise<unknown> }) {
  const [format, setFormat] = useState<Format>('jsonl');
  const [download, setDownload] = useState<{ url: string; name: string; count: number } | undefined>();
  const [progress, setProgress] = useState('');
  const [error, setError] = useState<unknown>();
  const keyNames = tableKeyNames(table);

  const exportTable = async () => {
    setError(undefined);
    try {
      const items = await scanAll(table.TableName, (n) => setProgress(`Exported ${n} item(s)…`));
      const text = format === 'csv' ? toCsv(items, keyNames) : toJsonLines(items);
      if (download) URL.revokeObjectURL(download.url);
      const blob = new Blob([text], { type: format === 'csv' ? 'text/csv' : 'application/x-ndjson' });
      setDownload({ url: URL.createObjectURL(blob), name: `${table.TableName}.${format}`, count: items.length });
      setProgress('');
    } catch (err) {
      setError(err);
    }
  };
  const importFile = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    const input = (e.currentTarget as HTMLFormElement).elements.namedItem('file') as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    try {
      const text = await file.text();
      const keyTypes = Object.fromEntries(table.AttributeDefinitions.map((d) => [d.AttributeName, d.AttributeType]));
      const items = /\.csv$/i.test(file.name) ? parseCsv(text, keyTypes) : parseJsonLines(text);
      const missing = items.findIndex((item) => keyNames.some((k) => item[k] === undefined));
      if (missing >= 0) throw new Error(`Item ${missing + 1} lacks a key attribute (${keyNames.join(', ')}); nothing was imported`);
      await batchWrite(table.TableName, putRequests(items), (n) => setProgress(`Imported ${n} of ${items.length} item(s)…`));
      setProgress(`Imported ${items.length} item(s).`);
      await refresh();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <div>
      <h2>Export</h2>
      <Field label="Export format">
        {(id) => (
          <select id={id} value={format} onChange={(e) => setFormat(e.currentTarget.value as Format)}>
            <option value="jsonl">JSON lines (DynamoDB JSON)</option>
            <option value="csv">CSV</option>
          </select>
        )}
      </Field>
      <button type="button" onClick={exportTable}>Export table</button>
      {download && <p><a href={download.url} download={download.name}>Download {download.name}</a> ({download.count} items)</p>}
      <h2>Import</h2>
      <form onSubmit={importFile}>
        <Field label="File to import" hint="JSON lines (.jsonl, DynamoDB or plain JSON) or CSV (.csv); items with the same key are replaced">
          {(id) => <input id={id} name="file" type="file" accept=".jsonl,.json,.ndjson,.csv" required />}
        </Field>
        <button type="submit">Import file</button>
      </form>
      {progress && <Notice>{progress}</Notice>}
      <ErrorMessage error={error} />
    </div>
  );
}

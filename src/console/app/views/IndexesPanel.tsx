/** Secondary indexes: status and backfill progress (polled while they change), add and drop a GSI. */
import { useEffect, useState } from 'preact/hooks';
import { call } from '../client.js';
import { attributeType, billingMode, keySchemaOf, type TableDescription } from '../table.js';
import { ErrorMessage } from '../ui.js';
import { IndexFields, indexRequest, newIndexDraft, type IndexDraft } from './IndexFields.js';

const POLL_MS = 1000;

export function IndexesPanel({ table, refresh }: { table: TableDescription; refresh: () => Promise<TableDescription | undefined> }) {
  const [draft, setDraft] = useState<IndexDraft | undefined>();
  const [error, setError] = useState<unknown>();
  const gsis = table.GlobalSecondaryIndexes ?? [];
  const changing = table.TableStatus !== 'ACTIVE' || gsis.some((i) => i.IndexStatus !== 'ACTIVE');
  useEffect(() => {
    if (!changing) return;
    const timer = setTimeout(() => void refresh(), POLL_MS);
    return () => clearTimeout(timer);
  }, [table]);

  const provisioned = billingMode(table) === 'PROVISIONED';
  const addIndex = async (e: Event) => {
    e.preventDefault();
    if (!draft) return;
    setError(undefined);
    try {
      const hash = keySchemaOf(table).hash;
      const { spec, definitions } = indexRequest(draft, { AttributeName: hash.name, AttributeType: hash.type }, provisioned);
      const known = definitions.filter((d) => table.AttributeDefinitions.some((a) => a.AttributeName === d.AttributeName) && attributeType(table, d.AttributeName) !== d.AttributeType);
      if (known.length > 0) throw new Error(`${known[0].AttributeName} is already defined as ${attributeType(table, known[0].AttributeName)}`);
      await call('UpdateTable', { TableName: table.TableName, AttributeDefinitions: definitions, GlobalSecondaryIndexUpdates: [{ Create: spec }] });
      setDraft(undefined);
      await refresh();
    } catch (err) {
      setError(err);
    }
  };
  const dropIndex = async (name: string) => {
    if (!confirm(`Delete index ${name}?`)) return;
    try {
      await call('UpdateTable', { TableName: table.TableName, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: name } }] });
      await refresh();
    } catch (err) {
      setError(err);
    }
  };
  const all = [...gsis.map((i) => ({ ...i, kind: 'global' })), ...(table.LocalSecondaryIndexes ?? []).map((i) => ({ ...i, kind: 'local' }))];
  return (
    <section aria-labelledby="indexes-heading">
      <h2 id="indexes-heading">Indexes</h2>
      {all.length === 0 ? <p>No secondary indexes.</p> : (
        <table class="grid">
          <thead><tr><th scope="col">Name</th><th scope="col">Kind</th><th scope="col">Keys</th><th scope="col">Projection</th><th scope="col">Status</th><th scope="col">Items</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {all.map((i) => {
              const keys = keySchemaOf(table, i.IndexName);
              const progress = i.Backfilling && table.ItemCount ? Math.min(100, Math.round(((i.ItemCount ?? 0) / table.ItemCount) * 100)) : undefined;
              return (
                <tr key={i.IndexName}>
                  <th scope="row">{i.IndexName}</th>
                  <td>{i.kind}</td>
                  <td>{keys.hash.name}{keys.range ? `, ${keys.range.name}` : ''}</td>
                  <td>{i.Projection?.ProjectionType}{i.Projection?.NonKeyAttributes ? ` (${i.Projection.NonKeyAttributes.join(', ')})` : ''}</td>
                  <td>
                    {i.IndexStatus ?? 'ACTIVE'}
                    {i.Backfilling && <> backfilling {progress !== undefined && <progress max={100} value={progress} aria-label={`Backfill of ${i.IndexName}`}>{progress}%</progress>}</>}
                  </td>
                  <td>{i.ItemCount ?? 0}</td>
                  <td>{i.kind === 'global' && i.IndexStatus === 'ACTIVE' && <button type="button" onClick={() => dropIndex(i.IndexName)}>Delete index {i.IndexName}</button>}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <ErrorMessage error={error} />
      {draft ? (
        <form onSubmit={addIndex}>
          <IndexFields draft={draft} label="New index" provisioned={provisioned} onChange={setDraft} />
          <button type="submit">Create index</button> <button type="button" onClick={() => setDraft(undefined)}>Cancel</button>
        </form>
      ) : (
        <button type="button" onClick={() => setDraft(newIndexDraft('GSI'))}>Add global index</button>
      )}
    </section>
  );
}

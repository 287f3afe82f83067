/** Every table with its status, billing mode, item count and size; each name links to the table. */
import { useEffect, useState } from 'preact/hooks';
import { call } from '../client.js';
import { href } from '../route.js';
import { billingMode, formatBytes, type TableDescription } from '../table.js';
import { ErrorMessage } from '../ui.js';

export async function listTableNames(): Promise<string[]> {
  const names: string[] = [];
  let start: string | undefined;
  do {
    const page = await call<{ TableNames: string[]; LastEvaluatedTableName?: string }>('ListTables', start ? { ExclusiveStartTableName: start } : {});
    names.push(...page.TableNames);
    start = page.LastEvaluatedTableName;
  } while (start);
  return names;
}

export function TablesView() {
  const [tables, setTables] = useState<TableDescription[] | undefined>();
  const [error, setError] = useState<unknown>();
  const load = async () => {
    setError(undefined);
    try {
      const names = await listTableNames();
      const described = await Promise.all(names.map((TableName) => call<{ Table: TableDescription }>('DescribeTable', { TableName }).then((r) => r.Table)));
      setTables(described);
    } catch (err) {
      setError(err);
    }
  };
  useEffect(() => void load(), []);
  return (
    <section>
      <h1 tabIndex={-1}>Tables</h1>
      <p>
        <a class="button" href={href('new-table')}>New table</a> <button type="button" onClick={load}>Refresh</button>
      </p>
      <ErrorMessage error={error} />
      {tables === undefined ? <p>Loading…</p> : tables.length === 0 ? <p>No tables yet.</p> : (
        <table class="grid">
          <caption class="sr-only">Tables</caption>
          <thead>
            <tr><th scope="col">Name</th><th scope="col">Status</th><th scope="col">Billing mode</th><th scope="col">Items</th><th scope="col">Size</th><th scope="col">Indexes</th><th scope="col">Stream</th></tr>
          </thead>
          <tbody>
            {tables.map((t) => (
              <tr key={t.TableName}>
                <th scope="row"><a href={href('table', t.TableName)}>{t.TableName}</a></th>
                <td>{t.TableStatus}</td>
                <td>{billingMode(t) === 'PAY_PER_REQUEST' ? 'On-demand' : `Provisioned (${t.ProvisionedThroughput?.ReadCapacityUnits} RCU / ${t.ProvisionedThroughput?.WriteCapacityUnits} WCU)`}</td>
                <td>{t.ItemCount ?? 0}</td>
                <td>{formatBytes(t.TableSizeBytes ?? 0)}</td>
                <td>{(t.GlobalSecondaryIndexes?.length ?? 0) + (t.LocalSecondaryIndexes?.length ?? 0)}</td>
                <td>{t.StreamSpecification?.StreamEnabled ? t.StreamSpecification.StreamViewType : 'off'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

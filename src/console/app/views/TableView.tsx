/** One table: its items, settings and indexes, stream, TTL and import/export, each a tab. */
import { useEffect, useState } from 'preact/hooks';
import { call } from '../client.js';
import { href } from '../route.js';
import type { TableDescription } from '../table.js';
import { ErrorMessage } from '../ui.js';
import { ItemsTab } from './ItemsTab.js';
import { OverviewTab } from './OverviewTab.js';
import { StreamTab } from './StreamTab.js';
import { TtlTab } from './TtlTab.js';
import { TransferTab } from './TransferTab.js';

const TABS: [string, string][] = [['items', 'Items'], ['overview', 'Settings and indexes'], ['stream', 'Stream'], ['ttl', 'Time to live'], ['transfer', 'Import and export']];

export function TableView({ name, tab }: { name: string; tab: string }) {
  const [table, setTable] = useState<TableDescription | undefined>();
  const [error, setError] = useState<unknown>();
  const refresh = async () => {
    try {
      const { Table } = await call<{ Table: TableDescription }>('DescribeTable', { TableName: name });
      setTable(Table);
      setError(undefined);
      return Table;
    } catch (err) {
      setError(err);
      return undefined;
    }
  };
  useEffect(() => {
    setTable(undefined);
    void refresh();
  }, [name]);
  return (
    <section>
      <h1 tabIndex={-1}>{name}</h1>
      <nav aria-label="Table views" class="tabs">
        {TABS.map(([id, label]) => <a key={id} href={href('table', name, id)} aria-current={tab === id ? 'page' : undefined}>{label}</a>)}
      </nav>
      <ErrorMessage error={error} />
      {table && tab === 'items' && <ItemsTab table={table} />}
      {table && tab === 'overview' && <OverviewTab table={table} refresh={refresh} />}
      {table && tab === 'stream' && <StreamTab table={table} refresh={refresh} />}
      {table && tab === 'ttl' && <TtlTab table={table} />}
      {table && tab === 'transfer' && <TransferTab table={table} refresh={refresh} />}
    </section>
  );
}

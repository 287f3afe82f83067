/** A table's description and settings: billing and throughput, deletion protection, indexes, delete. */
import { useState } from 'preact/hooks';
import { call } from '../client.js';
import { navigate } from '../route.js';
import { billingMode, formatBytes, keySchemaOf, type TableDescription } from '../table.js';
import { ErrorMessage, Field, Notice } from '../ui.js';
import { IndexesPanel } from './IndexesPanel.js';

export function OverviewTab({ table, refresh }: { table: TableDescription; refresh: () => Promise<TableDescription | undefined> }) {
  const schema = keySchemaOf(table);
  const mode = billingMode(table);
  const [provisioned, setProvisioned] = useState(mode === 'PROVISIONED');
  const [read, setRead] = useState(table.ProvisionedThroughput?.ReadCapacityUnits || 5);
  const [write, setWrite] = useState(table.ProvisionedThroughput?.WriteCapacityUnits || 5);
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [typedName, setTypedName] = useState('');

  const update = async (request: Record<string, unknown>, done: string) => {
    setError(undefined);
    try {
      await call('UpdateTable', { TableName: table.TableName, ...request });
      setNotice(done);
      await refresh();
    } catch (err) {
      setError(err);
    }
  };
  const saveCapacity = (e: Event) => {
    e.preventDefault();
    const throughput = { ReadCapacityUnits: read, WriteCapacityUnits: write };
    const request: Record<string, unknown> = { BillingMode: provisioned ? 'PROVISIONED' : 'PAY_PER_REQUEST' };
    if (provisioned) request.ProvisionedThroughput = throughput;
    // Switching to provisioned needs throughput for every global index too.
    if (provisioned && mode !== 'PROVISIONED' && table.GlobalSecondaryIndexes?.length) {
      request.GlobalSecondaryIndexUpdates = table.GlobalSecondaryIndexes.map((i) => ({ Update: { IndexName: i.IndexName, ProvisionedThroughput: throughput } }));
    }
    void update(request, 'Capacity updated.');
  };
  const deleteTable = async (e: Event) => {
    e.preventDefault();
    try {
      await call('DeleteTable', { TableName: table.TableName });
      navigate('tables');
    } catch (err) {
      setError(err);
    }
  };
  return (
    <div>
      <dl class="facts">
        <dt>Status</dt><dd>{table.TableStatus}</dd>
        <dt>Partition key</dt><dd>{schema.hash.name} ({schema.hash.type})</dd>
        <dt>Sort key</dt><dd>{schema.range ? `${schema.range.name} (${schema.range.type})` : 'none'}</dd>
        <dt>Billing mode</dt><dd>{mode === 'PAY_PER_REQUEST' ? 'On-demand' : `Provisioned: ${table.ProvisionedThroughput?.ReadCapacityUnits} RCU, ${table.ProvisionedThroughput?.WriteCapacityUnits} WCU`}</dd>
        <dt>Items</dt><dd>{table.ItemCount ?? 0}</dd>
        <dt>Size</dt><dd>{formatBytes(table.TableSizeBytes ?? 0)}</dd>
        <dt>Stream</dt><dd>{table.StreamSpecification?.StreamEnabled ? table.StreamSpecification.StreamViewType : 'off'}</dd>
        <dt>Deletion protection</dt><dd>{table.DeletionProtectionEnabled ? 'on' : 'off'}</dd>
        <dt>ARN</dt><dd>{table.TableArn}</dd>
      </dl>
      <ErrorMessage error={error} />
      {notice && <Notice>{notice}</Notice>}
      <form onSubmit={saveCapacity}>
        <fieldset>
          <legend>Capacity</legend>
          <label><input type="radio" name="billing" checked={!provisioned} onChange={() => setProvisioned(false)} /> On-demand</label>
          <label><input type="radio" name="billing" checked={provisioned} onChange={() => setProvisioned(true)} /> Provisioned</label>
          {provisioned && (
            <>
              <Field label="Read capacity units">{(id) => <input id={id} type="number" min={1} value={read} onInput={(e) => setRead(Number(e.currentTarget.value))} />}</Field>
              <Field label="Write capacity units">{(id) => <input id={id} type="number" min={1} value={write} onInput={(e) => setWrite(Number(e.currentTarget.value))} />}</Field>
            </>
          )}
          <button type="submit">Save capacity</button>
        </fieldset>
      </form>
      <p class="toolbar">
        <button type="button" onClick={() => update({ DeletionProtectionEnabled: !table.DeletionProtectionEnabled }, 'Deletion protection changed.')}>
          {table.DeletionProtectionEnabled ? 'Turn deletion protection off' : 'Turn deletion protection on'}
        </button>
      </p>
      <IndexesPanel table={table} refresh={refresh} />
      <h2>Delete</h2>
      {!confirming ? (
        <button type="button" class="danger" onClick={() => setConfirming(true)}>Delete table…</button>
      ) : (
        <form onSubmit={deleteTable} class="confirm">
          <Field label={`Type ${table.TableName} to confirm`}>
            {(id) => <input id={id} autoFocus value={typedName} onInput={(e) => setTypedName(e.currentTarget.value)} />}
          </Field>
          <button type="submit" class="danger" disabled={typedName !== table.TableName}>Delete {table.TableName}</button>{' '}
          <button type="button" onClick={() => { setConfirming(false); setTypedName(''); }}>Cancel</button>
        </form>
      )}
    </div>
  );
}

/** Time to live: its setting, the items already past their expiry but not yet swept, and "run the sweep now". */
import { useEffect, useState } from 'preact/hooks';
import type { Item } from '../attr.js';
import { call, control, isUnsupported } from '../client.js';
import { tableKeyNames, type TableDescription } from '../table.js';
import { ErrorMessage, Field, ItemsGrid, Notice } from '../ui.js';

interface TtlDescription {
  TimeToLiveStatus: 'ENABLING' | 'DISABLING' | 'ENABLED' | 'DISABLED';
  AttributeName?: string;
}

const PENDING_PAGE = 100;

/** ENABLING counts as on: DynamoDB takes a while to finish turning TTL on, and refuses to turn it on twice. */
function isOn(ttl: TtlDescription | undefined): boolean {
  return ttl?.TimeToLiveStatus === 'ENABLED' || ttl?.TimeToLiveStatus === 'ENABLING';
}

export function TtlTab({ table }: { table: TableDescription }) {
  const [ttl, setTtl] = useState<TtlDescription | undefined>();
  const [attribute, setAttribute] = useState('');
  const [pending, setPending] = useState<Item[] | undefined>();
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState('');
  const [unsupported, setUnsupported] = useState(false);

  const load = async () => {
    setError(undefined);
    try {
      const { TimeToLiveDescription } = await call<{ TimeToLiveDescription: TtlDescription }>('DescribeTimeToLive', { TableName: table.TableName });
      setTtl(TimeToLiveDescription);
      // Only a configured attribute fills the field: a name being typed is not wiped by a late answer.
      if (TimeToLiveDescription.AttributeName) setAttribute(TimeToLiveDescription.AttributeName);
      if (TimeToLiveDescription.AttributeName && isOn(TimeToLiveDescription)) {
        await loadPending(TimeToLiveDescription.AttributeName);
      } else setPending(undefined);
    } catch (err) {
      if (isUnsupported(err)) setUnsupported(true);
      else setError(err);
    }
  };
  /** Items whose expiry time has passed: DynamoDB deletes them some time after, not at once. */
  const loadPending = async (name: string) => {
    const now = String(Math.floor(Date.now() / 1000));
    const { Items } = await call<{ Items: Item[] }>('Scan', {
      TableName: table.TableName, Limit: PENDING_PAGE,
      FilterExpression: '#t < :now', ExpressionAttributeNames: { '#t': name }, ExpressionAttributeValues: { ':now': { N: now } },
    });
    setPending(Items);
  };
  useEffect(() => void load(), [table.TableName]);

  const setEnabled = async (enabled: boolean) => {
    setError(undefined);
    try {
      await call('UpdateTimeToLive', { TableName: table.TableName, TimeToLiveSpecification: { Enabled: enabled, AttributeName: attribute.trim() } });
      setNotice(enabled ? 'Time to live turned on.' : 'Time to live turned off.');
      await load();
    } catch (err) {
      setError(err);
    }
  };
  const sweep = async () => {
    setError(undefined);
    try {
      const result = await control<Record<string, unknown>>('ttl/sweep', { table: table.TableName });
      setNotice(`Sweep done: ${JSON.stringify(result)}`);
      await load();
    } catch (err) {
      setError(err);
    }
  };
  if (unsupported) return <Notice>This server does not serve time to live (UpdateTimeToLive / DescribeTimeToLive).</Notice>;
  return (
    <div>
      <p>Status: {ttl?.TimeToLiveStatus ?? '…'}{ttl?.AttributeName ? `, attribute ${ttl.AttributeName}` : ''}</p>
      <form onSubmit={(e) => { e.preventDefault(); void setEnabled(!isOn(ttl)); }}>
        <Field label="Time to live attribute" hint="A number attribute holding the expiry time in epoch seconds">
          {(id) => <input id={id} required value={attribute} onInput={(e) => setAttribute(e.currentTarget.value)} />}
        </Field>
        <button type="submit">{isOn(ttl) ? 'Turn time to live off' : 'Turn time to live on'}</button>
      </form>
      <ErrorMessage error={error} />
      {notice && <Notice>{notice}</Notice>}
      {pending && (
        <>
          <h2>Pending expirations</h2>
          <p>{pending.length === 0 ? 'No expired items are waiting (in the first page scanned).' : `${pending.length} expired item(s) wait for the sweep (first ${PENDING_PAGE} items scanned).`}</p>
          {pending.length > 0 && <ItemsGrid items={pending} keyNames={tableKeyNames(table)} caption="Expired items not yet deleted" />}
          <button type="button" onClick={sweep}>Run sweep now</button>
        </>
      )}
    </div>
  );
}

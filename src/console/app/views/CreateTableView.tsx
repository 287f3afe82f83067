/** The create form: keys, secondary indexes, billing, stream, TTL and deletion protection. */
import { useState } from 'preact/hooks';
import { call, isUnsupported } from '../client.js';
import type { KeyType } from '../readRequest.js';
import { navigate } from '../route.js';
import { CopyAsCode, ErrorMessage, Field } from '../ui.js';
import { IndexFields, indexRequest, mergeDefinitions, newIndexDraft, TypeSelect, type AttributeDefinition, type IndexDraft } from './IndexFields.js';

interface Draft {
  name: string;
  hash: string;
  hashType: KeyType;
  range: string;
  rangeType: KeyType;
  provisioned: boolean;
  read: number;
  write: number;
  indexes: IndexDraft[];
  stream: boolean;
  streamView: string;
  ttlAttribute: string;
  deletionProtection: boolean;
}

const EMPTY: Draft = {
  name: '', hash: '', hashType: 'S', range: '', rangeType: 'S', provisioned: false, read: 5, write: 5,
  indexes: [], stream: false, streamView: 'NEW_AND_OLD_IMAGES', ttlAttribute: '', deletionProtection: false,
};

export function createTableRequest(d: Draft): Record<string, unknown> {
  const hash: AttributeDefinition = { AttributeName: d.hash.trim(), AttributeType: d.hashType };
  const definitions: AttributeDefinition[] = [hash];
  const KeySchema = [{ AttributeName: hash.AttributeName, KeyType: 'HASH' }];
  if (d.range.trim() !== '') {
    definitions.push({ AttributeName: d.range.trim(), AttributeType: d.rangeType });
    KeySchema.push({ AttributeName: d.range.trim(), KeyType: 'RANGE' });
  }
  const gsis: unknown[] = [];
  const lsis: unknown[] = [];
  for (const index of d.indexes) {
    const { spec, definitions: used } = indexRequest(index, hash, d.provisioned);
    definitions.push(...used);
    (index.kind === 'GSI' ? gsis : lsis).push(spec);
  }
  const request: Record<string, unknown> = {
    TableName: d.name.trim(),
    KeySchema,
    AttributeDefinitions: mergeDefinitions(definitions),
    BillingMode: d.provisioned ? 'PROVISIONED' : 'PAY_PER_REQUEST',
  };
  if (d.provisioned) request.ProvisionedThroughput = { ReadCapacityUnits: d.read, WriteCapacityUnits: d.write };
  if (gsis.length > 0) request.GlobalSecondaryIndexes = gsis;
  if (lsis.length > 0) request.LocalSecondaryIndexes = lsis;
  if (d.stream) request.StreamSpecification = { StreamEnabled: true, StreamViewType: d.streamView };
  if (d.deletionProtection) request.DeletionProtectionEnabled = true;
  return request;
}

export function CreateTableView() {
  const [d, setDraft] = useState<Draft>(EMPTY);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<Draft>) => setDraft({ ...d, ...patch });
  let request: Record<string, unknown> | undefined;
  try {
    request = createTableRequest(d);
  } catch {
    request = undefined;
  }
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    setBusy(true);
    try {
      await call('CreateTable', createTableRequest(d));
      if (d.ttlAttribute.trim() !== '') {
        try {
          await call('UpdateTimeToLive', { TableName: d.name.trim(), TimeToLiveSpecification: { Enabled: true, AttributeName: d.ttlAttribute.trim() } });
        } catch (err) {
          // The table exists either way; TTL can be turned on later from its TTL tab.
          if (!isUnsupported(err)) throw err;
        }
      }
      navigate('table', d.name.trim(), 'overview');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section>
      <h1 tabIndex={-1}>New table</h1>
      <form onSubmit={submit}>
        <Field label="Table name" hint="3 to 255 characters: letters, digits, _ - .">
          {(id) => <input id={id} required minLength={3} maxLength={255} pattern="[a-zA-Z0-9_.\-]+" value={d.name} onInput={(e) => set({ name: e.currentTarget.value })} />}
        </Field>
        <Field label="Partition key">
          {(id) => (
            <span class="inline">
              <input id={id} required value={d.hash} onInput={(e) => set({ hash: e.currentTarget.value })} />
              <TypeSelect label="Hash attribute type" value={d.hashType} onChange={(hashType) => set({ hashType })} />
            </span>
          )}
        </Field>
        <Field label="Sort key" hint="Optional">
          {(id) => (
            <span class="inline">
              <input id={id} value={d.range} onInput={(e) => set({ range: e.currentTarget.value })} />
              <TypeSelect label="Range attribute type" value={d.rangeType} onChange={(rangeType) => set({ rangeType })} />
            </span>
          )}
        </Field>
        <fieldset>
          <legend>Capacity</legend>
          <label><input type="radio" name="billing" checked={!d.provisioned} onChange={() => set({ provisioned: false })} /> On-demand</label>
          <label><input type="radio" name="billing" checked={d.provisioned} onChange={() => set({ provisioned: true })} /> Provisioned</label>
          {d.provisioned && (
            <>
              <Field label="Read capacity units">{(id) => <input id={id} type="number" min={1} value={d.read} onInput={(e) => set({ read: Number(e.currentTarget.value) })} />}</Field>
              <Field label="Write capacity units">{(id) => <input id={id} type="number" min={1} value={d.write} onInput={(e) => set({ write: Number(e.currentTarget.value) })} />}</Field>
            </>
          )}
        </fieldset>
        <fieldset>
          <legend>Secondary indexes</legend>
          {d.indexes.map((index, i) => (
            <div key={i}>
              <IndexFields draft={index} label={`Index ${i + 1}`} provisioned={d.provisioned}
                onChange={(changed) => set({ indexes: d.indexes.map((x, j) => (j === i ? changed : x)) })} />
              <button type="button" onClick={() => set({ indexes: d.indexes.filter((_, j) => j !== i) })}>Remove index {i + 1}</button>
            </div>
          ))}
          <button type="button" onClick={() => set({ indexes: [...d.indexes, newIndexDraft('GSI')] })}>Add global index</button>{' '}
          <button type="button" onClick={() => set({ indexes: [...d.indexes, newIndexDraft('LSI')] })}>Add local index</button>
        </fieldset>
        <fieldset>
          <legend>Options</legend>
          <label><input type="checkbox" checked={d.stream} onChange={(e) => set({ stream: e.currentTarget.checked })} /> Enable stream</label>
          {d.stream && (
            <Field label="Stream view type">
              {(id) => (
                <select id={id} value={d.streamView} onChange={(e) => set({ streamView: e.currentTarget.value })}>
                  {['NEW_AND_OLD_IMAGES', 'NEW_IMAGE', 'OLD_IMAGE', 'KEYS_ONLY'].map((v) => <option key={v} value={v}>{v}</option>)}
                </select>
              )}
            </Field>
          )}
          <Field label="Time to live attribute" hint="Optional: a number attribute holding an expiry time in epoch seconds">
            {(id) => <input id={id} value={d.ttlAttribute} onInput={(e) => set({ ttlAttribute: e.currentTarget.value })} />}
          </Field>
          <label><input type="checkbox" checked={d.deletionProtection} onChange={(e) => set({ deletionProtection: e.currentTarget.checked })} /> Deletion protection</label>
        </fieldset>
        <ErrorMessage error={error} />
        <button type="submit" class="primary" disabled={busy}>Create table</button>
      </form>
      <CopyAsCode operation="CreateTable" params={request} />
    </section>
  );
}

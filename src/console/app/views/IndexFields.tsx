/** One secondary index being defined: on the create form, or added to a table later. */
import type { KeyType } from '../readRequest.js';
import { Field } from '../ui.js';

export interface IndexDraft {
  kind: 'GSI' | 'LSI';
  name: string;
  hash: string;
  hashType: KeyType;
  range: string;
  rangeType: KeyType;
  projection: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  include: string;
  read: number;
  write: number;
}

export function newIndexDraft(kind: 'GSI' | 'LSI'): IndexDraft {
  return { kind, name: '', hash: '', hashType: 'S', range: '', rangeType: 'S', projection: 'ALL', include: '', read: 5, write: 5 };
}

export interface AttributeDefinition {
  AttributeName: string;
  AttributeType: KeyType;
}

/** The index as CreateTable / UpdateTable want it, and the attributes it defines. */
export function indexRequest(draft: IndexDraft, tableHash: AttributeDefinition, provisioned: boolean) {
  const hash = draft.kind === 'LSI' ? tableHash : { AttributeName: draft.hash.trim(), AttributeType: draft.hashType };
  const definitions: AttributeDefinition[] = [hash];
  const KeySchema = [{ AttributeName: hash.AttributeName, KeyType: 'HASH' }];
  if (draft.range.trim() !== '') {
    definitions.push({ AttributeName: draft.range.trim(), AttributeType: draft.rangeType });
    KeySchema.push({ AttributeName: draft.range.trim(), KeyType: 'RANGE' });
  }
  const Projection: Record<string, unknown> = { ProjectionType: draft.projection };
  if (draft.projection === 'INCLUDE') Projection.NonKeyAttributes = draft.include.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const spec: Record<string, unknown> = { IndexName: draft.name.trim(), KeySchema, Projection };
  if (provisioned && draft.kind === 'GSI') spec.ProvisionedThroughput = { ReadCapacityUnits: draft.read, WriteCapacityUnits: draft.write };
  return { spec, definitions };
}

/** Merges attribute definitions, refusing one name with two types. */
export function mergeDefinitions(definitions: AttributeDefinition[]): AttributeDefinition[] {
  const byName = new Map<string, AttributeDefinition>();
  for (const d of definitions) {
    const known = byName.get(d.AttributeName);
    if (known && known.AttributeType !== d.AttributeType) throw new Error(`Attribute ${d.AttributeName} is given two types: ${known.AttributeType} and ${d.AttributeType}`);
    byName.set(d.AttributeName, d);
  }
  return [...byName.values()];
}

function TypeSelect(props: { label: string; value: KeyType; onChange: (t: KeyType) => void }) {
  return (
    <select aria-label={props.label} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value as KeyType)}>
      <option value="S">String</option>
      <option value="N">Number</option>
      <option value="B">Binary</option>
    </select>
  );
}

export { TypeSelect };

export function IndexFields(props: { draft: IndexDraft; label: string; provisioned: boolean; onChange: (d: IndexDraft) => void }) {
  const { draft, label } = props;
  const set = (patch: Partial<IndexDraft>) => props.onChange({ ...draft, ...patch });
  return (
    <fieldset class="index">
      <legend>{label} ({draft.kind === 'GSI' ? 'global' : 'local'})</legend>
      <Field label={`${label} name`}>{(id) => <input id={id} required value={draft.name} onInput={(e) => set({ name: e.currentTarget.value })} />}</Field>
      {draft.kind === 'GSI' && (
        <Field label={`${label} hash attribute`}>
          {(id) => (
            <span class="inline">
              <input id={id} required value={draft.hash} onInput={(e) => set({ hash: e.currentTarget.value })} />
              <TypeSelect label={`${label} hash attribute type`} value={draft.hashType} onChange={(hashType) => set({ hashType })} />
            </span>
          )}
        </Field>
      )}
      <Field label={`${label} range attribute`} hint={draft.kind === 'LSI' ? 'Required for a local index' : 'Optional'}>
        {(id) => (
          <span class="inline">
            <input id={id} required={draft.kind === 'LSI'} value={draft.range} onInput={(e) => set({ range: e.currentTarget.value })} />
            <TypeSelect label={`${label} range attribute type`} value={draft.rangeType} onChange={(rangeType) => set({ rangeType })} />
          </span>
        )}
      </Field>
      <Field label={`${label} projection`}>
        {(id) => (
          <select id={id} value={draft.projection} onChange={(e) => set({ projection: e.currentTarget.value as IndexDraft['projection'] })}>
            <option value="ALL">All attributes</option>
            <option value="KEYS_ONLY">Keys only</option>
            <option value="INCLUDE">Keys and chosen attributes</option>
          </select>
        )}
      </Field>
      {draft.projection === 'INCLUDE' && (
        <Field label={`${label} included attributes`} hint="Comma-separated">
          {(id) => <input id={id} value={draft.include} onInput={(e) => set({ include: e.currentTarget.value })} />}
        </Field>
      )}
      {props.provisioned && draft.kind === 'GSI' && (
        <>
          <Field label={`${label} read capacity units`}>{(id) => <input id={id} type="number" min={1} value={draft.read} onInput={(e) => set({ read: Number(e.currentTarget.value) })} />}</Field>
          <Field label={`${label} write capacity units`}>{(id) => <input id={id} type="number" min={1} value={draft.write} onInput={(e) => set({ write: Number(e.currentTarget.value) })} />}</Field>
        </>
      )}
    </fieldset>
  );
}

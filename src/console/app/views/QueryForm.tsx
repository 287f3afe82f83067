/** The query builder: scan or query, index, key condition, filters, projection, order, page size. */
import { FILTER_OPERATORS, SORT_OPERATORS, type FilterRow, type ReadSpec, type SortOperator } from '../readRequest.js';
import { keySchemaOf, type TableDescription } from '../table.js';
import { Field } from '../ui.js';

const NEW_FILTER: FilterRow = { attribute: '', operator: '=', type: 'S', value: '', value2: '' };
const VALUELESS = new Set(['attribute_exists', 'attribute_not_exists']);

export function QueryForm(props: {
  table: TableDescription;
  spec: ReadSpec;
  onChange: (spec: ReadSpec) => void;
  segments: number;
  onSegments: (n: number) => void;
  onRun: () => void;
}) {
  const { table, spec } = props;
  const set = (patch: Partial<ReadSpec>) => props.onChange({ ...spec, ...patch });
  const schema = keySchemaOf(table, spec.index);
  const isGsi = (table.GlobalSecondaryIndexes ?? []).some((i) => i.IndexName === spec.index);
  const setFilter = (i: number, patch: Partial<FilterRow>) => set({ filters: spec.filters.map((f, j) => (j === i ? { ...f, ...patch } : f)) });
  const indexes = [...(table.GlobalSecondaryIndexes ?? []), ...(table.LocalSecondaryIndexes ?? [])];
  return (
    <form class="query" onSubmit={(e) => { e.preventDefault(); props.onRun(); }}>
      <fieldset>
        <legend>Read</legend>
        <label><input type="radio" name="mode" checked={spec.mode === 'scan'} onChange={() => set({ mode: 'scan' })} /> Scan</label>
        <label><input type="radio" name="mode" checked={spec.mode === 'query'} onChange={() => set({ mode: 'query' })} /> Query</label>
        <Field label="Index">
          {(id) => (
            <select id={id} value={spec.index} onChange={(e) => set({ index: e.currentTarget.value, consistent: false })}>
              <option value="">Table: {table.TableName}</option>
              {indexes.map((i) => <option key={i.IndexName} value={i.IndexName}>Index: {i.IndexName}</option>)}
            </select>
          )}
        </Field>
      </fieldset>
      {spec.mode === 'query' && (
        <fieldset>
          <legend>Key condition</legend>
          <Field label="Partition key value" hint={`${schema.hash.name} (${schema.hash.type})`}>
            {(id) => <input id={id} required value={spec.partitionValue} onInput={(e) => set({ partitionValue: e.currentTarget.value })} />}
          </Field>
          {schema.range && (
            <>
              <Field label="Sort key condition" hint={`${schema.range.name} (${schema.range.type})`}>
                {(id) => (
                  <select id={id} value={spec.sortOperator} onChange={(e) => set({ sortOperator: e.currentTarget.value as SortOperator })}>
                    <option value="">(any)</option>
                    {SORT_OPERATORS.map((op) => <option key={op} value={op}>{op}</option>)}
                  </select>
                )}
              </Field>
              {spec.sortOperator && (
                <Field label="Sort key value">{(id) => <input id={id} required value={spec.sortValue} onInput={(e) => set({ sortValue: e.currentTarget.value })} />}</Field>
              )}
              {spec.sortOperator === 'BETWEEN' && (
                <Field label="Sort key upper value">{(id) => <input id={id} required value={spec.sortValue2} onInput={(e) => set({ sortValue2: e.currentTarget.value })} />}</Field>
              )}
            </>
          )}
          <Field label="Order">
            {(id) => (
              <select id={id} value={spec.forward ? 'asc' : 'desc'} onChange={(e) => set({ forward: e.currentTarget.value === 'asc' })}>
                <option value="asc">Ascending</option>
                <option value="desc">Descending</option>
              </select>
            )}
          </Field>
        </fieldset>
      )}
      <fieldset>
        <legend>Filters</legend>
        {spec.filters.map((f, i) => (
          <div class="inline" key={i} role="group" aria-label={`Filter ${i + 1}`}>
            <input aria-label={`Filter ${i + 1} attribute`} placeholder="attribute" value={f.attribute} onInput={(e) => setFilter(i, { attribute: e.currentTarget.value })} />
            <select aria-label={`Filter ${i + 1} condition`} value={f.operator} onChange={(e) => setFilter(i, { operator: e.currentTarget.value as FilterRow['operator'] })}>
              {FILTER_OPERATORS.map((op) => <option key={op} value={op}>{op}</option>)}
            </select>
            {!VALUELESS.has(f.operator) && (
              <>
                <select aria-label={`Filter ${i + 1} type`} value={f.type} onChange={(e) => setFilter(i, { type: e.currentTarget.value as FilterRow['type'] })}>
                  <option value="S">String</option><option value="N">Number</option><option value="BOOL">Boolean</option>
                </select>
                <input aria-label={`Filter ${i + 1} value`} value={f.value} onInput={(e) => setFilter(i, { value: e.currentTarget.value })} />
                {f.operator === 'BETWEEN' && <input aria-label={`Filter ${i + 1} upper value`} value={f.value2} onInput={(e) => setFilter(i, { value2: e.currentTarget.value })} />}
              </>
            )}
            <button type="button" onClick={() => set({ filters: spec.filters.filter((_, j) => j !== i) })}>Remove filter {i + 1}</button>
          </div>
        ))}
        <button type="button" onClick={() => set({ filters: [...spec.filters, { ...NEW_FILTER }] })}>Add filter</button>
      </fieldset>
      <fieldset>
        <legend>Options</legend>
        <Field label="Projected attributes" hint="Comma-separated; empty for whole items">
          {(id) => <input id={id} value={spec.projection} onInput={(e) => set({ projection: e.currentTarget.value })} />}
        </Field>
        <Field label="Page size">
          {(id) => <input id={id} type="number" min={1} max={1000} value={spec.pageSize} onInput={(e) => set({ pageSize: Number(e.currentTarget.value) })} />}
        </Field>
        {spec.mode === 'scan' && (
          <Field label="Parallel scan segments">
            {(id) => <input id={id} type="number" min={1} max={16} value={props.segments} onInput={(e) => props.onSegments(Number(e.currentTarget.value))} />}
          </Field>
        )}
        {!isGsi && <label><input type="checkbox" checked={spec.consistent} onChange={(e) => set({ consistent: e.currentTarget.checked })} /> Strongly consistent read</label>}
      </fieldset>
      <button type="submit" class="primary">{spec.mode === 'query' ? 'Run query' : 'Run scan'}</button>
    </form>
  );
}

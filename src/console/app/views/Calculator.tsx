/** The RCU/WCU calculator: the capacity a steady workload needs, as the seed works it out. */
import { useState } from 'preact/hooks';
import { requiredReadCapacity, requiredWriteCapacity, type ReadConsistency } from '../capacityMath.js';
import { Field } from '../ui.js';

export function Calculator() {
  const [sizeKb, setSizeKb] = useState(1);
  const [reads, setReads] = useState(10);
  const [consistency, setConsistency] = useState<ReadConsistency>('strong');
  const [writes, setWrites] = useState(10);
  const [transactional, setTransactional] = useState(false);
  const bytes = Math.max(0, sizeKb) * 1024;
  return (
    <section aria-labelledby="calculator-heading">
      <h2 id="calculator-heading">Capacity calculator</h2>
      <div class="inline-fields">
        <Field label="Item size (KB)">{(id) => <input id={id} type="number" min={0} step="any" value={sizeKb} onInput={(e) => setSizeKb(Number(e.currentTarget.value))} />}</Field>
        <Field label="Reads per second">{(id) => <input id={id} type="number" min={0} step="any" value={reads} onInput={(e) => setReads(Number(e.currentTarget.value))} />}</Field>
        <Field label="Read consistency">
          {(id) => (
            <select id={id} value={consistency} onChange={(e) => setConsistency(e.currentTarget.value as ReadConsistency)}>
              <option value="eventual">Eventually consistent</option>
              <option value="strong">Strongly consistent</option>
              <option value="transactional">Transactional</option>
            </select>
          )}
        </Field>
        <Field label="Writes per second">{(id) => <input id={id} type="number" min={0} step="any" value={writes} onInput={(e) => setWrites(Number(e.currentTarget.value))} />}</Field>
        <label><input type="checkbox" checked={transactional} onChange={(e) => setTransactional(e.currentTarget.checked)} /> Transactional writes</label>
      </div>
      <p role="status" aria-live="polite">
        Needs <strong>{requiredReadCapacity(bytes, reads, consistency)} RCU</strong> and <strong>{requiredWriteCapacity(bytes, writes, transactional)} WCU</strong>.
      </p>
    </section>
  );
}

/**
 * Capacity: what each of the console's own requests consumed, charts from the
 * server's /metrics (consumed against provisioned capacity, throttles, latency),
 * and the RCU/WCU calculator.
 */
import { useEffect, useState } from 'preact/hooks';
import { callRecords, onCall } from '../client.js';
import { parseMetrics, total, type Sample } from '../metricsText.js';
import { formatCapacity } from '../ui.js';
import { Calculator } from './Calculator.js';
import { Chart } from './Chart.js';

const SAMPLE_MS = 2000;
const KEPT_POINTS = 60;

interface Point {
  at: number;
  read: number;
  write: number;
  provisionedRead: number;
  provisionedWrite: number;
  throttles: number;
  latencyMs: number;
}

/** Rates between two scrapes; gauges (provisioned) as they are. */
function point(previous: { at: number; samples: Sample[] }, at: number, samples: Sample[], table: string | undefined): Point {
  const seconds = (at - previous.at) / 1000;
  const rate = (name: string) => Math.max(0, total(samples, name, table) - total(previous.samples, name, table)) / seconds;
  const count = total(samples, 'SuccessfulRequestLatency_count', table) - total(previous.samples, 'SuccessfulRequestLatency_count', table);
  const sum = total(samples, 'SuccessfulRequestLatency_sum', table) - total(previous.samples, 'SuccessfulRequestLatency_sum', table);
  return {
    at,
    read: rate('ConsumedReadCapacityUnits'),
    write: rate('ConsumedWriteCapacityUnits'),
    provisionedRead: total(samples, 'ProvisionedReadCapacityUnits', table),
    provisionedWrite: total(samples, 'ProvisionedWriteCapacityUnits', table),
    throttles: rate('ReadThrottleEvents') + rate('WriteThrottleEvents'),
    latencyMs: count > 0 ? sum / count : 0,
  };
}

function useMetrics(table: string | undefined): { points: Point[]; tables: string[]; error?: string } {
  const [state, setState] = useState<{ points: Point[]; tables: string[]; error?: string }>({ points: [], tables: [] });
  useEffect(() => {
    let previous: { at: number; samples: Sample[] } | undefined;
    let stopped = false;
    const scrape = async () => {
      try {
        const response = await fetch(new URL('/metrics', location.href));
        if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
        const samples = parseMetrics(await response.text());
        const at = Date.now();
        const tables = [...new Set(samples.map((s) => s.labels.TableName).filter((t): t is string => !!t))].sort();
        if (stopped) return;
        const last = previous;
        setState((s) => ({ tables, points: last ? [...s.points, point(last, at, samples, table)].slice(-KEPT_POINTS) : s.points }));
        previous = { at, samples };
      } catch (err) {
        if (!stopped) setState((s) => ({ ...s, error: (err as Error).message }));
      }
    };
    void scrape();
    const timer = setInterval(scrape, SAMPLE_MS);
    return () => { stopped = true; clearInterval(timer); };
  }, [table]);
  return state;
}

export function CapacityView() {
  const [table, setTable] = useState<string | undefined>();
  const metrics = useMetrics(table);
  const [, setTick] = useState(0);
  useEffect(() => onCall(() => setTick((n) => n + 1)), []);
  const records = callRecords();
  return (
    <section>
      <h1 tabIndex={-1}>Capacity</h1>
      <h2>Metrics</h2>
      <label>Table{' '}
        <select value={table ?? ''} onChange={(e) => setTable(e.currentTarget.value || undefined)}>
          <option value="">All tables</option>
          {metrics.tables.map((t) => <option key={t} value={t}>{t}</option>)}
        </select>
      </label>
      {metrics.error && <p role="alert">{metrics.error}</p>}
      <div class="charts">
        <Chart title="Read capacity units per second" points={metrics.points.map((p) => p.read)} limit={metrics.points.map((p) => p.provisionedRead)} />
        <Chart title="Write capacity units per second" points={metrics.points.map((p) => p.write)} limit={metrics.points.map((p) => p.provisionedWrite)} />
        <Chart title="Throttle events per second" points={metrics.points.map((p) => p.throttles)} />
        <Chart title="Average latency (ms)" points={metrics.points.map((p) => p.latencyMs)} />
      </div>
      <h2>This console's requests</h2>
      {records.length === 0 ? <p>No requests yet.</p> : (
        <div class="grid-wrap">
          <table class="grid">
            <thead><tr><th scope="col">Time</th><th scope="col">Operation</th><th scope="col">Table</th><th scope="col">Consumed</th><th scope="col">ms</th><th scope="col">Error</th></tr></thead>
            <tbody>
              {records.slice(0, 50).map((r, i) => (
                <tr key={i}>
                  <td>{r.at.toLocaleTimeString()}</td><td>{r.operation}</td><td>{r.table ?? ''}</td>
                  <td>{formatCapacity(r.consumed, r.operation)}</td><td>{r.ms.toFixed(1)}</td><td>{r.error ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Calculator />
    </section>
  );
}

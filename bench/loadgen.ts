/**
 * The load generator, run as its own process (forked by loadRunner.ts) so it never
 * shares a CPU's event loop with the server under test. It keeps `connections`
 * keep-alive sockets busy with one request each (loadConnections.ts), for one window.
 *
 * Protocol with the parent: receives one LoadConfig; sends 'measure-start' and
 * 'measure-end' exactly at the window's edges (so the parent can sample server CPU),
 * then one LoadResult.
 */
import { Connection, Generator, type LoadConfig, type LoadResult } from './loadConnections.js';
import { findWorkload } from './workloads.js';

export type { LoadConfig, LoadResult };

function run(config: LoadConfig): void {
  const gen = new Generator(config, findWorkload(config.workload));
  const connections: Connection[] = [];
  let finished = false;
  let measureStart = 0;
  let measureEnd = 0;
  let cpuStart = process.cpuUsage();
  let cpuMicros = 0;
  const onIdle = () => {
    if (finished || gen.phase !== 'done' || !connections.every((c) => c.idle())) return;
    finished = true;
    for (const c of connections) c.close();
    process.send!({ type: 'result', result: gen.result((measureEnd - measureStart) / 1000, cpuMicros) }, () => process.exit(0));
  };
  for (let i = 0; i < config.connections; i++) connections.push(new Connection(gen, onIdle));

  setTimeout(() => {
    gen.phase = 'measure';
    measureStart = performance.now();
    cpuStart = process.cpuUsage();
    process.send!({ type: 'measure-start' });
    setTimeout(() => {
      gen.phase = 'done';
      measureEnd = performance.now();
      const cpu = process.cpuUsage(cpuStart);
      cpuMicros = cpu.user + cpu.system;
      process.send!({ type: 'measure-end' });
      onIdle();
      // A server that never answers must not hang the benchmark.
      setTimeout(() => {
        if (finished) return;
        finished = true;
        for (const c of connections) c.close();
        process.send!({ type: 'result', result: gen.result((measureEnd - measureStart) / 1000, cpuMicros) }, () => process.exit(0));
      }, 10_000).unref();
    }, config.durationMs);
  }, config.warmupMs);
}

process.once('message', (config: LoadConfig) => run(config));

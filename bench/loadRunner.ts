/** Runs one measured load against a server: forks the load generator, samples server CPU. */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cpuSeconds, machineBusySeconds } from './procStats.js';
import type { LoadConfig, LoadResult } from './loadgen.js';

const LOADGEN = fileURLToPath(new URL('./loadgen.js', import.meta.url));

export interface MeasuredLoad extends LoadResult {
  /** Server CPU time per successful operation, in microseconds. */
  cpuUsPerOp: number;
  /** Server CPU use during the window, in cores (1.0 = one core busy). */
  cpuCores: number;
  /** CPU used by everything else on the machine during the window, in cores: a noisy neighbour shows here. */
  otherCores: number;
}

export function runLoad(serverPid: number, config: LoadConfig): Promise<MeasuredLoad> {
  return new Promise((resolve, reject) => {
    const child = fork(LOADGEN, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let cpuStart = 0;
    let cpuEnd = 0;
    let machineStart = 0;
    let machineEnd = 0;
    let settled = false;
    child.on('message', (message: { type: string; result?: LoadResult }) => {
      if (message.type === 'measure-start') {
        cpuStart = cpuSeconds(serverPid);
        machineStart = machineBusySeconds();
      } else if (message.type === 'measure-end') {
        cpuEnd = cpuSeconds(serverPid);
        machineEnd = machineBusySeconds();
      }
      else if (message.type === 'result' && !settled) {
        settled = true;
        const r = message.result!;
        const cpu = cpuEnd - cpuStart;
        const cores = (seconds: number) => (r.seconds === 0 ? 0 : seconds / r.seconds);
        resolve({
          ...r,
          cpuUsPerOp: r.ops === 0 ? 0 : (cpu * 1e6) / r.ops,
          cpuCores: cores(cpu),
          otherCores: Math.max(0, cores(machineEnd - machineStart - cpu) - r.loadgenCores),
        });
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (!settled) reject(new Error(`load generator exited with ${code} before reporting`));
    });
    child.send(config);
  });
}

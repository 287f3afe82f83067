/** Spawning the real `openddb` command as a child process for tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { sdkClient } from './helpers.js';
import { runCollecting } from './childRun.js';

export const CLI_PATH = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

export interface CliProcess {
  child: ChildProcess;
  url: string;
  output(): string;
}

/** Starts `openddb args...` and resolves with its URL once it prints that it is listening. */
export function spawnCli(args: string[], env?: NodeJS.ProcessEnv): Promise<CliProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_PATH, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env });
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve({ child, url: match[1]!, output: () => out });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`openddb exited with ${code}: ${out}`)));
  });
}

/** Runs `openddb args...` to completion. */
export async function runCli(args: string[]): Promise<{ code: number | null; output: string }> {
  const { status, output } = await runCollecting(process.execPath, [CLI_PATH, ...args], {});
  return { code: status, output };
}

/**
 * Starts `openddb` on `dataDir`, runs `setup`, then lets 16 concurrent writers call
 * `write(id)` with ids counting up from `firstId` until `target` writes have been
 * acknowledged, kills the server with SIGKILL mid-stream and waits for it to exit.
 * Resolves with the ids of every acknowledged write, for checks after reopening.
 */
export async function writeUntilKilled(dataDir: string, options: {
  target: number;
  firstId?: number;
  setup?: (sdk: { client: DynamoDBClient; doc: DynamoDBDocumentClient }) => Promise<void>;
  write: (sdk: { client: DynamoDBClient; doc: DynamoDBDocumentClient }, id: number) => Promise<unknown>;
  /** More command-line arguments (e.g. `--workers 2`). */
  args?: string[];
  /** How to kill the server (default: SIGKILL to the process spawned). */
  kill?: (child: CliProcess['child']) => void;
}): Promise<number[]> {
  const proc = await spawnCli(['--port', '0', '--data-dir', dataDir, '--log-level', 'silent', ...(options.args ?? [])]);
  const client = sdkClient(proc.url);
  const sdk = { client, doc: DynamoDBDocumentClient.from(client) };
  await options.setup?.(sdk);
  const acknowledged: number[] = [];
  let next = options.firstId ?? 0;
  let killed = false;
  const writer = async () => {
    while (!killed) {
      const id = next++;
      try {
        await options.write(sdk, id);
        acknowledged.push(id);
      } catch {
        return; // the server is gone
      }
    }
  };
  const writers = Array.from({ length: 16 }, writer);
  while (acknowledged.length < options.target) await new Promise((r) => setTimeout(r, 5));
  if (options.kill) options.kill(proc.child);
  else proc.child.kill('SIGKILL');
  killed = true;
  await Promise.all(writers);
  client.destroy();
  if (proc.child.exitCode === null && proc.child.signalCode === null) await new Promise((r) => proc.child.once('exit', r));
  return acknowledged;
}

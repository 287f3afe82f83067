/** Child processes the tests run to completion, and the Python they need for boto3. */
import { spawn, spawnSync, type SpawnOptions } from 'node:child_process';

/** Runs `command args...` to its end; stdout and stderr come back as one text. */
export function runCollecting(command: string, args: string[], options: Pick<SpawnOptions, 'cwd' | 'env' | 'timeout'>): Promise<{ status: number | null; output: string }> {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, output })));
}

/** The first python3 that has pytest and boto3: the one on PATH, else Debian's (where its packages install them). */
export const python = ['python3', '/usr/bin/python3'].find((command) => spawnSync(command, ['-c', 'import pytest, boto3']).status === 0);

/** Why the Python tests skip, or false when they can run. */
export const pythonMissing = python === undefined && 'python3 with pytest and boto3 is not installed (Debian: apt-get install python3-pytest python3-boto3)';

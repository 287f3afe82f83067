/**
 * The interactive PartiQL shell: statements may span lines and end with `;`; history is
 * kept between sessions; `.tables`, `.help` and `.exit` are shell commands.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { DynamoClient } from './client.js';
import { splitStatements } from './statements.js';

const HISTORY_FILE = join(homedir(), '.openddb_sql_history');
const HISTORY_SIZE = 500;

const HELP = `Enter PartiQL statements ending with ';', e.g.
  SELECT * FROM "Music" WHERE Artist = 'Acme Band';
Shell commands: .tables (list tables), .help, .exit (or Ctrl-D)
`;

function loadHistory(): string[] {
  try {
    return readFileSync(HISTORY_FILE, 'utf8').split('\n').filter(Boolean).reverse().slice(0, HISTORY_SIZE);
  } catch {
    return [];
  }
}

function remember(line: string): void {
  try {
    appendFileSync(HISTORY_FILE, line.replace(/\n/g, ' ') + '\n');
  } catch {
    // History is a convenience; an unwritable home directory does not stop the shell.
  }
}

export interface ShellIO {
  input: Readable;
  output: Writable;
  /** Line editing and history (a real terminal). */
  terminal: boolean;
}

export async function runShell(
  client: DynamoClient,
  endpoint: string,
  runStatement: (statement: string) => Promise<boolean>,
  io: ShellIO = { input: process.stdin, output: process.stdout, terminal: true },
): Promise<void> {
  const history = io.terminal ? loadHistory() : [];
  const rl = createInterface({ input: io.input, output: io.output, history, historySize: HISTORY_SIZE, terminal: io.terminal });
  const write = (text: string) => io.output.write(text);
  write(`Connected to ${endpoint}. ${HELP}`);
  let pending = '';
  const prompt = () => {
    rl.setPrompt(pending === '' ? 'openddb> ' : '      -> ');
    rl.prompt();
  };
  prompt();
  for await (const line of rl) {
    const trimmed = line.trim();
    if (pending === '' && trimmed.startsWith('.')) {
      if (trimmed === '.exit' || trimmed === '.quit') break;
      if (trimmed === '.help') write(HELP);
      else if (trimmed === '.tables') await listTables(client, write);
      else write(`Unknown command ${trimmed}; try .help\n`);
      prompt();
      continue;
    }
    pending += (pending === '' ? '' : '\n') + line;
    const { statements, rest } = splitStatements(pending);
    if (statements.length > 0 && io.terminal) remember(pending.trim());
    pending = rest.trim() === '' ? '' : rest;
    for (const statement of statements) await runStatement(statement);
    prompt();
  }
  rl.close();
}

async function listTables(client: DynamoClient, write: (text: string) => void): Promise<void> {
  try {
    let start: string | undefined;
    do {
      const out = await client.call('ListTables', start === undefined ? {} : { ExclusiveStartTableName: start });
      for (const name of out.TableNames as string[]) write(name + '\n');
      start = out.LastEvaluatedTableName as string | undefined;
    } while (start !== undefined);
  } catch (err) {
    write(`${(err as Error).message}\n`);
  }
}

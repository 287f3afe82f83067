/**
 * `openddb sql`: PartiQL against a running server. With -e (repeatable) or piped input it
 * runs the statements and exits (status 1 if one failed); on a terminal it opens a shell.
 */
import { parseArgs } from 'node:util';
import { DynamoClient, RequestError } from './client.js';
import { renderJson, renderTable } from './render.js';
import { runShell } from './shell.js';
import { splitStatements } from './statements.js';

export const SQL_USAGE = `Usage: openddb sql [options]

Runs PartiQL statements against a running OpenDDB (or DynamoDB-compatible) server.

  -e, --execute <statement>   run this statement and exit (repeatable)
  --endpoint <url>            server to talk to (default http://127.0.0.1:8000;
                              env OPENDDB_ENDPOINT)
  --region <name>             region in the request signature (default us-east-1)
  --json                      print items as JSON lines instead of a table
  -h, --help                  show this help

Without -e, statements are read from standard input when it is not a terminal,
otherwise an interactive shell starts (statements end with ';').
`;

export async function runSql(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        execute: { type: 'string', short: 'e', multiple: true },
        endpoint: { type: 'string' },
        region: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    process.stderr.write(`openddb sql: ${(err as Error).message}\n\n${SQL_USAGE}`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(SQL_USAGE);
    return 0;
  }
  const endpoint = parsed.endpoint ?? process.env.OPENDDB_ENDPOINT ?? 'http://127.0.0.1:8000';
  const client = new DynamoClient(endpoint, parsed.region);
  const render = parsed.json ? renderJson : renderTable;
  const runStatement = async (statement: string): Promise<boolean> => {
    try {
      const items = await client.execute(statement);
      const isRead = /^\s*select\b/i.test(statement);
      process.stdout.write(isRead || items.length > 0 ? render(items) : parsed.json ? '' : 'OK\n');
      return true;
    } catch (err) {
      const message = err instanceof RequestError ? `${err.type}: ${err.message}` : `cannot reach ${endpoint}: ${(err as Error).message}`;
      process.stderr.write(`${message}\n`);
      return false;
    }
  };

  let statements: string[] | undefined = parsed.execute;
  if (statements === undefined && !process.stdin.isTTY) {
    const text = await readStdin();
    const split = splitStatements(text);
    statements = [...split.statements, ...(split.rest.trim() === '' ? [] : [split.rest.trim()])];
  }
  if (statements === undefined) {
    await runShell(client, endpoint, runStatement);
    return 0;
  }
  let failed = false;
  for (const statement of statements) if (!(await runStatement(statement))) failed = true;
  return failed ? 1 : 0;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

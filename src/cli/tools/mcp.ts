/**
 * `openddb mcp`: a Model Context Protocol server over standard input/output (the official
 * SDK), so coding agents can inspect and seed a local database: a running server, a data
 * directory, or a fresh in-memory database of its own. Standard output carries the
 * protocol: nothing else may be written there.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { DynamoCallError } from '../../testing/dynamoCall.js';
import { openTarget, parseToolArgs, TARGET_USAGE } from './target.js';
import { MCP_TOOLS } from './mcpTools.js';

export const MCP_USAGE = `Usage: openddb mcp [options]   a Model Context Protocol server on standard input/output

${TARGET_USAGE}
  --in-memory         serve a fresh in-memory database of its own instead

Tools: ${MCP_TOOLS.map((tool) => tool.name).join(', ')}.
`;

const VERSION = '0.1.0';

export async function runMcp(argv: string[], env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const { values } = parseToolArgs(argv, { 'in-memory': { type: 'boolean' } }, MCP_USAGE);
  if (values.help) return MCP_USAGE;
  const target = await openTarget(values, env, MCP_USAGE);
  const server = new McpServer({ name: 'openddb', version: VERSION });
  for (const tool of MCP_TOOLS) {
    server.registerTool(
      tool.name,
      { description: tool.description, inputSchema: tool.input, annotations: { readOnlyHint: tool.readOnly, openWorldHint: false } },
      async (input: Record<string, unknown>) => answer(() => tool.run(target.call, input)),
    );
  }
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => (transport.onclose = resolve));
  await server.connect(transport);
  // The client closing our standard input ends the session.
  process.stdin.once('end', () => void server.close());
  await closed;
  await target.close();
  return undefined;
}

async function answer(run: () => Promise<unknown>) {
  try {
    return { content: [{ type: 'text' as const, text: JSON.stringify(await run(), null, 2) }] };
  } catch (err) {
    const text = err instanceof DynamoCallError ? `${err.name}: ${err.message}` : (err as Error).message;
    return { isError: true, content: [{ type: 'text' as const, text }] };
  }
}

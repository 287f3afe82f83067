/** The `openddb <tool>` commands beside serving (import-json, export-json, mcp): each loaded only when named. */
import { ToolUsageError } from './toolUsage.js';

/** Runs the tool; resolves with what to print on standard output, if anything. */
type Tool = (argv: string[], env: NodeJS.ProcessEnv) => Promise<string | undefined>;


const TOOLS: Record<string, () => Promise<Tool>> = {
  'import-json': async () => (await import('./importJson.js')).importJson,
  'export-json': async () => (await import('./exportJson.js')).exportJson,
  mcp: async () => (await import('./mcp.js')).runMcp,
};

export const TOOL_NAMES = Object.keys(TOOLS);

/** Runs the tool `argv[0]` names; false when it names none. */
export async function runTool(argv: string[], env: NodeJS.ProcessEnv): Promise<boolean> {
  const load = argv[0] === undefined ? undefined : TOOLS[argv[0]];
  if (load === undefined) return false;
  try {
    const output = await (await load())(argv.slice(1), env);
    if (output) process.stdout.write(output);
  } catch (err) {
    if (err instanceof ToolUsageError) {
      process.stderr.write(`openddb ${argv[0]}: ${err.message}\n\n${err.usage}`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`openddb ${argv[0]}: ${(err as Error).message}\n`);
      process.exitCode = 1;
    }
  }
  return true;
}

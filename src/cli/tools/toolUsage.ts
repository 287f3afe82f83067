/** A mistake in a tool's command line: reported with the tool's usage, exit status 2. */
export class ToolUsageError extends Error {
  constructor(message: string, readonly usage: string) {
    super(message);
  }
}

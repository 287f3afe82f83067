/**
 * Collects constraint violations during one validation walk and formats DynamoDB's
 * ValidationException message. Values are rendered only when the message is built,
 * after the whole request has passed the JSON-type checks.
 */
import { javaString } from './javaString.js';

// DynamoDB lists at most this many violations in one message.
export const MAX_REPORTED_VIOLATIONS = 10;

interface Violation {
  readonly path: string;
  readonly constraint: string;
  /** Shape and value quoted in the message (`Value '...' at`); no shape: `Value at`. */
  readonly shape?: string;
  readonly value?: unknown;
}

export class Violations {
  private list: Violation[] | undefined;

  get count(): number {
    return this.list === undefined ? 0 : this.list.length;
  }

  add(path: string, constraint: string, shape: string, value: unknown): void {
    (this.list ??= []).push({ path, constraint, shape, value });
  }

  /** A violation DynamoDB reports without quoting the value: "Value at 'Limit' failed ...". */
  addUnquoted(path: string, constraint: string): void {
    (this.list ??= []).push({ path, constraint });
  }

  message(): string {
    const reported = (this.list ?? []).slice(0, MAX_REPORTED_VIOLATIONS);
    const details = reported.map(
      (v) => `Value ${v.shape === undefined ? '' : quote(v.shape, v.value) + ' '}at '${v.path}' failed to satisfy constraint: ${v.constraint}`,
    );
    const noun = reported.length === 1 ? 'error' : 'errors';
    return `${reported.length} validation ${noun} detected: ${details.join('; ')}`;
  }
}

function quote(shape: string, value: unknown): string {
  return value === null || value === undefined ? 'null' : `'${javaString(shape, value)}'`;
}

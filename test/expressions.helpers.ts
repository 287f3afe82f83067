/** Shared helpers for the expression tests (not a test file itself). */
import assert from 'node:assert/strict';
import { compileRequest, evaluateCondition } from '../src/expressions/index.js';
import type { Item } from '../src/values/types.js';

export type Values = Record<string, unknown>;

/** Compiles a PutItem ConditionExpression. */
export function condition(expression: string, values?: Values, names?: Record<string, string>) {
  const compiled = compileRequest('PutItem', {
    ConditionExpression: expression,
    ExpressionAttributeValues: values,
    ExpressionAttributeNames: names,
  });
  return compiled.condition!;
}

export function check(expression: string, item: Item | undefined, values?: Values, names?: Record<string, string>): boolean {
  return evaluateCondition(condition(expression, values, names), item);
}

/** Asserts a ValidationException with exactly this message. */
export function rejects(fn: () => unknown, message: string): void {
  assert.throws(fn, (error: any) => {
    assert.equal(error.message, message);
    assert.equal(error.code, 'ValidationException');
    return true;
  });
}

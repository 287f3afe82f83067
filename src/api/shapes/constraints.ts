/**
 * A shape's own constraints (length, range, enum, pattern) as predicates paired with
 * DynamoDB's wording. Reported in the order DynamoDB reports them for a member:
 * pattern, then minimum, then maximum.
 */
import { javaPatternToRegExp } from './javaPattern.js';
import type { Shape } from './model.js';

export interface Constraint {
  /** e.g. "Member must have length less than or equal to 255". */
  readonly message: string;
  readonly violatedBy: (value: unknown) => boolean;
  /** For constraints that only some values are held to (see tableReference.ts); default: all. */
  readonly appliesTo?: (value: unknown) => boolean;
}

export const NOT_NULL = 'Member must not be null';

/** Strings, lists and maps have a length; numbers have a value. */
function sizeOf(shape: Shape): (value: unknown) => number {
  switch (shape.type) {
    case 'string':
    case 'list':
      return (value) => (value as string | unknown[]).length;
    case 'map':
      return (value) => Object.keys(value as object).length;
    default:
      return (value) => value as number;
  }
}

export function constraintsOf(shape: Shape): Constraint[] {
  const out: Constraint[] = [];
  const measure = shape.type === 'string' || shape.type === 'list' || shape.type === 'map' ? 'length' : 'value';
  const size = sizeOf(shape);
  if (shape.enum) {
    const allowed = new Set(shape.enum);
    // DynamoDB lists the values sorted (attribute types: [B, N, S]), not in the model's order.
    out.push({
      message: `Member must satisfy enum value set: [${[...shape.enum].sort().join(', ')}]`,
      violatedBy: (value) => !allowed.has(value as string),
    });
  }
  if (shape.pattern !== undefined) {
    const regexp = javaPatternToRegExp(shape.pattern);
    out.push({
      message: `Member must satisfy regular expression pattern: ${shape.pattern}`,
      violatedBy: (value) => !regexp.test(value as string),
    });
  }
  if (shape.min !== undefined) {
    const min = shape.min;
    out.push({
      message: `Member must have ${measure} greater than or equal to ${min}`,
      violatedBy: (value) => size(value) < min,
    });
  }
  if (shape.max !== undefined) {
    const max = shape.max;
    out.push({
      message: `Member must have ${measure} less than or equal to ${max}`,
      violatedBy: (value) => size(value) > max,
    });
  }
  return out;
}

/**
 * A map's key or value shape reports all its constraints at once, largest bound first:
 * "Map value must satisfy constraint: [Member must have length less than or equal to
 * 25, Member must have length greater than or equal to 1]".
 */
export function mapEntryConstraint(side: 'key' | 'value', constraints: Constraint[], value?: unknown): string {
  const applicable = constraints.filter((c) => c.appliesTo === undefined || c.appliesTo(value));
  const rank = (c: Constraint) => (c.message.includes('less than') ? 0 : c.message.includes('greater than') ? 1 : 2);
  const listed = applicable.sort((a, b) => rank(a) - rank(b)).map((c) => c.message);
  return `Map ${side} must satisfy constraint: [${listed.join(', ')}]`;
}

/**
 * Expression trees. A parsed tree ("Raw*") still holds `#name` / `:value` placeholders and is
 * cached by expression text; binding it to one request's ExpressionAttributeNames/Values gives
 * the resolved tree that evaluation and legacy translation share.
 */
import type { AttributeValue } from '../values/types.js';

// ---- Parsed (placeholders unresolved) ----

export type RawSegment =
  | { kind: 'attr'; name: string }
  | { kind: 'ref'; ref: string }
  | { kind: 'index'; index: number };

export interface RawPath {
  kind: 'path';
  segments: RawSegment[];
}

export interface RawValue {
  kind: 'value';
  ref: string;
}

export interface RawCall {
  kind: 'call';
  name: string;
  args: RawOperand[];
}

export type RawOperand = RawPath | RawValue | RawCall;

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type RawCondition =
  | { kind: 'and' | 'or'; left: RawCondition; right: RawCondition }
  | { kind: 'not'; operand: RawCondition }
  | { kind: 'compare'; op: Comparator; left: RawOperand; right: RawOperand }
  | { kind: 'between'; subject: RawOperand; low: RawOperand; high: RawOperand }
  | { kind: 'in'; subject: RawOperand; list: RawOperand[] }
  | { kind: 'function'; call: RawCall };

export type RawSetValue = RawOperand | { kind: 'arith'; op: '+' | '-'; left: RawOperand; right: RawOperand };

export interface RawUpdate {
  set: { path: RawPath; value: RawSetValue }[];
  remove: RawPath[];
  add: { path: RawPath; value: RawValue }[];
  delete: { path: RawPath; value: RawValue }[];
}

// ---- Resolved ----

/** A document path: attribute names (strings) and list indexes (numbers). */
export type Path = readonly (string | number)[];

export type Operand =
  | { kind: 'path'; path: Path }
  | { kind: 'value'; value: AttributeValue }
  | { kind: 'size'; path: Path };

export type ConditionNode =
  | { kind: 'and' | 'or'; left: ConditionNode; right: ConditionNode }
  | { kind: 'not'; operand: ConditionNode }
  | { kind: 'compare'; op: Comparator; left: Operand; right: Operand }
  | { kind: 'between'; subject: Operand; low: Operand; high: Operand }
  | { kind: 'in'; subject: Operand; list: Operand[] }
  | { kind: 'exists' | 'notExists'; path: Path }
  | { kind: 'attributeType'; path: Path; type: Operand }
  | { kind: 'beginsWith' | 'contains'; left: Operand; right: Operand };

export type UpdateValue =
  | { kind: 'path'; path: Path }
  | { kind: 'value'; value: AttributeValue }
  | { kind: 'ifNotExists'; path: Path; fallback: UpdateValue }
  | { kind: 'listAppend'; left: UpdateValue; right: UpdateValue }
  | { kind: 'arith'; op: '+' | '-'; left: UpdateValue; right: UpdateValue };

export type UpdateAction =
  | { kind: 'set'; path: Path; value: UpdateValue }
  | { kind: 'remove'; path: Path }
  | { kind: 'add'; path: Path; value: AttributeValue }
  | { kind: 'delete'; path: Path; value: AttributeValue };

/**
 * Compiles a parsed statement into the requests of the item API: SELECT -> Query (the
 * WHERE clause pins partition keys) or Scan, or GetItem for single-item reads of batches
 * and transactions; INSERT -> PutItem that must not overwrite; UPDATE -> UpdateItem of an
 * existing item; DELETE -> DeleteItem; EXISTS -> a ConditionCheck. Requests carry their
 * expressions as text with placeholders, exactly as a client of the JSON API would send.
 */
import { validationError } from '../errors.js';
import { compareScalars } from '../values/compare.js';
import type { AttributeValue } from '../values/types.js';
import type { DeleteStatement, Expr, InsertStatement, SelectStatement, Statement, UpdateStatement } from './ast.js';
import { KEY_EQUALITY_REQUIRED, unsupported } from './errors.js';
import { ExpressionWriter } from './expressionWriter.js';
import { planKeyLookup, planRead, type KeyNames } from './keyConditions.js';
import { bindValue, isValue, type Parameters } from './literals.js';

/** The key attribute names of a table, or of one of its indexes (throws when there is none). */
export type KeySchemas = (table: string, index?: string) => KeyNames;

export type Request = Record<string, any>;

/** DynamoDB reads at most 50 partition key values for one IN (and at most 10 per page). */
const MAX_PARTITION_VALUES = 50;

/** The placeholder of the partition key value in a Query's KeyConditionExpression. */
export const PARTITION_VALUE = ':pk';

export interface CompiledSelect {
  kind: 'select';
  table: string;
  /** The partition key values to query, in reading order; undefined: a Scan. */
  partitions?: AttributeValue[];
  /** Query or Scan input without ExclusiveStartKey and Limit (and, for a Query, the partition value). */
  request: Request;
}

export interface CompiledWrite {
  kind: 'write';
  table: string;
  operation: 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'ConditionCheck';
  request: Request;
  /** An INSERT: a failed condition means the key exists (DuplicateItemException). */
  insert: boolean;
}

export type Compiled = CompiledSelect | CompiledWrite;

export function checkParameterCount(expected: number, params: Parameters): void {
  if (params.length !== expected) throw validationError("Number of parameters in request and statement don't match.");
}

export function compileStatement(statement: Statement, params: Parameters, schemas: KeySchemas): Compiled {
  switch (statement.kind) {
    case 'select':
      return compileSelect(statement, params, schemas);
    case 'insert':
      return compileInsert(statement, params, schemas);
    case 'update':
      return compileUpdate(statement, params, schemas);
    case 'delete':
      return compileDelete(statement, params, schemas);
    case 'exists':
      return compileExists(statement.select, params, schemas);
  }
}

function compileSelect(statement: SelectStatement, params: Parameters, schemas: KeySchemas): CompiledSelect {
  const { table, index } = statement.from;
  const keys = schemas(table, index);
  const plan = planRead(statement.where, keys);
  const writer = new ExpressionWriter(params);
  const request: Request = { TableName: table };
  if (index !== undefined) request.IndexName = index;
  let partitions: AttributeValue[] | undefined;
  if (plan.partitions !== undefined) {
    partitions = distinct(plan.partitions.map((p) => bindValue(p, params)));
    if (partitions.length > MAX_PARTITION_VALUES) {
      throw validationError(`The IN operator supports at most ${MAX_PARTITION_VALUES} partition key values`);
    }
    let keyCondition = `${writer.name(keys.hashKey)} = ${PARTITION_VALUE}`;
    if (plan.sortCondition !== undefined) keyCondition += ` AND ${writer.condition(plan.sortCondition)}`;
    request.KeyConditionExpression = keyCondition;
    applyOrderBy(statement, keys, request, partitions);
  } else if (statement.orderBy.length > 0) {
    throw validationError(
      statement.where === undefined
        ? 'Must have WHERE clause in the statement when using ORDER BY clause.'
        : 'ORDER BY requires an equality or IN condition on the partition key in the WHERE clause.',
    );
  }
  if (plan.filter !== undefined) request.FilterExpression = writer.condition(plan.filter);
  if (statement.projection !== undefined) request.ProjectionExpression = statement.projection.map((p) => writer.path(p)).join(', ');
  Object.assign(request, writer.placeholders());
  return { kind: 'select', table, partitions, request };
}

/** ORDER BY the partition key orders the partitions; by the sort key, each Query. */
function applyOrderBy(statement: SelectStatement, keys: KeyNames, request: Request, partitions: AttributeValue[]): void {
  for (const { path, descending } of statement.orderBy) {
    const name = path.steps.length === 1 ? path.steps[0] : undefined;
    if (name === keys.hashKey) {
      partitions.sort(compareKeyValues);
      if (descending) partitions.reverse();
    } else if (name !== undefined && name === keys.rangeKey) {
      request.ScanIndexForward = !descending;
    } else {
      throw validationError('ORDER BY is only supported on the key attributes of the table or index being read.');
    }
  }
}

/** Key values of one type, in key order (scalars of one type always compare). */
function compareKeyValues(a: AttributeValue, b: AttributeValue): number {
  return compareScalars(a, b) ?? 0;
}

function distinct(values: AttributeValue[]): AttributeValue[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const id = JSON.stringify(v);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** A SELECT of one item by its full primary key (batches and transactions): GetItem's input. */
export function compileGet(statement: Statement, params: Parameters, schemas: KeySchemas): Request {
  if (statement.kind !== 'select') throw unsupported('Only SELECT statements can be read');
  if (statement.from.index !== undefined) throw validationError('Reads in batches and transactions can not use an index');
  const lookup = planKeyLookup(statement.where, schemas(statement.from.table));
  if (lookup === undefined || lookup.rest !== undefined) throw validationError(KEY_EQUALITY_REQUIRED);
  const writer = new ExpressionWriter(params);
  const request: Request = { TableName: statement.from.table, Key: bindKey(lookup.key, params) };
  if (statement.projection !== undefined) request.ProjectionExpression = statement.projection.map((p) => writer.path(p)).join(', ');
  return Object.assign(request, writer.placeholders());
}

function bindKey(key: [string, Expr][], params: Parameters): Record<string, AttributeValue> {
  return Object.fromEntries(key.map(([name, value]) => [name, bindValue(value, params)]));
}

function compileInsert(statement: InsertStatement, params: Parameters, schemas: KeySchemas): CompiledWrite {
  const keys = schemas(statement.table);
  if (!isValue(statement.value)) throw unsupported('INSERT takes a single item: a map of attribute values');
  const item = bindValue(statement.value, params);
  if (!('M' in item)) throw validationError('Unsupported operation: The VALUE of an INSERT statement must be a map of attribute names to values');
  const writer = new ExpressionWriter(params);
  const request: Request = { TableName: statement.table, Item: item.M, ConditionExpression: `attribute_not_exists(${writer.name(keys.hashKey)})` };
  Object.assign(request, writer.placeholders());
  return { kind: 'write', table: statement.table, operation: 'PutItem', request, insert: true };
}

function keyedWrite(statement: UpdateStatement | DeleteStatement, params: Parameters, schemas: KeySchemas) {
  const keys = schemas(statement.table);
  const lookup = planKeyLookup(statement.where, keys);
  if (lookup === undefined) throw validationError(KEY_EQUALITY_REQUIRED);
  return { keys, key: bindKey(lookup.key, params), rest: lookup.rest, writer: new ExpressionWriter(params) };
}

function compileUpdate(statement: UpdateStatement, params: Parameters, schemas: KeySchemas): CompiledWrite {
  const { keys, key, rest, writer } = keyedWrite(statement, params, schemas);
  const sections: Record<'SET' | 'REMOVE' | 'ADD' | 'DELETE', string[]> = { SET: [], REMOVE: [], ADD: [], DELETE: [] };
  for (const clause of statement.clauses) {
    const target = writer.path(clause.path);
    if (clause.kind === 'remove') {
      sections.REMOVE.push(target);
      continue;
    }
    const value = clause.value;
    if (value.kind === 'call' && (value.name === 'set_add' || value.name === 'set_delete')) {
      const [set, members] = value.args;
      if (value.args.length !== 2 || set === undefined || members === undefined || set.kind !== 'path' || writer.path(set) !== target) {
        throw unsupported(`${value.name} must take the attribute being set as its first argument`);
      }
      if (!isValue(members)) throw unsupported(`The second argument of ${value.name} must be a set value`);
      sections[value.name === 'set_add' ? 'ADD' : 'DELETE'].push(`${target} ${writer.value(bindValue(members, params))}`);
      continue;
    }
    sections.SET.push(`${target} = ${writer.setValue(value)}`);
  }
  const update = (Object.keys(sections) as (keyof typeof sections)[])
    .filter((k) => sections[k].length > 0)
    .map((k) => `${k} ${sections[k].join(', ')}`)
    .join(' ');
  // An UPDATE changes an existing item; it never creates one.
  let condition = `attribute_exists(${writer.name(keys.hashKey)})`;
  if (rest !== undefined) condition += ` AND (${writer.condition(rest)})`;
  const request: Request = { TableName: statement.table, Key: key, UpdateExpression: update, ConditionExpression: condition };
  if (statement.returning !== undefined) request.ReturnValues = statement.returning;
  Object.assign(request, writer.placeholders());
  return { kind: 'write', table: statement.table, operation: 'UpdateItem', request, insert: false };
}

function compileDelete(statement: DeleteStatement, params: Parameters, schemas: KeySchemas): CompiledWrite {
  const { keys, key, rest, writer } = keyedWrite(statement, params, schemas);
  const request: Request = { TableName: statement.table, Key: key };
  // Deleting a missing item succeeds; the WHERE conditions apply to an item that exists.
  if (rest !== undefined) request.ConditionExpression = `attribute_not_exists(${writer.name(keys.hashKey)}) OR (${writer.condition(rest)})`;
  if (statement.returning !== undefined) {
    if (statement.returning !== 'ALL_OLD') throw validationError('Unsupported operation: DELETE only supports RETURNING ALL OLD *');
    request.ReturnValues = 'ALL_OLD';
  }
  Object.assign(request, writer.placeholders());
  return { kind: 'write', table: statement.table, operation: 'DeleteItem', request, insert: false };
}

function compileExists(select: SelectStatement, params: Parameters, schemas: KeySchemas): CompiledWrite {
  if (select.from.index !== undefined) throw validationError('EXISTS can not read an index');
  const keys = schemas(select.from.table);
  const lookup = planKeyLookup(select.where, keys);
  if (lookup === undefined) throw validationError(KEY_EQUALITY_REQUIRED);
  const writer = new ExpressionWriter(params);
  let condition = `attribute_exists(${writer.name(keys.hashKey)})`;
  if (lookup.rest !== undefined) condition += ` AND (${writer.condition(lookup.rest)})`;
  const request: Request = { TableName: select.from.table, Key: bindKey(lookup.key, params), ConditionExpression: condition };
  Object.assign(request, writer.placeholders());
  return { kind: 'write', table: select.from.table, operation: 'ConditionCheck', request, insert: false };
}

/**
 * compileRequest: parses and checks every expression and legacy parameter of one request
 * together, so that placeholder use is checked across all of them, and returns the
 * compiled pieces the engine evaluates.
 */
import { DynamoError, validationError } from '../errors.js';
import type { KeySchemaInfo } from '../values/keys.js';
import type { AttributeValue } from '../values/types.js';
import { MAX_ATTRIBUTE_NAME_BYTES, NAME_TOO_LARGE, validateAttributeValue } from '../values/validate.js';
import type { ConditionNode, UpdateAction } from './ast.js';
import { Bindings, bindCondition, bindUpdate } from './bind.js';
import { compileCondition, type ItemTest } from './conditionEval.js';
import { clashMessage, findPathClash } from './documentPath.js';
import { expressionError, type ExpressionKind } from './errors.js';
import { keyConditionFromLegacy, keyConditionFromNode, type KeyCondition } from './keyCondition.js';
import {
  translateAttributesToGet, translateAttributeUpdates, translateExpected, translateFilter,
} from './legacy.js';
import { cachedCondition, cachedProjection, cachedUpdate } from './parseCache.js';
import { buildProjection, type Projection } from './projection.js';
import { checkKeyNotUpdated } from './updateApply.js';

export type Operation =
  | 'GetItem' | 'PutItem' | 'DeleteItem' | 'UpdateItem' | 'Query' | 'Scan' | 'BatchGetItem' | 'TransactGetItems'
  | 'TransactWriteItems';

export interface Condition {
  readonly node: ConditionNode;
  readonly test: ItemTest;
}

export interface Update {
  readonly actions: readonly UpdateAction[];
  /** The paths the update touches: what UPDATED_OLD / UPDATED_NEW return. */
  readonly touched: Projection;
}

export interface CompiledRequest {
  condition?: Condition;
  update?: Update;
  projection?: Projection;
  filter?: Condition;
  keyCondition?: KeyCondition;
}

/** Parameters each operation reads: expression ones, and the legacy ones they replace. */
const PARAMETERS: Record<Operation, { expression: ExpressionKind[]; legacy: string[] }> = {
  GetItem: { expression: ['ProjectionExpression'], legacy: ['AttributesToGet'] },
  BatchGetItem: { expression: ['ProjectionExpression'], legacy: ['AttributesToGet'] },
  TransactGetItems: { expression: ['ProjectionExpression'], legacy: [] },
  PutItem: { expression: ['ConditionExpression'], legacy: ['Expected', 'ConditionalOperator'] },
  DeleteItem: { expression: ['ConditionExpression'], legacy: ['Expected', 'ConditionalOperator'] },
  UpdateItem: {
    expression: ['UpdateExpression', 'ConditionExpression'],
    legacy: ['AttributeUpdates', 'Expected', 'ConditionalOperator'],
  },
  TransactWriteItems: { expression: ['UpdateExpression', 'ConditionExpression'], legacy: [] },
  Query: {
    expression: ['KeyConditionExpression', 'FilterExpression', 'ProjectionExpression'],
    legacy: ['AttributesToGet', 'KeyConditions', 'QueryFilter', 'ConditionalOperator'],
  },
  Scan: {
    expression: ['FilterExpression', 'ProjectionExpression'],
    legacy: ['AttributesToGet', 'ScanFilter', 'ConditionalOperator'],
  },
};

/** DynamoDB's limit on the length of one expression, in UTF-8 bytes. */
export const MAX_EXPRESSION_BYTES = 4096;

const NAME_KEY = /^#[A-Za-z0-9_]+$/;
const VALUE_KEY = /^:[A-Za-z0-9_]+$/;

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

export function compileRequest(
  op: Operation,
  request: Record<string, any>,
  keySchema?: KeySchemaInfo,
): CompiledRequest {
  const { expression, legacy } = PARAMETERS[op];
  const expressions = expression.filter((p) => present(request[p]));
  // KeyConditions is the one legacy parameter DynamoDB lets expressions accompany
  // (a FilterExpression or ProjectionExpression), except its own KeyConditionExpression.
  const legacies = legacy.filter(
    (p) => present(request[p]) && (p !== 'KeyConditions' || present(request.KeyConditionExpression)),
  );
  if (expressions.length > 0 && legacies.length > 0) {
    throw validationError(
      `Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {${legacies.join(', ')}} Expression parameters: {${expressions.join(', ')}}`,
    );
  }
  const bindings = checkPlaceholderMaps(request, expressions.length > 0);
  const compiled: CompiledRequest = {};

  if (op === 'Query') {
    if (!present(request.KeyConditionExpression) && !present(request.KeyConditions)) {
      throw validationError('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
    }
    if (keySchema === undefined) throw new Error('compileRequest: Query needs the key schema');
    compiled.keyCondition = present(request.KeyConditionExpression)
      ? keyConditionFromNode(bindConditionText('KeyConditionExpression', request.KeyConditionExpression, bindings), keySchema)
      : keyConditionFromLegacy(request.KeyConditions, keySchema);
  }

  if (expression.includes('UpdateExpression')) {
    let actions: UpdateAction[] | undefined;
    if (present(request.UpdateExpression)) {
      const text = checkText('UpdateExpression', request.UpdateExpression);
      actions = bindUpdate(cachedUpdate(text), bindings);
      const clash = findPathClash(actions.map((a) => a.path));
      if (clash) throw expressionError('UpdateExpression', clashMessage(clash));
    } else if (present(request.AttributeUpdates)) {
      actions = translateAttributeUpdates(request.AttributeUpdates);
    }
    if (actions !== undefined) {
      if (keySchema !== undefined) checkKeyNotUpdated(actions, keySchema);
      compiled.update = { actions, touched: buildProjection(actions.map((a) => a.path)) };
    }
  }

  if (present(request.ConditionExpression) && expression.includes('ConditionExpression')) {
    compiled.condition = makeCondition(bindConditionText('ConditionExpression', request.ConditionExpression, bindings));
  } else if (present(request.Expected) && legacy.includes('Expected')) {
    const node = translateExpected(request.Expected, request.ConditionalOperator);
    if (node !== undefined) compiled.condition = makeCondition(node);
  }

  if (present(request.FilterExpression) && expression.includes('FilterExpression')) {
    compiled.filter = makeCondition(bindConditionText('FilterExpression', request.FilterExpression, bindings));
  } else {
    const filterParam = op === 'Query' ? 'QueryFilter' : op === 'Scan' ? 'ScanFilter' : undefined;
    if (filterParam !== undefined && present(request[filterParam])) {
      const node = translateFilter(request[filterParam], request.ConditionalOperator);
      if (node !== undefined) compiled.filter = makeCondition(node);
    }
  }

  if (present(request.ProjectionExpression)) {
    const text = checkText('ProjectionExpression', request.ProjectionExpression);
    const paths = cachedProjection(text).map((raw) => bindings.path('ProjectionExpression', raw));
    const clash = findPathClash(paths);
    if (clash) throw expressionError('ProjectionExpression', clashMessage(clash));
    compiled.projection = buildProjection(paths);
  } else if (present(request.AttributesToGet) && legacy.includes('AttributesToGet')) {
    compiled.projection = buildProjection(translateAttributesToGet(request.AttributesToGet));
  }

  checkAllUsed(bindings);
  return compiled;
}

export function makeCondition(node: ConditionNode): Condition {
  return { node, test: compileCondition(node) };
}

function checkText(kind: ExpressionKind, text: unknown): string {
  const s = String(text);
  // A UTF-16 code unit is at most 3 UTF-8 bytes: only long strings need measuring.
  if (s.length * 3 > MAX_EXPRESSION_BYTES) {
    const bytes = Buffer.byteLength(s, 'utf8');
    if (bytes > MAX_EXPRESSION_BYTES) {
      throw expressionError(kind, `Expression size has exceeded the maximum allowed size; expression size: ${bytes}`);
    }
  }
  if (s.trim() === '') throw expressionError(kind, 'The expression can not be empty;');
  return s;
}

function bindConditionText(kind: ExpressionKind, text: unknown, bindings: Bindings): ConditionNode {
  return bindCondition(kind, cachedCondition(kind, checkText(kind, text)), bindings);
}

/** Validates ExpressionAttributeNames / ExpressionAttributeValues before any expression is read. */
function checkPlaceholderMaps(request: Record<string, any>, usesExpressions: boolean): Bindings {
  const names = request.ExpressionAttributeNames as Record<string, string> | undefined | null;
  const rawValues = request.ExpressionAttributeValues as Record<string, unknown> | undefined | null;
  if (present(names) && !usesExpressions) {
    throw validationError('ExpressionAttributeNames can only be specified when using expressions');
  }
  if (present(rawValues) && !usesExpressions) {
    throw validationError('ExpressionAttributeValues can only be specified when using expressions');
  }
  if (present(names)) {
    const keys = Object.keys(names!);
    if (keys.length === 0) throw validationError('ExpressionAttributeNames must not be empty');
    for (const key of keys) {
      if (!NAME_KEY.test(key)) throw validationError(`ExpressionAttributeNames contains invalid key: Syntax error; key: "${key}"`);
      const name = names![key]!;
      if (name.length === 0) throw validationError(`ExpressionAttributeNames contains invalid value: Empty attribute name for key ${key}`);
      if (name.length * 3 > MAX_ATTRIBUTE_NAME_BYTES && Buffer.byteLength(name, 'utf8') > MAX_ATTRIBUTE_NAME_BYTES) {
        throw validationError(NAME_TOO_LARGE);
      }
    }
  }
  let values: Record<string, AttributeValue> | undefined;
  if (present(rawValues)) {
    const keys = Object.keys(rawValues!);
    if (keys.length === 0) throw validationError('ExpressionAttributeValues must not be empty');
    values = Object.create(null) as Record<string, AttributeValue>;
    for (const key of keys) {
      if (!VALUE_KEY.test(key)) throw validationError(`ExpressionAttributeValues contains invalid key: Syntax error; key: "${key}"`);
      try {
        values[key] = validateAttributeValue(rawValues![key]);
      } catch (error) {
        if (error instanceof DynamoError && error.code === 'ValidationException') {
          throw validationError(`ExpressionAttributeValues contains invalid value: ${error.message} for key ${key}`);
        }
        throw error;
      }
    }
  }
  return new Bindings(present(names) ? names! : undefined, values);
}

function checkAllUsed(bindings: Bindings): void {
  if (bindings.names !== undefined) {
    const unused = Object.keys(bindings.names).filter((k) => !bindings.usedNames.has(k));
    if (unused.length > 0) {
      throw validationError(`Value provided in ExpressionAttributeNames unused in expressions: keys: {${unused.join(', ')}}`);
    }
  }
  if (bindings.values !== undefined) {
    const unused = Object.keys(bindings.values).filter((k) => !bindings.usedValues.has(k));
    if (unused.length > 0) {
      throw validationError(`Value provided in ExpressionAttributeValues unused in expressions: keys: {${unused.join(', ')}}`);
    }
  }
}


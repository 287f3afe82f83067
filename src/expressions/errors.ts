/** Error constructors for expression validation, worded as DynamoDB words them. */
import { validationError, type DynamoError } from '../errors.js';

/** Which request parameter an expression came from; it prefixes every message about it. */
export type ExpressionKind =
  | 'ConditionExpression'
  | 'UpdateExpression'
  | 'ProjectionExpression'
  | 'FilterExpression'
  | 'KeyConditionExpression';

export function expressionError(kind: ExpressionKind, detail: string): DynamoError {
  return validationError(`Invalid ${kind}: ${detail}`);
}

export function functionMisuse(kind: ExpressionKind, fn: string): DynamoError {
  return expressionError(kind, `The function is not allowed to be used this way in an expression; function: ${fn}`);
}

export function operandCount(kind: ExpressionKind, fn: string, count: number): DynamoError {
  return expressionError(
    kind,
    `Incorrect number of operands for operator or function; operator or function: ${fn}, number of operands: ${count}`,
  );
}

export function operandType(kind: ExpressionKind, fn: string, type: string): DynamoError {
  return expressionError(
    kind,
    `Incorrect operand type for operator or function; operator or function: ${fn}, operand type: ${type}`,
  );
}

export function requiresPath(kind: ExpressionKind, fn: string): DynamoError {
  return expressionError(kind, `Operator or function requires a document path; operator or function: ${fn}`);
}

/** The failure of an update at apply time (the item's data, not the expression, is at fault). */
export function incorrectOperandType(): DynamoError {
  return validationError('An operand in the update expression has an incorrect data type');
}

export function invalidUpdatePath(): DynamoError {
  return validationError('The document path provided in the update expression is invalid for update');
}

export function missingOperandAttribute(): DynamoError {
  return validationError('The provided expression refers to an attribute that does not exist in the item');
}

/**
 * DynamoDB-style errors. Every layer throws these; the server turns them into the
 * JSON error envelope (`__type` + `message`) with the right HTTP status.
 */

const DYNAMO = 'com.amazonaws.dynamodb.v20120810#';
const CORAL_VALIDATE = 'com.amazon.coral.validate#';
const CORAL_SERVICE = 'com.amazon.coral.service#';

export class DynamoError extends Error {
  /** Fully qualified `__type`, e.g. `com.amazon.coral.validate#ValidationException`. */
  readonly type: string;
  readonly status: number;
  /** Extra members for the error body (e.g. CancellationReasons, Item). */
  readonly extra?: Record<string, unknown>;

  constructor(type: string, message: string, status = 400, extra?: Record<string, unknown>) {
    super(message);
    this.type = type;
    this.status = status;
    this.extra = extra;
  }

  /** The short name, e.g. `ValidationException`. */
  get code(): string {
    return this.type.slice(this.type.indexOf('#') + 1);
  }
}

export function validationError(message: string): DynamoError {
  return new DynamoError(CORAL_VALIDATE + 'ValidationException', message);
}

/** "One or more parameter values were invalid: ..." — DynamoDB's most common prefix. */
export function invalidParameter(detail: string): DynamoError {
  return validationError('One or more parameter values were invalid: ' + detail);
}

export function serializationError(message: string): DynamoError {
  return new DynamoError(CORAL_SERVICE + 'SerializationException', message);
}

export function serviceError(name: string, message: string, status = 400): DynamoError {
  return new DynamoError(CORAL_SERVICE + name, message, status);
}

export function dynamoError(name: string, message: string, extra?: Record<string, unknown>): DynamoError {
  return new DynamoError(DYNAMO + name, message, 400, extra);
}

export function resourceNotFound(message = 'Requested resource not found'): DynamoError {
  return dynamoError('ResourceNotFoundException', message);
}

export function resourceInUse(message: string): DynamoError {
  return dynamoError('ResourceInUseException', message);
}

export function conditionalCheckFailed(item?: Record<string, unknown>): DynamoError {
  return dynamoError('ConditionalCheckFailedException', 'The conditional request failed', item ? { Item: item } : undefined);
}

export function internalError(): DynamoError {
  return new DynamoError(DYNAMO + 'InternalServerError', 'Internal server error', 500);
}

/** The ValidationException messages PartiQL statements are refused with. */
import { dynamoError, validationError, type DynamoError } from '../errors.js';

/** A statement that does not parse. */
export function notWellFormed(detail: string): DynamoError {
  return validationError(`Statement wasn't well formed, can't be processed: ${detail}`);
}

/** A statement that parses but uses a feature DynamoDB's dialect does not offer. */
export function unsupported(detail: string): DynamoError {
  return validationError(`Unsupported operation: ${detail}`);
}

export const KEY_EQUALITY_REQUIRED = 'Where clause does not contain a mandatory equality on all key attributes';

/** An INSERT whose primary key is taken. */
export function duplicateItem(): DynamoError {
  return dynamoError('DuplicateItemException', 'Duplicate primary key exists in table');
}

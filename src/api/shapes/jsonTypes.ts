/**
 * JSON-type mismatches. DynamoDB's deserializer rejects them before any constraint is
 * checked, with a SerializationException naming the JSON token it found.
 */
import { DynamoError, serializationError } from '../../errors.js';

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The deserializer's name for a scalar JSON token. */
function scalarToken(value: unknown): string {
  switch (typeof value) {
    case 'string': return 'STRING_VALUE';
    case 'number': return 'NUMBER_VALUE';
    case 'boolean': return value ? 'TRUE_VALUE' : 'FALSE_VALUE';
    default: return 'NULL_VALUE';
  }
}

/** A scalar shape (String, Integer, Boolean, ...) received something else. */
export function notConvertible(value: unknown, javaType: string): DynamoError {
  if (Array.isArray(value)) return serializationError('Start of list found where not expected');
  if (isObject(value)) return serializationError('Start of structure or map found where not expected');
  return serializationError(`${scalarToken(value)} cannot be converted to ${javaType}`);
}

/** A structure or map shape received a list or a scalar. */
export function notAnObject(value: unknown): DynamoError {
  if (Array.isArray(value)) return serializationError('Start of list found where not expected');
  return serializationError('Unexpected field type');
}

/** A list shape received an object or a scalar. */
export function notAList(value: unknown): DynamoError {
  if (isObject(value)) return serializationError('Start of structure or map found where not expected');
  return serializationError('Unexpected field type');
}

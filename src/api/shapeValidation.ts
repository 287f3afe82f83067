/**
 * Request shape validation from DynamoDB's service model, run on every request before
 * any operation logic:
 * - a JSON-type mismatch anywhere -> SerializationException (e.g. "NUMBER_VALUE cannot
 *   be converted to String"), as DynamoDB's deserializer rejects it first;
 * - otherwise constraint violations (required, length, range, enum, pattern) ->
 *   ValidationException "N validation error(s) detected: Value ... at 'path' failed to
 *   satisfy constraint: ...", in the order of the shape's members.
 * A missing resource member (TableName, ...) or empty batch is refused first, in
 * DynamoDB's own words (shapes/presence.ts). Unknown members are ignored. A JSON null member is treated as absent and removed
 * from the body, so later layers never see it. AttributeValues are only type-checked
 * here; their semantic checks live in the values layer.
 */
import { serviceError, validationError } from '../errors.js';
import { checkerFor, type Checker } from './shapes/compile.js';
import { operationInputs } from './shapes/model.js';
import { Violations } from './shapes/violations.js';
import { checkPresence } from './shapes/presence.js';
import { isObject } from './shapes/jsonTypes.js';

/** Every operation the service model defines (for request routing). */
export const knownOperations: ReadonlySet<string> = new Set(operationInputs.keys());

const compiled = new Map<string, Checker>();

function inputChecker(operation: string): Checker {
  let check = compiled.get(operation);
  if (check === undefined) {
    const input = operationInputs.get(operation);
    if (input === undefined) throw serviceError('UnknownOperationException', '');
    check = checkerFor(input);
    compiled.set(operation, check);
  }
  return check;
}

/** Throws DynamoDB's SerializationException or ValidationException for a malformed request body. */
export function validateInput(operation: string, body: unknown): void {
  const check = inputChecker(operation);
  const request = body ?? {};
  const violations = new Violations();
  check(request, '', violations, 0);
  // After the walk: a JSON-type mismatch (SerializationException) is found first.
  if (isObject(request)) checkPresence(operation, request);
  if (violations.count > 0) throw validationError(violations.message());
}

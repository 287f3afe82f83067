/**
 * Request shape validation from DynamoDB's service model, run on every request before
 * any operation logic:
 * - a JSON-type mismatch anywhere -> SerializationException (e.g. "NUMBER_VALUE cannot
 *   be converted to String"), as DynamoDB's deserializer rejects it first;
 * - otherwise constraint violations (required, length, range, enum, pattern) ->
 *   ValidationException "N validation error(s) detected: Value ... at 'path' failed to
 *   satisfy constraint: ...", in the order of the shape's members.
 * Unknown members are ignored. A JSON null member is treated as absent and removed
 * from the body, so later layers never see it. AttributeValues are only type-checked
 * here; their semantic checks live in the values layer.
 */
import { serviceError, validationError } from '../errors.js';
import { checkerFor, type Checker } from './shapes/compile.js';
import { operationInputs } from './shapes/model.js';
import { Violations } from './shapes/violations.js';

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
  const violations = new Violations();
  check(body ?? {}, '', violations, 0);
  if (violations.count > 0) throw validationError(violations.message());
}

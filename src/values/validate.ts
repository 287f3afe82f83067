/**
 * Validation of client-supplied AttributeValues (wire form, after JSON.parse).
 *
 * DynamoDB reports problems in two layers, and so do we:
 * - SerializationException: the JSON does not fit the service model — a member of
 *   the wrong JSON type ({"S": 5}, {"L": {}}, {"BOOL": "yes"}), a set element that is
 *   not a string, binary that is not base64. The whole document is deserialised
 *   before anything is validated, so such an error wins over any validation error,
 *   wherever it sits.
 * - ValidationException: the document is well-typed but breaks a rule — not exactly
 *   one datatype, a bad number, an empty or duplicated set, NULL other than true,
 *   nesting deeper than 32 levels.
 *
 * Unknown members and null members count as absent, as in the service model.
 *
 * Values come back with numbers normalised and binary canonicalised; an input that
 * is already canonical is returned as the same object (no copy on the hot path).
 */

import { DynamoError, invalidParameter, serializationError, validationError } from '../errors.js';
import { base64Problem, canonicalBase64 } from './base64.js';
import { normalizeNumber } from './numbers.js';
import { setAttribute, type AttributeMap, type AttributeValue, type Item } from './types.js';

/** A top-level attribute value is level 1; each enclosing L or M adds one. */
const MAX_NESTING_LEVEL = 32;

const EMPTY = 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes';
const SEVERAL = 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes';
const TOO_DEEP = 'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit';
const NULL_NOT_TRUE = 'Null attribute value types must have the value of true';
/** Attribute names are 1 to 65535 UTF-8 bytes, at any depth. */
export const MAX_ATTRIBUTE_NAME_BYTES = 65535;
export const NAME_TOO_LARGE = '1 validation error detected: Attribute name is too large, must be less than 65536 bytes';
const NAME_EMPTY = 'An attribute name may not be empty';

/** Throws DynamoDB's error for an empty or over-long attribute name (item or document map key). */
export function checkAttributeName(name: string): void {
  if (name.length === 0) throw invalidParameter(NAME_EMPTY);
  // A UTF-16 code unit is at most 3 UTF-8 bytes: only long names need measuring.
  if (name.length * 3 > MAX_ATTRIBUTE_NAME_BYTES && Buffer.byteLength(name, 'utf8') > MAX_ATTRIBUTE_NAME_BYTES) {
    throw validationError(NAME_TOO_LARGE);
  }
}

type Bag = Record<string, unknown>;

/** Validates one AttributeValue (an item attribute, a key element, an expression value). */
export function validateAttributeValue(value: unknown): AttributeValue {
  try {
    return checkValue(value, 1);
  } catch (error) {
    throw preferSerializationError(error, () => wireTypeError(value, 1));
  }
}

/** Validates an item: attribute name -> AttributeValue. */
export function validateItem(item: unknown): Item {
  try {
    return checkMap(item, 1) as Item;
  } catch (error) {
    throw preferSerializationError(error, () => mapWireTypeError(item, 1));
  }
}

/** A validation failure may hide a serialization failure elsewhere in the document. */
function preferSerializationError(error: unknown, findWireError: () => DynamoError | undefined): unknown {
  if (error instanceof DynamoError && error.code === 'ValidationException') return findWireError() ?? error;
  return error;
}

// ---- JSON token names, as the service's deserializer words its complaints ----

function tokenError(value: unknown, target: string): DynamoError {
  if (value === null || value === undefined) return serializationError(`Null value cannot be converted to ${target}`);
  if (Array.isArray(value)) return serializationError('Start of list found where not expected');
  if (typeof value === 'object' && value !== null) return serializationError('Start of structure or map found where not expected.');
  const token =
    typeof value === 'string' ? 'STRING_VALUE' : typeof value === 'number' ? 'NUMBER_VALUE' : value === true ? 'TRUE_VALUE' : 'FALSE_VALUE';
  return serializationError(`${token} cannot be converted to ${target}`);
}

function isStructure(value: unknown): value is Bag {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The wire-level error of one datatype member, or undefined when its JSON type fits. */
function memberTypeError(type: string, member: unknown): DynamoError | undefined {
  switch (type) {
    case 'S':
    case 'N':
      return typeof member === 'string' ? undefined : tokenError(member, 'String');
    case 'B':
      if (typeof member !== 'string') return tokenError(member, 'Blob');
      return wireBase64Error(member);
    case 'BOOL':
    case 'NULL':
      return typeof member === 'boolean' ? undefined : tokenError(member, 'Boolean');
    case 'SS':
    case 'NS':
    case 'BS': {
      if (!Array.isArray(member)) return tokenError(member, 'List');
      for (let i = 0; i < member.length; i++) {
        const element: unknown = member[i];
        if (element === null || element === undefined) return serializationError('Null value found in set');
        if (typeof element !== 'string') return tokenError(element, type === 'BS' ? 'Blob' : 'String');
        if (type === 'BS') {
          const error = wireBase64Error(element);
          if (error) return error;
        }
      }
      return undefined;
    }
    case 'L':
      return Array.isArray(member) ? undefined : tokenError(member, 'List');
    case 'M':
      return isStructure(member) ? undefined : tokenError(member, 'Map');
    default:
      return undefined;
  }
}

function wireBase64Error(s: string): DynamoError | undefined {
  const problem = base64Problem(s);
  return problem === undefined ? undefined : serializationError(problem);
}

function isDatatype(key: string): boolean {
  switch (key) {
    case 'S':
    case 'N':
    case 'B':
    case 'BOOL':
    case 'NULL':
    case 'SS':
    case 'NS':
    case 'BS':
    case 'L':
    case 'M':
      return true;
    default:
      return false;
  }
}

// ---- the validating pass ----

function checkValue(value: unknown, level: number): AttributeValue {
  if (value === null || value === undefined) throw validationError(EMPTY);
  if (!isStructure(value)) throw tokenError(value, 'AttributeValue');
  if (level > MAX_NESTING_LEVEL) throw validationError(TOO_DEEP);

  let type = '';
  let member: unknown;
  let datatypes = 0;
  let members = 0;
  for (const key in value) {
    members++;
    const candidate = value[key];
    if (candidate === null || candidate === undefined || !isDatatype(key)) continue;
    const error = memberTypeError(key, candidate);
    if (error) throw error;
    datatypes++;
    type = key;
    member = candidate;
  }
  if (datatypes === 0) throw validationError(EMPTY);
  if (datatypes > 1) throw validationError(SEVERAL);
  // Anything beyond the one datatype member (nulls, unknown names) is dropped.
  const clean = members === 1;

  switch (type) {
    case 'S':
      return clean ? (value as AttributeValue) : { S: member as string };
    case 'N': {
      const canonical = normalizeNumber(member as string);
      return clean && canonical === member ? (value as AttributeValue) : { N: canonical };
    }
    case 'B': {
      const canonical = canonicalBase64(member as string);
      return clean && canonical === member ? (value as AttributeValue) : { B: canonical };
    }
    case 'BOOL':
      return clean ? (value as AttributeValue) : { BOOL: member as boolean };
    case 'NULL':
      if (member !== true) throw invalidParameter(NULL_NOT_TRUE);
      return clean ? (value as AttributeValue) : { NULL: true };
    case 'SS': {
      const set = member as string[];
      checkSet(set, set, 'string');
      return clean ? (value as AttributeValue) : { SS: set };
    }
    case 'NS': {
      const input = member as string[];
      const set = mapStrings(input, normalizeNumber);
      checkSet(set, input, 'number');
      return clean && set === input ? (value as AttributeValue) : { NS: set };
    }
    case 'BS': {
      const input = member as string[];
      const set = mapStrings(input, canonicalBase64);
      checkSet(set, input, 'binary');
      return clean && set === input ? (value as AttributeValue) : { BS: set };
    }
    case 'L': {
      const list = checkList(member as unknown[], level + 1);
      return clean && list === member ? (value as AttributeValue) : { L: list };
    }
    default: {
      const map = checkMap(member, level + 1);
      return clean && map === member ? (value as AttributeValue) : { M: map };
    }
  }
}

/** Applies `convert` to each element; the same array back when nothing changed. */
function mapStrings(input: string[], convert: (s: string) => string): string[] {
  let output = input;
  for (let i = 0; i < input.length; i++) {
    const converted = convert(input[i]);
    if (converted !== input[i]) {
      if (output === input) output = input.slice();
      output[i] = converted;
    }
  }
  return output;
}

/** Sets must be non-empty and free of duplicates (compared in canonical form). */
function checkSet(set: string[], input: string[], kind: string): void {
  const n = set.length;
  // DynamoDB words an empty binary set differently from the other two (double space included).
  if (n === 0) throw invalidParameter(kind === 'binary' ? 'Binary sets should not be empty' : `An ${kind} set  may not be empty`);
  let duplicate = false;
  if (n <= 16) {
    outer: for (let i = 1; i < n; i++) {
      for (let j = 0; j < i; j++) {
        if (set[i] === set[j]) {
          duplicate = true;
          break outer;
        }
      }
    }
  } else {
    duplicate = new Set(set).size !== n;
  }
  if (duplicate) throw invalidParameter(`Input collection [${input.join(', ')}] contains duplicates.`);
}

function checkList(input: unknown[], level: number): AttributeValue[] {
  let output = input as AttributeValue[];
  for (let i = 0; i < input.length; i++) {
    const checked = checkValue(input[i], level);
    if (checked !== input[i]) {
      if (output === input) output = input.slice() as AttributeValue[];
      output[i] = checked;
    }
  }
  return output;
}

function checkMap(input: unknown, level: number): AttributeMap {
  if (!isStructure(input)) throw tokenError(input, 'Map');
  let output = input as AttributeMap;
  for (const name in input) {
    checkAttributeName(name);
    const original = input[name];
    const checked = checkValue(original, level);
    if (checked !== original) {
      if (output === input) output = copyMap(input as AttributeMap);
      setAttribute(output, name, checked);
    }
  }
  return output;
}

function copyMap(map: AttributeMap): AttributeMap {
  const copy: AttributeMap = {};
  for (const name in map) setAttribute(copy, name, map[name]);
  return copy;
}

// ---- the wire-type-only pass, run only after a validation failure ----

function wireTypeError(value: unknown, level: number): DynamoError | undefined {
  if (value === null || value === undefined) return undefined;
  if (!isStructure(value)) return tokenError(value, 'AttributeValue');
  // Beyond the nesting limit the request fails anyway; stop descending.
  if (level > MAX_NESTING_LEVEL) return undefined;
  for (const key in value) {
    const member = value[key];
    if (member === null || member === undefined || !isDatatype(key)) continue;
    const error = memberTypeError(key, member);
    if (error) return error;
    if (key === 'L') {
      const list = member as unknown[];
      for (let i = 0; i < list.length; i++) {
        const inner = wireTypeError(list[i], level + 1);
        if (inner) return inner;
      }
    } else if (key === 'M') {
      const inner = mapWireTypeError(member, level + 1);
      if (inner) return inner;
    }
  }
  return undefined;
}

function mapWireTypeError(map: unknown, level: number): DynamoError | undefined {
  if (!isStructure(map)) return tokenError(map, 'Map');
  for (const name in map) {
    const error = wireTypeError(map[name], level);
    if (error) return error;
  }
  return undefined;
}

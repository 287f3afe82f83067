/**
 * The AttributeValue model. Values are kept in DynamoDB's wire form (binary as
 * base64 strings, numbers as canonical decimal strings) so a stored item can be
 * written back to a client without conversion.
 */

export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] }
  | { L: AttributeValue[] }
  | { M: AttributeMap };

export type AttributeMap = Record<string, AttributeValue>;

/** An item: top-level attribute name -> value. */
export type Item = AttributeMap;

export type ScalarKeyType = 'S' | 'N' | 'B';

export type AttributeType = 'S' | 'N' | 'B' | 'BOOL' | 'NULL' | 'SS' | 'NS' | 'BS' | 'L' | 'M';

/** The single type tag of a (validated) value. */
export function typeOf(value: AttributeValue): AttributeType {
  for (const k in value) return k as AttributeType;
  throw new Error('empty AttributeValue');
}

/** Sets an attribute on a map; plain assignment would treat "__proto__" as the prototype. */
export function setAttribute(map: AttributeMap, name: string, value: AttributeValue): void {
  if (name === '__proto__') Object.defineProperty(map, name, { value, enumerable: true, writable: true, configurable: true });
  else map[name] = value;
}

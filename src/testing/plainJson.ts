/**
 * Plain JSON <-> DynamoDB JSON for fixtures and exports: strings, numbers, booleans,
 * null, lists and maps. Sets and binary have no plain form; DynamoDB JSON carries them.
 */

export type AttributeValue = Record<string, unknown>;

export function toAttributeValue(value: unknown): AttributeValue {
  if (value === null) return { NULL: true };
  switch (typeof value) {
    case 'string':
      return { S: value };
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${value} is not a number DynamoDB can store`);
      return { N: String(value) };
    case 'boolean':
      return { BOOL: value };
    case 'object':
      if (Array.isArray(value)) return { L: value.map(toAttributeValue) };
      return { M: toItem(value as Record<string, unknown>) };
    default:
      throw new TypeError(`a ${typeof value} has no DynamoDB type`);
  }
}

export function toItem(plain: Record<string, unknown>): Record<string, AttributeValue> {
  const item: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(plain)) if (value !== undefined) item[name] = toAttributeValue(value);
  return item;
}

/** Numbers become JS numbers where that loses nothing, else stay strings; sets become arrays; binary stays base64. */
export function fromAttributeValue(value: AttributeValue): unknown {
  const [type, inner] = Object.entries(value)[0] ?? [];
  switch (type) {
    case 'S':
    case 'B':
      return inner;
    case 'N':
      return plainNumber(inner as string);
    case 'BOOL':
      return inner;
    case 'NULL':
      return null;
    case 'L':
      return (inner as AttributeValue[]).map(fromAttributeValue);
    case 'M':
      return fromItem(inner as Record<string, AttributeValue>);
    case 'SS':
    case 'BS':
      return inner;
    case 'NS':
      return (inner as string[]).map(plainNumber);
    default:
      throw new TypeError(`unknown attribute value ${JSON.stringify(value)}`);
  }
}

export function fromItem(item: Record<string, AttributeValue>): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(item)) plain[name] = fromAttributeValue(value);
  return plain;
}

function plainNumber(text: string): number | string {
  const n = Number(text);
  return String(n) === text || (/^-?\d+$/.test(text) && Number.isSafeInteger(n)) ? n : text;
}

/**
 * Renders a request value the way DynamoDB quotes it in validation messages: the
 * Java toString of the deserialized object (`KeySchemaElement(attributeName=pk,
 * keyType=HASH)`, `[a, b]`, `{k=v}`). Only runs when a message is built.
 */
import { shapeNamed } from './model.js';
import { lowerFirst } from './paths.js';

// DynamoDB prints AttributeValues as a class name plus an identity hash.
const ATTRIBUTE_VALUE_CLASS = 'com.amazonaws.dynamodb.v20120810.AttributeValue@';
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function javaString(shapeName: string, value: unknown): string {
  if (value === undefined || value === null) return 'null';
  const shape = shapeNamed(shapeName);
  switch (shape.type) {
    case 'structure': {
      if (shapeName === 'AttributeValue') return ATTRIBUTE_VALUE_CLASS + stableHash(JSON.stringify(value));
      const object = value as Record<string, unknown>;
      const fields = Object.entries(shape.members!).map(
        ([name, member]) => `${lowerFirst(name)}=${javaString(member, object[name])}`,
      );
      return `${shapeName}(${fields.join(', ')})`;
    }
    case 'list':
      return `[${(value as unknown[]).map((v) => javaString(shape.member!, v)).join(', ')}]`;
    case 'map':
      return `{${Object.entries(value as object).map(([k, v]) => `${k}=${javaString(shape.value!, v)}`).join(', ')}}`;
    case 'integer':
    case 'long':
      return String(Math.trunc(value as number));
    case 'double':
      return Number.isInteger(value) ? (value as number).toFixed(1) : String(value);
    case 'blob': {
      const size = Buffer.from(value as string, 'base64').length;
      return `java.nio.HeapByteBuffer[pos=0 lim=${size} cap=${size}]`;
    }
    case 'timestamp':
      return javaDate(new Date((value as number) * 1000));
    default:
      return String(value);
  }
}

/** java.util.Date#toString in UTC: "Thu Jan 01 00:00:00 UTC 1970". */
function javaDate(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
  return `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${two(date.getUTCDate())} ${time} UTC ${date.getUTCFullYear()}`;
}

/** Java's String#hashCode as unsigned hex: deterministic stand-in for an identity hash. */
function stableHash(text: string): string {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(31, hash) + text.charCodeAt(i)) | 0;
  return (hash >>> 0).toString(16);
}

/** Reads DynamoDB's Ion export lines ({Item: {...}}) back into attribute values (see ionText.ts). */
import { dom, IonTypes, loadAll } from 'ion-js';

export function parseIonItems(text: string): (Record<string, unknown> | Error)[] {
  let values: dom.Value[];
  try {
    values = loadAll(text);
  } catch (err) {
    return [err as Error];
  }
  return values.map((value) => {
    try {
      const item = value.get('Item');
      if (item === null || item.getType() !== IonTypes.STRUCT) return new Error('An Ion value without an Item struct');
      return structOf(item);
    } catch (err) {
      return err as Error;
    }
  });
}

function structOf(value: dom.Value): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, field] of value.fields()) out[name] = attributeOf(field);
  return out;
}

function attributeOf(value: dom.Value): Record<string, unknown> {
  const type = value.getType();
  const annotation = value.getAnnotations()[0];
  if (value.isNull()) return { NULL: true };
  if (annotation === '$dynamodb_SS') return { SS: value.elements().map((v) => v.stringValue()) };
  if (annotation === '$dynamodb_NS') return { NS: value.elements().map(numberText) };
  if (annotation === '$dynamodb_BS') return { BS: value.elements().map((v) => Buffer.from(v.uInt8ArrayValue()!).toString('base64')) };
  switch (type) {
    case IonTypes.STRING:
    case IonTypes.SYMBOL:
      return { S: value.stringValue() };
    case IonTypes.INT:
    case IonTypes.DECIMAL:
    case IonTypes.FLOAT:
      return { N: numberText(value) };
    case IonTypes.BLOB:
    case IonTypes.CLOB:
      return { B: Buffer.from(value.uInt8ArrayValue()!).toString('base64') };
    case IonTypes.BOOL:
      return { BOOL: value.booleanValue() };
    case IonTypes.STRUCT:
      return { M: structOf(value) };
    case IonTypes.LIST:
    case IonTypes.SEXP:
      return { L: value.elements().map(attributeOf) };
    default:
      throw new Error(`Ion type ${type.name} has no DynamoDB equivalent`);
  }
}

function numberText(value: dom.Value): string {
  const type = value.getType();
  if (type === IonTypes.INT) return String(value.bigIntValue());
  if (type === IonTypes.DECIMAL) return value.decimalValue()!.toString().replace(/d/i, 'e');
  return String(value.numberValue());
}

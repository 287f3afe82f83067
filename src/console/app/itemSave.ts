/**
 * How the item editor saves without losing anyone else's change. An edited item
 * becomes an UpdateItem of just what changed (SET / REMOVE), on the condition that
 * every attribute as loaded still has its loaded value and every added attribute is
 * still absent: a concurrent change to anything the editor showed fails the save, and
 * an attribute someone else added meanwhile is kept. A new item (or a changed key) is
 * a PutItem on the condition that no item has that key yet.
 */
import { keyOf, type Item } from './attr.js';
import { Placeholders } from './readRequest.js';

/** DynamoDB caps each expression at 4 KB; a very wide item is guarded on as many attributes as fit. */
const MAX_EXPRESSION = 4000;

export interface SaveRequest {
  operation: 'PutItem' | 'UpdateItem';
  params: Record<string, unknown>;
}

export function saveRequest(table: string, keyNames: string[], original: Item | undefined, edited: Item): SaveRequest | undefined {
  const p = new Placeholders();
  const sameKey = original !== undefined && JSON.stringify(keyOf(edited, keyNames)) === JSON.stringify(keyOf(original, keyNames));
  if (!sameKey) {
    return {
      operation: 'PutItem',
      params: { TableName: table, Item: edited, ConditionExpression: `attribute_not_exists(${p.name(keyNames[0])})`, ExpressionAttributeNames: p.names },
    };
  }
  const set: string[] = [];
  const remove: string[] = [];
  const guards: string[] = [];
  for (const [name, value] of Object.entries(edited)) {
    if (keyNames.includes(name)) continue;
    const before = original[name];
    if (before !== undefined && JSON.stringify(before) === JSON.stringify(value)) continue;
    set.push(`${p.name(name)} = ${p.value(value)}`);
    if (before === undefined) guards.push(`attribute_not_exists(${p.name(name)})`);
  }
  for (const name of Object.keys(original)) if (!(name in edited)) remove.push(p.name(name));
  if (set.length === 0 && remove.length === 0) return undefined;
  let length = guards.join(' AND ').length;
  for (const [name, value] of Object.entries(original)) {
    const guard = `${p.name(name)} = ${p.value(value)}`;
    if (length + guard.length + 5 > MAX_EXPRESSION) break;
    guards.push(guard);
    length += guard.length + 5;
  }
  const update = [set.length > 0 ? `SET ${set.join(', ')}` : '', remove.length > 0 ? `REMOVE ${remove.join(', ')}` : ''].filter(Boolean).join(' ');
  return {
    operation: 'UpdateItem',
    params: {
      TableName: table,
      Key: keyOf(original, keyNames),
      UpdateExpression: update,
      ConditionExpression: guards.join(' AND '),
      ExpressionAttributeNames: p.names,
      ExpressionAttributeValues: p.values,
    },
  };
}

/**
 * dynamodb:LeadingKeys of a PartiQL statement: the partition key values it names in
 * `WHERE <pk> = <value>` (SELECT, UPDATE, DELETE) or in an INSERT's `VALUE {'<pk>': <value>}`,
 * values given inline or as `?` parameters. A statement that mentions the partition key
 * in a way this reading does not follow gets a value no policy matches, so a
 * LeadingKeys condition refuses it rather than letting it through.
 */
const UNREADABLE = '\u0000unreadable-partition-key';

type AttributeValue = Record<string, unknown>;

export function partiqlLeadingKeys(statement: string, hashName: string, parameters: AttributeValue[] | undefined): string[] | undefined {
  const isInsert = /^\s*INSERT\b/i.test(statement);
  const name = escapeRegExp(hashName);
  const value = `('(?:[^']|'')*'|\\?|-?\\d[\\w.+-]*)`;
  const pattern = isInsert ? new RegExp(`'${name}'\\s*:\\s*${value}`, 'g') : new RegExp(`(?:"${name}"|\\b${name}\\b)\\s*=\\s*${value}`, 'g');
  const mentions = isInsert ? new RegExp(`'${name}'`, 'g') : new RegExp(`"${name}"|\\b${name}\\b`, 'g');
  const where = isInsert ? statement : statement.slice(whereAt(statement));
  const offset = statement.length - where.length;
  const values: string[] = [];
  for (const match of where.matchAll(pattern)) {
    const text = match[1]!;
    if (text === '?') {
      const parameter = parameters?.[questionMarksBefore(statement, offset + match.index! + match[0].length - 1)];
      values.push(keyText(parameter) ?? UNREADABLE);
    } else {
      values.push(text.startsWith("'") ? text.slice(1, -1).replace(/''/g, "'") : text);
    }
  }
  const mentioned = [...where.matchAll(mentions)].length;
  if (mentioned > values.length) values.push(UNREADABLE);
  return values.length > 0 ? values : undefined;
}

function whereAt(statement: string): number {
  const match = /\bWHERE\b/i.exec(statement);
  return match ? match.index : statement.length;
}

/** How many `?` placeholders stand before `position`, outside string literals and quoted names. */
function questionMarksBefore(statement: string, position: number): number {
  let count = 0;
  let quote: string | undefined;
  for (let i = 0; i < position; i++) {
    const c = statement[i]!;
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === '?') {
      count++;
    }
  }
  return count;
}

function keyText(value: AttributeValue | undefined): string | undefined {
  const text = value?.S ?? value?.N ?? value?.B;
  return typeof text === 'string' ? text : undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

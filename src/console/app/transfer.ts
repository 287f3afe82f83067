/**
 * Export and import formats. JSON lines: one `{"Item": <DynamoDB JSON>}` per line, as
 * DynamoDB's export to S3 writes them (plain JSON objects are read too). CSV: one
 * column per attribute; a header without a suffix holds strings, `name (N)` numbers,
 * `name (BOOL)` booleans and `name (JSON)` any value as DynamoDB JSON, so an export
 * reads back with every type intact. An empty cell means the attribute is absent.
 */
import { checkItem, itemFromPlain, typeOf, type AttributeValue, type Item, type Plain } from './attr.js';

export function toJsonLines(items: Item[]): string {
  return items.map((item) => `${JSON.stringify({ Item: item })}\n`).join('');
}

export function parseJsonLines(text: string): Item[] {
  const items: Item[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`line ${i + 1} is not JSON`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`line ${i + 1} is not an object`);
    const wrapped = (value as { Item?: unknown }).Item;
    if (wrapped !== undefined) items.push(checkItem(wrapped, `line ${i + 1}`));
    else if (looksTyped(value as Record<string, unknown>)) items.push(checkItem(value, `line ${i + 1}`));
    else items.push(itemFromPlain(value as { [name: string]: Plain }));
  });
  return items;
}

function looksTyped(value: Record<string, unknown>): boolean {
  const values = Object.values(value);
  return values.length > 0 && values.every((v) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
    const keys = Object.keys(v);
    return keys.length === 1 && ['S', 'N', 'B', 'BOOL', 'NULL', 'L', 'M', 'SS', 'NS', 'BS'].includes(keys[0]);
  });
}

type ColumnKind = 'S' | 'N' | 'BOOL' | 'JSON';

/** `keyNames` come first, then the other attributes in the order first seen. */
export function toCsv(items: Item[], keyNames: string[]): string {
  const names = [...keyNames];
  for (const item of items) for (const name of Object.keys(item)) if (!names.includes(name)) names.push(name);
  const kinds = names.map((name) => columnKind(items.map((item) => item[name]).filter((v): v is AttributeValue => v !== undefined)));
  const header = names.map((name, i) => (kinds[i] === 'S' ? name : `${name} (${kinds[i]})`));
  const rows = items.map((item) => names.map((name, i) => cellText(item[name], kinds[i])));
  return [header, ...rows].map((row) => row.map(csvQuote).join(',')).join('\r\n') + '\r\n';
}

function columnKind(values: AttributeValue[]): ColumnKind {
  const types = new Set(values.map(typeOf));
  if (types.size === 0) return 'S';
  if (types.size === 1) {
    const [only] = types;
    if (only === 'S' || only === 'N' || only === 'BOOL') return only;
  }
  return 'JSON';
}

function cellText(value: AttributeValue | undefined, kind: ColumnKind): string {
  if (value === undefined) return '';
  if (kind === 'JSON') return JSON.stringify(value);
  if ('S' in value) return value.S;
  if ('N' in value) return value.N;
  return String((value as { BOOL: boolean }).BOOL);
}

function csvQuote(text: string): string {
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** `keyTypes`: the table's key attributes and their types, which a plain header cannot say. */
export function parseCsv(text: string, keyTypes: Record<string, 'S' | 'N' | 'B'> = {}): Item[] {
  const [header, ...rows] = csvRows(text);
  if (!header) return [];
  const columns = header.map((cell) => {
    const m = /^(.*) \((N|BOOL|JSON)\)$/.exec(cell);
    return m ? { name: m[1], kind: m[2] as ColumnKind } : { name: cell, kind: (keyTypes[cell] === 'N' ? 'N' : 'S') as ColumnKind };
  });
  return rows
    .filter((row) => row.some((cell) => cell !== ''))
    .map((row, r) => {
      const item: Item = {};
      columns.forEach(({ name, kind }, i) => {
        const cell = row[i] ?? '';
        if (cell === '') return;
        if (keyTypes[name] === 'B' && kind === 'S') item[name] = { B: cell };
        else if (kind === 'S') item[name] = { S: cell };
        else if (kind === 'N') item[name] = { N: cell };
        else if (kind === 'BOOL') item[name] = { BOOL: cell === 'true' };
        else {
          try {
            item[name] = checkItem({ [name]: JSON.parse(cell) }, `row ${r + 2}`)[name];
          } catch (err) {
            throw new Error(err instanceof SyntaxError ? `row ${r + 2}, column ${name}: not JSON` : (err as Error).message);
          }
        }
      });
      return item;
    });
}

/** RFC 4180 rows: quoted fields may hold commas, quotes ("") and line breaks. */
function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell); rows.push(row); row = []; cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) { row.push(cell); rows.push(row); }
  return rows;
}

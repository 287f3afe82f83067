/** Items as the shell prints them: an aligned text table, or JSON lines. */
import type { AttributeValue, WireItem } from './client.js';

const MAX_CELL = 60;

/** A DynamoDB value as plain JSON: numbers stay exact (as text when a double would round). */
export function plainValue(value: AttributeValue): unknown {
  const [type, v] = Object.entries(value)[0] ?? ['NULL', true];
  switch (type) {
    case 'N':
      return exactNumber(v as string);
    case 'NS':
      return (v as string[]).map(exactNumber);
    case 'NULL':
      return null;
    case 'L':
      return (v as AttributeValue[]).map(plainValue);
    case 'M':
      return plainItem(v as WireItem);
    default:
      // S, B (base64), BOOL, SS, BS
      return v;
  }
}

function exactNumber(text: string): number | string {
  const n = Number(text);
  return String(n) === text ? n : text;
}

export function plainItem(item: WireItem): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, plainValue(v)]));
}

export function renderJson(items: WireItem[]): string {
  return items.map((item) => JSON.stringify(plainItem(item)) + '\n').join('');
}

function cell(value: unknown): string {
  const text = value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_CELL ? text.slice(0, MAX_CELL - 1) + '…' : text;
}

/** Columns in order of first appearance; a missing attribute is an empty cell. */
export function renderTable(items: WireItem[]): string {
  if (items.length === 0) return '(0 items)\n';
  const columns: string[] = [];
  for (const item of items) for (const name of Object.keys(item)) if (!columns.includes(name)) columns.push(name);
  const rows = items.map((item) => columns.map((c) => cell(item[c] === undefined ? undefined : plainValue(item[c]!))));
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ').trimEnd() + '\n';
  const rule = widths.map((w) => '-'.repeat(w)).join('-+-') + '\n';
  return line(columns) + rule + rows.map(line).join('') + `(${items.length} item${items.length === 1 ? '' : 's'})\n`;
}

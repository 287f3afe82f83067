/** Splits a PartiQL statement into tokens. */
import { notWellFormed } from './errors.js';

export type TokenKind =
  | 'keyword' // a reserved word, upper-cased in `text`
  | 'identifier' // a bare name, as written
  | 'quoted' // a double-quoted name, unescaped
  | 'string' // a single-quoted string, unescaped
  | 'number'
  | 'param' // ?
  | 'punct'
  | 'end';

export interface Token {
  kind: TokenKind;
  text: string;
  /** Offset in the statement, for messages. */
  at: number;
}

/** Words that cannot be bare identifiers. */
const KEYWORDS = new Set([
  'SELECT', 'FROM', 'WHERE', 'AND', 'OR', 'NOT', 'IN', 'IS', 'BETWEEN', 'MISSING', 'NULL', 'TRUE', 'FALSE',
  'INSERT', 'INTO', 'VALUE', 'VALUES', 'UPDATE', 'SET', 'REMOVE', 'DELETE', 'RETURNING', 'ALL', 'MODIFIED',
  'OLD', 'NEW', 'ORDER', 'BY', 'ASC', 'DESC', 'EXISTS', 'LIMIT', 'GROUP', 'HAVING', 'JOIN', 'AS', 'DISTINCT',
  'UNION', 'OFFSET', 'LIKE', 'CASE', 'WITH',
]);

/** Longest punctuation first so `<=` wins over `<`. */
const PUNCTUATION = ['<<', '>>', '<=', '>=', '<>', '!=', '||', '(', ')', '[', ']', '{', '}', ',', '.', ':', ';', '*', '=', '<', '>', '+', '-', '/', '%'];

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '-' && text[i + 1] === '-') {
      // A line comment.
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    const at = i;
    if (c === "'" || c === '"') {
      const [value, next] = quoted(text, i, c);
      tokens.push({ kind: c === "'" ? 'string' : 'quoted', text: value, at });
      i = next;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const match = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(text.slice(i))!;
      tokens.push({ kind: 'number', text: match[0], at });
      i += match[0].length;
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      const match = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(text.slice(i))!;
      const upper = match[0].toUpperCase();
      tokens.push(KEYWORDS.has(upper) ? { kind: 'keyword', text: upper, at } : { kind: 'identifier', text: match[0], at });
      i += match[0].length;
      continue;
    }
    if (c === '?') {
      tokens.push({ kind: 'param', text: '?', at });
      i++;
      continue;
    }
    const punct = PUNCTUATION.find((p) => text.startsWith(p, i));
    if (punct === undefined) throw notWellFormed(`Unexpected character: ${c}`);
    tokens.push({ kind: 'punct', text: punct, at });
    i += punct.length;
  }
  tokens.push({ kind: 'end', text: '', at: text.length });
  return tokens;
}

/** A quoted string or name; the quote character is escaped by doubling it. */
function quoted(text: string, start: number, quote: string): [string, number] {
  let value = '';
  let i = start + 1;
  for (;;) {
    const end = text.indexOf(quote, i);
    if (end < 0) throw notWellFormed(quote === "'" ? 'Unterminated string literal' : 'Unterminated quoted identifier');
    value += text.slice(i, end);
    if (text[end + 1] === quote) {
      value += quote;
      i = end + 2;
      continue;
    }
    return [value, end + 1];
  }
}

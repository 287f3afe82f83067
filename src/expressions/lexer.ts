/**
 * Tokenizer for DynamoDB expressions. Unknown characters become `illegal` tokens so the
 * parser reports them as syntax errors with DynamoDB's `token` / `near` context.
 */

export type TokenType =
  | 'identifier' // attribute name or keyword or function name
  | 'name' // #placeholder
  | 'value' // :placeholder
  | 'number' // list index digits
  | 'punct' // ( ) [ ] , . = <> < <= > >= + -
  | 'illegal'
  | 'eof';

export interface Token {
  type: TokenType;
  text: string;
  start: number;
  end: number;
}

const enum Ch {
  Tab = 9, Lf = 10, Cr = 13, Space = 32, Hash = 35, LParen = 40, RParen = 41, Plus = 43, Comma = 44,
  Minus = 45, Dot = 46, D0 = 48, D9 = 57, Colon = 58, Lt = 60, Eq = 61, Gt = 62, A = 65, Z = 90,
  LBracket = 91, RBracket = 93, Underscore = 95, a = 97, z = 122,
}

function isDigit(c: number): boolean {
  return c >= Ch.D0 && c <= Ch.D9;
}

function isNameStart(c: number): boolean {
  return (c >= Ch.A && c <= Ch.Z) || (c >= Ch.a && c <= Ch.z) || c === Ch.Underscore;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || isDigit(c);
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === Ch.Space || c === Ch.Tab || c === Ch.Lf || c === Ch.Cr) {
      i++;
      continue;
    }
    const start = i;
    let type: TokenType;
    if (isNameStart(c)) {
      while (i < n && isNameChar(text.charCodeAt(i))) i++;
      type = 'identifier';
    } else if (isDigit(c)) {
      while (i < n && isDigit(text.charCodeAt(i))) i++;
      type = 'number';
    } else if (c === Ch.Hash || c === Ch.Colon) {
      i++;
      while (i < n && isNameChar(text.charCodeAt(i))) i++;
      // A bare '#' or ':' is not a placeholder.
      type = i === start + 1 ? 'illegal' : c === Ch.Hash ? 'name' : 'value';
    } else if (c === Ch.Lt) {
      i++;
      const d = text.charCodeAt(i);
      if (d === Ch.Eq || d === Ch.Gt) i++;
      type = 'punct';
    } else if (c === Ch.Gt) {
      i++;
      if (text.charCodeAt(i) === Ch.Eq) i++;
      type = 'punct';
    } else if (
      c === Ch.LParen || c === Ch.RParen || c === Ch.LBracket || c === Ch.RBracket || c === Ch.Comma ||
      c === Ch.Dot || c === Ch.Eq || c === Ch.Plus || c === Ch.Minus
    ) {
      i++;
      type = 'punct';
    } else {
      // One code point, so a surrogate pair is reported whole.
      i += c >= 0xd800 && c <= 0xdbff && i + 1 < n ? 2 : 1;
      type = 'illegal';
    }
    tokens.push({ type, text: text.slice(start, i), start, end: i });
  }
  tokens.push({ type: 'eof', text: '<EOF>', start: n, end: n });
  return tokens;
}

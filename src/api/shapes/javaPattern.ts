/**
 * The model's `pattern` constraints are Java regular expressions that must match the
 * whole value. This turns one into an anchored JavaScript RegExp (unicode mode, so
 * escaped surrogate pairs such as \uD800\uDC00 mean one code point, as in Java).
 */

// Characters a unicode-mode RegExp accepts after a backslash as themselves.
const SYNTAX = new Set('^$\\.*+?()[]{}|/-');
// Escapes that carry meaning (classes, character codes) and stay as written.
const MEANINGFUL = new Set('dDwWsSbBtrnfvux0cpP');
const PRINT = 'p{Print}';
const PRINTABLE_ASCII = '\\x20-\\x7E';

export function javaPatternToRegExp(pattern: string): RegExp {
  let source = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c !== '\\') {
      if (c === '[') inClass = true;
      else if (c === ']') inClass = false;
      source += c;
      continue;
    }
    const next = pattern[++i];
    if (pattern.startsWith(PRINT, i)) {
      // Java's \p{Print} is printable ASCII; JS has no such property.
      source += inClass ? PRINTABLE_ASCII : `[${PRINTABLE_ASCII}]`;
      i += PRINT.length - 1;
    } else if (SYNTAX.has(next) || MEANINGFUL.has(next)) {
      source += '\\' + next;
    } else {
      // Java tolerates escaping any punctuation (e.g. `\_`); unicode-mode JS does not.
      source += next;
    }
  }
  return new RegExp(`^(?:${source})$`, 'u');
}

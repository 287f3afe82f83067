/** What the policy variables `${*}` and `${?}` become: a literal `*` / `?` in any pattern. */
export const LITERAL_STAR = '\u0001*';
export const LITERAL_QUESTION = '\u0001?';

/** Policy text with `${*}` / `${?}` turned back into the characters they stand for. */
export function literalText(text: string): string {
  return text.includes('\u0001') ? text.replace(/\u0001([*?])/g, '$1') : text;
}

/** IAM wildcards: `*` any run of characters, `?` any one character; everything else literal. */
export function globToRegExp(pattern: string, ignoreCase: boolean): RegExp {
  let source = '';
  let literal = false;
  for (const c of pattern) {
    if (c === '\u0001') literal = true;
    else if (c === '*' && !literal) source += '.*';
    else if (c === '?' && !literal) source += '.';
    else {
      source += c.replace(/[\\^$.|+()[\]{}*?]/g, '\\$&');
      literal = false;
    }
  }
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
}

/** IAM wildcards: `*` any run of characters, `?` any one character; everything else literal. */
export function globToRegExp(pattern: string, ignoreCase: boolean): RegExp {
  let source = '';
  for (const c of pattern) {
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else source += c.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
}

/** Whether a string is ASCII: then its latin1 bytes, its UTF-8 bytes and its chars are one and the same. */
export function isAscii(text: string): boolean {
  return !NOT_ASCII.test(text);
}

const NOT_ASCII = /[^\x00-\x7f]/;

/**
 * Finding values inside a request body's JSON text without parsing it again: where
 * the values at a path of member names (and `*` for every element of an array) start
 * and end. The text must already have passed JSON.parse — this reads structure, it
 * does not check it.
 *
 * Lets a write store an item's JSON exactly as the client sent it instead of
 * serialising the parsed item back to text (see api/wireItem.ts). One pass over the
 * text, in plain loops: Buffer#indexOf costs more per call than short strings take
 * to walk.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
/** Bytes of a string walked one by one before searching for its end natively. */
const LOOP_BYTES = 48;

/** Where a value lies in the text (end exclusive), and how many object members it holds at any depth. */
export interface JsonSpan {
  start: number;
  end: number;
  members: number;
}

/** A step of a path: a member name, or EVERY_ELEMENT of an array. */
export const EVERY_ELEMENT = Symbol('every element');
export type JsonPathStep = string | typeof EVERY_ELEMENT;

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

export class JsonText {
  /** Where the value last walked ends, and its object members (colons outside strings). */
  private end = 0;
  private members = 0;

  constructor(readonly bytes: Buffer) {}

  /**
   * The values at `path` from the top-level value: one entry, or one per array element
   * for each EVERY_ELEMENT step, in order; undefined where the path leads nowhere. With
   * duplicate member names the last one counts, as in JSON.parse. A member name written
   * with escapes might be one of the path's names once unescaped, so an escaped name on
   * the way makes the answer undefined (unknown) rather than a guess.
   */
  find(path: JsonPathStep[]): (JsonSpan | undefined)[] {
    const found: (JsonSpan | undefined)[] = [];
    this.walk(this.skipWhitespace(0), path, 0, found);
    return found;
  }

  /** Walks the value at `at`, appending what lies at path[step..] to `found`; leaves its end in `this.end`. */
  private walk(at: number, path: JsonPathStep[], step: number, found: (JsonSpan | undefined)[]): void {
    if (step === path.length) {
      this.skipValue(at);
      found.push({ start: at, end: this.end, members: this.members });
      return;
    }
    const wanted = path[step]!;
    const bytes = this.bytes;
    if (wanted === EVERY_ELEMENT) {
      if (bytes[at] !== OPEN_BRACKET) return this.leadsNowhere(at, found);
      at = this.skipWhitespace(at + 1);
      if (bytes[at] === CLOSE_BRACKET) return void (this.end = at + 1);
      for (;;) {
        this.walk(at, path, step + 1, found);
        at = this.skipWhitespace(this.end);
        if (bytes[at] !== COMMA) return void (this.end = at + 1);
        at = this.skipWhitespace(at + 1);
      }
    }
    if (bytes[at] !== OPEN_BRACE) return this.leadsNowhere(at, found);
    // Each matching member is walked into; the last one's findings stand.
    let kept: (JsonSpan | undefined)[] | undefined;
    let escaped = false;
    at = this.skipWhitespace(at + 1);
    if (bytes[at] !== CLOSE_BRACE) {
      for (;;) {
        const nameEnd = this.stringEnd(at);
        const matches = this.nameMatches(at + 1, nameEnd - 1, wanted);
        if (matches === undefined) escaped = true;
        at = this.skipWhitespace(this.skipWhitespace(nameEnd) + 1); // past the colon
        if (matches === true) {
          kept = [];
          this.walk(at, path, step + 1, kept);
        } else this.skipValue(at);
        at = this.skipWhitespace(this.end);
        if (bytes[at] !== COMMA) break;
        at = this.skipWhitespace(at + 1);
      }
    }
    this.end = at + 1;
    if (kept === undefined || escaped) found.push(undefined);
    else found.push(...kept);
  }

  /** A value that is not what the path expects: skipped, leading nowhere. */
  private leadsNowhere(at: number, found: (JsonSpan | undefined)[]): void {
    this.skipValue(at);
    found.push(undefined);
  }

  private skipWhitespace(at: number): number {
    const bytes = this.bytes;
    while (at < bytes.length && isWhitespace(bytes[at]!)) at++;
    return at;
  }

  /** Skips the value at `start`: its end into `this.end`, its object members into `this.members`. */
  private skipValue(start: number): void {
    const bytes = this.bytes;
    const length = bytes.length;
    let members = 0;
    let depth = 0;
    let at = start;
    do {
      const byte = bytes[at]!;
      if (byte === QUOTE) at = this.stringEnd(at);
      else {
        if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
        else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) depth--;
        else if (byte === COLON) members++;
        else if (depth === 0) {
          // A bare number, true, false or null at the top: runs to the next delimiter.
          while (at < length && !isDelimiter(bytes[at]!)) at++;
          break;
        }
        at++;
      }
    } while (depth > 0 && at < length);
    this.end = at;
    this.members = members;
  }

  /** Whether the raw name in bytes from..to is `name`; undefined when it holds an escape. */
  private nameMatches(from: number, to: number, name: string): boolean | undefined {
    const bytes = this.bytes;
    let same = to - from === name.length;
    for (let i = from; i < to; i++) {
      if (bytes[i] === BACKSLASH) return undefined;
      if (same && bytes[i] !== name.charCodeAt(i - from)) same = false;
    }
    return same;
  }

  /** The position just past the closing quote of the string starting at `start`. */
  private stringEnd(start: number): number {
    const bytes = this.bytes;
    const length = bytes.length;
    let at = start + 1;
    // Short strings (names, most values) in a loop; long ones by memchr.
    const loopEnd = Math.min(length, at + LOOP_BYTES);
    while (at < loopEnd) {
      const byte = bytes[at]!;
      if (byte === QUOTE) return at + 1;
      at += byte === BACKSLASH ? 2 : 1;
    }
    for (;;) {
      const quote = bytes.indexOf(QUOTE, at);
      if (quote === -1) return length; // only in text JSON.parse would have refused
      // A quote after an odd number of backslashes is escaped (the loop above may have
      // stopped inside an escape, so count back no further than the string's start).
      let backslashes = 0;
      while (quote - 1 - backslashes > start && bytes[quote - 1 - backslashes] === BACKSLASH) backslashes++;
      if (backslashes % 2 === 0) return quote + 1;
      at = quote + 1;
    }
  }
}

function isDelimiter(byte: number): boolean {
  return byte === COMMA || byte === CLOSE_BRACE || byte === CLOSE_BRACKET || isWhitespace(byte);
}

/**
 * Assembling a response body from JSON text and stored item bytes (see storedItem.ts).
 * Stored items are copied once, straight into the body, instead of being decoded to a
 * string, concatenated and encoded back to UTF-8.
 */

import type { StoredBytes } from '../../engine/storedItem.js';

const COMMA = Buffer.from(',');
/** The stored item's size header (storedItem.ts), left out of the body. */
const SIZE_HEADER = 4;

export class ResponseBody {
  /** Text parts are stored items as latin1 text (StoredBytes): one byte per char. */
  private readonly parts: (Buffer | string)[] = [];
  /** Where each part's bytes begin (4 for a stored item: past its size header). */
  private readonly starts: number[] = [];
  private length = 0;
  /** Text appended since the last stored item, encoded once when the next one comes. */
  private pending = '';

  /** Appends JSON text. */
  text(json: string): this {
    this.pending += json;
    return this;
  }

  /** Appends a stored item's JSON. */
  storedItem(stored: StoredBytes): this {
    this.flush();
    return this.push(stored, SIZE_HEADER);
  }

  comma(): this {
    if (this.pending.length > 0) this.pending += ',';
    else this.push(COMMA, 0);
    return this;
  }

  /** Bytes appended so far. */
  get byteLength(): number {
    this.flush();
    return this.length;
  }

  finish(): Buffer {
    this.flush();
    if (this.parts.length === 1 && this.starts[0] === 0) return this.parts[0] as Buffer;
    // Each part goes in with one TypedArray set, no view made of it: a stored item is copied
    // whole, its size header landing on the bytes just before (restored after), which the
    // slack in front of the body provides for a stored item at the start.
    const out = Buffer.allocUnsafe(this.length + SIZE_HEADER);
    let at = SIZE_HEADER;
    for (let i = 0; i < this.parts.length; i++) {
      const part = this.parts[i]!;
      if (part === COMMA) {
        out[at++] = 0x2c;
      } else if (this.starts[i] === 0) {
        out.set(part as Buffer, at);
        at += part.length;
      } else {
        const before = out.readUInt32LE(at - SIZE_HEADER);
        if (typeof part === 'string') out.write(part, at - SIZE_HEADER, 'latin1');
        else out.set(part, at - SIZE_HEADER);
        out.writeUInt32LE(before, at - SIZE_HEADER);
        at += part.length - SIZE_HEADER;
      }
    }
    return out.subarray(SIZE_HEADER);
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const text = Buffer.from(this.pending, 'utf8');
    this.pending = '';
    this.push(text, 0);
  }

  private push(part: Buffer | string, start: number): this {
    this.parts.push(part);
    this.starts.push(start);
    this.length += part.length - start;
    return this;
  }
}

/** `{"Item":<stored item>}` — GetItem's answer without projection or capacity. */
export function itemResponse(stored: StoredBytes): Buffer {
  const out = Buffer.allocUnsafe(stored.length - 4 + 9);
  if (typeof stored === 'string') out.write(stored, 4, 'latin1');
  else stored.copy(out, 8, 4);
  out.write('{"Item":', 0, 'latin1');
  out[out.length - 1] = 0x7d; // }
  return out;
}

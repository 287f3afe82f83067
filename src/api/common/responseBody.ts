/**
 * Assembling a response body from JSON text and stored item bytes (see storedItem.ts).
 * Stored items are copied once, straight into the body, instead of being decoded to a
 * string, concatenated and encoded back to UTF-8.
 */

const COMMA = Buffer.from(',');

export class ResponseBody {
  private readonly parts: Buffer[] = [];
  /** Where each part's bytes begin (4 for a stored item: past its size header). */
  private readonly starts: number[] = [];
  private length = 0;

  /** Appends JSON text. */
  text(json: string): this {
    return this.push(Buffer.from(json, 'utf8'), 0);
  }

  /** Appends a stored item's JSON. */
  storedItem(stored: Buffer): this {
    return this.push(stored, 4);
  }

  comma(): this {
    return this.push(COMMA, 0);
  }

  /** Bytes appended so far. */
  get byteLength(): number {
    return this.length;
  }

  finish(): Buffer {
    const out = Buffer.allocUnsafe(this.length);
    let at = 0;
    for (let i = 0; i < this.parts.length; i++) {
      const part = this.parts[i]!;
      at += part.copy(out, at, this.starts[i]!);
    }
    return out;
  }

  private push(part: Buffer, start: number): this {
    this.parts.push(part);
    this.starts.push(start);
    this.length += part.length - start;
    return this;
  }
}

/** `{"Item":<stored item>}` — GetItem's answer without projection or capacity. */
export function itemResponse(stored: Buffer): Buffer {
  const out = Buffer.allocUnsafe(stored.length - 4 + 9);
  out.write('{"Item":', 0, 'latin1');
  stored.copy(out, 8, 4);
  out[out.length - 1] = 0x7d; // }
  return out;
}

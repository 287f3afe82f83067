/** Reading a request body: size limit, Content-Encoding gzip / deflate. */
import type { IncomingMessage } from 'node:http';
import { gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';

/** DynamoDB rejects request bodies over 16 MB. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/**
 * After a 413 the rest of the upload is read and dropped, so the client, still
 * sending, can read the answer (closing with unread data would reset the connection
 * under it). Bounded, so an endless upload cannot hold the connection forever.
 */
const DISCARD_MAX_BYTES = 64 * 1024 * 1024;
const DISCARD_MAX_MS = 10_000;

export class BodyTooLargeError extends Error {}

/** A compressed body that does not decompress. */
export class BodyEncodingError extends Error {}

/** `onRaw` sees the body as sent (before decompression), which is what a signature covers. */
export function readBody(req: IncomingMessage, onRaw?: (raw: Buffer) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > MAX_BODY_BYTES) {
      discardRest(req);
      reject(new BodyTooLargeError());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        chunks.length = 0;
        req.off('data', onData);
        req.off('end', onEnd);
        discardRest(req);
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      onRaw?.(body);
      try {
        resolve(decode(body, req.headers['content-encoding']));
      } catch (err) {
        reject(err);
      }
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', reject);
  });
}

/**
 * Undoes Content-Encoding gzip or deflate (zlib-wrapped, or raw as some clients send
 * it). Other encodings are not decoded: the body is read as sent, so anything but
 * plain JSON then fails to parse.
 */
export function decode(body: Buffer, encoding: string | undefined): Buffer {
  if (encoding === undefined || body.length === 0) return body;
  const name = encoding.trim().toLowerCase();
  const limit = { maxOutputLength: MAX_BODY_BYTES + 1 };
  let decoded: Buffer;
  try {
    if (name === 'gzip' || name === 'x-gzip') decoded = gunzipSync(body, limit);
    else if (name === 'deflate') decoded = inflateDeflate(body, limit);
    else return body;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new BodyTooLargeError();
    throw new BodyEncodingError(`Content-Encoding ${name} body could not be decoded`);
  }
  if (decoded.length > MAX_BODY_BYTES) throw new BodyTooLargeError();
  return decoded;
}

function inflateDeflate(body: Buffer, limit: { maxOutputLength: number }): Buffer {
  // RFC 9110's deflate is zlib-wrapped: a two-byte header naming method 8 whose
  // value is a multiple of 31. A raw stream can look like one by chance: then retry raw.
  const zlibHeader = body.length >= 2 && (body[0]! & 0x0f) === 8 && ((body[0]! << 8) | body[1]!) % 31 === 0;
  if (zlibHeader) {
    try {
      return inflateSync(body, limit);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw err;
    }
  }
  return inflateRawSync(body, limit);
}

function discardRest(req: IncomingMessage): void {
  let discarded = 0;
  const cut = () => req.socket.destroy();
  const timer = setTimeout(cut, DISCARD_MAX_MS);
  timer.unref();
  req.removeAllListeners('data');
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > DISCARD_MAX_BYTES) cut();
  });
  req.once('close', () => clearTimeout(timer));
  req.resume();
}

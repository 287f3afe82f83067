/** Reading a request body: size limit, gzip. */
import type { IncomingMessage } from 'node:http';
import { gunzipSync } from 'node:zlib';

/** DynamoDB rejects request bodies over 16 MB. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

export class BodyTooLargeError extends Error {}

/** `onRaw` sees the body as sent (before gunzip), which is what a signature covers. */
export function readBody(req: IncomingMessage, onRaw?: (raw: Buffer) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > MAX_BODY_BYTES) {
      req.resume();
      reject(new BodyTooLargeError());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        chunks.length = 0;
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      let body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      onRaw?.(body);
      const encoding = req.headers['content-encoding'];
      if (encoding && /gzip/i.test(encoding)) {
        try {
          body = gunzipSync(body, { maxOutputLength: MAX_BODY_BYTES + 1 });
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return reject(new BodyTooLargeError());
          return reject(err);
        }
        if (body.length > MAX_BODY_BYTES) return reject(new BodyTooLargeError());
      }
      resolve(body);
    });
    req.on('error', reject);
  });
}

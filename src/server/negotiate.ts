/** What a request's Content-Type and Accept-Encoding ask of the response. */
import type { IncomingHttpHeaders } from 'node:http';
import { JSON_1_0, type ResponseStyle } from './respond.js';

const JSON_1_1 = 'application/x-amz-json-1.1';

// One frozen style per combination: nothing is allocated per request.
const STYLES = new Map<string, Record<'gzip' | 'deflate' | '', ResponseStyle>>();
for (const contentType of [JSON_1_0, JSON_1_1]) {
  const style = (encoding: 'gzip' | 'deflate' | undefined) => Object.freeze({ contentType, encoding });
  STYLES.set(contentType, { '': style(undefined), gzip: style('gzip'), deflate: style('deflate') });
}

/**
 * The response style, or undefined when the request is not in a JSON protocol
 * DynamoDB speaks (JSON 1.0 and 1.1 are answered in kind; plain application/json as 1.0).
 */
export function responseStyle(headers: IncomingHttpHeaders): ResponseStyle | undefined {
  const contentType = protocolOf(headers['content-type']);
  if (contentType === undefined) return undefined;
  const accepted = headers['accept-encoding'];
  return STYLES.get(contentType)![accepted === undefined ? '' : preferredEncoding(accepted)];
}

function protocolOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (header === JSON_1_0) return JSON_1_0; // what the SDKs send: no parsing
  const type = header.split(';', 1)[0]!.trim().toLowerCase();
  if (type === JSON_1_0 || type === 'application/json') return JSON_1_0;
  if (type === JSON_1_1) return JSON_1_1;
  return undefined;
}

/** gzip or deflate if the client accepts it (gzip first), otherwise '' (identity). */
function preferredEncoding(accepted: string): 'gzip' | 'deflate' | '' {
  let deflate = false;
  for (const part of accepted.split(',')) {
    const [name, ...params] = part.split(';');
    const coding = name!.trim().toLowerCase();
    if (params.some((p) => /^\s*q\s*=\s*0(\.0*)?\s*$/i.test(p))) continue; // q=0: not acceptable
    if (coding === 'gzip' || coding === 'x-gzip') return 'gzip';
    if (coding === 'deflate') deflate = true;
  }
  return deflate ? 'deflate' : '';
}

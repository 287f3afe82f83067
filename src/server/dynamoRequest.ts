/**
 * What the request pipeline reads of a request: node:http's IncomingMessage has it,
 * and the in-process SDK handler builds it without a stream object per request.
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface DynamoRequest {
  method?: string;
  url?: string;
  /** Lower-case names; a repeated header's values joined by ', ' (node:http's form). */
  headers: IncomingHttpHeaders;
  /** Names and values as sent, alternating. */
  rawHeaders: string[];
  /** Each header's separate values (SigV4 joins repeats differently from node:http). */
  headersDistinct: NodeJS.Dict<string[]>;
  /** The peer: its address (none in process) and whether the connection is TLS. */
  socket: { remoteAddress?: string; encrypted?: boolean };
}

/**
 * Stopping an HTTP server in bounded time under any load. Node's `server.close()`
 * only stops accepting: a keep-alive client that keeps sending keeps its connection
 * forever. While draining, requests already read are answered with
 * `Connection: close`, each connection closes after its current response, idle ones
 * close at once, and a request that starts on a draining connection is not run. A
 * deadline ends whatever is left.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** How long a stop lets requests in flight finish unless told otherwise. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 5_000;

/** How long requests whose connections the deadline cut get to finish before the store closes. */
const HANDLER_GRACE_MS = 2_000;

export class ConnectionDrain {
  /** Requests being answered on each open connection. */
  private readonly active = new Map<Socket, number>();
  /** Responses not yet finished, to mark `Connection: close` when the drain starts. */
  private readonly responses = new Set<ServerResponse>();
  /** Handlers still running (a handler can outlive its connection). */
  private running = 0;
  private idleWaiters: (() => void)[] = [];
  private draining = false;

  constructor(private readonly server: Server) {
    server.on('connection', (socket: Socket) => {
      this.active.set(socket, 0);
      socket.once('close', () => this.active.delete(socket));
    });
  }

  get isDraining(): boolean {
    return this.draining;
  }

  /**
   * Called when a request starts. False: the server is draining and the request must
   * not run (its connection is closed without an answer, as if it had never been read).
   */
  admit(req: IncomingMessage, res: ServerResponse): boolean {
    const socket = req.socket;
    if (this.draining) {
      // Behind a request in flight (pipelined), the connection closes after that
      // answer; on an otherwise idle connection, now.
      if ((this.active.get(socket) ?? 0) === 0) socket.destroy();
      return false;
    }
    this.active.set(socket, (this.active.get(socket) ?? 0) + 1);
    this.responses.add(res);
    res.once('close', () => {
      this.responses.delete(res);
      const left = (this.active.get(socket) ?? 1) - 1;
      if (this.active.has(socket)) this.active.set(socket, left);
      // A response whose headers left before the drain started still said keep-alive.
      if (this.draining && left === 0) socket.end();
    });
    return true;
  }

  /** A handler started: the store must outlive it, even if its connection is cut. */
  handlerStarted(): void {
    this.running++;
  }

  handlerEnded(): void {
    if (--this.running === 0) for (const wake of this.idleWaiters.splice(0)) wake();
  }

  /**
   * Drains, and resolves once every connection is closed and every handler has ended
   * (or, past `timeoutMs`, once the remaining connections are cut and the handlers
   * they left have had a short grace period).
   */
  async close(timeoutMs: number): Promise<void> {
    this.draining = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const res of this.responses) {
      if (!res.headersSent) res.setHeader('Connection', 'close');
    }
    for (const [socket, requests] of this.active) if (requests === 0) socket.destroy();
    await withTimeout(closed, timeoutMs);
    this.server.closeAllConnections();
    await withTimeout(this.handlersIdle(), HANDLER_GRACE_MS);
  }

  private handlersIdle(): Promise<void> {
    if (this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}

/** Resolves when `work` does or after `ms`, whichever comes first. */
async function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  try {
    await Promise.race([work, elapsed]);
  } finally {
    clearTimeout(timer);
  }
}

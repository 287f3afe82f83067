/**
 * The load generator's machinery: a pool of pre-built, pre-signed raw HTTP requests per
 * target and keep-alive connections that keep one request each in flight. It speaks just
 * enough HTTP/1.1 to read answers (Content-Length or chunked) without allocating per
 * response. Used by the two load-generator processes (loadgen.ts, interleavedLoadgen.ts).
 */
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { rawSignedRequest } from './sigv4.js';
import type { Workload } from './workloads.js';
import type { DataSizes } from './data.js';

export interface LoadConfig {
  host: string;
  port: number;
  workload: string;
  sizes: DataSizes;
  connections: number;
  warmupMs: number;
  durationMs: number;
  /** Check every warm-up answer's body with the workload's check (off for the ceiling). */
  checkBodies: boolean;
}

export interface LoadResult {
  ops: number;
  errors: number;
  seconds: number;
  opsPerSec: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  warmupOps: number;
  warmupErrors: number;
  /** Warm-up answers whose body failed the workload's check. */
  checkFailures: number;
  samples: string[];
  /** CPU the load generator itself used during the window, in cores: near 1.0 means it was the bottleneck. */
  loadgenCores: number;
}

/** `paused`: answers are not counted (between an interleaved run's slices). */
export type Phase = 'warmup' | 'measure' | 'paused' | 'done';

const HEADER_END = Buffer.from('\r\n\r\n');
const CHUNKED_END = Buffer.from('0\r\n\r\n');
const MAX_SAMPLES = 5;

export class Generator {
  private readonly pool: Buffer[] = [];
  private next = 0;
  phase: Phase = 'warmup';
  /** Whether connections send: off, they go idle after their answer (an interleaved run's other target is measured). */
  sending = true;
  private latencies = new Float64Array(1 << 20);
  ops = 0;
  errors = 0;
  warmupOps = 0;
  warmupErrors = 0;
  checkFailures = 0;
  readonly samples: string[] = [];

  constructor(readonly config: LoadConfig, readonly workload: Workload) {
    const hostHeader = `${config.host}:${config.port}`;
    for (let i = 0; i < workload.poolSize; i++) {
      const { operation, body } = workload.build(i, config.sizes);
      this.pool.push(rawSignedRequest(hostHeader, operation, Buffer.from(JSON.stringify(body))));
    }
  }

  /** Index of the next request to send. */
  take(): number {
    const i = this.next;
    this.next = i + 1 === this.pool.length ? 0 : i + 1;
    return i;
  }

  request(i: number): Buffer {
    return this.pool[i]!;
  }

  record(status: number, index: number, sentAt: number, body: Buffer | undefined): void {
    const ok = status >= 200 && status < 300;
    if (this.phase === 'warmup') {
      this.warmupOps++;
      if (!ok) {
        this.warmupErrors++;
        this.sample(`HTTP ${status}: ${body?.toString('utf8').slice(0, 200)}`);
      } else if (body !== undefined) {
        this.checkBody(index, body);
      }
      return;
    }
    if (this.phase !== 'measure') return;
    if (!ok) {
      this.errors++;
      this.sample(`HTTP ${status}: ${body?.toString('utf8').slice(0, 200)}`);
      return;
    }
    if (this.ops === this.latencies.length) {
      const grown = new Float64Array(this.latencies.length * 2);
      grown.set(this.latencies);
      this.latencies = grown;
    }
    this.latencies[this.ops++] = performance.now() - sentAt;
  }

  /** Whether the warm-up wants bodies (the measured phase only looks at the status). */
  wantsBody(): boolean {
    return this.phase === 'warmup' && this.config.checkBodies;
  }

  private checkBody(index: number, body: Buffer): void {
    let problem: string | undefined;
    try {
      problem = this.workload.check(JSON.parse(body.toString('utf8')), index, this.config.sizes);
    } catch (err) {
      problem = `unparsable body: ${(err as Error).message}`;
    }
    if (problem !== undefined) {
      this.checkFailures++;
      this.sample(`check failed: ${problem}`);
    }
  }

  sample(text: string): void {
    if (this.samples.length < MAX_SAMPLES) this.samples.push(text);
  }

  result(seconds: number, cpuMicros: number): LoadResult {
    const sorted = this.latencies.subarray(0, this.ops).sort();
    const pct = (p: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!);
    return {
      ops: this.ops, errors: this.errors, seconds, opsPerSec: this.ops / seconds,
      p50Ms: pct(0.5), p90Ms: pct(0.9), p99Ms: pct(0.99), maxMs: sorted.length === 0 ? 0 : sorted[sorted.length - 1]!,
      warmupOps: this.warmupOps, warmupErrors: this.warmupErrors, checkFailures: this.checkFailures, samples: this.samples,
      loadgenCores: seconds === 0 ? 0 : cpuMicros / 1e6 / seconds,
    };
  }
}

/** One keep-alive connection with at most one request in flight. */
export class Connection {
  private socket!: Socket;
  private buffer: Buffer | undefined;
  private index = 0;
  private sentAt = 0;
  private inFlight = false;
  private closed = false;

  constructor(private readonly gen: Generator, private readonly onIdle: () => void) {
    this.open();
  }

  private open(): void {
    const socket = connect(this.gen.config.port, this.gen.config.host);
    socket.setNoDelay(true);
    socket.on('connect', () => {
      if (!this.inFlight) this.send();
    });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.gen.sample(`socket error: ${err.message}`));
    socket.on('close', () => this.onClose());
    this.socket = socket;
  }

  /** Starts sending again after the generator stopped sending. */
  resume(): void {
    if (!this.inFlight && !this.closed) this.send();
  }

  private send(): void {
    if (this.gen.phase === 'done' || !this.gen.sending) {
      this.inFlight = false;
      this.onIdle();
      return;
    }
    this.index = this.gen.take();
    this.inFlight = true;
    this.buffer = undefined;
    this.sentAt = performance.now();
    this.socket.write(this.gen.request(this.index));
  }

  private onData(chunk: Buffer): void {
    const buf = this.buffer === undefined ? chunk : Buffer.concat([this.buffer, chunk]);
    const headerEnd = buf.indexOf(HEADER_END);
    if (headerEnd < 0) {
      this.buffer = buf;
      return;
    }
    const head = buf.toString('latin1', 0, headerEnd).toLowerCase();
    const bodyStart = headerEnd + 4;
    let bodyEnd: number;
    const lengthAt = head.indexOf('\r\ncontent-length:');
    if (lengthAt >= 0) {
      bodyEnd = bodyStart + parseInt(head.slice(lengthAt + 17), 10);
      if (buf.length < bodyEnd) {
        this.buffer = buf;
        return;
      }
    } else if (head.includes('\r\ntransfer-encoding: chunked')) {
      if (buf.length < bodyStart + 5 || buf.indexOf(CHUNKED_END, buf.length - 5) < 0) {
        this.buffer = buf;
        return;
      }
      bodyEnd = buf.length;
    } else {
      bodyEnd = bodyStart;
    }
    const status = parseInt(head.slice(9, 12), 10);
    let body: Buffer | undefined;
    if (this.gen.wantsBody() || status < 200 || status >= 300) {
      const raw = buf.subarray(bodyStart, bodyEnd);
      body = lengthAt >= 0 ? raw : dechunk(raw);
    }
    this.gen.record(status, this.index, this.sentAt, body);
    this.inFlight = false;
    if (head.includes('\r\nconnection: close')) {
      this.socket.end();
      return;
    }
    this.send();
  }

  private onClose(): void {
    if (this.inFlight && this.gen.phase !== 'done') {
      this.gen.record(599, this.index, this.sentAt, Buffer.from('connection closed mid-request'));
    }
    if (this.gen.phase === 'done') {
      this.closed = true;
      this.onIdle();
      return;
    }
    this.open();
  }

  idle(): boolean {
    return !this.inFlight || this.closed;
  }

  close(): void {
    this.socket.destroy();
  }
}

function dechunk(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < raw.length) {
    const lineEnd = raw.indexOf('\r\n', at);
    const size = parseInt(raw.toString('latin1', at, lineEnd), 16);
    if (!(size > 0)) break;
    parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}


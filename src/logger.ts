/** A minimal levelled logger writing to stderr; the server logs little, so no library is needed. */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  debug(message: string, detail?: unknown): void;
  info(message: string, detail?: unknown): void;
  warn(message: string, detail?: unknown): void;
  error(message: string, detail?: unknown): void;
}

export function createLogger(level: LogLevel): Logger {
  const threshold = ORDER[level];
  const log = (at: LogLevel) => (message: string, detail?: unknown) => {
    if (ORDER[at] < threshold) return;
    const suffix = detail instanceof Error ? `\n${detail.stack}` : detail === undefined ? '' : ` ${JSON.stringify(detail)}`;
    process.stderr.write(`${new Date().toISOString()} ${at.toUpperCase()} ${message}${suffix}\n`);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

export function isLogLevel(value: string): value is LogLevel {
  return value in ORDER;
}

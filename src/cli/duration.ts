/** Durations on the command line: a number with a unit, e.g. `500ms`, `10s`, `5m`, `4h`; a bare number is milliseconds. */
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds, or undefined if `text` is not a positive duration. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/i.exec(text.trim());
  if (match === null) return undefined;
  const ms = Number(match[1]) * UNITS[(match[2] ?? 'ms').toLowerCase()]!;
  return ms > 0 && Number.isFinite(ms) ? Math.round(ms) : undefined;
}

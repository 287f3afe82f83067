/**
 * Lambda's event filtering (FilterCriteria) for stream records. A pattern is a JSON
 * object mirroring the record: each leaf is a list of conditions, any of which may match
 * (a literal value, or {"prefix"}, {"suffix"}, {"equals-ignore-case"}, {"anything-but"},
 * {"numeric": [op, n, ...]}, {"exists": bool}); every key of the pattern must match.
 * A record passes when any of the filters matches it; with no filters, every record does.
 */
export type Pattern = { [key: string]: Pattern | unknown[] };

export class FilterError extends Error {}

/** Parses the `Pattern` strings of FilterCriteria.Filters. */
export function compileFilters(criteria: { Filters?: { Pattern?: string }[] } | undefined): Pattern[] {
  return (criteria?.Filters ?? []).map(({ Pattern: text }, i) => {
    let pattern: unknown;
    try {
      pattern = JSON.parse(text ?? '');
    } catch {
      throw new FilterError(`FilterCriteria.Filters[${i}].Pattern is not JSON`);
    }
    checkPattern(pattern, `FilterCriteria.Filters[${i}].Pattern`);
    return pattern as Pattern;
  });
}

function checkPattern(pattern: unknown, where: string): void {
  if (pattern === null || typeof pattern !== 'object' || Array.isArray(pattern)) throw new FilterError(`${where} must be a JSON object`);
  for (const [key, value] of Object.entries(pattern)) {
    if (Array.isArray(value)) continue;
    checkPattern(value, `${where}.${key}`);
  }
}

export function passes(filters: Pattern[], record: unknown): boolean {
  return filters.length === 0 || filters.some((pattern) => matches(pattern, record));
}

function matches(pattern: Pattern, value: unknown): boolean {
  for (const [key, expected] of Object.entries(pattern)) {
    const actual = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    if (Array.isArray(expected)) {
      if (!expected.some((condition) => conditionHolds(condition, actual))) return false;
    } else if (!matches(expected as Pattern, actual)) return false;
  }
  return true;
}

function conditionHolds(condition: unknown, actual: unknown): boolean {
  if (condition === null || typeof condition !== 'object') {
    return Array.isArray(actual) ? actual.includes(condition) : actual === condition;
  }
  const [op, arg] = Object.entries(condition as Record<string, unknown>)[0] ?? [];
  switch (op) {
    case 'exists':
      return (actual !== undefined) === arg;
    case 'prefix':
      return typeof actual === 'string' && actual.startsWith(String(arg));
    case 'suffix':
      return typeof actual === 'string' && actual.endsWith(String(arg));
    case 'equals-ignore-case':
      return typeof actual === 'string' && actual.toLowerCase() === String(arg).toLowerCase();
    case 'anything-but':
      if (actual === undefined) return false;
      return Array.isArray(arg) ? !arg.includes(actual) : actual !== arg;
    case 'numeric':
      return numericHolds(arg as unknown[], actual);
    default:
      return false;
  }
}

/** `{"numeric": [">", 0, "<=", 5]}`; a DynamoDB number arrives as a string ("N": "5"). */
function numericHolds(terms: unknown[], actual: unknown): boolean {
  const n = typeof actual === 'number' ? actual : typeof actual === 'string' && actual.trim() !== '' ? Number(actual) : NaN;
  if (Number.isNaN(n)) return false;
  for (let i = 0; i + 1 < terms.length; i += 2) {
    const bound = Number(terms[i + 1]);
    const ok = { '=': n === bound, '<': n < bound, '<=': n <= bound, '>': n > bound, '>=': n >= bound }[String(terms[i])];
    if (ok !== true) return false;
  }
  return true;
}

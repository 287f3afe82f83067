/**
 * DynamoDB number semantics. Numbers travel and are stored as canonical decimal
 * strings: plain notation (never an exponent), no '+', no leading zeros, no trailing
 * fractional zeros, "0" for every zero. That is the form DynamoDB returns ("1e3" is
 * read back as "1000", "1E-7" as "0.0000001").
 *
 * Limits: at most 38 significant digits; magnitude from 1E-130 up to
 * 9.9999999999999999999999999999999999999E+125, i.e. the exponent of the leading
 * digit lies in [-130, 125].
 *
 * Normalising and comparing are pure string scans (the common short number never
 * allocates); only arithmetic on non-trivial operands goes through decimal.js.
 */

import { Decimal } from 'decimal.js';
import { validationError } from '../errors.js';

const MAX_SIGNIFICANT_DIGITS = 38;
/** Exponent (power of ten of the leading significant digit) bounds. */
export const MAX_NUMBER_EXPONENT = 125;
export const MIN_NUMBER_EXPONENT = -130;

const TOO_MANY_DIGITS = 'Attempting to store more than 38 significant digits in a Number';
const OVERFLOW = 'Number overflow. Attempting to store a number with magnitude larger than supported range';
const UNDERFLOW = 'Number underflow. Attempting to store a number with magnitude smaller than supported range';

const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const ZERO = 48;
const NINE = 57;

/**
 * Validates a client-supplied number and returns DynamoDB's canonical form.
 * Accepted syntax: [+-] digits [. digits] | [+-] . digits, then optional [eE][+-]digits.
 */
export function normalizeNumber(text: string): string {
  if (isShortCanonical(text)) return text;
  return normalizeSlow(text);
}

/**
 * True when `text` is already canonical and so short (<= 38 chars) that it cannot
 * break the digit or range limits. This is the path nearly every request takes.
 */
function isShortCanonical(text: string): boolean {
  const n = text.length;
  if (n === 0 || n > MAX_SIGNIFICANT_DIGITS) return false;
  let i = text.charCodeAt(0) === MINUS ? 1 : 0;
  if (i === n) return false;
  let c = text.charCodeAt(i);
  if (c === ZERO) {
    i++;
    // "0" alone is canonical; "-0" and "01" are not.
    if (i === n) return i === 1;
    if (text.charCodeAt(i) !== DOT) return false;
  } else {
    if (c < ZERO || c > NINE) return false;
    for (i++; i < n; i++) {
      c = text.charCodeAt(i);
      if (c < ZERO || c > NINE) break;
    }
    if (i === n) return true;
    if (c !== DOT) return false;
  }
  // Fraction: at least one digit, the last one non-zero.
  i++;
  if (i === n) return false;
  for (; i < n; i++) {
    c = text.charCodeAt(i);
    if (c < ZERO || c > NINE) return false;
  }
  return c !== ZERO;
}

function invalidNumber(text: string) {
  return validationError('The parameter cannot be converted to a numeric value: ' + text);
}

function normalizeSlow(text: string): string {
  const n = text.length;
  let i = 0;
  let negative = false;
  let c = text.charCodeAt(0);
  if (c === MINUS || c === PLUS) {
    negative = c === MINUS;
    i = 1;
  }
  // Mantissa: digits with at most one '.'.
  const mantissaStart = i;
  let dot = -1;
  let digitCount = 0;
  for (; i < n; i++) {
    c = text.charCodeAt(i);
    if (c >= ZERO && c <= NINE) digitCount++;
    else if (c === DOT && dot < 0) dot = i;
    else break;
  }
  if (digitCount === 0) throw invalidNumber(text);
  const mantissaEnd = i;

  let exponent = 0;
  if (i < n) {
    if (c !== 101 && c !== 69) throw invalidNumber(text); // 'e' | 'E'
    i++;
    let exponentNegative = false;
    c = text.charCodeAt(i);
    if (c === MINUS || c === PLUS) {
      exponentNegative = c === MINUS;
      i++;
    }
    if (i >= n) throw invalidNumber(text);
    for (; i < n; i++) {
      c = text.charCodeAt(i);
      if (c < ZERO || c > NINE) throw invalidNumber(text);
      // Saturate: anything this large is out of range anyway (unless the mantissa is 0).
      if (exponent < 1e9) exponent = exponent * 10 + (c - ZERO);
    }
    if (exponentNegative) exponent = -exponent;
  }

  const integerDigits = (dot < 0 ? mantissaEnd : dot) - mantissaStart;
  const allDigits = dot < 0 ? text.slice(mantissaStart, mantissaEnd) : text.slice(mantissaStart, dot) + text.slice(dot + 1, mantissaEnd);
  let first = 0;
  while (first < allDigits.length && allDigits.charCodeAt(first) === ZERO) first++;
  if (first === allDigits.length) return '0';
  let last = allDigits.length - 1;
  while (allDigits.charCodeAt(last) === ZERO) last--;

  const digits = allDigits.slice(first, last + 1);
  const leadExponent = integerDigits - 1 - first + exponent;
  checkLimits(digits.length, leadExponent);
  return formatPlain(negative, digits, leadExponent);
}

/** Range before precision: DynamoDB reports 9.99..E+125 + 1E+125 as an overflow. */
function checkLimits(significantDigits: number, leadExponent: number): void {
  if (leadExponent > MAX_NUMBER_EXPONENT) throw validationError(OVERFLOW);
  if (leadExponent < MIN_NUMBER_EXPONENT) throw validationError(UNDERFLOW);
  if (significantDigits > MAX_SIGNIFICANT_DIGITS) throw validationError(TOO_MANY_DIGITS);
}

/**
 * Plain-notation text of (-1)^negative * d1.d2d3... * 10^leadExponent, where `digits`
 * has no leading or trailing zeros ("" means zero).
 */
export function formatPlain(negative: boolean, digits: string, leadExponent: number): string {
  if (digits.length === 0) return '0';
  let body: string;
  if (leadExponent < 0) {
    body = '0.' + '0'.repeat(-leadExponent - 1) + digits;
  } else if (digits.length <= leadExponent + 1) {
    body = digits + '0'.repeat(leadExponent + 1 - digits.length);
  } else {
    body = digits.slice(0, leadExponent + 1) + '.' + digits.slice(leadExponent + 1);
  }
  return negative ? '-' + body : body;
}

/**
 * Numeric order of two canonical numbers (outputs of normalizeNumber): negative,
 * zero or positive. Allocation-free: canonical strings with integer parts of equal
 * length line up digit for digit, so a character comparison decides.
 */
export function compareNumbers(a: string, b: string): number {
  if (a === b) return 0;
  const aNegative = a.charCodeAt(0) === MINUS;
  const bNegative = b.charCodeAt(0) === MINUS;
  if (aNegative !== bNegative) return aNegative ? -1 : 1;
  const magnitude = compareMagnitudes(a, aNegative ? 1 : 0, b, bNegative ? 1 : 0);
  return aNegative ? -magnitude : magnitude;
}

function compareMagnitudes(a: string, aStart: number, b: string, bStart: number): number {
  const aInteger = integerLength(a, aStart);
  const bInteger = integerLength(b, bStart);
  if (aInteger !== bInteger) return aInteger < bInteger ? -1 : 1;
  const aLength = a.length - aStart;
  const bLength = b.length - bStart;
  const common = aLength < bLength ? aLength : bLength;
  for (let k = 0; k < common; k++) {
    const x = a.charCodeAt(aStart + k);
    const y = b.charCodeAt(bStart + k);
    if (x !== y) return x < y ? -1 : 1;
  }
  return aLength === bLength ? 0 : aLength < bLength ? -1 : 1;
}

function integerLength(s: string, start: number): number {
  const dot = s.indexOf('.', start);
  return (dot < 0 ? s.length : dot) - start;
}

/** decimal.js clone for exact arithmetic: every in-range sum has well under 300 digits. */
const ExactDecimal = Decimal.clone({
  precision: 300,
  rounding: Decimal.ROUND_HALF_EVEN,
  toExpNeg: -1000,
  toExpPos: 1000,
  minE: -1000,
  maxE: 1000,
});

/** Integers of at most 15 digits add exactly as doubles. */
function isSmallInteger(s: string): boolean {
  const n = s.length;
  let i = s.charCodeAt(0) === MINUS ? 1 : 0;
  if (n - i > 15 || i === n) return false;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < ZERO || c > NINE) return false;
  }
  return true;
}

/** Exact a + b of canonical numbers, under the same limits as stored numbers. */
export function addNumbers(a: string, b: string): string {
  if (isSmallInteger(a) && isSmallInteger(b)) return String(Number(a) + Number(b));
  return normalizeNumber(new ExactDecimal(a).plus(b).toString());
}

/** Exact a - b of canonical numbers, under the same limits as stored numbers. */
export function subtractNumbers(a: string, b: string): string {
  if (isSmallInteger(a) && isSmallInteger(b)) return String(Number(a) - Number(b));
  return normalizeNumber(new ExactDecimal(a).minus(b).toString());
}

/**
 * Storage size in bytes of a canonical number: one byte, plus one per two
 * significant digits counted separately for the integer and fractional parts (so the
 * decimal point never shares a byte), plus one for a negative sign. Zeros at either
 * end of the digit string are not stored.
 */
export function numberSize(canonical: string): number {
  const n = canonical.length;
  const negative = canonical.charCodeAt(0) === MINUS;
  const start = negative ? 1 : 0;
  const dot = canonical.indexOf('.', start);
  let integerDigits: number;
  let fractionDigits: number;
  if (dot < 0) {
    // No fraction: trailing zeros of the integer are not significant.
    let end = n;
    while (end > start && canonical.charCodeAt(end - 1) === ZERO) end--;
    integerDigits = end - start;
    fractionDigits = 0;
  } else {
    const integerIsZero = dot - start === 1 && canonical.charCodeAt(start) === ZERO;
    integerDigits = integerIsZero ? 0 : dot - start;
    let fractionStart = dot + 1;
    if (integerIsZero) while (canonical.charCodeAt(fractionStart) === ZERO) fractionStart++;
    fractionDigits = n - fractionStart;
  }
  return 1 + ((integerDigits + 1) >> 1) + ((fractionDigits + 1) >> 1) + (negative ? 1 : 0);
}

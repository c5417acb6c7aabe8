/**
 * DynamoDB numbers: decimals of up to 38 significant digits, magnitudes from
 * 1E-130 to 9.99…E+125, compared and added exactly. JavaScript doubles would
 * round `12345678901234567890` and misorder sort keys, so a number is kept as
 * an integer coefficient and a power of ten.
 */

export interface Decimal {
  /** No trailing zeros unless the value is zero (then 0n with exponent 0). */
  coefficient: bigint;
  exponent: number;
}

export type DecimalProblem = 'not-a-number' | 'too-many-digits' | 'overflow' | 'underflow';

const syntax = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

export const MAX_SIGNIFICANT_DIGITS = 38;
const MAX_EXPONENT = 125;
const MIN_EXPONENT = -130;

/** Parse DynamoDB's number text; a problem instead of a value when DynamoDB would refuse it. */
export function parseDecimal(text: string): Decimal | DecimalProblem {
  const match = syntax.exec(text);
  if (!match) return 'not-a-number';
  const [, sign, whole = '', fraction = '', exponentText] = match;
  if (whole === '' && fraction === '') return 'not-a-number';
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  if (!Number.isSafeInteger(exponent)) return 'overflow';
  let digits = (whole + fraction).replace(/^0+/, '');
  let scale = exponent - fraction.length;
  if (digits === '') return { coefficient: 0n, exponent: 0 };
  const trailing = /0*$/.exec(digits)![0].length;
  digits = digits.slice(0, digits.length - trailing);
  scale += trailing;
  if (digits.length > MAX_SIGNIFICANT_DIGITS) return 'too-many-digits';
  // The most significant digit's power of ten.
  const magnitude = scale + digits.length - 1;
  if (magnitude > MAX_EXPONENT) return 'overflow';
  if (magnitude < MIN_EXPONENT) return 'underflow';
  const coefficient = BigInt(digits);
  return { coefficient: sign === '-' ? -coefficient : coefficient, exponent: scale };
}

function normalize(coefficient: bigint, exponent: number): Decimal {
  if (coefficient === 0n) return { coefficient: 0n, exponent: 0 };
  while (coefficient % 10n === 0n) {
    coefficient /= 10n;
    exponent += 1;
  }
  return { coefficient, exponent };
}

/** Plain decimal text without exponent, as DynamoDB returns numbers: `1.5`, `1000`, `-0.001`. */
export function formatDecimal(value: Decimal): string {
  const { coefficient, exponent } = value;
  if (coefficient === 0n) return '0';
  const negative = coefficient < 0n;
  const digits = (negative ? -coefficient : coefficient).toString();
  let text: string;
  if (exponent >= 0) text = digits + '0'.repeat(exponent);
  else if (-exponent < digits.length) text = `${digits.slice(0, digits.length + exponent)}.${digits.slice(digits.length + exponent)}`;
  else text = `0.${'0'.repeat(-exponent - digits.length)}${digits}`;
  return negative ? `-${text}` : text;
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const exponent = Math.min(a.exponent, b.exponent);
  return [a.coefficient * 10n ** BigInt(a.exponent - exponent), b.coefficient * 10n ** BigInt(b.exponent - exponent), exponent];
}

export function compareDecimals(a: Decimal, b: Decimal): number {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function addDecimals(a: Decimal, b: Decimal): Decimal {
  const [x, y, exponent] = align(a, b);
  return normalize(x + y, exponent);
}

export function negateDecimal(a: Decimal): Decimal {
  return { coefficient: -a.coefficient, exponent: a.exponent };
}

/** Whether a computed result still fits DynamoDB's number type. */
export function checkDecimal(value: Decimal): DecimalProblem | undefined {
  if (value.coefficient === 0n) return undefined;
  const digits = (value.coefficient < 0n ? -value.coefficient : value.coefficient).toString().length;
  if (digits > MAX_SIGNIFICANT_DIGITS) return 'too-many-digits';
  const magnitude = value.exponent + digits - 1;
  if (magnitude > MAX_EXPONENT) return 'overflow';
  if (magnitude < MIN_EXPONENT) return 'underflow';
  return undefined;
}

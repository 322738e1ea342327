/**
 * Strict parsing of decimal text from trace files: plain digits with an optional sign and one
 * decimal separator. Text that `Number()` would also accept, such as `0x10`, `1e3`, `Infinity`
 * or an empty string, is rejected so that a corrupt field is reported instead of misread.
 */

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d*))?$|^([+-]?)\.(\d+)$/;

/** Decimal separator a trace uses inside numbers. */
export type DecimalSeparator = "." | ",";

function normalize(text: string, decimalSeparator: DecimalSeparator): string {
  const trimmed = text.trim();
  return decimalSeparator === "," ? trimmed.replace(",", ".") : trimmed;
}

/** Parses decimal text such as `-200.0` or, with a comma separator, `2,6`; undefined if invalid. */
export function parseDecimal(text: string, decimalSeparator: DecimalSeparator): number | undefined {
  const normalized = normalize(text, decimalSeparator);
  if (!DECIMAL.test(normalized)) return undefined;
  return Number(normalized);
}

/**
 * Parses decimal text as an exact integer count of `1 / 10^fractionDigits` units, e.g. seconds
 * text with 6 fraction digits gives microseconds. Digits beyond `fractionDigits` are truncated,
 * so `83.5038229` seconds gives 83_503_822 µs. Returns undefined for invalid text or a result
 * beyond `Number.MAX_SAFE_INTEGER`.
 */
export function parseFixedPoint(
  text: string,
  fractionDigits: number,
  decimalSeparator: DecimalSeparator,
): number | undefined {
  const match = DECIMAL.exec(normalize(text, decimalSeparator));
  if (match === null) return undefined;
  const sign = (match[1] ?? match[4]) === "-" ? -1 : 1;
  const integerDigits = match[2] ?? "0";
  const fraction = (match[3] ?? match[5] ?? "")
    .padEnd(fractionDigits, "0")
    .slice(0, fractionDigits);
  const units = Number(integerDigits) * 10 ** fractionDigits + Number(fraction || "0");
  return Number.isSafeInteger(units) ? sign * units : undefined;
}

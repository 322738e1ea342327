/** Recognition of missing-value markers in trace fields. */
import { parseDecimal, type DecimalSeparator } from "./decimal-text.js";

/**
 * A set of missing-value markers. A field matches when its trimmed text equals a marker, or when
 * a marker is numeric and the field is the same number written differently (`-200` and `-200.0`).
 */
export class MissingMarkers {
  private readonly texts: Set<string>;
  private readonly numbers: Set<number>;

  constructor(
    markers: string[],
    private readonly decimalSeparator: DecimalSeparator,
  ) {
    this.texts = new Set(markers.map((marker) => marker.trim()));
    this.numbers = new Set(
      markers
        .map((marker) => parseDecimal(marker, decimalSeparator))
        .filter((value): value is number => value !== undefined),
    );
  }

  /** Returns true when trimmed field text is a missing-value marker. */
  matches(text: string): boolean {
    if (this.texts.has(text)) return true;
    if (this.numbers.size === 0) return false;
    const value = parseDecimal(text, this.decimalSeparator);
    return value !== undefined && this.numbers.has(value);
  }
}

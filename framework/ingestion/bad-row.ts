/** The failure of one malformed row, before the reader decides to stop or to skip it. */

/**
 * A malformed row. `detail` names the column and value, e.g.
 * `column 3 "CO(GT)": value "abc" is not a number`; the reader adds the file and line.
 */
export class BadRowError extends Error {
  override readonly name = "BadRowError";

  constructor(readonly detail: string) {
    super(detail);
  }
}

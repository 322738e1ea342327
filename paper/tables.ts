/**
 * Result tables as Markdown, as LaTeX (booktabs) and as aligned plain text for a terminal.
 * A value that was not measured (null) prints as "n/a" in Markdown and text and as "--" in
 * LaTeX.
 */
import { formatCsvNumber, type CellValue } from "./csv.js";

/** One table column. */
export interface TableColumn {
  /** Key of the value in each row. */
  readonly key: string;
  /** Column heading as plain text, which the LaTeX writer escapes. */
  readonly header: string;
  /** Formats a measured value. Default: numbers as in the CSV files, strings unchanged. */
  readonly format?: (value: number | string) => string;
  /** Alignment. Default: right when every measured value in the column is a number. */
  readonly align?: "left" | "right";
}

/** Caption and cross-reference label of a LaTeX table. */
export interface LatexTableOptions {
  /** Caption as plain text, which the writer escapes. */
  readonly caption: string;
  /** Label for `\ref`, such as "tab:summary". */
  readonly label: string;
}

/** Returns a formatter that prints numbers with `digits` decimals and leaves strings unchanged. */
export function fixedDecimals(digits: number): (value: number | string) => string {
  return (value) => (typeof value === "number" ? value.toFixed(digits) : value);
}

/** Returns a formatter that prints a share (0.25) as a percentage ("25.0%") with `digits`. */
export function percent(digits: number): (value: number | string) => string {
  return (value) => (typeof value === "number" ? `${(value * 100).toFixed(digits)}%` : value);
}

/** Returns a GitHub-flavoured Markdown table, ending with a newline. */
export function toMarkdownTable(
  columns: readonly TableColumn[],
  rows: readonly Record<string, CellValue>[],
): string {
  const cells = formatCells(columns, rows, "n/a").map((line) => line.map(escapeMarkdown));
  const alignments = columnAlignments(columns, rows);

  const lines = [
    markdownLine(columns.map((column) => escapeMarkdown(column.header))),
    markdownLine(alignments.map((align) => (align === "right" ? "---:" : ":---"))),
    ...cells.map(markdownLine),
  ];
  return lines.join("\n") + "\n";
}

/**
 * Returns a LaTeX `table` environment with a booktabs `tabular`, ending with a newline. Text in
 * headers, cells and the caption is escaped. The document needs `\usepackage{booktabs}`.
 * Throws Error for a label with characters other than letters, digits and `:_.-`.
 */
export function toLatexTable(
  columns: readonly TableColumn[],
  rows: readonly Record<string, CellValue>[],
  options: LatexTableOptions,
): string {
  if (!/^[A-Za-z0-9:_.-]+$/.test(options.label)) {
    throw new Error(`invalid LaTeX label "${options.label}": use letters, digits and :_.-`);
  }

  const alignments = columnAlignments(columns, rows);
  const cells = formatCells(columns, rows, null).map((line) =>
    line.map((cell) => (cell === null ? "--" : escapeLatex(cell))),
  );
  const latexRow = (line: string[]): string => `    ${line.join(" & ")} \\\\`;

  const lines = [
    "\\begin{table}[htbp]",
    "  \\centering",
    `  \\caption{${escapeLatex(options.caption)}}`,
    `  \\label{${options.label}}`,
    `  \\begin{tabular}{${alignments.map((align) => (align === "right" ? "r" : "l")).join("")}}`,
    "    \\toprule",
    latexRow(columns.map((column) => escapeLatex(column.header))),
    "    \\midrule",
    ...cells.map(latexRow),
    "    \\bottomrule",
    "  \\end{tabular}",
    "\\end{table}",
  ];
  return lines.join("\n") + "\n";
}

/** Returns the table as space-aligned plain text for stdout, ending with a newline. */
export function toTerminalTable(
  columns: readonly TableColumn[],
  rows: readonly Record<string, CellValue>[],
): string {
  const headers = columns.map((column) => column.header);
  const cells = formatCells(columns, rows, "n/a");
  const alignments = columnAlignments(columns, rows);
  const widths = headers.map((header, index) =>
    Math.max(header.length, ...cells.map((line) => line[index].length)),
  );

  const pad = (text: string, index: number): string =>
    alignments[index] === "right" ? text.padStart(widths[index]) : text.padEnd(widths[index]);
  const textLine = (line: string[]): string => line.map(pad).join("  ").trimEnd();

  const lines = [
    textLine(headers),
    textLine(widths.map((width) => "-".repeat(width))),
    ...cells.map(textLine),
  ];
  return lines.join("\n") + "\n";
}

/**
 * Escapes LaTeX special characters (`\ & % $ # _ { } ~ ^`) so that `text` prints as written.
 * Line breaks become spaces.
 */
export function escapeLatex(text: string): string {
  const replacements: Record<string, string> = {
    "\\": "\\textbackslash{}",
    "&": "\\&",
    "%": "\\%",
    $: "\\$",
    "#": "\\#",
    _: "\\_",
    "{": "\\{",
    "}": "\\}",
    "~": "\\textasciitilde{}",
    "^": "\\textasciicircum{}",
    "\n": " ",
    "\r": " ",
  };
  return text.replace(/[\\&%$#_{}~^\n\r]/g, (character) => replacements[character]);
}

function formatCells<Missing extends string | null>(
  columns: readonly TableColumn[],
  rows: readonly Record<string, CellValue>[],
  notMeasuredText: Missing,
): (string | Missing)[][] {
  return rows.map((row, rowIndex) =>
    columns.map((column) => {
      const value = row[column.key];
      if (value === undefined) {
        throw new Error(`row ${rowIndex} has no value for column "${column.key}"`);
      }
      if (value === null) {
        return notMeasuredText;
      }
      return column.format === undefined ? defaultFormat(value) : column.format(value);
    }),
  );
}

function defaultFormat(value: number | string): string {
  return typeof value === "number" ? formatCsvNumber(value) : value;
}

function columnAlignments(
  columns: readonly TableColumn[],
  rows: readonly Record<string, CellValue>[],
): ("left" | "right")[] {
  return columns.map((column) => {
    if (column.align !== undefined) {
      return column.align;
    }
    const measured = rows.map((row) => row[column.key]).filter((value) => value !== null);
    const isNumeric = measured.length > 0 && measured.every((value) => typeof value === "number");
    return isNumeric ? "right" : "left";
  });
}

function markdownLine(cells: readonly string[]): string {
  return `| ${cells.join(" | ")} |`;
}

function escapeMarkdown(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

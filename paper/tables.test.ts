import { describe, expect, it } from "vitest";

import {
  escapeLatex,
  fixedDecimals,
  percent,
  toLatexTable,
  toMarkdownTable,
  toTerminalTable,
  type TableColumn,
} from "./tables.js";

const columns: TableColumn[] = [
  { key: "policy", header: "Policy" },
  { key: "cost", header: "Cost (USD)", format: fixedDecimals(2) },
  { key: "violations", header: "SLA violations", format: percent(1) },
];

const rows = [
  { policy: "static_peak", cost: 4.2, violations: 0.012 },
  { policy: "dqn", cost: 2.125, violations: null },
];

describe("toMarkdownTable", () => {
  it("writes a header, alignment row and cells", () => {
    expect(toMarkdownTable(columns, rows)).toBe(
      [
        "| Policy | Cost (USD) | SLA violations |",
        "| :--- | ---: | ---: |",
        "| static_peak | 4.20 | 1.2% |",
        "| dqn | 2.13 | n/a |",
        "",
      ].join("\n"),
    );
  });

  it("escapes pipes in cells", () => {
    const table = toMarkdownTable([{ key: "name", header: "Name" }], [{ name: "a|b" }]);

    expect(table).toContain("| a\\|b |");
  });

  it("rejects a row without a column's key", () => {
    expect(() => toMarkdownTable(columns, [{ policy: "x" }])).toThrow(
      'row 0 has no value for column "cost"',
    );
  });
});

describe("toLatexTable", () => {
  const latex = toLatexTable(columns, rows, {
    caption: "Cost & 95% latency of policy_a #1",
    label: "tab:summary",
  });

  it("uses booktabs rules", () => {
    expect(latex).toContain("\\toprule");
    expect(latex).toContain("\\midrule");
    expect(latex).toContain("\\bottomrule");
  });

  it("escapes the caption", () => {
    expect(latex).toContain("\\caption{Cost \\& 95\\% latency of policy\\_a \\#1}");
  });

  it("escapes cells and prints NA as a dash pair", () => {
    expect(latex).toContain("    dqn & 2.13 & -- \\\\");
    expect(latex).toContain("    static\\_peak & 4.20 & 1.2\\% \\\\");
  });

  it("sets column alignment from the values", () => {
    expect(latex).toContain("\\begin{tabular}{lrr}");
  });

  it("rejects a label with braces", () => {
    expect(() => toLatexTable(columns, rows, { caption: "c", label: "tab:{x}" })).toThrow(
      'invalid LaTeX label "tab:{x}": use letters, digits and :_.-',
    );
  });
});

describe("escapeLatex", () => {
  it.each([
    ["%", "\\%"],
    ["_", "\\_"],
    ["&", "\\&"],
    ["#", "\\#"],
    ["$", "\\$"],
    ["{}", "\\{\\}"],
    ["~", "\\textasciitilde{}"],
    ["^", "\\textasciicircum{}"],
    ["\\", "\\textbackslash{}"],
  ])("escapes %s", (text, expected) => {
    expect(escapeLatex(text)).toBe(expected);
  });
});

describe("toTerminalTable", () => {
  it("aligns text left and numbers right", () => {
    expect(toTerminalTable(columns, rows)).toBe(
      [
        "Policy       Cost (USD)  SLA violations",
        "-----------  ----------  --------------",
        "static_peak        4.20            1.2%",
        "dqn                2.13             n/a",
        "",
      ].join("\n"),
    );
  });
});

import { CATALOG } from "../catalog.js";
import { LEVELS } from "../model/level.js";
import { type Cell, type Check, cellOk, type MatrixResult } from "./run.js";

const COLUMNS = [
  { key: "badRefused", title: "bad refused" },
  { key: "goodAdmitted", title: "good admitted" },
  { key: "exemptionHonoured", title: "exempt admits" },
  { key: "warnedAtApply", title: "warned at apply" },
  { key: "evidence", title: "objects live" },
] as const;

function mark(check: Check | undefined, notApplicable: string): string {
  if (!check) return notApplicable;
  const passed = check.total - check.failures.length;
  return `${check.failures.length === 0 ? "ok" : "FAIL"} ${passed}/${check.total}`;
}

function pad(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - [...text].length));
}

/** The matrix as a plain-text table: one row per control and level. */
export function renderTable(result: MatrixResult): string {
  const header = ["control", "level", ...COLUMNS.map((c) => c.title), "cell"];
  const rows: string[][] = [];
  for (const entry of CATALOG) {
    for (const level of LEVELS) {
      const cell = result.cells.find((c) => c.control === entry.control.id && c.level === level) as Cell | undefined;
      if (!cell?.applies) {
        rows.push([entry.control.id, `L${level}`, "-", "-", "-", "-", "-", "not required"]);
        continue;
      }
      const exemption = entry.control.exemptible ? "missing" : "not exemptible";
      rows.push([
        entry.control.id,
        `L${level}`,
        mark(cell.badRefused, "-"),
        mark(cell.goodAdmitted, "-"),
        mark(cell.exemptionHonoured, exemption),
        mark(cell.warnedAtApply, "-"),
        mark(cell.evidence, "-"),
        cellOk(cell) ? "as expected" : "UNEXPECTED",
      ]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => [...(r[i] ?? "")].length)));
  const line = (r: string[]) => r.map((c, i) => pad(c, widths[i] ?? 0)).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** Every failure, grouped by cell. */
export function renderFailures(result: MatrixResult): string {
  const lines: string[] = [];
  for (const cell of result.cells.filter((c) => !cellOk(c))) {
    lines.push(`${cell.control} L${cell.level}:`);
    for (const key of COLUMNS.map((c) => c.key)) {
      for (const failure of cell[key]?.failures ?? []) lines.push(`  [${key}] ${failure}`);
    }
  }
  return lines.join("\n");
}

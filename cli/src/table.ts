/** Display width: CJK and full-width characters take two columns. */
export function width(text: string): number {
  let n = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    n +=
      (code >= 0x1100 && code <= 0x115f) ||
      (code >= 0x2e80 && code <= 0xa4cf) ||
      (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) ||
      (code >= 0xfe30 && code <= 0xfe4f) ||
      (code >= 0xff00 && code <= 0xff60) ||
      (code >= 0xffe0 && code <= 0xffe6)
        ? 2
        : 1;
  }
  return n;
}

const pad = (text: string, to: number) => text + " ".repeat(Math.max(0, to - width(text)));

/** A plain aligned table for people; scripts use --json. */
export function table(headers: string[], rows: (string | number | null | undefined)[][]): string {
  const cells = rows.map((r) => r.map((c) => (c === null || c === undefined ? "-" : String(c))));
  const widths = headers.map((h, i) => Math.max(width(h), ...cells.map((r) => width(r[i] ?? ""))));
  const line = (r: string[]) =>
    r
      .map((c, i) => pad(c, widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(headers), line(widths.map((n) => "-".repeat(n))), ...cells.map(line)].join("\n");
}

/** "vcpu=2 memory_gib=4" */
export const quantities = (q: Record<string, number> | undefined) =>
  Object.entries(q ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(" ") || "-";

/** CSV with RFC 4180 quoting. */
export function csv(headers: string[], rows: (string | number | null | undefined)[][]): string {
  const cell = (v: string | number | null | undefined) => {
    const s = v === null || v === undefined ? "" : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${[headers, ...rows].map((r) => r.map(cell).join(",")).join("\r\n")}\r\n`;
}

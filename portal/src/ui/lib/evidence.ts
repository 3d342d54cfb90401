/** How a system's compliance evidence reads at a glance, from its latest report's counts. */
export type EvidenceStanding = "notInForce" | "unreported" | "exempted" | "enforced";

export interface EvidenceCounts {
  total: number;
  enforced: number;
  exempted: number;
  drifted: number;
}

export function evidenceStanding(latest: EvidenceCounts | null): EvidenceStanding {
  if (!latest) return "unreported";
  if (latest.drifted > 0) return "notInForce";
  if (latest.exempted > 0) return "exempted";
  return "enforced";
}

/** Systems per standing, every standing present (zero when none). */
export function countStandings(rows: readonly { latest: EvidenceCounts | null }[]): Record<EvidenceStanding, number> {
  const out: Record<EvidenceStanding, number> = { notInForce: 0, unreported: 0, exempted: 0, enforced: 0 };
  for (const row of rows) out[evidenceStanding(row.latest)] += 1;
  return out;
}

/** The printable report of a system (the latest, or one from its history), or its JSON download. */
export function evidenceUrl(systemId: string, opts: { reportId?: number; format?: "json" } = {}): string {
  const query = new URLSearchParams();
  if (opts.reportId !== undefined) query.set("report", String(opts.reportId));
  if (opts.format) query.set("format", opts.format);
  const q = query.toString();
  return `/evidence/${encodeURIComponent(systemId)}${q ? `?${q}` : ""}`;
}

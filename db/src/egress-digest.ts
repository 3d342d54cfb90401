/**
 * Each day of the egress connection log summarised as a row count and a SHA-256 digest over its
 * rows in a canonical order. The controller appends the summary of every finished day to the audit
 * chain; recomputing a day later (auditors, security officers) shows whether rows were deleted or
 * altered since.
 */
import { createHash } from "node:crypto";
import { and, asc, eq, gt, gte, lt, or } from "drizzle-orm";
import type { AuditAction } from "./audit/vocabulary.js";
import type { Db } from "./client.js";
import { auditLog, egressConnections } from "./schema/index.js";

export const DIGEST_ACTION: AuditAction = "egress.daily_digest";
const DAY_MS = 86_400_000;

/** "2026-12-02" → that UTC day's bounds. */
export function dayBounds(day: string): [Date, Date] {
  const start = new Date(`${day}T00:00:00.000Z`);
  if (Number.isNaN(start.getTime()) || start.toISOString().slice(0, 10) !== day) throw new Error(`not a day: ${day}`);
  return [start, new Date(start.getTime() + DAY_MS)];
}

export interface DayDigest {
  day: string;
  count: number;
  /** SHA-256 over the day's rows, one canonical JSON line each, in (at, id) order. */
  digest: string;
}

/** Counts and digests one UTC day of the log, reading it in pages in its canonical order. */
export async function digestDay(db: Db, day: string): Promise<DayDigest> {
  const [start, end] = dayBounds(day);
  const hash = createHash("sha256");
  let count = 0;
  let after: { at: Date; id: number } | undefined;
  for (;;) {
    const page = await db
      .select()
      .from(egressConnections)
      .where(
        and(
          gte(egressConnections.at, start),
          lt(egressConnections.at, end),
          after ? or(gt(egressConnections.at, after.at), and(eq(egressConnections.at, after.at), gt(egressConnections.id, after.id))) : undefined,
        ),
      )
      .orderBy(asc(egressConnections.at), asc(egressConnections.id))
      .limit(2000);
    for (const r of page) {
      hash.update(
        `${JSON.stringify([r.id, r.at.toISOString(), r.systemId, r.departmentId, r.gatewayPort, r.client, r.method, r.host, r.port, r.status, r.action, r.squidStatus, r.bytesIn, r.bytesOut, r.durationMs])}\n`,
      );
      count++;
    }
    if (page.length < 2000) break;
    const last = page[page.length - 1];
    if (last) after = { at: last.at, id: last.id };
  }
  return { day, count, digest: `sha256:${hash.digest("hex")}` };
}

export type DayVerdict =
  | { day: string; status: "intact"; count: number }
  | { day: string; status: "altered"; recorded: { count: number; digest: string }; actual: DayDigest }
  | { day: string; status: "unsummarised" };

/** Recomputes a day's summary and compares it with the one in the audit chain. */
export async function verifyDay(db: Db, day: string): Promise<DayVerdict> {
  const [entry] = await db
    .select({ after: auditLog.after })
    .from(auditLog)
    .where(and(eq(auditLog.action, DIGEST_ACTION), eq(auditLog.targetId, day)))
    .orderBy(asc(auditLog.seq))
    .limit(1);
  if (!entry) return { day, status: "unsummarised" };
  const recorded = entry.after as { count: number; digest: string };
  const actual = await digestDay(db, day);
  if (actual.count === recorded.count && actual.digest === recorded.digest) return { day, status: "intact", count: actual.count };
  return { day, status: "altered", recorded, actual };
}

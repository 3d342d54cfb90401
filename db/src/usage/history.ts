// Usage history in PostgreSQL: the controller's sync adds one reading per resource of a system to
// its 5-minute points (one statement per sync), and the retention job rolls old points up into
// hourly and daily ones and drops what is older than two years (domain/usage-series.ts).

import { and, eq, lt, or, sql } from "drizzle-orm";
import type { DbOrTx } from "../client.js";
import { type Resource, usagePoints } from "../schema/index.js";
import { bucketStart, compact, retentionCuts, type UsagePoint } from "./series.js";

const merge = {
  samples: sql`${usagePoints.samples} + excluded.samples`,
  usedAvg: sql`(${usagePoints.usedAvg} * ${usagePoints.samples} + excluded.used_avg * excluded.samples) / (${usagePoints.samples} + excluded.samples)`,
  usedMax: sql`greatest(${usagePoints.usedMax}, excluded.used_max)`,
  grantedAvg: sql`(${usagePoints.grantedAvg} * ${usagePoints.samples} + excluded.granted_avg * excluded.samples) / (${usagePoints.samples} + excluded.samples)`,
  grantedMax: sql`greatest(${usagePoints.grantedMax}, excluded.granted_max)`,
};
const target = [usagePoints.systemId, usagePoints.resource, usagePoints.bucket, usagePoints.resolution];

/**
 * Adds a reading of every resource the system holds or uses (allocation_items, as just synced) to
 * the 5-minute point of `at`. One INSERT … SELECT; a second reading in the same bucket merges in.
 */
export async function recordUsageSample(db: DbOrTx, systemId: string, at: Date): Promise<number> {
  const bucket = new Date(bucketStart(at.getTime(), "5m")).toISOString();
  const result = await db.execute(sql`
    insert into usage_points (system_id, department_id, resource, resolution, bucket, samples, used_avg, used_max, granted_avg, granted_max)
    select i.system_id, a.department_id, i.resource, '5m', ${bucket}::timestamptz, 1, i.used, i.used, i.granted, i.granted
      from allocation_items i join allocations a on a.system_id = i.system_id
     where i.system_id = ${systemId} and (i.granted > 0 or i.used > 0)
    on conflict (system_id, resource, bucket, resolution) do update set
      samples = ${merge.samples}, used_avg = ${merge.usedAvg}, used_max = ${merge.usedMax},
      granted_avg = ${merge.grantedAvg}, granted_max = ${merge.grantedMax}`);
  return (result as { rowCount?: number; affectedRows?: number }).rowCount ?? (result as { affectedRows?: number }).affectedRows ?? 0;
}

export interface CompactResult {
  /** Points read and removed, and rolled-up points written (merged into any already there). */
  removed: number;
  written: number;
}

type Row = typeof usagePoints.$inferSelect;
const toPoint = (r: Row): UsagePoint => ({
  bucket: r.bucket.getTime(),
  resolution: r.resolution,
  samples: r.samples,
  usedAvg: r.usedAvg,
  usedMax: r.usedMax,
  grantedAvg: r.grantedAvg,
  grantedMax: r.grantedMax,
});

/**
 * The retention job: points past their resolution's window are replaced by their rollups, in one
 * transaction per batch of at most `batch` points. Returns what it did in total.
 */
export async function compactUsage(db: DbOrTx, now: Date, batch = 20_000): Promise<CompactResult> {
  const cuts = retentionCuts(now.getTime());
  const due = or(
    and(eq(usagePoints.resolution, "5m"), lt(usagePoints.bucket, new Date(cuts["5m"]))),
    and(eq(usagePoints.resolution, "1h"), lt(usagePoints.bucket, new Date(cuts["1h"]))),
    and(eq(usagePoints.resolution, "1d"), lt(usagePoints.bucket, new Date(cuts["1d"]))),
  );
  const total: CompactResult = { removed: 0, written: 0 };
  for (;;) {
    const done = await db.transaction(async (tx) => {
      const rows = await tx.select().from(usagePoints).where(due).limit(batch).for("update", { skipLocked: true });
      if (rows.length === 0) return null;
      const series = new Map<string, Row[]>();
      for (const r of rows) {
        const key = `${r.systemId}/${r.resource}`;
        series.set(key, [...(series.get(key) ?? []), r]);
      }
      const out: (typeof usagePoints.$inferInsert)[] = [];
      for (const list of series.values()) {
        const { systemId, departmentId, resource } = list[0]!;
        for (const p of compact(list.map(toPoint), now.getTime()))
          out.push({ systemId, departmentId, resource: resource as Resource, ...p, bucket: new Date(p.bucket) });
      }
      // One DELETE for the batch: the keys of the rows read, as parallel arrays.
      const keys = `{${rows.map((r) => r.systemId).join(",")}}`;
      await tx.execute(sql`
        delete from usage_points u
         using unnest(${keys}::uuid[], ${`{${rows.map((r) => r.resource).join(",")}}`}::text[],
                      ${`{${rows.map((r) => `"${r.bucket.toISOString()}"`).join(",")}}`}::timestamptz[],
                      ${`{${rows.map((r) => r.resolution).join(",")}}`}::text[]) as d(system_id, resource, bucket, resolution)
         where u.system_id = d.system_id and u.resource::text = d.resource and u.bucket = d.bucket and u.resolution = d.resolution`);
      for (let i = 0; i < out.length; i += 1000) {
        await tx
          .insert(usagePoints)
          .values(out.slice(i, i + 1000))
          .onConflictDoUpdate({ target, set: merge });
      }
      return { removed: rows.length, written: out.length, full: rows.length === batch };
    });
    if (!done) break;
    total.removed += done.removed;
    total.written += done.written;
    if (!done.full) break;
  }
  return total;
}

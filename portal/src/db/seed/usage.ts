// Demo usage history: six weeks for every system that holds a grant (daily points, hourly for the
// last week), so the usage charts, idle grants and monthly reports have something to show.

import type { Db } from "@zhengyun/db/client";
import { allocationItems, allocations, usagePoints } from "@zhengyun/db/schema";
import { eq, gt } from "drizzle-orm";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A deterministic share of the grant in use: a working-day rhythm, and one system in four nearly idle. */
function share(systemIndex: number, t: number, hourly: boolean): number {
  if (systemIndex % 4 === 3) return 0.05;
  const base = 0.35 + (systemIndex % 3) * 0.15;
  if (!hourly) return base + 0.1 * Math.sin(t / DAY);
  const hour = new Date(t + 8 * HOUR).getUTCHours();
  return Math.min(1, base + (hour >= 9 && hour < 18 ? 0.25 : -0.15) + 0.05 * Math.sin(t / HOUR));
}

export async function seedUsageHistory(db: Db, now = Date.now()): Promise<number> {
  const items = await db
    .select({
      systemId: allocationItems.systemId,
      departmentId: allocations.departmentId,
      resource: allocationItems.resource,
      granted: allocationItems.granted,
    })
    .from(allocationItems)
    .innerJoin(allocations, eq(allocations.systemId, allocationItems.systemId))
    .where(gt(allocationItems.granted, 0));
  const systems = [...new Set(items.map((i) => i.systemId))];
  const hourStart = Math.floor(now / HOUR) * HOUR;
  const dayStart = Math.floor(now / DAY) * DAY;
  const rows: (typeof usagePoints.$inferInsert)[] = [];
  for (const item of items) {
    const index = systems.indexOf(item.systemId);
    const point = (bucket: number, resolution: "1h" | "1d", samples: number) => {
      const used = Math.round(item.granted * share(index, bucket, resolution === "1h") * 100) / 100;
      return {
        ...item,
        resolution,
        bucket: new Date(bucket),
        samples,
        usedAvg: used,
        usedMax: Math.min(item.granted, used * 1.2),
        grantedAvg: item.granted,
        grantedMax: item.granted,
      };
    };
    for (let d = dayStart - 42 * DAY; d < dayStart - 7 * DAY; d += DAY) rows.push(point(d, "1d", 288));
    for (let h = dayStart - 7 * DAY; h < hourStart; h += HOUR) rows.push(point(h, "1h", 12));
  }
  for (let i = 0; i < rows.length; i += 1000) await db.insert(usagePoints).values(rows.slice(i, i + 1000));
  return rows.length;
}

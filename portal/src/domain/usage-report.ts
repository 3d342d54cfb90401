// The monthly usage and cost report of a department, and idle grants: pure functions of the usage
// series and the price list.

import { DAY_MS, pointHours, type UsagePoint } from "@zhengyun/db/usage/series";
import { RESOURCES } from "@zhengyun/db/vocabulary";

export type Resource = (typeof RESOURCES)[number];

/** Price per unit-hour of each resource (vCPU-hour, GiB-hour, segment-hour, Mbps-hour), in CNY. */
export type Prices = Record<Resource, number>;

export interface SeriesPoint extends UsagePoint {
  systemId: string;
  resource: Resource;
}

export interface ReportRow {
  systemId: string;
  resource: Resource;
  /** Unit-hours granted and used over the month (e.g. vCPU-hours). */
  grantedUnitHours: number;
  usedUnitHours: number;
  unitPrice: number;
  /** Cost of what was granted, in fen (0.01 CNY), rounded per row. */
  costFen: number;
}

export interface MonthlyReport {
  month: string;
  rows: ReportRow[];
  byResource: Record<Resource, { grantedUnitHours: number; usedUnitHours: number; costFen: number }>;
  totalFen: number;
}

/** [start, end) of a month "YYYY-MM" in UTC. */
export function monthBounds(month: string): [number, number] {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw new Error(`not a month: ${month}`);
  return [Date.UTC(Number(m[1]), Number(m[2]) - 1, 1), Date.UTC(Number(m[1]), Number(m[2]), 1)];
}

const byKey = (a: SeriesPoint, b: SeriesPoint) =>
  a.bucket - b.bucket || a.resolution.localeCompare(b.resolution) || a.grantedAvg - b.grantedAvg || a.usedAvg - b.usedAvg;

/**
 * Cost is charged on what was granted (reserved capacity), hour by hour: each point counts its
 * average grant times the hours it stands for times the hourly price. Points outside the month
 * are ignored. Rows are per system and resource, sorted; the result does not depend on the order
 * of the points.
 */
export function monthlyReport(points: readonly SeriesPoint[], prices: Prices, month: string): MonthlyReport {
  const [from, to] = monthBounds(month);
  const groups = new Map<string, SeriesPoint[]>();
  for (const p of points) {
    if (p.bucket < from || p.bucket >= to) continue;
    const key = `${p.systemId}\u0000${p.resource}`;
    const list = groups.get(key) ?? [];
    list.push(p);
    groups.set(key, list);
  }
  const rows: ReportRow[] = [...groups.values()]
    .map((list) => {
      const sorted = [...list].sort(byKey);
      const { systemId, resource } = sorted[0]!;
      const grantedUnitHours = sorted.reduce((s, p) => s + p.grantedAvg * pointHours(p), 0);
      const usedUnitHours = sorted.reduce((s, p) => s + p.usedAvg * pointHours(p), 0);
      const unitPrice = prices[resource] ?? 0;
      return { systemId, resource, grantedUnitHours, usedUnitHours, unitPrice, costFen: Math.round(grantedUnitHours * unitPrice * 100) };
    })
    .sort((a, b) => a.systemId.localeCompare(b.systemId) || RESOURCES.indexOf(a.resource) - RESOURCES.indexOf(b.resource));
  const byResource = Object.fromEntries(RESOURCES.map((r) => [r, { grantedUnitHours: 0, usedUnitHours: 0, costFen: 0 }])) as MonthlyReport["byResource"];
  for (const row of rows) {
    const t = byResource[row.resource] as MonthlyReport["byResource"][Resource];
    t.grantedUnitHours += row.grantedUnitHours;
    t.usedUnitHours += row.usedUnitHours;
    t.costFen += row.costFen;
  }
  return { month, rows, byResource, totalFen: rows.reduce((s, r) => s + r.costFen, 0) };
}

export interface IdleGrant {
  systemId: string;
  resource: Resource;
  /** Average share of the grant used over the window, 0..1. */
  usedShare: number;
  peakShare: number;
  granted: number;
}

/**
 * Grants used below `threshold` of what is granted throughout the last `days` days: every point
 * of the window, at its peak, stays below the threshold, and the series covers the whole window
 * (its first point is no later than the window's first day). Reclaim candidates.
 */
export function idleGrants(points: readonly SeriesPoint[], now: number, days = 30, threshold = 0.2): IdleGrant[] {
  const from = now - days * DAY_MS;
  const groups = new Map<string, SeriesPoint[]>();
  for (const p of points) {
    const key = `${p.systemId}\u0000${p.resource}`;
    const list = groups.get(key) ?? [];
    list.push(p);
    groups.set(key, list);
  }
  const out: IdleGrant[] = [];
  for (const list of groups.values()) {
    const { systemId, resource } = list[0]!;
    if (Math.min(...list.map((p) => p.bucket)) > from + DAY_MS) continue;
    const window = list.filter((p) => p.bucket >= from - DAY_MS && p.bucket < now);
    if (window.length === 0) continue;
    const current = [...window].sort((a, b) => b.bucket - a.bucket)[0]!;
    if (current.grantedAvg <= 0) continue;
    if (!window.every((p) => p.grantedAvg > 0 && p.usedMax < threshold * p.grantedAvg)) continue;
    const used = window.reduce((s, p) => s + p.usedAvg * pointHours(p), 0);
    const granted = window.reduce((s, p) => s + p.grantedAvg * pointHours(p), 0);
    out.push({
      systemId,
      resource,
      usedShare: granted > 0 ? used / granted : 0,
      peakShare: Math.max(...window.map((p) => p.usedMax / p.grantedAvg)),
      granted: current.grantedAvg,
    });
  }
  return out.sort((a, b) => a.usedShare - b.usedShare || a.systemId.localeCompare(b.systemId));
}

/** The lowest daily share used of what was granted over the last `days` whole days (and today so far), per resource, and how many days the series covers. */
export function usageShares(points: readonly SeriesPoint[], now: number, days: number): Partial<Record<Resource, { days: number; minShare: number }>> {
  const from = Math.floor(now / DAY_MS) * DAY_MS - days * DAY_MS;
  const out: Partial<Record<Resource, { days: number; minShare: number }>> = {};
  for (const r of RESOURCES) {
    const inWindow = points.filter((p) => p.resource === r && p.bucket >= from && p.bucket < now && p.grantedAvg > 0);
    if (inWindow.length === 0) continue;
    const dayShares = new Map<number, { used: number; granted: number }>();
    for (const p of inWindow) {
      const d = Math.floor(p.bucket / DAY_MS);
      const acc = dayShares.get(d) ?? { used: 0, granted: 0 };
      acc.used += p.usedAvg * pointHours(p);
      acc.granted += p.grantedAvg * pointHours(p);
      dayShares.set(d, acc);
    }
    out[r] = { days: dayShares.size, minShare: Math.min(...[...dayShares.values()].map((v) => v.used / v.granted)) };
  }
  return out;
}

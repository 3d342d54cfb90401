// Usage over time, idle grants, the monthly cost report and the price list (reads scoped to the
// caller's department; the price list is ops' to edit, versioned and audited).

import type { DbOrTx } from "@zhengyun/db/client";
import type { ServiceContext } from "@zhengyun/db/context";
import { notFound } from "@zhengyun/db/errors";
import { departments, informationSystems, priceLists, usagePoints } from "@zhengyun/db/schema";
import { RESOURCES, type Resource } from "@zhengyun/db/schema/enums";
import { DAY_MS, HOUR_MS, RESOLUTION_MS, type Resolution, rollup } from "@zhengyun/db/usage/series";
import { and, asc, desc, eq, gte, inArray, lt, type SQL } from "drizzle-orm";
import ExcelJS from "exceljs";
import { idleGrants, monthBounds, monthlyReport, type Prices, type SeriesPoint } from "../domain/usage-report.js";
import { audit } from "./audit-service.js";
import { assertDepartment, departmentFilter } from "./scope.js";

/** Prices in force before ops set any (CNY per unit-hour). */
export const DEFAULT_PRICES: Prices = {
  vcpu: 0.05,
  memory_gib: 0.02,
  storage_standard_gib: 0.0003,
  storage_ssd_gib: 0.0008,
  storage_encrypted_gib: 0.001,
  segments: 0.1,
  egress_mbps: 0.05,
};

/** The department a department-bound caller reads: their own; platform roles pick one or see all (null). */
function scopeDepartment(ctx: ServiceContext, departmentId: string | undefined): string | null {
  if (departmentId) {
    assertDepartment(ctx, departmentId);
    return departmentId;
  }
  return departmentFilter(ctx);
}

const toSeries = (r: typeof usagePoints.$inferSelect): SeriesPoint => ({
  systemId: r.systemId,
  resource: r.resource,
  bucket: r.bucket.getTime(),
  resolution: r.resolution,
  samples: r.samples,
  usedAvg: r.usedAvg,
  usedMax: r.usedMax,
  grantedAvg: r.grantedAvg,
  grantedMax: r.grantedMax,
});

async function loadPoints(db: DbOrTx, where: { departmentId: string | null; systemId?: string; resource?: Resource; from: number; to: number }) {
  const conds: SQL[] = [gte(usagePoints.bucket, new Date(where.from)), lt(usagePoints.bucket, new Date(where.to))];
  if (where.departmentId) conds.push(eq(usagePoints.departmentId, where.departmentId));
  if (where.systemId) conds.push(eq(usagePoints.systemId, where.systemId));
  if (where.resource) conds.push(eq(usagePoints.resource, where.resource));
  return (
    await db
      .select()
      .from(usagePoints)
      .where(and(...conds))
  ).map(toSeries);
}

/** The display resolution of a window: fine for short windows, daily for long ones. */
export function displayResolution(days: number): Resolution {
  return days <= 2 ? "5m" : days <= 31 ? "1h" : "1d";
}

/**
 * Used vs granted over the last `days` days for a department (or one of its systems, or, for
 * platform roles without a department, every department), summed over systems per bucket.
 */
export async function usageSeries(ctx: ServiceContext, input: { departmentId?: string; systemId?: string; resource: Resource; days: number }) {
  const departmentId = scopeDepartment(ctx, input.departmentId);
  if (input.systemId) {
    const [system] = await ctx.db
      .select({ departmentId: informationSystems.departmentId })
      .from(informationSystems)
      .where(eq(informationSystems.id, input.systemId));
    if (!system) throw notFound("system");
    assertDepartment(ctx, system.departmentId);
    if (departmentId && system.departmentId !== departmentId) throw notFound("system");
  }
  const now = ctx.now().getTime();
  const resolution = displayResolution(input.days);
  const points = await loadPoints(ctx.db, {
    departmentId,
    ...(input.systemId ? { systemId: input.systemId } : {}),
    resource: input.resource,
    from: now - input.days * DAY_MS,
    to: now + HOUR_MS,
  });
  const bySystem = new Map<string, SeriesPoint[]>();
  for (const p of points) bySystem.set(p.systemId, [...(bySystem.get(p.systemId) ?? []), p]);
  const sums = new Map<number, { used: number; granted: number; usedPeak: number }>();
  for (const list of bySystem.values()) {
    // Coarser points than the display resolution stay as they are (older history).
    const fine = list.filter((p) => RESOLUTIONS_ORDER[p.resolution] <= RESOLUTIONS_ORDER[resolution]);
    const coarse = list.filter((p) => RESOLUTIONS_ORDER[p.resolution] > RESOLUTIONS_ORDER[resolution]);
    // Older history is coarser than the display: each such point stands for every display bucket it covers.
    const step = RESOLUTION_MS[resolution];
    const spread = coarse.flatMap((p) => {
      const end = Math.min(p.bucket + RESOLUTION_MS[p.resolution], now);
      const out: SeriesPoint[] = [];
      for (let b = p.bucket; b < end; b += step) out.push({ ...p, bucket: b, resolution });
      return out;
    });
    for (const p of rollup([...fine, ...spread], resolution)) {
      const s = sums.get(p.bucket) ?? { used: 0, granted: 0, usedPeak: 0 };
      s.used += p.usedAvg;
      s.granted += p.grantedAvg;
      s.usedPeak += p.usedMax;
      sums.set(p.bucket, s);
    }
  }
  return {
    resource: input.resource,
    resolution,
    points: [...sums.entries()].sort(([a], [b]) => a - b).map(([at, s]) => ({ at: new Date(at), used: s.used, granted: s.granted, usedPeak: s.usedPeak })),
  };
}
const RESOLUTIONS_ORDER: Record<Resolution, number> = { "5m": 0, "1h": 1, "1d": 2 };

async function systemNames(db: DbOrTx, ids: string[]) {
  if (ids.length === 0) return new Map<string, { name: string; departmentId: string }>();
  const rows = await db
    .select({ id: informationSystems.id, name: informationSystems.name, departmentId: informationSystems.departmentId })
    .from(informationSystems)
    .where(inArray(informationSystems.id, ids));
  return new Map(rows.map((r) => [r.id, r]));
}

/** Grants used below 20 % of what is granted for the last 30 days: reclaim candidates. */
export async function idleList(ctx: ServiceContext, input: { departmentId?: string }) {
  const departmentId = scopeDepartment(ctx, input.departmentId);
  const now = ctx.now().getTime();
  const points = await loadPoints(ctx.db, { departmentId, from: now - 32 * DAY_MS, to: now + HOUR_MS });
  const idle = idleGrants(points, now);
  const names = await systemNames(ctx.db, [...new Set(idle.map((i) => i.systemId))]);
  const depts = await departmentNames(ctx.db);
  return idle.map((i) => {
    const s = names.get(i.systemId);
    const d = s ? depts.get(s.departmentId) : undefined;
    return { ...i, systemName: s?.name ?? "", departmentId: s?.departmentId ?? "", departmentName: d?.name ?? "", departmentNameEn: d?.nameEn ?? "" };
  });
}

async function departmentNames(db: DbOrTx) {
  const rows = await db.select({ id: departments.id, name: departments.name, nameEn: departments.nameEn }).from(departments);
  return new Map(rows.map((r) => [r.id, r]));
}

/** The price list in force (highest version), or a given version; version 0 is the built-in default. */
export async function priceList(db: DbOrTx, version?: number) {
  const [row] = await db
    .select()
    .from(priceLists)
    .where(version !== undefined ? eq(priceLists.version, version) : undefined)
    .orderBy(desc(priceLists.version))
    .limit(1);
  if (!row) {
    if (version !== undefined && version !== 0) throw notFound("price list version");
    return { version: 0, prices: DEFAULT_PRICES, currency: "CNY", note: null as string | null, createdAt: null as Date | null };
  }
  return {
    version: row.version,
    prices: { ...DEFAULT_PRICES, ...row.prices },
    currency: row.currency,
    note: row.note,
    createdAt: row.createdAt as Date | null,
  };
}

export async function priceHistory(ctx: ServiceContext) {
  const rows = await ctx.db.select().from(priceLists).orderBy(desc(priceLists.version)).limit(100);
  return {
    current: await priceList(ctx.db),
    versions: rows.map((r) => ({ version: r.version, prices: { ...DEFAULT_PRICES, ...r.prices }, note: r.note, createdAt: r.createdAt })),
  };
}

/** A new version of the price list (ops), audited with the previous prices. */
export async function setPrices(ctx: ServiceContext, input: { prices: Prices; note: string | null }) {
  return ctx.db.transaction(async (tx) => {
    const [last] = await tx.select({ version: priceLists.version }).from(priceLists).orderBy(desc(priceLists.version)).limit(1).for("update");
    const before = await priceList(tx);
    const version = (last?.version ?? 0) + 1;
    await tx.insert(priceLists).values({ version, prices: input.prices, note: input.note, createdBy: ctx.actor.id, createdAt: ctx.now() });
    await audit(
      tx,
      ctx,
      "price_list.set",
      { type: "price_list", id: String(version) },
      { before: { version: before.version, prices: before.prices }, after: { version, prices: input.prices, note: input.note } },
    );
    return { version };
  });
}

/** The monthly usage and cost report of one department. */
export async function departmentMonthly(ctx: ServiceContext, input: { departmentId: string; month: string; priceVersion?: number }) {
  assertDepartment(ctx, input.departmentId);
  const [dept] = await ctx.db.select().from(departments).where(eq(departments.id, input.departmentId));
  if (!dept) throw notFound("department");
  const [from, to] = monthBounds(input.month);
  const prices = await priceList(ctx.db, input.priceVersion);
  const report = monthlyReport(await loadPoints(ctx.db, { departmentId: input.departmentId, from, to }), prices.prices, input.month);
  const names = await systemNames(ctx.db, [...new Set(report.rows.map((r) => r.systemId))]);
  return {
    department: { id: dept.id, code: dept.code, name: dept.name, nameEn: dept.nameEn },
    month: input.month,
    priceVersion: prices.version,
    currency: prices.currency,
    prices: prices.prices,
    rows: report.rows.map((r) => ({ ...r, systemName: names.get(r.systemId)?.name ?? "" })),
    byResource: RESOURCES.map((resource) => ({ resource, ...report.byResource[resource] })),
    totalFen: report.totalFen,
  };
}

export type DepartmentMonthly = Awaited<ReturnType<typeof departmentMonthly>>;

/** Every department's monthly total (ops overview). */
export async function monthlyOverview(ctx: ServiceContext, input: { month: string }) {
  const [from, to] = monthBounds(input.month);
  const prices = await priceList(ctx.db);
  const points = await loadPoints(ctx.db, { departmentId: departmentFilter(ctx), from, to });
  const names = await systemNames(ctx.db, [...new Set(points.map((p) => p.systemId))]);
  const depts = await ctx.db.select().from(departments).orderBy(asc(departments.code));
  return {
    month: input.month,
    priceVersion: prices.version,
    departments: depts
      .map((d) => {
        const report = monthlyReport(
          points.filter((p) => names.get(p.systemId)?.departmentId === d.id),
          prices.prices,
          input.month,
        );
        return {
          departmentId: d.id,
          name: d.name,
          nameEn: d.nameEn,
          totalFen: report.totalFen,
          vcpuHours: report.byResource.vcpu?.grantedUnitHours ?? 0,
          vcpuUsedHours: report.byResource.vcpu?.usedUnitHours ?? 0,
        };
      })
      .filter((d) => d.totalFen > 0 || d.vcpuHours > 0),
  };
}

const RESOURCE_LABEL: Record<Resource, string> = {
  vcpu: "vCPU（核时 / vCPU-hours）",
  memory_gib: "内存（GiB时 / GiB-hours）",
  storage_standard_gib: "标准存储（GiB时 / GiB-hours）",
  storage_ssd_gib: "SSD 存储（GiB时 / GiB-hours）",
  storage_encrypted_gib: "加密存储（GiB时 / GiB-hours）",
  segments: "网段（个时 / segment-hours）",
  egress_mbps: "出口带宽（Mbps时 / Mbps-hours）",
};
const HEADER = ["系统 / System", "资源 / Resource", "分配量 / Granted", "使用量 / Used", "单价 / Unit price (CNY)", "费用 / Cost (CNY)"];
const round = (n: number, d = 3) => Math.round(n * 10 ** d) / 10 ** d;

function reportTable(r: DepartmentMonthly): (string | number)[][] {
  return [
    ...r.rows.map((row) => [
      row.systemName,
      RESOURCE_LABEL[row.resource],
      round(row.grantedUnitHours),
      round(row.usedUnitHours),
      row.unitPrice,
      row.costFen / 100,
    ]),
    ["合计 / Total", "", "", "", "", r.totalFen / 100],
  ];
}

const csvCell = (v: string | number) => {
  const s = String(v);
  // Cells starting with a formula character are quoted with a leading apostrophe (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(s) && typeof v === "string" ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function reportCsv(r: DepartmentMonthly): string {
  const meta = [[`${r.department.name} / ${r.department.nameEn}`, r.month, `价格表版本 / price list v${r.priceVersion}`]];
  return `\ufeff${[...meta, HEADER, ...reportTable(r)].map((line) => line.map(csvCell).join(",")).join("\r\n")}\r\n`;
}

export async function reportWorkbook(r: DepartmentMonthly): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "Zhengyun";
  const ws = wb.addWorksheet(r.month);
  ws.addRow([`${r.department.name} / ${r.department.nameEn}`, r.month, `价格表版本 / price list v${r.priceVersion}`]);
  const header = ws.addRow(HEADER);
  header.font = { bold: true };
  for (const line of reportTable(r)) ws.addRow(line);
  ws.getRow(ws.rowCount).font = { bold: true };
  ws.columns.forEach((c, i) => {
    c.width = i < 2 ? 32 : 16;
  });
  const prices = wb.addWorksheet("价格 Prices");
  prices.addRow(["资源 / Resource", "每小时单价 / Price per unit-hour (CNY)"]).font = { bold: true };
  for (const resource of RESOURCES) prices.addRow([RESOURCE_LABEL[resource], r.prices[resource]]);
  prices.columns.forEach((c) => {
    c.width = 36;
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The monthly report as a file: CSV text or an Excel workbook (base64). */
export async function exportMonthly(ctx: ServiceContext, input: { departmentId: string; month: string; format: "csv" | "xlsx" }) {
  const report = await departmentMonthly(ctx, input);
  const base = `usage-${report.department.code}-${input.month}`;
  if (input.format === "csv")
    return { filename: `${base}.csv`, contentType: "text/csv; charset=utf-8", content: Buffer.from(reportCsv(report), "utf8").toString("base64") };
  return {
    filename: `${base}.xlsx`,
    contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    content: (await reportWorkbook(report)).toString("base64"),
  };
}

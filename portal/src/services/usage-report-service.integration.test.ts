import type { Database } from "@zhengyun/db/client";
import { completeProvisioning } from "@zhengyun/db/requests/platform";
import { auditLog, usagePoints } from "@zhengyun/db/schema";
import { and, eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { makeOrg, requestIn, testDatabase } from "../../test/harness.js";

let db: Database;
beforeAll(async () => {
  db = await testDatabase();
});

const HOUR = 3_600_000;
const PRICES = {
  vcpu: 0.05,
  memory_gib: 0.02,
  storage_standard_gib: 0.001,
  storage_ssd_gib: 0.002,
  storage_encrypted_gib: 0.003,
  segments: 0.5,
  egress_mbps: 0.1,
};

describe("monthly usage report", () => {
  it("prices the month's series with the price list in force, in the API, the CSV and the workbook", async () => {
    const org = await makeOrg(db);
    const { system: registered, request } = await requestIn(org, "provisioning");
    await completeProvisioning(db.db, request.id, { ok: true });
    const system = await org.as("applicant").systems.get({ id: registered.id });
    const from = Date.UTC(2026, 10, 1);
    // 10 days of hourly vCPU (4 granted, 1 used) and one daily memory point (8 GiB) in November; one point in December.
    await db.db.insert(usagePoints).values([
      ...Array.from({ length: 240 }, (_, i) => ({
        systemId: system.id,
        departmentId: org.dept.id,
        resource: "vcpu" as const,
        resolution: "1h" as const,
        bucket: new Date(from + i * HOUR),
        samples: 12,
        usedAvg: 1,
        usedMax: 2,
        grantedAvg: 4,
        grantedMax: 4,
      })),
      {
        systemId: system.id,
        departmentId: org.dept.id,
        resource: "memory_gib" as const,
        resolution: "1d" as const,
        bucket: new Date(from),
        samples: 288,
        usedAvg: 2,
        usedMax: 3,
        grantedAvg: 8,
        grantedMax: 8,
      },
      {
        systemId: system.id,
        departmentId: org.dept.id,
        resource: "vcpu" as const,
        resolution: "1d" as const,
        bucket: new Date(Date.UTC(2026, 11, 1)),
        samples: 288,
        usedAvg: 4,
        usedMax: 4,
        grantedAvg: 4,
        grantedMax: 4,
      },
    ]);
    const { version } = await org.as("ops").usage.updatePrices({ prices: PRICES, note: "2026 年价格" });
    const [entry] = await db.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "price_list.set"), eq(auditLog.targetId, String(version))));
    expect(entry).toMatchObject({ actorName: org.people.ops.username, actorRole: "ops" });
    expect(entry!.after).toMatchObject({ version, prices: PRICES, note: "2026 年价格" });

    const report = await org.as("deptAdmin").usage.monthly({ departmentId: org.dept.id, month: "2026-11" });
    expect(report.priceVersion).toBe(version);
    expect(report.rows.map((r) => [r.systemName, r.resource, r.grantedUnitHours, r.usedUnitHours, r.costFen])).toEqual([
      [system.name, "vcpu", 960, 240, 4800],
      [system.name, "memory_gib", 192, 48, 384],
    ]);
    expect(report.totalFen).toBe(5184);

    const csv = await org.as("applicant").usage.exportReport({ departmentId: org.dept.id, month: "2026-11", format: "csv" });
    const text = Buffer.from(csv.content, "base64").toString("utf8");
    expect(csv.filename).toBe(`usage-${org.dept.code}-2026-11.csv`);
    expect(text).toContain(`${system.name},vCPU（核时 / vCPU-hours）,960,240,0.05,48`);
    expect(text.trimEnd().split("\r\n").at(-1)).toBe("合计 / Total,,,,,51.84");

    const xlsx = await org.as("deptAdmin").usage.exportReport({ departmentId: org.dept.id, month: "2026-11", format: "xlsx" });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(xlsx.content, "base64") as never);
    const sheet = wb.getWorksheet("2026-11")!;
    const rows = sheet
      .getSheetValues()
      .filter(Boolean)
      .map((r) => (r as unknown[]).slice(1));
    expect(rows[1]).toEqual(["系统 / System", "资源 / Resource", "分配量 / Granted", "使用量 / Used", "单价 / Unit price (CNY)", "费用 / Cost (CNY)"]);
    expect(rows.slice(2)).toEqual([
      [system.name, "vCPU（核时 / vCPU-hours）", 960, 240, 0.05, 48],
      [system.name, "内存（GiB时 / GiB-hours）", 192, 48, 0.02, 3.84],
      ["合计 / Total", "", "", "", "", 51.84],
    ]);
    const total = rows.slice(2, -1).reduce((s, r) => s + (r[5] as number), 0);
    expect(Math.round(total * 100)).toBe(report.totalFen);
    expect(wb.getWorksheet("价格 Prices")!.getRow(2).values).toEqual([undefined, "vCPU（核时 / vCPU-hours）", 0.05]);
  });

  it("refuses a bad price list and keeps the one in force", async () => {
    const org = await makeOrg(db);
    const before = await org.as("ops").usage.priceList();
    await expect(org.as("ops").usage.updatePrices({ prices: { ...PRICES, vcpu: -1 }, note: null })).rejects.toThrow(/negative/);
    expect((await org.as("ops").usage.priceList()).current.version).toBe(before.current.version);
  });

  it("sums systems over time even where one's history is daily and another's hourly", async () => {
    const org = await makeOrg(db);
    const a = await requestIn(org, "provisioning");
    const b = await requestIn(org, "provisioning");
    const now = Math.floor(Date.now() / HOUR) * HOUR;
    const day = Math.floor(now / (24 * HOUR)) * 24 * HOUR;
    const base = { departmentId: org.dept.id, resource: "vcpu" as const, samples: 12, usedMax: 1, grantedMax: 6 };
    await db.db.insert(usagePoints).values([
      ...Array.from({ length: 48 }, (_, i) => ({
        ...base,
        systemId: a.system.id,
        resolution: "1h" as const,
        bucket: new Date(day - 48 * HOUR + i * HOUR),
        usedAvg: 1,
        grantedAvg: 6,
      })),
      { ...base, systemId: b.system.id, resolution: "1d" as const, bucket: new Date(day - 48 * HOUR), usedAvg: 2, grantedAvg: 16 },
      { ...base, systemId: b.system.id, resolution: "1d" as const, bucket: new Date(day - 24 * HOUR), usedAvg: 2, grantedAvg: 16 },
    ]);
    const series = await org.as("deptAdmin").usage.series({ departmentId: org.dept.id, resource: "vcpu", days: 3 });
    expect(series.resolution).toBe("1h");
    expect(series.points).toHaveLength(48);
    expect(new Set(series.points.map((p) => `${p.granted}/${p.used}`))).toEqual(new Set(["22/3"]));
  });
});

import { DAY_MS, HOUR_MS, RESOLUTION_MS, type Resolution } from "@zhengyun/db/usage/series";
import { RESOURCES } from "@zhengyun/db/vocabulary";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { idleGrants, monthBounds, monthlyReport, type Prices, type Resource, type SeriesPoint, usageShares } from "./usage-report.js";

const [FROM, TO] = monthBounds("2026-11");
const SYSTEMS = ["00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002", "00000000-0000-4000-8000-000000000003"];

const point = fc
  .record({
    systemId: fc.constantFrom(...SYSTEMS),
    resource: fc.constantFrom(...RESOURCES),
    resolution: fc.constantFrom<Resolution>("5m", "1h", "1d"),
    at: fc.integer({ min: FROM - 5 * DAY_MS, max: TO + 5 * DAY_MS }),
    granted: fc.integer({ min: 0, max: 512 }),
    used: fc.integer({ min: 0, max: 512 }),
    samples: fc.integer({ min: 1, max: 12 }),
  })
  .map(
    (r): SeriesPoint => ({
      systemId: r.systemId,
      resource: r.resource,
      resolution: r.resolution,
      bucket: Math.floor(r.at / RESOLUTION_MS[r.resolution]) * RESOLUTION_MS[r.resolution],
      samples: r.samples,
      usedAvg: r.used,
      usedMax: r.used,
      grantedAvg: r.granted,
      grantedMax: r.granted,
    }),
  );
const prices = fc.record(
  Object.fromEntries(RESOURCES.map((r) => [r, fc.integer({ min: 0, max: 500 }).map((c) => c / 100)])) as Record<Resource, fc.Arbitrary<number>>,
) as fc.Arbitrary<Prices>;
const hours = (p: SeriesPoint) => RESOLUTION_MS[p.resolution] / HOUR_MS;

describe("monthly usage report", () => {
  it("bounds months in UTC and refuses what is not a month", () => {
    expect(monthBounds("2026-02").map((t) => new Date(t).toISOString())).toEqual(["2026-02-01T00:00:00.000Z", "2026-03-01T00:00:00.000Z"]);
    expect(() => monthBounds("2026-13")).toThrow(/not a month/);
  });

  it("charges granted unit-hours times the hourly price, per system and resource", () => {
    const p: Prices = {
      vcpu: 0.05,
      memory_gib: 0.01,
      storage_standard_gib: 0.001,
      storage_ssd_gib: 0.002,
      storage_encrypted_gib: 0.003,
      segments: 0.5,
      egress_mbps: 0.02,
    };
    const base = { systemId: SYSTEMS[0]!, samples: 12, usedMax: 0, grantedMax: 0 };
    const report = monthlyReport(
      [
        { ...base, resource: "vcpu", resolution: "1d", bucket: FROM, grantedAvg: 4, usedAvg: 1 },
        { ...base, resource: "vcpu", resolution: "1h", bucket: FROM + DAY_MS, grantedAvg: 8, usedAvg: 2 },
        { ...base, resource: "segments", resolution: "5m", bucket: FROM + 2 * DAY_MS, grantedAvg: 1, usedAvg: 1 },
        { ...base, resource: "vcpu", resolution: "1d", bucket: TO, grantedAvg: 100, usedAvg: 100 },
      ],
      p,
      "2026-11",
    );
    expect(report.rows.map((r) => [r.resource, r.grantedUnitHours, r.usedUnitHours, r.costFen])).toEqual([
      ["vcpu", 4 * 24 + 8, 24 + 2, Math.round((4 * 24 + 8) * 0.05 * 100)],
      ["segments", 1 / 12, 1 / 12, Math.round((1 / 12) * 0.5 * 100)],
    ]);
    expect(report.totalFen).toBe(520 + 4);
  });

  it("the total is the sum of every series point times its hours and price, whatever the order of the points", () => {
    fc.assert(
      fc.property(fc.array(point, { maxLength: 150 }), prices, fc.integer(), (points, p, seed) => {
        const report = monthlyReport(points, p, "2026-11");
        const inMonth = points.filter((x) => x.bucket >= FROM && x.bucket < TO);
        const direct = inMonth.reduce((s, x) => s + x.grantedAvg * hours(x) * p[x.resource] * 100, 0);
        // Each row is rounded to the fen once: the total is within half a fen per row of the exact sum.
        expect(Math.abs(report.totalFen - direct)).toBeLessThanOrEqual(0.5 * report.rows.length + 1e-6);
        expect(report.totalFen).toBe(report.rows.reduce((s, r) => s + r.costFen, 0));
        for (const r of RESOURCES) expect(report.byResource[r]!.costFen).toBe(report.rows.filter((x) => x.resource === r).reduce((s, x) => s + x.costFen, 0));
        const shuffled = fc.sample(fc.shuffledSubarray(points, { minLength: points.length, maxLength: points.length }), { numRuns: 1, seed })[0]!;
        expect(monthlyReport(shuffled, p, "2026-11")).toEqual(report);
      }),
    );
  });

  it("a price doubled doubles that resource's cost and nothing else", () => {
    fc.assert(
      fc.property(fc.array(point, { maxLength: 80 }), prices, fc.constantFrom(...RESOURCES), (points, p, r) => {
        const before = monthlyReport(points, p, "2026-11");
        const after = monthlyReport(points, { ...p, [r]: p[r] * 2 }, "2026-11");
        for (const x of RESOURCES) {
          if (x === r) continue;
          expect(after.byResource[x]!.costFen).toBe(before.byResource[x]!.costFen);
        }
        expect(Math.abs(after.byResource[r]!.costFen - 2 * before.byResource[r]!.costFen)).toBeLessThanOrEqual(after.rows.length);
      }),
    );
  });
});

describe("idle grants", () => {
  const NOW = Date.UTC(2026, 11, 3, 12);
  const daily = (systemId: string, used: number, granted: number, days = 35): SeriesPoint[] =>
    Array.from({ length: days }, (_, i) => ({
      systemId,
      resource: "vcpu" as const,
      resolution: "1d" as const,
      bucket: Math.floor(NOW / DAY_MS) * DAY_MS - (days - i) * DAY_MS,
      samples: 288,
      usedAvg: used,
      usedMax: used,
      grantedAvg: granted,
      grantedMax: granted,
    }));

  it("flags grants used below 20 % for the whole 30 days, not busy ones nor young ones", () => {
    const idle = daily(SYSTEMS[0]!, 1, 16);
    const busy = daily(SYSTEMS[1]!, 8, 16);
    const young = daily(SYSTEMS[2]!, 0, 16, 10);
    const found = idleGrants([...idle, ...busy, ...young], NOW);
    expect(found.map((f) => [f.systemId, f.resource, f.granted])).toEqual([[SYSTEMS[0], "vcpu", 16]]);
    expect(found[0]!.usedShare).toBeCloseTo(1 / 16);
  });

  it("one busy day in the window clears the flag", () => {
    const points = daily(SYSTEMS[0]!, 1, 16);
    points[points.length - 3] = { ...points[points.length - 3]!, usedMax: 10 };
    expect(idleGrants(points, NOW)).toEqual([]);
  });

  it("measures the lowest daily share over a window", () => {
    const points = daily(SYSTEMS[0]!, 12, 16, 10);
    points[5] = { ...points[5]!, usedAvg: 4 };
    expect(usageShares(points, NOW, 7).vcpu).toEqual({ days: 7, minShare: 0.25 });
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  bucketStart,
  compact,
  DAY_MS,
  HOUR_MS,
  mergePoints,
  RESOLUTION_MS,
  type Resolution,
  retentionCuts,
  rollup,
  samplePoint,
  type UsagePoint,
} from "./series.js";

const NOW = Date.UTC(2026, 11, 3, 12, 34, 56);
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/** Readings (instant, used, granted) within the last ~three years before NOW. */
const reading = fc.record({
  at: fc.integer({ min: NOW - 1100 * DAY_MS, max: NOW }),
  used: fc.integer({ min: 0, max: 64 }),
  granted: fc.integer({ min: 0, max: 64 }),
});
const fivePoints = fc.array(reading, { maxLength: 120 }).map((rs) =>
  rollup(
    rs.map((r) => samplePoint(r.at, r.used, r.granted)),
    "5m",
  ),
);

const samplesOf = (ps: UsagePoint[]) => ps.reduce((s, p) => s + p.samples, 0);

describe("usage series downsampling", () => {
  it("merges one bucket's readings weighted by their number", () => {
    const a = { ...samplePoint(0, 2, 8), samples: 3 };
    const b = samplePoint(60_000, 10, 8);
    expect(mergePoints(a, b)).toEqual({ bucket: 0, resolution: "5m", samples: 4, usedAvg: 4, usedMax: 10, grantedAvg: 8, grantedMax: 8 });
  });

  it("a rollup of rollups equals the direct rollup (peaks exactly, averages weighted)", () => {
    fc.assert(
      fc.property(fivePoints, (points) => {
        const twice = rollup(rollup(points, "1h"), "1d");
        const once = rollup(points, "1d");
        expect(twice.map((p) => [p.bucket, p.samples, p.usedMax, p.grantedMax])).toEqual(once.map((p) => [p.bucket, p.samples, p.usedMax, p.grantedMax]));
        twice.forEach((p, i) => {
          expect(close(p.usedAvg, once[i]!.usedAvg)).toBe(true);
          expect(close(p.grantedAvg, once[i]!.grantedAvg)).toBe(true);
        });
      }),
    );
  });

  it("puts every point inside its bucket, keeps every reading, and ignores input order", () => {
    fc.assert(
      fc.property(fivePoints, fc.constantFrom<Resolution>("1h", "1d"), (points, to) => {
        const out = rollup(points, to);
        expect(samplesOf(out)).toBe(samplesOf(points));
        for (const p of out) expect(p.bucket % RESOLUTION_MS[to]).toBe(0);
        for (const p of points) {
          const holder = out.find((o) => o.bucket <= p.bucket && p.bucket < o.bucket + RESOLUTION_MS[to]);
          expect(holder).toBeDefined();
          expect(holder!.usedMax).toBeGreaterThanOrEqual(p.usedMax);
        }
        expect(rollup([...points].reverse(), to)).toEqual(out);
      }),
    );
  });

  it("the average of a rollup is the average of the readings behind it", () => {
    fc.assert(
      fc.property(fc.array(reading, { minLength: 1, maxLength: 60 }), (rs) => {
        const day = rollup(
          rs.map((r) => samplePoint(r.at, r.used, r.granted)),
          "1d",
        );
        for (const p of day) {
          const inside = rs.filter((r) => bucketStart(r.at, "1d") === p.bucket);
          expect(close(p.usedAvg, inside.reduce((s, r) => s + r.used, 0) / inside.length)).toBe(true);
        }
      }),
    );
  });

  it("retention keeps each resolution within its window and drops exactly what is older than two years", () => {
    fc.assert(
      fc.property(fivePoints, (points) => {
        const cuts = retentionCuts(NOW);
        const out = compact(points, NOW);
        for (const p of out) expect(p.bucket).toBeGreaterThanOrEqual(cuts[p.resolution]);
        // Recent 5-minute points stay as they were.
        expect(out.filter((p) => p.resolution === "5m")).toEqual(points.filter((p) => p.bucket >= cuts["5m"]));
        // Every reading newer than the two-year cut survives somewhere; the older ones are gone.
        expect(samplesOf(out)).toBe(samplesOf(points.filter((p) => bucketStart(p.bucket, "1d") >= cuts["1d"])));
        // Peaks of a day are preserved whatever resolution now holds them.
        const daily = rollup(out, "1d");
        const direct = rollup(
          points.filter((p) => p.bucket >= cuts["1d"]),
          "1d",
        );
        expect(daily.map((p) => [p.bucket, p.usedMax, p.grantedMax])).toEqual(direct.map((p) => [p.bucket, p.usedMax, p.grantedMax]));
        // Compacting again later changes nothing more than compacting once.
        expect(compact(out, NOW)).toEqual(out);
      }),
    );
  });

  it("rolls up whole hours only", () => {
    const cut = retentionCuts(NOW)["5m"];
    expect(cut % HOUR_MS).toBe(0);
    const points = [samplePoint(cut - 60_000, 1, 4), samplePoint(cut + 60_000, 3, 4)];
    const out = compact(points, NOW);
    expect(out.map((p) => p.resolution)).toEqual(["1h", "5m"]);
  });

  it("refuses to roll a coarse point into a finer resolution", () => {
    expect(() => rollup([{ ...samplePoint(0, 1, 1), resolution: "1d" }], "1h")).toThrow(/cannot be rolled up/);
  });
});

// Usage series downsampling: 5-minute points kept 7 days, hourly points 90 days, daily points two
// years. A point holds the average and peak of used and granted over its bucket and the number of
// readings behind it, so averages of rollups stay weighted by readings. Pure.

export const RESOLUTIONS = ["5m", "1h", "1d"] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

const MINUTE = 60_000;
export const HOUR_MS = 60 * MINUTE;
export const DAY_MS = 24 * HOUR_MS;
export const RESOLUTION_MS: Record<Resolution, number> = { "5m": 5 * MINUTE, "1h": HOUR_MS, "1d": DAY_MS };

/** How long points of each resolution are kept before they are rolled up (or, daily, dropped). */
export const RETENTION_MS: Record<Resolution, number> = { "5m": 7 * DAY_MS, "1h": 90 * DAY_MS, "1d": 730 * DAY_MS };

export interface UsagePoint {
  /** Start of the bucket, epoch milliseconds (UTC-aligned to the resolution). */
  bucket: number;
  resolution: Resolution;
  samples: number;
  usedAvg: number;
  usedMax: number;
  grantedAvg: number;
  grantedMax: number;
}

/** The start of the `resolution` bucket holding instant `t` (UTC). */
export function bucketStart(t: number, resolution: Resolution): number {
  const size = RESOLUTION_MS[resolution];
  return Math.floor(t / size) * size;
}

/** One reading as a 5-minute point. */
export function samplePoint(at: number, used: number, granted: number): UsagePoint {
  return { bucket: bucketStart(at, "5m"), resolution: "5m", samples: 1, usedAvg: used, usedMax: used, grantedAvg: granted, grantedMax: granted };
}

/** Two points of one bucket as one: averages weighted by readings, peaks the larger. */
export function mergePoints(a: UsagePoint, b: UsagePoint): UsagePoint {
  const samples = a.samples + b.samples;
  return {
    bucket: a.bucket,
    resolution: a.resolution,
    samples,
    usedAvg: (a.usedAvg * a.samples + b.usedAvg * b.samples) / samples,
    usedMax: Math.max(a.usedMax, b.usedMax),
    grantedAvg: (a.grantedAvg * a.samples + b.grantedAvg * b.samples) / samples,
    grantedMax: Math.max(a.grantedMax, b.grantedMax),
  };
}

const rank = (r: Resolution) => RESOLUTIONS.indexOf(r);

/**
 * The points of one series rolled up to `to`: every point lands in the `to` bucket holding its
 * start. Points already coarser than `to` are refused. The result is ordered by bucket and does
 * not depend on the order of the input.
 */
export function rollup(points: readonly UsagePoint[], to: Resolution): UsagePoint[] {
  const byBucket = new Map<number, UsagePoint[]>();
  for (const p of points) {
    if (rank(p.resolution) > rank(to)) throw new Error(`a ${p.resolution} point cannot be rolled up to ${to}`);
    const b = bucketStart(p.bucket, to);
    const list = byBucket.get(b) ?? [];
    list.push(p);
    byBucket.set(b, list);
  }
  return [...byBucket.entries()]
    .sort(([a], [b]) => a - b)
    .map(([bucket, list]) => {
      // Sum in a fixed order so the result is the same whatever order the points came in.
      const sorted = [...list].sort(
        (a, b) =>
          a.bucket - b.bucket || rank(a.resolution) - rank(b.resolution) || a.samples - b.samples || a.usedAvg - b.usedAvg || a.grantedAvg - b.grantedAvg,
      );
      const samples = sorted.reduce((s, p) => s + p.samples, 0);
      return {
        bucket,
        resolution: to,
        samples,
        usedAvg: sorted.reduce((s, p) => s + p.usedAvg * p.samples, 0) / samples,
        usedMax: Math.max(...sorted.map((p) => p.usedMax)),
        grantedAvg: sorted.reduce((s, p) => s + p.grantedAvg * p.samples, 0) / samples,
        grantedMax: Math.max(...sorted.map((p) => p.grantedMax)),
      };
    });
}

/** The instants before which points of each resolution leave it: whole hours and days, so a bucket is rolled up at once. */
export function retentionCuts(now: number): Record<Resolution, number> {
  return {
    "5m": bucketStart(now - RETENTION_MS["5m"], "1h"),
    "1h": bucketStart(now - RETENTION_MS["1h"], "1d"),
    "1d": bucketStart(now - RETENTION_MS["1d"], "1d"),
  };
}

/** Whether the retention job has anything to do with this point at `now`. */
export function isDue(p: UsagePoint, cuts: Record<Resolution, number>): boolean {
  return p.bucket < cuts[p.resolution];
}

/**
 * Applies retention to one series at `now`: 5-minute points older than 7 days become hourly
 * points, hourly points older than 90 days become daily ones, daily points older than two years
 * are dropped. Points not due are returned untouched; a rollup whose bucket already holds a
 * coarser point merges into it.
 */
export function compact(points: readonly UsagePoint[], now: number): UsagePoint[] {
  const cuts = retentionCuts(now);
  const keep = points.filter((p) => !isDue(p, cuts));
  const fine = points.filter((p) => p.resolution === "5m" && isDue(p, cuts));
  const hourly = [...points.filter((p) => p.resolution === "1h"), ...rollup(fine, "1h")];
  const hourlyKept = hourly.filter((p) => !isDue(p, cuts));
  const daily = [
    ...points.filter((p) => p.resolution === "1d"),
    ...rollup(
      hourly.filter((p) => isDue(p, cuts)),
      "1d",
    ),
  ];
  const out = [...keep.filter((p) => p.resolution === "5m"), ...rollup(hourlyKept, "1h"), ...rollup(daily, "1d").filter((p) => !isDue(p, cuts))];
  return out.sort((a, b) => a.bucket - b.bucket || rank(a.resolution) - rank(b.resolution));
}

/** Hours a point stands for. */
export const pointHours = (p: Pick<UsagePoint, "resolution">) => RESOLUTION_MS[p.resolution] / HOUR_MS;

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backoffDelay } from "./backoff.js";

const policy = fc
  .tuple(fc.integer({ min: 1, max: 60_000 }), fc.integer({ min: 1, max: 3_600_000 }))
  .map(([a, b]) => ({ baseMs: Math.min(a, b), capMs: Math.max(a, b) }));
const attempts = fc.integer({ min: 1, max: 10_000 });
/** What Math.random returns: [0, 1). */
const random = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe("backoff bounds", () => {
  it("waits between 80% and 120% of base·2^(n−1), never more than the cap, never nothing", () => {
    fc.assert(
      fc.property(attempts, policy, random, (n, p, r) => {
        const delay = backoffDelay(n, p, () => r);
        const nominal = Math.min(p.capMs, p.baseMs * 2 ** Math.min(n - 1, 30));
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(Math.max(1, Math.round(0.8 * nominal) - 1));
        expect(delay).toBeLessThanOrEqual(Math.min(p.capMs, Math.round(1.2 * nominal)));
      }),
    );
  });

  it("never shortens as failures add up (for the same jitter)", () => {
    fc.assert(fc.property(attempts, policy, random, (n, p, r) => backoffDelay(n + 1, p, () => r) >= backoffDelay(n, p, () => r)));
  });

  it("waits nothing before the first attempt", () => {
    fc.assert(fc.property(fc.integer({ min: -5, max: 0 }), policy, random, (n, p, r) => backoffDelay(n, p, () => r) === 0));
  });
});
